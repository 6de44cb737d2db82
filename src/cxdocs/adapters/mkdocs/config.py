"""The options of the ``cxdocs`` MkDocs plugin (``plugins: [cxdocs: {...}]`` in mkdocs.yml).

The options, their defaults and their validation are the core's (:mod:`cxdocs.core.config`): the
same rules and messages as ``cxdocs check``. MkDocs only holds the values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config.base import ValidationError

from cxdocs.core.config import OPTIONS, OptionError, plugin_options, read_config
from cxdocs.core.errors import CxdocsError


class _Option(base.BaseConfigOption):
    """One option of the core's table; the values are validated together, in ``_validate``."""

    def __init__(self, name: str):
        super().__init__()
        self.default = OPTIONS[name].default

    def run_validation(self, value: Any) -> Any:
        return value


class _ValidatedByCore(base.Config):
    def load_dict(self, patch: dict) -> None:
        super().load_dict(patch)
        self.written = {**getattr(self, "written", {}), **patch}

    def _validate(self):
        try:
            self.update(plugin_options(getattr(self, "written", {})))
        except OptionError as exc:
            return [("cxdocs", ValidationError(self._said_as_check(exc)))], []
        return [], []

    def _said_as_check(self, exc: OptionError) -> str:
        """The problems as ``cxdocs check`` words them, with mkdocs.yml's lines."""
        if self.config_file_path:
            try:
                read_config(Path(self.config_file_path))
            except CxdocsError as error:
                return "\n" + str(error)
        return "\n".join(message for message, _ in exc.problems)


CxdocsConfig = type("CxdocsConfig", (_ValidatedByCore,), {name: _Option(name) for name in OPTIONS})
