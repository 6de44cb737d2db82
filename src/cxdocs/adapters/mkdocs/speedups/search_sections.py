"""A page's search sections, as mkdocs-material's search plugin divides them, read without HTMLParser.

The search plugin feeds every page's HTML to a ``html.parser.HTMLParser`` subclass (its ``Parser``)
that splits the page at its headings into sections of title and text. The standard library's
tokenizer is pure Python and costs about half of that. Python-Markdown
writes a small, regular subset of HTML: tags with double-quoted attributes, escaped text. Here a
page in that subset is tokenized by one regular expression and the plugin's rules are applied to
its tokens, with the current tags counted rather than searched for. A page with anything else (a
comment, a raw-text element such as ``<script>``, a stray ``<``, an unquoted attribute) is left to
the plugin's own parser, as is a page whose tokens the rules do not expect.

The rules are the plugin's, with its quirks: elements compare by tag, so excluding one ``<div>``
from search lasts until the next ``</div>``; a heading's section takes the text of any open element
with that heading's tag. ``tests/test_search_sections.py`` compares the two on the example
knowledge base, on pages of odd HTML, and on generated HTML.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from html import escape, unescape
from types import MethodType

from material.plugins.search.plugin import Element, Parser, SearchIndex, Section, void

from cxdocs.core.cache import digest, stable

_NAME = r"[a-zA-Z][a-zA-Z0-9-]*"
_ATTRIBUTE = r"""\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*"|='[^'<>]*')?"""
TOKEN = re.compile(rf"<(?:/({_NAME})|({_NAME})((?:{_ATTRIBUTE})*)\s*(/?))>")
ATTRIBUTES = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)(=(?:"([^"<>]*)"|'([^'<>]*)'))?""")
RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
"""Elements whose content HTMLParser reads as raw text (which of them differs between Python versions)."""
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SKIPPED = ("object", "script", "style")
KEEP = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}


class Unexpected(Exception):
    """The page is not in the subset read here."""


def sections(html: str) -> list[Section]:
    """The page's sections, the same as the search plugin's ``Parser`` makes."""
    try:
        return _Reader().read(html)
    except Unexpected:
        parser = Parser()
        parser.feed(html)
        parser.close()
        return parser.data


def index_with_sections(search) -> None:
    """Have the search plugin's index of this build (it makes one per build) read pages with ``sections``."""
    index = getattr(search, "search_index", None)
    if type(index) is SearchIndex:
        index.add_entry_from_context = MethodType(add_entry_from_context, index)


def keep_entries(search, cache) -> None:
    """With the build ``cache``, a page's entries are kept and read back while the page's HTML,
    table of contents, address, title and front matter are the same."""
    index = getattr(search, "search_index", None)
    if getattr(getattr(index, "add_entry_from_context", None), "__func__", None) is add_entry_from_context:
        index.cx_cache = cache


def add_entry_from_context(index, page) -> None:
    """``SearchIndex.add_entry_from_context`` with ``sections`` for its parser."""
    search = page.meta.get("search") or {}
    if search.get("exclude"):
        return
    cache = getattr(index, "cx_cache", None)
    if cache is None:
        _add_entries(index, page)
        return
    # A page whose HTML comes from the cache names the template that writes it: no other difference.
    meta = {name: value for name, value in page.meta.items() if name != "template"}
    try:
        key = digest("search", page.content or "", str(page.url), str(page.title), stable(meta), _toc_text(page.toc))
    except TypeError:  # front matter with no stable text: read every time
        _add_entries(index, page)
        return
    entries = cache.get_object("search", key)
    if isinstance(entries, list):
        index.entries.extend(entries)
        return
    before = len(index.entries)
    _add_entries(index, page)
    cache.put_object("search", key, index.entries[before:])


def _toc_text(toc) -> str:
    parts, pending = [], list(reversed(list(toc or [])))
    while pending:
        item = pending.pop()
        parts.append(f"{item.level}|{item.id}|{item.url}|{item.title}|{len(item.children)}")
        pending.extend(reversed(item.children))
    return "\n".join(parts)


def _add_entries(index, page) -> None:
    # The plugin finds each section's table-of-contents item by walking the whole table (its
    # _find_toc_by_id): time grew with the square of a page's headings. The same first match in
    # the same order, looked up in a map made once per page.
    items: dict = {}
    pending = list(reversed(list(page.toc)))
    while pending:
        item = pending.pop()
        items.setdefault(item.id, item)
        pending.extend(reversed(item.children))
    index._find_toc_by_id = lambda toc, id: items.get(id)
    try:
        for section in sections(page.content):
            if not section.is_excluded():
                index.create_entry_for_section(section, page.toc, page.url, page)
    finally:
        del index._find_toc_by_id


@functools.lru_cache(maxsize=4096)
def _attribute_pairs(text: str) -> tuple[tuple[str, str | None], ...]:
    """A start tag's attributes as HTMLParser gives them: names in lower case, a valueless one
    None, a value unescaped. Most tags of a site recur: each is read once."""
    return tuple(
        (name.lower(), None if not equals else unescape(double or single))
        for name, equals, double, single in ATTRIBUTES.findall(text)
    )


class _Reader:
    """The search plugin's ``Parser`` rules over this module's tokens."""

    def __init__(self):
        self.context: list[tuple[str, bool]] = []  # open elements: tag, whether a heading's permalink
        self.open: defaultdict[str, int] = defaultdict(int)  # how many elements of each tag are open
        self.permalinks = 0  # open <a class="headerlink">
        self.skip = set(SKIPPED)  # as the plugin's skip set: elements compare by tag
        self.skipped = 0  # open elements whose tag is in ``skip``: text inside one is not indexed
        self.section: Section | None = None
        self.data: list[Section] = []
        self.live: list[Section] = []  # the sections of ``data`` not closed for good

    def read(self, html: str) -> list[Section]:
        end = 0
        text, start, close = self.text, self.start, self.end
        for match in TOKEN.finditer(html):
            begin = match.start()
            if begin > end:
                text(html[end:begin])
            end = match.end()
            closing, tag, attributes, self_closing = match.groups()
            if closing is not None:
                close(closing.lower())
                continue
            tag = tag.lower()
            if tag in RAW_TEXT:
                raise Unexpected
            start(tag, _attribute_pairs(attributes) if attributes else ())
            if self_closing:
                close(tag)
        if end < len(html):
            text(html[end:])
        return self.data

    def text(self, raw: str) -> None:
        if "<" in raw:
            raise Unexpected
        if self.skipped:
            return
        data = unescape(raw)
        in_pre = self.open["pre"]
        if not in_pre:
            data = " " if data.isspace() else data.replace("\n", " ")
        section = self.section
        if section is None:
            section = self.section = self._add(Section(Element("hx")))
        if self.open[section.el.tag]:
            if not self.permalinks:
                section.title.append(escape(data, quote=False))
        elif data.isspace():
            if in_pre or not section.text or not section.text[-1].isspace():
                section.text.append(data)
        else:
            section.text.append(escape(data, quote=False))

    def start(self, tag: str, pairs) -> None:
        if tag in void:
            return
        attrs = dict(pairs)
        permalink = tag == "a" and attrs.get("class") == "headerlink"
        self.context.append((tag, permalink))
        self.open[tag] += 1
        self.permalinks += permalink
        if tag in self.skip:
            self.skipped += 1
        if tag in HEADINGS and "id" in attrs:
            depth = len(self.context)
            if tag != "h1" and not self.data:
                self._add(Section(Element("hx"), depth))
            self.section = Section(Element(tag, attrs), depth)
            if self.data:
                self.section.id = attrs["id"]
            self._add(self.section)
        if self.section is None:
            self.section = self._add(Section(Element("hx")))
        if attrs.get("class") == "linenodiv" or "data-search-exclude" in attrs:
            if tag not in self.skip:
                self.skip.add(tag)
                self.skipped += self.open[tag]
            return
        if tag in KEEP and not self.skipped:
            self._kept().append(f"<{tag}>")

    def end(self, tag: str) -> None:
        context = self.context
        if not context or context[-1][0] != tag:
            return
        depth = len(context)
        if self.section.depth > depth:
            # The plugin looks back through every section for the last one this deep; sections it
            # closed for good (depth infinity) never match, so only the open ones are searched:
            # the plugin's walk made time grow with the square of a page's questions.
            for section in reversed(self.live):
                if section.depth <= depth:
                    self.section.depth = float("inf")
                    if self.live[-1] is self.section:
                        self.live.pop()
                    else:
                        self.live.remove(self.section)
                    self.section = section
                    break
        self.permalinks -= context.pop()[1]
        self.open[tag] -= 1
        if tag in self.skip:
            self.skipped -= 1
            if tag not in SKIPPED:
                self.skip.discard(tag)
                self.skipped -= self.open[tag]
            return
        if tag in KEEP and not self.skipped:
            data = self._kept()
            try:
                index = data.index(f"<{tag}>")
            except ValueError:
                raise Unexpected from None  # the plugin's parser fails here: let it
            # Without a slice: a copy of the rest made a section's long list cost the square of its items.
            if all(data[i].isspace() for i in range(index + 1, len(data))):
                del data[index:]  # an element with no text is left out
            else:
                data.append(f"</{tag}>")

    def _add(self, section: Section) -> Section:
        self.data.append(section)
        self.live.append(section)
        return section

    def _kept(self) -> list[str]:
        section = self.section
        return section.title if self.open[section.el.tag] else section.text
