"""Markdown converted once per build: a page the public site and the handbook show alike.

Each target is its own MkDocs build in its own process, and a public page without internal blocks
reaches the handbook with the same Markdown. Its conversion (HTML and table of contents) is kept in
a folder of the build's staging area, and the second target reads it instead of converting again.

Only pages without relative links are shared between targets: MkDocs resolves those against the
files of the target, and a link to an SOP resolves in the handbook but not on the public site. A
conversion keeps the warnings MkDocs logged while converting (a broken link), and whoever reads it
logs them again, so each target says its own warnings.

With the build cache (``cxdocs build``), every page's conversion is kept there instead, for the
other targets and the next build: a page with relative links is then keyed by the target's files
(path, address, inclusion), which its links are resolved against.

MkDocs internals it relies on: ``Page.render`` sets ``content``, ``toc``, ``present_anchor_ids``,
``links_to_anchors`` and the private ``_title_from_render``, which a restored page must have too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import re
from pathlib import Path
from types import MethodType

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from cxdocs.adapters.mkdocs.speedups import markdown_reuse
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
    def __init__(self, config, folder: Path | None, cache: Cache | None = None):
        """``folder``: where the targets of this build share conversions; ``cache``: the build
        cache, which keeps every page's conversion for the next build too (and then the folder is
        not used)."""
        self.folder, self.cache = folder, cache
        if cache is None and folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self.setup = digest(stable((config["markdown_extensions"], config["mdx_configs"] or {})))
        self.scope = digest(str(config["site_dir"]))
        self.hits = self.misses = 0

    def index(self, files) -> None:
        """The target's files, known once MkDocs has them: a page's relative links are resolved
        against them, so they are part of the key of a page that has such links."""
        self.scope = digest(*sorted(
            f"{f.src_uri}\0{f.url}\0{f.dest_uri}\0{f.inclusion}\0{f.is_documentation_page()}" for f in files
        ))

    def attach(self, page: Page) -> None:
        """Make ``page.render`` read a conversion another target did, or do it and keep it."""
        page.render = MethodType(lambda page, config, files: self._render(page, config, files), page)

    def _key(self, page: Page) -> tuple[str, bool]:
        markdown = page.markdown or ""
        shared = qualifies(markdown)
        parts = [self.setup, page.file.src_uri, page.url, markdown] + ([] if shared else [self.scope])
        return digest(*parts), shared

    def _render(self, page: Page, config, files) -> None:
        key, shared = self._key(page)
        if self.cache is not None:
            state = self.cache.get_object(LAYER, key, STATE_CLASSES)
        else:
            state = _read(self.folder / f"{key}.pickle") if shared else None
        if state is not None:
            _restore(page, state, files)
            self.hits += 1
            return
        self.misses += 1
        if self.cache is not None:
            self.cache.put_object(LAYER, key, _convert(page, config, files))
        elif not shared:  # nobody else reads it: converted here, as MkDocs would
            markdown_reuse.render(page, config, files)
        else:
            _write(self.folder / f"{key}.pickle", _convert(page, config, files))


def _convert(page: Page, config, files) -> tuple:
    """Convert ``page`` and return its state, with the warnings logged meanwhile."""
    with recording() as recorder:
        config._current_page = page
        markdown_reuse.render(page, config, files)
    links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
    return page.content, page.toc, page._title_from_render, page.present_anchor_ids, links, recorder.said


def _restore(page: Page, state: tuple, files) -> None:
    page.content, page.toc, page._title_from_render, page.present_anchor_ids, links, said = state
    targets = {uri: files.get_file_from_path(uri) for uri in links}
    page.links_to_anchors = {targets[uri]: anchors for uri, anchors in links.items() if targets[uri] is not None}
    say_again(said)


def _read(path: Path) -> tuple | None:
    try:
        with path.open("rb") as stream:
            return pickle.load(stream)
    except (OSError, EOFError, pickle.UnpicklingError):
        return None


def _write(path: Path, state: tuple) -> None:
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    with partial.open("wb") as stream:
        pickle.dump(state, stream, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)  # whole or absent: another process never reads half a file


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
