"""The target ``cxdocs serve`` shows: built in full once, then kept current one change at a time.

Full builds go to the one of two folders that is not being served, and the server switches to it
only when the build succeeded, so a failed build leaves the last good site in place. Between full
builds a change is shown by rendering only the pages it affects (:mod:`cxdocs.adapters.mkdocs.changes`,
:mod:`cxdocs.adapters.mkdocs.speedups.pagebuild`); whatever one-page updates cannot show exactly is a full build.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from cxdocs.adapters.mkdocs.build import _cause, _quiet_mkdocs, load_mkdocs
from cxdocs.adapters.mkdocs.changes import FullBuild, Plan, content_files, plan_update
from cxdocs.adapters.mkdocs.plugin import CxdocsPlugin
from cxdocs.adapters.mkdocs.speedups.pagebuild import SearchState, render_again, search_plugin
from cxdocs.core.errors import CxdocsError, display_path
from cxdocs.core.targets import Target, parse_target
from cxdocs.outputs.liveguard import LiveGuard

Report = Callable[[str], None]


@dataclass
class Built:
    """A finished full build of the target, kept in memory for one-page updates."""

    config: MkDocsConfig
    plugin: CxdocsPlugin
    site_dir: Path
    known: set[Path]
    """The content files the build read or copied: a file not among them is new."""
    searched: SearchState | None
    incremental: bool
    """False when the project uses a MkDocs plugin whose events a one-page update would not run in full."""
    stale: bool = False
    """An update stopped halfway: memory no longer matches the served files, the next change builds in full."""

    @property
    def target(self) -> Target:
        return self.plugin.target


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

    @property
    def site_dir(self) -> Path:
        assert self.built is not None
        return self.built.site_dir

    def full_build(self) -> Built:
        """Build the whole target into the folder not being served; raises CxdocsError, leaving the old one."""
        outputs = (self.workdir / "site-a", self.workdir / "site-b")
        out = outputs[1] if self.built is not None and self.built.site_dir == outputs[0] else outputs[0]
        config, plugin = load_mkdocs(self.config_file, site_dir=str(out))
        settings = plugin.settings_for(config)
        target = parse_target(f"{self.audience}:{self.lang or ''}".rstrip(":"), settings.languages)
        config.site_url = self.serve_url  # as `mkdocs serve` does: links and canonical URLs work locally
        plugin.forced_target = target
        plugin.serving = True
        plugin.make_guard = LiveGuard
        try:
            with _quiet_mkdocs():
                mkdocs_build(config, serve_url=self.serve_url)
        except Abort as exc:
            raise _cause(exc, target) from None
        except CxdocsError:
            raise
        except Exception as exc:  # a theme or extension failure, said in one line
            raise CxdocsError(f"building {target} failed: {type(exc).__name__}: {exc}") from None
        search = search_plugin(config)
        self.built = Built(
            config,
            plugin,
            out,
            content_files(Path(config.docs_dir)),
            SearchState.of(search) if search is not None else None,
            incremental=_drivable(config),
        )
        self.pending, self.deferred = set(), {}
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
            if not built.incremental:
                raise FullBuild("the project uses MkDocs plugins besides search and cxdocs")
            plan = plan_update(built.plugin, paths, built.known)
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
        return Outcome(bool(written), deferred=bool(self.deferred))

    def finish(self) -> Outcome:
        """Render the pages an update left for later: those that gather the edited pages.

        A topic's listing holds every question of the topic, the home page the first ones, a
        department's printable page all its SOPs in full: rendering them costs more than the
        edited page itself (a printable page of 70 SOPs about a second), so the edited page is
        shown first and they follow. Files are replaced whole, so the server answers requests
        meanwhile.
        """
        if not self.deferred or self.built is None or self.built.stale:
            self.deferred = {}
            return Outcome(False)
        started = time.monotonic()
        built, sources, self.deferred = self.built, self.deferred, {}
        assert built is not None
        try:
            written = self._render(built, sources)
        except Exception as exc:
            built.stale = True
            self.report(f"update failed: {type(exc).__name__}: {exc}")
            return Outcome(False)
        self.report(f"{', '.join(sorted(sources))}: updated in {time.monotonic() - started:.2f} s")
        return Outcome(bool(written))

    def _apply(self, built: Built, plan: Plan) -> list[str]:
        """Put the plan's pages into the project, the guard and the site; render what changed."""
        if not plan.replaced:
            return []
        plugin, project = built.plugin, built.plugin.project
        guard = getattr(plugin, "guard", None) if built.target.is_public else None
        built.stale = True  # until every step below is done
        position = {page.uri: i for i, page in enumerate(project.pages)}
        for old, new in plan.replaced:
            project.pages[position[old.uri]] = new
            if guard is not None and not guard.replace_page(old, new):
                raise FullBuild(f"{display_path(old.path)}: its address changed")
        plugin.rendered, plugin.site = plan.rendered, plan.site
        plugin.by_uri = {r.page.uri: r for r in plan.rendered}
        if guard is not None:
            guard.replace_generated(plugin.generated_text())
        now = {uri: source for uri, source in plan.sources.items() if uri in plan.own}
        written = self._render(built, now) if now else []
        self.deferred = {uri: source for uri, source in plan.sources.items() if uri not in now}
        built.stale = False
        return written

    def _render(self, built: Built, sources: dict[str, str]) -> list[str]:
        guard = getattr(built.plugin, "guard", None) if built.target.is_public else None
        return render_again(built.config, built.plugin, sources, self.workdir / "staging", built.searched, guard)

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
        pages = len(built.plugin.rendered) + len(built.plugin.site.generated)
        self.report(f"built {built.target}: {pages} pages in {time.monotonic() - started:.1f} s")
        return Outcome(True, full=True)


def _drivable(config: MkDocsConfig) -> bool:
    """Whether every MkDocs plugin of the project is one a one-page update knows how to drive."""
    from material.plugins.search.plugin import SearchPlugin

    return all(isinstance(p, (CxdocsPlugin, SearchPlugin)) for p in config.plugins.values())
