"""``cxdocs plugins``: the plugins a project loads, where each comes from, and the hooks it implements."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pluggy

from cxdocs.core.plugins import DEFAULT_PLUGINS, PROJECT_PREFIX


@dataclass
class Loaded:
    name: str
    source: str
    """``default`` (cxdocs' own), ``project`` (a plugins/*.py file) or the installed distribution's name."""
    hooks: list[str]
    version: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def loaded_plugins(pm: pluggy.PluginManager) -> list[Loaded]:
    """Every plugin of ``pm`` in the order it was registered, with the hooks it implements."""
    distributions = {id(plugin): dist for plugin, dist in pm.list_plugin_distinfo()}
    loaded = []
    for name, plugin in pm.list_name_plugin():
        hooks = sorted(caller.name for caller in pm.get_hookcallers(plugin) or [])
        dist = distributions.get(id(plugin))
        if name in DEFAULT_PLUGINS:
            loaded.append(Loaded(name, "default", hooks))
        elif name.startswith(PROJECT_PREFIX):
            loaded.append(Loaded(name[len(PROJECT_PREFIX):], "project", hooks))
        elif dist is not None:
            loaded.append(Loaded(name, dist.project_name, hooks, dist.version))
        else:
            loaded.append(Loaded(name, "registered", hooks))
    return loaded


def describe(plugins: list[Loaded]) -> list[str]:
    """One line per plugin: its name, where it comes from, its hooks."""
    width = max((len(p.name) for p in plugins), default=0)
    lines = []
    for plugin in plugins:
        source = f"{plugin.source} {plugin.version}" if plugin.version else plugin.source
        lines.append(f"{plugin.name:<{width}}  {source:<8}  {', '.join(plugin.hooks)}")
    return lines
