"""The state of one target's MkDocs build, in one object the caller owns and hands to the plugin.

MkDocs makes the plugin from ``mkdocs.yml``; ``cxdocs build`` and ``cxdocs serve`` cannot pass it
arguments. They make a :class:`TargetBuild` and hand it over for the length of one MkDocs build
(:func:`handed`); the plugin reads it in ``on_config`` and writes what it builds into it, where
the caller finds it afterwards (``cxdocs serve`` updates pages from it). A plain ``mkdocs build``
hands nothing, and the plugin makes its own from its options.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from cxdocs.core.content import Project
from cxdocs.core.navigation import Site
from cxdocs.core.render import Rendered
from cxdocs.core.targets import Target
from cxdocs.outputs.guard import guard_for_target


@dataclass
class TargetBuild:
    """One audience in one language, built by MkDocs."""

    project: Project | None = None
    """The loaded (and checked) project; None: the plugin loads it (a plain ``mkdocs build``)."""
    target: Target | None = None
    """None: the plugin's options (``audience``, ``lang``) or CXDOCS_AUDIENCE / CXDOCS_LANG choose."""
    page_done: Callable[[], None] = lambda: None
    """Called after each content page is rendered (the progress line)."""
    make_guard: Callable[..., Any] = guard_for_target
    """Makes the public leak guard; ``cxdocs serve`` uses one it can update page by page."""
    serve_url: str | None = None
    """The local address ``cxdocs serve`` shows the target at: links and canonical URLs point there."""
    plain_mkdocs: bool = False
    """Nobody handed this state over: a plain ``mkdocs build`` or ``mkdocs serve`` runs the plugin."""
    cache: Any = None
    """The build cache (:class:`cxdocs.core.cache.Cache`) pages and conversions are kept in; None: none."""
    in_site: bool = False
    """``cxdocs build``: a language other than the default goes below the site's root, whose copy
    of the theme's files it uses (see ``shared_assets``)."""
    index_later: bool = False
    """``cxdocs build``, a large target: its search index is made once every target's pages are
    written (see ``indexing``), not by the build that wrote them: Pagefind holds all of a target's
    pages in memory (2 GiB for a handbook of 10,000 pages), and beside the workers' builds it would
    add to their memory."""

    # What the build makes, for the caller after it:
    rendered: list[Rendered] = field(default_factory=list)
    site: Site | None = None
    site_nav: list | None = None
    """The navigation the site's pages made (MkDocs' ``nav`` setting), to tell whether an edit changes it."""
    by_uri: dict[str, Rendered] = field(default_factory=dict)
    jsonld: dict[str, str] = field(default_factory=dict)
    """The structured data of each public page, as ``<script>`` elements, by its path below the content."""
    versions: dict[str, list] = field(default_factory=dict)
    """Each page's versions in every language (links of the language switcher and hreflang)."""
    guard: Any = None
    config: Any = None
    """MkDocs' configuration of the finished build."""
    nav: Any = None
    files: Any = None
    env: Any = None
    frame: dict[str, str] = field(default_factory=dict)
    """The words around every page (site name, footer, contact block, ...) in the target's language."""
    contact: dict[str, str] | None = None
    """The team's contact details the public pages show."""
    revisions: Any = None
    shared_assets: Any = None
    restored: bool = False
    """The target's files were taken whole from the build cache (nothing it reads had changed)."""
    target_key: str | None = None
    """The key of everything the target's build reads (see ``target_cache``); None: not cached."""
    restored_files: dict | None = None
    """A target taken from the cache: its files' manifest (``target_cache.restore``)."""
    digests: dict[str, str] = field(default_factory=dict)
    """The SHA-256 of the pages linked from the cache's store of files, by their place in the target
    (named by the store): the steps that keep the target need not read them to know."""
    unindexed: Any = None
    """With ``index_later``: what indexing the written target needs (``indexing.Unindexed``)."""

    @property
    def pages_written(self) -> int:
        return len(self.rendered) + (len(self.site.generated) if self.site is not None else 0)

    def generated_text(self) -> list[str]:
        """The generated pages' text and the words around every page: public by construction, part
        of the leak guard's reference."""
        generated = self.site.generated.values() if self.site is not None else ()
        frame = [*self.frame.values(), *(self.contact or {}).values()]
        return [g.markdown for g in generated] + [g.title for g in generated] + frame


_HANDED: ContextVar[TargetBuild | None] = ContextVar("cxdocs_target_build", default=None)


@contextlib.contextmanager
def handed(build: TargetBuild) -> Iterator[TargetBuild]:
    """Hand ``build`` to the cxdocs plugin of the MkDocs build run inside this block."""
    token = _HANDED.set(build)
    try:
        yield build
    finally:
        _HANDED.reset(token)


def taken() -> TargetBuild:
    """What the caller handed over, or a new state for a plain ``mkdocs build``."""
    return _HANDED.get() or TargetBuild(plain_mkdocs=True)
