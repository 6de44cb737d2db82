"""The module paths of cxdocs 0.1, kept working for one release after the package took its layers.

``import cxdocs.content`` (say, in a project plugin written for 0.1) gets a module that hands out
the names of ``cxdocs.core.content`` and warns once that the path moved; new code imports from
``cxdocs`` itself.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types
import warnings

MOVED = {
    "errors": "core.errors", "source": "core.source", "audience": "core.audience",
    "includes": "core.includes", "variables": "core.variables", "placeholders": "core.placeholders",
    "fences": "core.fences", "faq": "core.faq", "content": "core.content", "settings": "core.settings",
    "targets": "core.targets", "render": "core.render", "languages": "core.languages",
    "labels": "core.labels", "navigation": "core.navigation", "structured_data": "core.structured_data",
    "translations": "core.translations", "clock": "core.clock", "plugins": "core.plugins",
    "hookspecs": "core.hookspecs", "checks": "builtins.checks", "responses": "builtins.responses",
    "packs": "outputs.packs", "export": "outputs.export", "guard": "outputs.guard",
    "health": "outputs.health", "exporters": "outputs.exporter",
    "exporters.zendesk": "builtins.exporters.zendesk", "exporters.freshdesk": "builtins.exporters.freshdesk",
    "exporters.helpscout": "builtins.exporters.helpscout", "exporters.liveagent": "builtins.exporters.liveagent",
    "exporters.django_helpdesk": "builtins.exporters.django_helpdesk",
    "sop": "builtins.sop", "faq_schema": "builtins.faq_schema",
    "mkdocs_plugin": "adapters.mkdocs.plugin", "cli": "app.cli", "build": "app.build",
}
"""Old module (below ``cxdocs.``) -> where it lives now."""

REMOVED_IN = "0.3"


class _OldPath(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path=None, target=None):
        if fullname.startswith("cxdocs.") and fullname[len("cxdocs."):] in MOVED:
            return importlib.util.spec_from_loader(fullname, self, is_package=fullname == "cxdocs.exporters")
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        new = "cxdocs." + MOVED[module.__name__[len("cxdocs."):]]
        warnings.warn(
            f"{module.__name__} moved to {new} (import what a plugin needs from cxdocs itself); "
            f"the old path goes in cxdocs {REMOVED_IN}",
            DeprecationWarning,
            stacklevel=2,
        )
        real = importlib.import_module(new)
        names = getattr(real, "__all__", None) or [n for n in vars(real) if not n.startswith("__")]
        module.__dict__.update({name: getattr(real, name) for name in names if hasattr(real, name)})
        module.__doc__ = real.__doc__
        module.__getattr__ = lambda name: getattr(real, name)  # names added to the real module later


def install() -> None:
    if not any(isinstance(finder, _OldPath) for finder in sys.meta_path):
        sys.meta_path.append(_OldPath())
