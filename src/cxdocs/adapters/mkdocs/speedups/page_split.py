"""Writing the pages of a target built alone in two processes: the first half here, the rest beside.

Once Markdown is converted, writing pages through the theme is the longest part of a large build,
and page by page it depends on nothing another page does, but for the search index, to which every
page adds its entries. A process forked once the first page is written (the theme's templates are
then compiled, and both processes use them) writes the second half of the pages and hands back its
search entries and the warnings it logged; they are added after the first half's, which is where a
build in one process puts them, so the site is the same.

Only with the MkDocs plugins cxdocs knows (search, cxdocs): another plugin may keep state page by
page, which a second process would not hand back. cxdocs' own hooks all run before pages are written.
If the second process fails, the building process writes its pages itself.
"""

from __future__ import annotations

import contextlib
import inspect
import multiprocessing

import mkdocs.commands.build as mkdocs_build_module
from mkdocs.structure.files import InclusionLevel
from mkdocs.utils import is_error_template

from cxdocs.adapters.mkdocs.speedups.conversions import recording, say_again
from cxdocs.adapters.mkdocs.speedups.page_writer import writer_for
from cxdocs.adapters.mkdocs.speedups.second_core import GuardBeside, answer_of, stop

KNOWN_PLUGINS = {"search", "material/search", "cxdocs"}
SMALLEST = 60
"""Fewer pages than this are written faster by one process than the fork costs."""


def can_split(config, pages: int) -> bool:
    return _write_page is not None and pages >= SMALLEST and set(config.plugins) <= KNOWN_PLUGINS


class PageSplit:
    def __init__(self, config, files, nav, env, search, versions: dict, guard: GuardBeside | None = None):
        self.config, self.nav, self.env, self.search, self.versions = config, nav, env, search, versions
        self.guard = guard
        self.doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        self.theirs = self.doc_files[len(self.doc_files) // 2 :]
        self.beside = {id(f.page) for f in self.theirs}
        self.last = self.doc_files[-1].page
        self.process = None
        self.status = "waiting"

    def start(self) -> None:
        context = multiprocessing.get_context("fork")
        self.results = context.Queue()
        self.status = "running"
        self.process = context.Process(target=self._write_beside, daemon=True)
        self.process.start()

    def skips(self, page) -> bool:
        return id(page) in self.beside

    def _write_beside(self) -> None:
        before = len(self.search.search_index.entries) if self.search is not None else 0
        try:
            if self.guard is not None:
                self.guard.forked()
            with recording(quiet=True) as recorder:
                self._write_theirs()
            if self.guard is not None:
                self.guard.send()
            entries = self.search.search_index.entries[before:] if self.search is not None else []
            versions = {f.src_uri: self.versions.get(f.src_uri) for f in self.theirs}
            self.results.put(("ok", entries, recorder.said, versions))
        except BaseException:
            self.results.put(("failed", None, None, None))

    def _write_theirs(self) -> None:
        for file in self.theirs:
            _write_page(file.page, self.config, self.doc_files, self.nav, self.env,
                        excluded=file.inclusion.is_excluded())

    def join(self) -> None:
        """Wait for the second half; add its search entries and warnings, or write it here if it failed."""
        status, entries, said, versions = answer_of(self.process, self.results, ("failed", None, None, None))
        self.status = status
        if status != "ok":
            self._write_theirs()
            return
        if self.search is not None:
            self.search.search_index.entries.extend(entries)
        self.versions.update({uri: v for uri, v in versions.items() if v is not None})
        say_again(said)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


def _page_writer():
    """MkDocs' function that writes one page, if it is the one this module knows (MkDocs 1.6)."""
    function = getattr(mkdocs_build_module, "_build_page", None)
    try:
        known = list(inspect.signature(function).parameters) == [
            "page", "config", "doc_files", "nav", "env", "dirty", "excluded"]
    except (TypeError, ValueError):
        known = False
    return function if known else None


_mkdocs_build_page = _page_writer()
"""None with another MkDocs: every page is then written in one process, by MkDocs."""
_write_page = writer_for(_mkdocs_build_page)


@contextlib.contextmanager
def pages_split_by(plugin):
    """MkDocs' page loop, skipping the pages the plugin's split writes beside and joining it after the last.

    The theme's error page (``404.html``), which MkDocs writes before the pages, is written after
    this process's last page instead (``plugin.write_error_pages``): its navigation shows every
    section of the site, which the navigation cache then holds. Written first, it rendered every
    item of the navigation (a fifth of a second at 800 pages, in the building process alone).
    """
    real_theme_template = mkdocs_build_module._build_theme_template
    waiting: list[tuple] = []

    def build_theme_template(template_name, env, files, config, nav):
        if is_error_template(template_name):
            waiting.append((template_name, env, files, config, nav))
        else:
            real_theme_template(template_name, env, files, config, nav)

    def write_error_pages():
        while waiting:
            real_theme_template(*waiting.pop(0))

    def build_page(page, config, doc_files, nav, env, dirty=False, excluded=False):
        split = plugin.page_split
        if split is None or not split.skips(page):
            _write_page(page, config, doc_files, nav, env, dirty, excluded=excluded)
        if split is not None and split.process is None:
            split.start()
        if page is doc_files[-1].page:
            write_error_pages()
        if split is not None and page is split.last:
            plugin.page_split = None
            split.join()

    if _mkdocs_build_page is None:
        yield
        return
    mkdocs_build_module._build_page = build_page
    mkdocs_build_module._build_theme_template = build_theme_template
    plugin.write_error_pages = write_error_pages  # at the end of the build too, if no page was written
    try:
        yield
    finally:
        mkdocs_build_module._build_page = _mkdocs_build_page
        mkdocs_build_module._build_theme_template = real_theme_template
