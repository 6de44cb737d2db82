"""One cxdocs target built by MkDocs: loading the project's MkDocs configuration, running the build."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.utils import CountHandler

from cxdocs.adapters.mkdocs import pagefind_index, target_cache
from cxdocs.adapters.mkdocs.indexing import Unindexed
from cxdocs.adapters.mkdocs.plugin import CxdocsPlugin, CxdocsPluginError, theme_comments
from cxdocs.adapters.mkdocs.state import TargetBuild, handed
from cxdocs.adapters.mkdocs.target_cache import TargetRestored
from cxdocs.core.config import read_config
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
        with quiet_mkdocs():
            config = load_config(config_file=str(config_file), **overrides)
    except (Abort, ConfigurationError) as exc:
        raise CxdocsError(f"invalid configuration: {exc}", config_file) from None
    plugin = next((p for p in config.plugins.values() if isinstance(p, CxdocsPlugin)), None)
    if plugin is None:
        raise CxdocsError("the cxdocs plugin is not enabled: add 'cxdocs' under 'plugins:'", config_file)
    return config, plugin


def build_target(config_file: Path, build: TargetBuild, out: Path, strict: bool = False, **overrides) -> TargetBuild:
    """Build ``build.target`` with MkDocs into ``out``; the state comes back filled in."""
    config, plugin = load_mkdocs(config_file, checked=True, site_dir=str(out), strict=strict, **overrides)
    if build.cache is not None:
        build.cache.used = set()  # what this target's build reads and writes (a worker's own copy)
    try:
        with quiet_mkdocs(plugin.quiet), handed(build), _warnings_counted() as warned:
            try:
                mkdocs_build(config, serve_url=build.serve_url)
            except TargetRestored:
                build.restored = True
                plugin.restored(config)
            else:
                kept = build.target_key is not None and not warned.get_counts()
                if build.index_later:
                    build.unindexed = _unindexed(build, config, out, kept)
                elif kept:
                    target_cache.store(build.cache, build.target_key, out, build.cache.used, build.digests)
    except Abort as exc:
        raise cause(exc, build.target) from None
    except CxdocsError:
        raise
    except Exception as exc:  # a theme or extension failure: say which target, without a traceback
        raise CxdocsError(f"building {build.target} failed: {type(exc).__name__}: {exc}") from None
    build.config = config
    return build


def _unindexed(build: TargetBuild, config, out: Path, kept: bool) -> Unindexed:
    public = build.target.is_public
    return Unindexed(
        out, build.target, pagefind_index.chosen(config), config.site_url or "",
        build.generated_text() if public else [], theme_comments(config) if public else frozenset(),
        build.target_key if kept else None, set(build.cache.used) if kept else set(), build.digests,
    )


def cause(exc: Abort, target: Target | None) -> CxdocsError:
    """The cxdocs error behind MkDocs' abort, or MkDocs' own words."""
    error = exc.__context__
    while error is not None:
        if isinstance(error, CxdocsPluginError):
            return error.error
        if isinstance(error, PluginError):
            return CxdocsError(str(error))
        error = error.__context__
    return CxdocsError(f"building {target} failed: {exc}")


@contextlib.contextmanager
def _warnings_counted() -> Iterator[CountHandler]:
    """Counts what MkDocs and its plugins warn of during one build (MkDocs' own counter, as for
    ``--strict``): a target that warned is not kept whole in the cache (a restored one would not
    warn, and ``--strict`` would not fail)."""
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        yield counter
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)


class quiet_mkdocs:  # noqa: N801 - used as a context manager, like a function
    """MkDocs logs an error before aborting; cxdocs reports errors itself, once, as ``path:line``."""

    def __init__(self, also=None):
        self.also = also
        """Another filter for the build's words."""

    def __enter__(self):
        self.logger = logging.getLogger("mkdocs.commands.build")
        self.filter = lambda record: record.levelno < logging.ERROR and (self.also is None or self.also(record))
        self.logger.addFilter(self.filter)
        return self

    def __exit__(self, *exc):
        self.logger.removeFilter(self.filter)
        return False
