"""What Pagefind is given to read of a written target: each page cut to what it indexes.

Pagefind parses every byte of every page, though it indexes only the article marked
``data-pagefind-body``, and a page's navigation, header, styles and scripts are most of its bytes.
A page cut to what Pagefind reads gives the same bundle, byte for byte (read from the same file
system: Pagefind follows the order it lists pages in), for up to a third less of Pagefind's CPU
time (a handbook's pages: benchmarks/results/2026-12-05-pagefind-staging.md): the ``<html>`` tag
(the page's language), the head's title (the whole head if a ``data-pagefind-*`` attribute is in
it), the ``<body>`` tag, and the marked article as written.

A page is given whole when cutting it could change what Pagefind reads: its marked element is not
an article, the article does not end where it seems to, or a ``data-pagefind-*`` attribute (a
filter, a piece of metadata, an ``ignore``) stands outside it, where Pagefind reads it too. Pages
with no mark are left out once one page has it: Pagefind ignores them then.

The pages are written to a folder of their own, removed once Pagefind has run; a page given whole
is a hard link to the written one where the file system allows.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

HEAD = re.compile(rb"<head\b[^>]*>")
HEAD_END = re.compile(rb"</head\s*>")
TITLE = re.compile(rb"<title\b[^>]*>.*?</title\s*>", re.DOTALL)
BODY = re.compile(rb"<body\b[^>]*>")
ARTICLE = re.compile(rb"<article\b[^>]*\bdata-pagefind-body\b[^>]*>")
ARTICLE_TAG = re.compile(rb"<(/?)article\b[^>]*>")
ATTRIBUTE = b"data-pagefind-"
MARK = b"data-pagefind-body"
RAW_TEXT = re.compile(rb"<(script|style|textarea|xmp|template|noscript|iframe|noembed|noframes)\b|<!--")
"""Where a page's text is not markup: an ``</article>`` there ends nothing."""


def cut(page: bytes, low: bytes | None = None) -> bytes | None:
    """The page as Pagefind needs it, or None: it is to be read whole. Read as bytes: in UTF-8
    (and any encoding a page declares in ASCII) no byte of another character is an ASCII one."""
    if low is None:
        low = page.lower()  # tags and attribute names in any case; bytes.lower changes ASCII letters only
    if low.count(b"<body") != 1 or low.count(MARK) != 1:
        return None  # a tag's name in a script's text, or a second mark: read as a browser reads it
    body = BODY.search(low)
    article = ARTICLE.search(low, body.end()) if body else None
    if article is None:
        return None
    depth, end = 0, None
    for tag in ARTICLE_TAG.finditer(low, article.start()):
        depth += -1 if tag[1] else 1
        if depth == 0:
            end = tag.end()
            break
    if end is None or _raw_text_hides_a_tag(low, article.start(), end):
        return None
    if low.find(ATTRIBUTE, body.end(), article.start()) >= 0 or low.find(ATTRIBUTE, end) >= 0:
        return None
    return _head(page, low, body.start()) + page[body.start():body.end()] + page[article.start():end] + b"</body></html>\n"


def _raw_text_hides_a_tag(low: bytes, start: int, end: int) -> bool:
    """Whether a script, style, comment (or other element whose content is text) in the article
    could hold what was read as its end: one that names an article, or does not close before it."""
    for raw in RAW_TEXT.finditer(low, start, end):
        closer = b"-->" if raw[1] is None else b"</" + raw[1]
        closed = low.find(closer, raw.end())
        if closed < 0 or closed >= end or low.find(b"article", raw.end(), closed) >= 0:
            return True
    return False


def _head(page: bytes, low: bytes, body: int) -> bytes:
    """All before the ``<body>`` tag, the head cut to its title where no ``data-pagefind-*``
    attribute is in it (the styles, scripts and links are most of it)."""
    head = HEAD.search(low, 0, body)
    end = HEAD_END.search(low, head.end(), body) if head else None
    if end is None or low.count(b"</head", 0, body) != 1 or low.find(ATTRIBUTE, head.end(), end.start()) >= 0:
        return page[:body]
    title = TITLE.search(low, head.end(), end.start())
    return page[:head.end()] + (page[title.start():title.end()] if title else b"") + page[end.start():body]


def stage(site_dir: Path, folder: Path, skip: str) -> None:
    """Write into ``folder`` every HTML page of ``site_dir`` (but those below ``skip``) as Pagefind
    needs it, at the same place. Once a page has a marked article, Pagefind ignores every page
    without one (the error page, the printable topics): those are left out."""
    marked_any, unmarked = False, []
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir)
        if relative.parts[0] == skip or path.is_symlink() or not path.is_file():
            continue
        page = path.read_bytes()
        low = page.lower()
        if MARK not in low:
            unmarked.append((path, folder / relative))
            continue
        marked_any = True
        _write(path, folder / relative, cut(page, low))
    if not marked_any:
        for path, destination in unmarked:
            _write(path, destination, None)


def _write(path: Path, destination: Path, reduced: bytes | None) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if reduced is not None:
        destination.write_bytes(reduced)
        return
    try:
        os.link(path, destination)
    except OSError:
        shutil.copyfile(path, destination)
