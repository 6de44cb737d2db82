"""A page's Markdown conversion kept in the build cache, for the other targets and the next build.

Each target is its own MkDocs build, and a public page without internal blocks reaches the
handbook with the same Markdown; a page an edit did not touch has the same Markdown in the next
build. Its conversion (HTML, table of contents, anchors, the warnings MkDocs logged while
converting it, said again by whoever reads it) is kept under a key of its Markdown, address and
the Markdown extensions' settings. A page with a link MkDocs resolves against the target's files
(a link to an SOP resolves in the handbook but not on the public site) is keyed by those files too.
Without the build cache (``--no-cache``) every target converts its pages, as MkDocs does: sharing
them through files cost more than it saved (benchmarks/results/2026-12-03-speedups.md).

MkDocs internals it relies on: ``Page.render`` sets ``content``, ``toc``, ``present_anchor_ids``,
``links_to_anchors`` and the private ``_title_from_render``, which a restored page must have too.
"""

from __future__ import annotations

import contextlib
import logging
import re
from types import MethodType

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from cxdocs.core.cache import Cache, digest, stable

LINK = re.compile(r"\]\(\s*<?([^)\s>]*)|^[ \t]{0,3}\[[^\]]+\]:[ \t]*<?(\S*)|\b(?:href|src)\s*=", re.M)
ABSOLUTE = ("http://", "https://", "mailto:", "tel:")
LAYER = "conversion"
STATE_CLASSES = (TableOfContents, AnchorLink)
"""What a conversion's state is built of, besides plain data."""


def qualifies(markdown: str) -> bool:
    """No link or image whose target MkDocs would resolve against the target's files."""
    for match in LINK.finditer(markdown):
        target = match[1] if match[1] is not None else match[2]
        if target is None or not target.startswith(ABSOLUTE):
            return False
    return True


class ConversionCache:
    def __init__(self, config, cache: Cache, reuse=None):
        """``cache``: the build cache; ``reuse``: the ``markdown_reuse`` speed-up, when it is on."""
        self.cache = cache
        self.convert_page = reuse.render if reuse is not None else Page.render
        try:
            self.setup = digest(stable((config["markdown_extensions"], config["mdx_configs"] or {})))
        except TypeError:  # an extension setting with no stable text (a `!relative` path): every page is converted
            self.setup = None
        self.scope = digest(str(config["site_dir"]))
        self.hits = self.misses = 0

    def index(self, files) -> None:
        """The target's files, known once MkDocs has them: a page's relative links are resolved
        against them, so they are part of the key of a page that has such links."""
        self.scope = digest(*sorted(
            f"{f.src_uri}\0{f.url}\0{f.dest_uri}\0{f.inclusion}\0{f.is_documentation_page()}" for f in files
        ))

    def attach(self, page: Page) -> None:
        """Make ``page.render`` read the page's conversion from the cache, or do it and keep it."""
        page.render = MethodType(lambda page, config, files: self._render(page, config, files), page)

    def _key(self, page: Page) -> str:
        markdown = page.markdown or ""
        parts = [self.setup, page.file.src_uri, page.url, markdown] + ([] if qualifies(markdown) else [self.scope])
        return digest(*parts)

    def _render(self, page: Page, config, files) -> None:
        if self.setup is None:
            self.misses += 1
            self.convert_page(page, config, files)
            return
        key = self._key(page)
        state = self.cache.get_object(LAYER, key, STATE_CLASSES)
        if state is not None:
            _restore(page, state, files)
            self.hits += 1
            return
        self.misses += 1
        self.cache.put_object(LAYER, key, self._convert(page, config, files))

    def _convert(self, page: Page, config, files) -> tuple:
        """Convert ``page`` and return its state, with the warnings logged meanwhile."""
        with recording() as recorder:
            config._current_page = page
            self.convert_page(page, config, files)
        links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
        return page.content, page.toc, page._title_from_render, page.present_anchor_ids, links, recorder.said


def _restore(page: Page, state: tuple, files) -> None:
    page.content, page.toc, page._title_from_render, page.present_anchor_ids, links, said = state
    targets = {uri: files.get_file_from_path(uri) for uri in links}
    page.links_to_anchors = {targets[uri]: anchors for uri, anchors in links.items() if targets[uri] is not None}
    say_again(said)


@contextlib.contextmanager
def recording():
    """Record the warnings logged meanwhile, for the targets that read the conversion to say them too."""
    recorder = Recorder()
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    saved = [(logger, logger.handlers) for logger in loggers]
    for logger in loggers:
        logger.handlers = [*logger.handlers, recorder]
    try:
        yield recorder
    finally:
        for logger, handlers in saved:
            logger.handlers = handlers


def say_again(said: list[tuple[str, int, str]]) -> None:
    for name, level, message in said:
        logging.getLogger(name).log(level, message)


class Recorder(logging.Handler):
    """The warnings a conversion logs, once each (a record can pass the root and the mkdocs logger)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.said: list[tuple[str, int, str]] = []
        self.seen: set[int] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if id(record) not in self.seen:
            self.seen.add(id(record))
            self.said.append((record.name, record.levelno, record.getMessage()))
