"""The plugin manager: default plugins, ``cxdocs`` entry points and the project's ``plugins/`` folder."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import warnings
from pathlib import Path

import pluggy

from cxdocs.core import hookspecs
from cxdocs.core.errors import CxdocsError

DEFAULT_PLUGINS = (
    "cxdocs.builtins.sop",
    "cxdocs.builtins.responses",
    "cxdocs.builtins.faq_schema",
    "cxdocs.builtins.translations",
    "cxdocs.builtins.checks",
    "cxdocs.builtins.helpcentre",
    "cxdocs.builtins.language_codes",
    "cxdocs.builtins.unfinished",
    "cxdocs.builtins.links",
    "cxdocs.builtins.paths",
    "cxdocs.builtins.audiences",
    "cxdocs.builtins.exporters.zendesk",
    "cxdocs.builtins.exporters.freshdesk",
    "cxdocs.builtins.exporters.helpscout",
    "cxdocs.builtins.exporters.liveagent",
    "cxdocs.builtins.exporters.django_helpdesk",
)
"""cxdocs' own behaviour, registered through the same hooks a third-party plugin uses."""
PROJECT_PREFIX = "project:"
"""Before the file name of a project's ``plugins/*.py`` file, as the manager names its plugin."""


def plugin_manager(plugins_dir: Path | None = None) -> pluggy.PluginManager:
    """A manager with the default plugins, installed plugins and the project's plugin files loaded."""
    pm = pluggy.PluginManager("cxdocs")
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    pm.load_setuptools_entrypoints("cxdocs")
    if plugins_dir is not None and plugins_dir.is_dir():
        for path in sorted(plugins_dir.glob("*.py")):
            if not path.name.startswith("_"):
                pm.register(_load_file(path), name=f"{PROJECT_PREFIX}{path.name}")
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise CxdocsError(f"plugin implements a hook cxdocs does not have: {exc}") from None
    return pm


def _load_file(path: Path):
    """Import one ``plugins/*.py`` file under a private module name."""
    name = f"cxdocs_project_plugins.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CxdocsError("cannot load plugin file", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a plugin's own bug must not read as a cxdocs crash
        sys.modules.pop(name, None)
        raise CxdocsError(f"plugin failed to load: {type(exc).__name__}: {exc}", path) from None
    return module


def changed_markdown(pm: pluggy.PluginManager, page, target, markdown: str) -> str:
    """The page's Markdown after every ``cxdocs_page_markdown`` implementation changed it."""
    text = hookspecs.PageMarkdown(markdown)
    for returned in pm.hook.cxdocs_page_markdown(page=page, target=target, text=text, markdown=markdown):
        if isinstance(returned, str):  # cxdocs 0.1: the changed text returned
            warnings.warn(
                "a cxdocs_page_markdown implementation returned the Markdown: set text.markdown instead "
                "(returning it goes in cxdocs 0.3)",
                DeprecationWarning,
                stacklevel=2,
            )
            text.markdown = returned
    return text.markdown
