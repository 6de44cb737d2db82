"""The target ``cxdocs serve`` shows: built in full once, then kept current one change at a time.

Full builds go to the one of two folders that is not being served, and the server switches to it
only when the build succeeded, so a failed build leaves the last good site in place. Between full
builds a change is shown by rendering only the pages it affects (:mod:`cxdocs.adapters.mkdocs.changes`,
:mod:`cxdocs.adapters.mkdocs.speedups.pagebuild`); whatever one-page updates cannot show exactly is a full build.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from cxdocs.adapters.mkdocs import pagefind_index, speedups
from cxdocs.adapters.mkdocs.build import build_target, load_mkdocs
from cxdocs.adapters.mkdocs.changes import FullBuild, Plan, content_files, plan_update
from cxdocs.adapters.mkdocs.plugin import CxdocsPlugin
from cxdocs.adapters.mkdocs.state import TargetBuild
from cxdocs.core.errors import CxdocsError, display_path
from cxdocs.core.targets import Target, parse_target
from cxdocs.outputs.liveguard import LiveGuard

Report = Callable[[str], None]


@dataclass
class Built:
    """A finished full build of the target, kept in memory for one-page updates."""

    config: MkDocsConfig
    state: TargetBuild
    site_dir: Path
    known: set[Path]
    """The content files the build read or copied: a file not among them is new."""
    searched: object | None
    """The theme's search index of the build, kept by the one-page updates (``speedups.pagebuild``)."""
    pagefind: bool
    """Search is Pagefind's: after an update the whole target is indexed again (it has no one-page update)."""
    incremental: str | None
    """Why one-page updates cannot show changes (every change is then a full build), or None."""
    stale: bool = False
    """An update stopped halfway: memory no longer matches the served files, the next change builds in full."""

    @property
    def target(self) -> Target:
        return self.state.target


@dataclass
class Outcome:
    shown: bool
    """The served site changed: browsers reload."""
    full: bool = False
    deferred: bool = False
    """Pages that gather the edited ones are still to be rendered: call ``finish`` (requests need not wait)."""


@dataclass
class Preview:
    config_file: Path
    audience: str
    lang: str | None
    serve_url: str
    workdir: Path
    report: Report = lambda message: None
    built: Built | None = None
    pending: set[Path] = field(default_factory=set)
    """Changed files not shown yet because of an error: tried again with the next change."""
    deferred: dict[str, str] = field(default_factory=dict)
    """Pages to render after the edited ones are shown (see ``finish``)."""
    reindex: bool = False
    """Pages changed since Pagefind last indexed the target (see ``finish``)."""

    @property
    def site_dir(self) -> Path:
        assert self.built is not None
        return self.built.site_dir

    def full_build(self) -> Built:
        """Build the whole target into the folder not being served; raises CxdocsError, leaving the old one."""
        outputs = (self.workdir / "site-a", self.workdir / "site-b")
        out = outputs[1] if self.built is not None and self.built.site_dir == outputs[0] else outputs[0]
        config, plugin = load_mkdocs(self.config_file)
        settings = plugin.settings_for(config)
        target = parse_target(f"{self.audience}:{self.lang or ''}".rstrip(":"), settings.languages)
        state = build_target(
            self.config_file, TargetBuild(target=target, make_guard=LiveGuard, serve_url=self.serve_url), out
        )
        config = state.config
        pagebuild = speedups.load("pagebuild") if plugin.config.speedups else None
        pagefind = pagefind_index.chosen(config)
        search = pagebuild.search_plugin(config) if pagebuild is not None and not pagefind else None
        self.built = Built(
            config,
            state,
            out,
            content_files(Path(config.docs_dir)),
            pagebuild.SearchState.of(search) if search is not None else None,
            pagefind,
            incremental=_why_not_incremental(config, pagebuild),
        )
        self.pending, self.deferred, self.reindex = set(), {}, False
        return self.built

    def update(self, changed: Iterable[Path]) -> Outcome:
        """Show what changed; errors are reported and the last good output stays served."""
        self.finish()
        started = time.monotonic()
        paths = {Path(p) for p in changed} | self.pending
        built = self.built
        assert built is not None
        try:
            if built.stale:
                raise FullBuild("the previous update did not finish")
            if built.incremental is not None:
                raise FullBuild(built.incremental)
            plan = plan_update(built.state, paths, built.known)
            for finding in plan.errors:
                self.report(str(finding))
            self.pending = plan.failed
            written = self._apply(built, plan)
        except FullBuild as why:
            return self._rebuild(str(why), paths, started)
        except CxdocsError as exc:
            self.report(str(exc))
            return Outcome(False)
        except Exception as exc:  # a template or Markdown extension failing on the new text
            built.stale = True
            self.report(f"update failed: {type(exc).__name__}: {exc}")
            return Outcome(False)
        edited = ", ".join(display_path(path) for path in plan.edited)
        if written:
            self.report(f"{edited}: {len(written)} file(s) updated in {time.monotonic() - started:.2f} s")
        elif plan.replaced:
            self.report(f"{edited}: no page of {built.target} changed")
        self.reindex = self.reindex or (built.pagefind and bool(written))
        return Outcome(bool(written), deferred=bool(self.deferred) or self.reindex)

    def finish(self) -> Outcome:
        """Render the pages an update left for later: those that gather the edited pages.

        A topic's listing holds every question of the topic, the home page the first ones, a
        department's printable page all its SOPs in full: rendering them costs more than the
        edited page itself (a printable page of 70 SOPs about a second), so the edited page is
        shown first and they follow. Files are replaced whole, so the server answers requests
        meanwhile. With Pagefind, the target is then indexed again, as a full build indexes it.
        """
        if not (self.deferred or self.reindex) or self.built is None or self.built.stale:
            self.deferred, self.reindex = {}, False
            return Outcome(False)
        started = time.monotonic()
        built, sources, self.deferred = self.built, self.deferred, {}
        assert built is not None
        try:
            written = self._render(built, sources) if sources else []
            if sources:
                self.report(f"{', '.join(sorted(sources))}: updated in {time.monotonic() - started:.2f} s")
            if self.reindex:
                started = time.monotonic()
                self._index(built)
                self.reindex = False
                written.append(pagefind_index.BUNDLE)
                self.report(f"search index updated in {time.monotonic() - started:.2f} s")
        except CxdocsError as exc:
            built.stale = True
            self.report(str(exc))
            return Outcome(bool(sources))
        except Exception as exc:
            built.stale = True
            self.report(f"update failed: {type(exc).__name__}: {exc}")
            return Outcome(False)
        return Outcome(bool(written))

    def _apply(self, built: Built, plan: Plan) -> list[str]:
        """Put the plan's pages into the project, the guard and the site; render what changed."""
        if not plan.replaced:
            return []
        state, project = built.state, built.state.project
        guard = state.guard if built.target.is_public else None
        built.stale = True  # until every step below is done
        position = {page.uri: i for i, page in enumerate(project.pages)}
        for old, new in plan.replaced:
            project.pages[position[old.uri]] = new
            if guard is not None and not guard.replace_page(old, new):
                raise FullBuild(f"{display_path(old.path)}: its address changed")
        state.rendered, state.site = plan.rendered, plan.site
        state.revisions.edited(plan.edited)
        state.by_uri = {r.page.uri: r for r in plan.rendered}
        if guard is not None:
            guard.replace_generated(state.generated_text())
        now = {uri: source for uri, source in plan.sources.items() if uri in plan.own}
        written = self._render(built, now) if now else []
        self.deferred = {uri: source for uri, source in plan.sources.items() if uri not in now}
        built.stale = False
        return written

    def _render(self, built: Built, sources: dict[str, str]) -> list[str]:
        guard = built.state.guard if built.target.is_public else None
        pagebuild = speedups.load("pagebuild")
        return pagebuild.render_again(built.config, built.state, sources, self.workdir / "staging", built.searched, guard)

    def _index(self, built: Built) -> None:
        """Index the served target with Pagefind beside it, guard the index of a public one, swap it in."""
        fresh, retired = self.workdir / "search-index", self.workdir / "search-index-old"
        for folder in (fresh, retired):
            shutil.rmtree(folder, ignore_errors=True)
        pagefind_index.index_target(built.site_dir, built.target.lang, bundle=fresh / pagefind_index.BUNDLE)
        if built.target.is_public:
            leaks = built.state.guard.scan(fresh, built.config.site_url or "")
            if leaks:
                listing = "\n".join(f"  {leak}" for leak in leaks[:20])
                raise CxdocsError(f"search index not updated: internal content reached it\n{listing}")
        served = built.site_dir / pagefind_index.BUNDLE
        if served.exists():
            os.replace(served, retired)
        os.replace(fresh / pagefind_index.BUNDLE, served)
        shutil.rmtree(retired, ignore_errors=True)

    def _rebuild(self, reason: str, paths: set[Path], started: float) -> Outcome:
        self.report(f"full rebuild: {reason}")
        try:
            built = self.full_build()
        except CxdocsError as exc:
            for line in str(exc).splitlines():
                self.report(line)
            self.report("the preview still shows the last good build")
            self.pending = paths
            return Outcome(False, full=True)
        pages = built.state.pages_written
        self.report(f"built {built.target}: {pages} pages in {time.monotonic() - started:.1f} s")
        return Outcome(True, full=True)


def _why_not_incremental(config: MkDocsConfig, pagebuild) -> str | None:
    """Why a change cannot be shown by rendering only the pages it affects, or None when it can."""
    if pagebuild is None:
        return "one-page updates are off (speedups: false, or MkDocs internals other than the checked ones)"
    from material.plugins.search.plugin import SearchPlugin

    if not all(isinstance(p, (CxdocsPlugin, SearchPlugin)) for p in config.plugins.values()):
        return "the project uses MkDocs plugins besides search and cxdocs"
    return None
