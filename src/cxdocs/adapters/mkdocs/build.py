"""One cxdocs target built by MkDocs: loading the project's MkDocs configuration, running the build."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError

from cxdocs.adapters.mkdocs.plugin import CxdocsPlugin, CxdocsPluginError
from cxdocs.adapters.mkdocs.speedups.page_split import pages_split_by
from cxdocs.adapters.mkdocs.speedups.second_core import GuardBeside, core_left_idle
from cxdocs.core.config import read_config
from cxdocs.core.content import Project
from cxdocs.core.errors import CxdocsError
from cxdocs.core.targets import Target


def load_mkdocs(config_file: Path, checked: bool = False, **overrides):
    """The project's MkDocs config and its cxdocs plugin instance.

    mkdocs.yml is read by the core first (unless ``checked``: the caller just did), so its
    mistakes read the same as in ``cxdocs check``, never as MkDocs' or a traceback.
    """
    if not checked:
        read_config(config_file)
    try:
        with _quiet_mkdocs():
            config = load_config(config_file=str(config_file), **overrides)
    except (Abort, ConfigurationError) as exc:
        raise CxdocsError(f"invalid configuration: {exc}", config_file) from None
    plugin = next((p for p in config.plugins.values() if isinstance(p, CxdocsPlugin)), None)
    if plugin is None:
        raise CxdocsError("the cxdocs plugin is not enabled: add 'cxdocs' under 'plugins:'", config_file)
    return config, plugin


def build_target(
    config_file: Path,
    project: Project,
    target: Target,
    out: Path,
    strict: bool,
    page_done: Callable[[], None] | None = None,
    second_core: bool = False,
    guard_beside: GuardBeside | None = None,
    share_conversions: bool = True,
) -> int:
    """Build one target with MkDocs into ``out``; returns the number of pages written.
    ``share_conversions``: other targets of the build read the Markdown conversions it writes."""
    config, plugin = load_mkdocs(config_file, checked=True, site_dir=str(out), strict=strict)
    plugin.project = project
    plugin.second_core = second_core
    plugin.guard_beside = guard_beside
    plugin.forced_target = target
    plugin.conversions_dir = out.parent.parent / "conversions" if share_conversions else None
    if page_done is not None:
        plugin.count_page = page_done
    try:
        with _quiet_mkdocs(), pages_split_by(plugin):
            mkdocs_build(config)
    except Abort as exc:
        raise _cause(exc, target) from None
    except CxdocsError:
        raise
    except Exception as exc:  # a theme or extension failure: say which target, without a traceback
        raise CxdocsError(f"building {target} failed: {type(exc).__name__}: {exc}") from None
    finally:  # before the staging folder it writes to is removed, also on Ctrl-C
        plugin.stop_second_core()
    return len(plugin.rendered) + len(plugin.site.generated)


def _cause(exc: Abort, target: Target) -> CxdocsError:
    cause = exc.__context__
    while cause is not None:
        if isinstance(cause, CxdocsPluginError):
            return cause.error
        if isinstance(cause, PluginError):
            return CxdocsError(str(cause))
        cause = cause.__context__
    return CxdocsError(f"building {target} failed: {exc}")


class _quiet_mkdocs:
    """MkDocs logs an error before aborting; cxdocs reports errors itself, once, as ``path:line``."""

    def __enter__(self):
        self.logger = logging.getLogger("mkdocs.commands.build")
        self.filter = lambda record: record.levelno < logging.ERROR
        self.logger.addFilter(self.filter)
        return self

    def __exit__(self, *exc):
        self.logger.removeFilter(self.filter)
        return False


__all__ = ["GuardBeside", "build_target", "core_left_idle", "load_mkdocs"]
