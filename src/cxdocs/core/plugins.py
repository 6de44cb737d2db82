"""The plugin manager: default plugins, ``cxdocs`` entry points and the project's ``plugins/`` folder."""

from __future__ import annotations

import importlib
import importlib.util
import sys
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
                pm.register(_load_file(path), name=f"project:{path.name}")
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


def call_in_order(hook, **kwargs) -> list:
    """Call a hook's implementations in registration order (defaults, entry points, project files).

    pluggy calls the last registered first; hooks whose implementations build on each other's
    work (chained Markdown, shared structured-data blocks) want the defaults to go first.
    """
    return [call_impl(impl, **kwargs) for impl in hook.get_hookimpls()]


def call_impl(impl, **kwargs):
    """Call one hook implementation with the arguments it declares (pluggy lets it declare fewer)."""
    return impl.function(**{name: kwargs[name] for name in impl.argnames})
