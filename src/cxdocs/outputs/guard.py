"""The public-leak guard: the build refuses to finish a public target that holds internal text.

The audience filter is what keeps internal text out; the guard is the independent second line that
checks the written output. It looks for three things in every text file of a public target:
internal callouts (the marker or its rendered class), links to internal pages, and runs of words
that occur in internal text but nowhere in public text (word n-grams, so formatting and HTML
escaping do not hide a leak).
"""

from __future__ import annotations

import functools
import gzip
import html
import json
import posixpath
import re
from collections import ChainMap
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import AnyStr

from cxdocs.core.errors import display_path

WORD = re.compile(r"[^\W_]+")
BLOCK = "\x1e"
WORD_OR_BLOCK = re.compile(r"[^\W_]+|\x1e")
TAG = re.compile(r"<[^>\x1e]*>")
ATTRIBUTE = re.compile(r"""\s[\w:.-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"'#?]+)""")
LOC = re.compile(r"<loc>([^<]+)</loc>")
MARKERS = re.compile(
    r"""class=["'][^"']*\badmonition\b[^"']*\binternal(?![\w-])|(?:!!!|\?\?\?)\+?[ \t]*internal(?![\w-])""",
    re.IGNORECASE,
)
TEXT_SUFFIXES = {".html", ".htm", ".json", ".xml", ".txt", ".csv", ".md", ".svg", ".webmanifest"}
LONG, SHORT = 5, 3


def may_name_internal(raw: str) -> bool:
    """False when ``raw`` cannot hold "internal" as the markers pattern reads it (ignoring case):
    that pattern is slow on the pages that cannot match it, and so is a case-blind regular
    expression. Besides ASCII, ignoring case lets U+0130 and U+0131 stand for "i"."""
    return "internal" in raw.lower() or "\u0130" in raw or "\u0131" in raw


@dataclass(frozen=True)
class Fragment:
    """A piece of text and where it comes from (for the guard's message)."""

    text: str
    path: Path | None
    line: int

    @property
    def origin(self) -> str:
        # Made only for a message: display_path per paragraph costs a second on a large site.
        return f"{display_path(self.path)}:{self.line}"


@dataclass(frozen=True)
class Leak:
    file: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def ngrams(tokens: list[str], n: int) -> Iterator[tuple[str, ...]]:
    # zip over shifted lists builds the tuples in C: the guard reads every word of a site.
    return zip(*(tokens[i:] for i in range(n)))


def internal_runs(fragment: Fragment) -> list[tuple[str, ...]]:
    """The runs that fingerprint an internal fragment: its 5-word runs, or all of a short one."""
    tokens = words(fragment.text)
    if len(tokens) >= LONG:
        return list(ngrams(tokens, LONG))
    return [tuple(tokens)] if len(tokens) >= SHORT else []


class LeakGuard:
    def __init__(self, internal: Iterable[Fragment], public: Iterable[str], internal_urls: Iterable[str]):
        # Each run keeps the first fragment that holds it: later fragments go in first and are overwritten.
        origins: dict[int, dict[tuple[str, ...], Fragment]] = {n: {} for n in range(SHORT, LONG + 1)}
        for fragment in reversed(list(internal)):
            runs = internal_runs(fragment)
            if runs:
                origins[len(runs[0])].update(dict.fromkeys(runs, fragment))
        self.by_length = {n: set(grams) for n, grams in origins.items() if grams}
        self.fingerprints: Mapping[tuple[str, ...], Fragment] = ChainMap(*origins.values())
        self.internal_urls = {u.strip("/") for u in internal_urls if u.strip("/")}
        self.strike(public)

    def strike(self, public: Iterable[str]) -> None:
        """Runs that public text also holds are no evidence of a leak: strike them."""
        for text in public:
            tokens = words(text)
            for n, grams in self.by_length.items():
                grams.difference_update(ngrams(tokens, n))
        self.by_length = {n: grams for n, grams in self.by_length.items() if grams}
        known = self.fingerprints
        self.fingerprints = {g: known[g] for grams in self.by_length.values() for g in grams}
        self.lengths = sorted(self.by_length)
        # A page holds a run only if it holds the run's first word: one set test skips a length.
        self.first_words = {n: {g[0] for g in grams} for n, grams in self.by_length.items()}

    def scan(self, site_dir: Path, site_url: str = "") -> list[Leak]:
        """Every leak in the written target."""
        return SiteScan(self, site_dir, site_url).finish()

    def scan_text(self, url: str, text: str, suffix: str, site_url: str = "", navigation: bool = True,
                  seen: set[str] | None = None) -> list[Leak]:
        """The leaks in one output file's text; ``url`` is its path below the site root.

        ``navigation=False`` leaves out the theme's primary navigation (read once per target).
        ``seen`` holds the blocks of text already read with this guard: they are not read again.
        """
        leaks = []
        if url.removesuffix("index.html").strip("/") in self.internal_urls:
            leaks.append(Leak(Path(url), "is an internal page"))
        if suffix in (".html", ".htm") and not navigation:
            text = _without_navigation(text)[0]
        leaks.extend(self._scan_text(Path(url), url, text, suffix, site_url, seen))
        return leaks

    def _scan_text(self, path: Path, url: str, raw: str, suffix: str, site_url: str,
                   seen: set[str] | None = None) -> Iterator[Leak]:
        if may_name_internal(raw) and MARKERS.search(raw):
            yield Leak(path, "contains an internal callout")
        for link in self._links(url, raw, site_url):
            if link in self.internal_urls:
                yield Leak(path, f"links to the internal page {link}/")
                break
        # Runs of words are read within one block (a heading, a paragraph, a search entry's title):
        # a title followed by a paragraph forms runs that no source holds and that mean nothing.
        # The block boundary is a token no run of words holds, so one pass reads the whole file.
        visible = _visible_text(raw, suffix).casefold()
        if seen is not None:
            # Header, footer and search box are the same blocks on every page: a block found clean
            # once is not read again (runs of words never cross a block boundary).
            # A page's structured data repeats its answers: a block is read once per page too.
            fresh = [block for block in dict.fromkeys(visible.split(BLOCK)) if block not in seen]
            visible = BLOCK.join(fresh)
        found = self._fingerprint_in(WORD_OR_BLOCK.findall(visible))
        if seen is not None and not found:
            seen.update(fresh)
        if found:
            gram, origin = found
            yield Leak(path, f"contains internal text from {origin}: {' '.join(gram)!r}")

    def _fingerprint_in(self, tokens: list[str]) -> tuple[tuple[str, ...], str] | None:
        """The first run of internal words in ``tokens``, and where it comes from."""
        for n in self.lengths:
            grams = self.by_length[n]
            if self.first_words[n].isdisjoint(tokens):
                continue
            if not grams.isdisjoint(ngrams(tokens, n)):
                gram = next(g for g in ngrams(tokens, n) if g in grams)
                return gram, self.fingerprints[gram].origin
        return None

    @staticmethod
    def _links(url: str, raw: str, site_url: str) -> Iterator[str]:
        base = posixpath.dirname(url)
        for href in LINK.findall(raw):
            target = _link_target(base, href)
            if target:
                yield target
        prefix = site_url.rstrip("/") + "/" if site_url else None
        for loc in LOC.findall(raw):
            if prefix and loc.startswith(prefix):
                yield loc[len(prefix) :].strip("/")


@functools.lru_cache(maxsize=1 << 16)
def _link_target(base: str, href: str) -> str:
    """The site path ``href`` leads to from the folder ``base``; empty for a link off the site.

    Pages at one depth share most of their links (header, footer): each is resolved once."""
    if "://" in href or href.startswith(("mailto:", "tel:", "data:", "javascript:")):
        return ""
    target = posixpath.normpath(posixpath.join(base, href)).strip("/")
    return target[: -len("/index.html")] if target.endswith("/index.html") else target


class SiteScan:
    """One reading of a written target, file by file, in any order; ``finish`` reads what is left.

    Every page carries the whole site navigation, the same items on each page: it is read in full
    on the first page and left out of the others, so the scan grows with the site's text rather
    than with pages x navigation. A page's own table of contents is its headings, which are read in
    its content. A file read early and changed afterwards is read again.
    """

    def __init__(self, guard: LeakGuard, site_dir: Path, site_url: str = ""):
        self.guard, self.site_dir, self.site_url = guard, site_dir, site_url
        self.seen_navigation = False
        self.seen_blocks: set[str] = set()
        self.read: dict[Path, tuple[tuple, list[Leak]]] = {}

    def read_file(self, path: Path) -> None:
        try:
            stat = path.stat()
        except OSError:
            return
        data, suffix = _read(path)
        if data is None:
            return
        if suffix in (".html", ".htm"):
            # Cut before decoding: the navigation is most of a page's bytes.
            without, had_navigation = _without_navigation(data)
            data = without if self.seen_navigation else data
            self.seen_navigation = self.seen_navigation or had_navigation
        url = path.relative_to(self.site_dir).as_posix()
        text = data.decode("utf-8", errors="replace")
        leaks = self.guard.scan_text(url, text, suffix, self.site_url, seen=self.seen_blocks)
        self.read[path] = (_version(stat), leaks)

    def unread_but_pages(self) -> list[Path]:
        """The target's files not read yet, but for its HTML pages."""
        return [
            path for path in sorted(self.site_dir.rglob("*"))
            if path not in self.read and path.suffix not in (".html", ".htm") and path.is_file()
        ]

    def finish(self, taken: Collection[Path] = (), results: Callable[[], dict] = dict) -> list[Leak]:
        """Every leak in the target as it is now, in path order.

        ``taken``: files another process reads meanwhile; ``results`` waits for what it found (as
        ``read``). A file it did not hand back, or that changed since, is read here.
        """
        present, taken = [], set(taken)
        for path in sorted(self.site_dir.rglob("*")):
            if not path.is_file():
                continue
            present.append(path)
            known = self.read.get(path)
            if path not in taken and (known is None or known[0] != _version(path.stat())):
                self.read_file(path)
        found = results()
        for path in taken:
            if path in found and path.is_file() and found[path][0] == _version(path.stat()):
                self.read[path] = found[path]
            elif path.is_file():
                self.read_file(path)
        return [leak for path in present if path in self.read for leak in self.read[path][1]]


def _version(stat) -> tuple:
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


NAVIGATION_START = '<div class="md-sidebar md-sidebar--primary"'
NAVIGATION_END = ('<div class="md-sidebar md-sidebar--secondary"', '<div class="md-content"')
_NAVIGATION_MARKERS = {
    str: (NAVIGATION_START, NAVIGATION_END),
    bytes: (NAVIGATION_START.encode(), tuple(marker.encode() for marker in NAVIGATION_END)),
}


def _without_navigation(page: AnyStr) -> tuple[AnyStr, bool]:
    """The page (text or UTF-8 bytes) without the theme's primary navigation, and whether it had one."""
    start_marker, end_markers = _NAVIGATION_MARKERS[type(page)]
    start = page.find(start_marker)
    if start < 0:
        return page, False
    ends = [i for i in (page.find(marker, start) for marker in end_markers) if i >= 0]
    if not ends:
        return page, False
    return page[:start] + page[min(ends) :], True


def _read(path: Path) -> tuple[bytes | None, str]:
    suffixes = path.suffixes
    try:
        if suffixes and suffixes[-1] == ".gz":
            data = gzip.decompress(path.read_bytes())
            suffix = suffixes[-2] if len(suffixes) > 1 else ""
        elif path.suffix in TEXT_SUFFIXES:
            data = path.read_bytes()
            suffix = path.suffix
        else:
            return None, ""
    except (OSError, EOFError, gzip.BadGzipFile):
        return None, ""
    return data, suffix


_BLOCK_NAMES = (
    r"(?:p|h[1-6]|li|ul|ol|dl|dt|dd|div|td|th|tr|table|pre|blockquote|br|hr|title|section|article|nav|"
    r"header|footer|aside|main|details|summary|label|script|meta|link|head|body|html|button|form)\b"
)
BLOCK_TAGS = re.compile(r"</?" + _BLOCK_NAMES, re.IGNORECASE)
BARE_BLOCK_TAG = re.compile(r"</?" + _BLOCK_NAMES + r"[^>=\x1e]*>", re.IGNORECASE)
BARE_TAG = re.compile(r"<[^>=\x1e]*>")


JSON_SCRIPT = re.compile(
    r"""<script\b[^>]*\btype\s*=\s*["']?application/(?:ld\+)?json\b[^>]*>(.*?)</script\s*>""", re.S | re.I
)


def _visible_text(raw: str, suffix: str) -> str:
    """Text and attribute values, without markup, as words a reader or a crawler could see.
    Line breaks are spaces: a paragraph reads the same on the page as in its structured data,
    where white space is folded."""
    return _text_of(raw, suffix).replace("\n", " ")


def _text_of(raw: str, suffix: str) -> str:
    if suffix == ".json":
        try:
            return _json_text(json.loads(raw))
        except ValueError:
            pass
    elif "<script" in raw:
        # JSON in a page (structured data, the theme's settings) is read as its strings: a crawler
        # reads an answer's words, not the escapes (``\u003cp\u003e``) that would hide them.
        parts, end = [], 0
        for script in JSON_SCRIPT.finditer(raw):
            strings = _json_script_text(script.group(1))
            if strings is None:
                continue
            parts += [_markup_text(raw[end : script.start(1)]), BLOCK, strings, BLOCK]
            end = script.end(1)
        if parts:
            return "".join([*parts, _markup_text(raw[end:])])
    return _markup_text(raw)


@functools.lru_cache(maxsize=64)
def _json_script_text(body: str) -> str | None:
    """The strings of a page's JSON script; None if it is not JSON. The theme's settings are the
    same script on every page at one depth: each is read once."""
    try:
        return _json_text(json.loads(body))
    except ValueError:
        return None


def _json_text(value) -> str:
    # One pass over all the strings: a tag cannot reach over a block boundary into the next one.
    return _markup_text(BLOCK.join(_strings(value)))


def _markup_text(raw: str) -> str:
    # Tags without attributes (most of them: every closing tag) need no Python call per tag.
    stripped = BARE_BLOCK_TAG.sub(BLOCK, raw)
    stripped = BARE_TAG.sub(" ", stripped)
    stripped = TAG.sub(_tag_text, stripped)
    return html.unescape(stripped)


def _tag_text(match: re.Match) -> str:
    return _attribute_text(match.group())


@functools.lru_cache(maxsize=1 << 16)
def _attribute_text(tag: str) -> str:
    """A tag's attribute values, between block boundaries for a block tag. Most tags of a site
    recur on every page (header, footer, search box): each is read once."""
    attributes = " ".join(a or b for a, b in ATTRIBUTE.findall(tag))
    edge = BLOCK if BLOCK_TAGS.match(tag) else " "
    return f"{edge}{attributes}{edge}"


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def page_url(uri: str) -> str:
    """The directory-style URL path of a page: ``faq/a.md`` -> ``faq/a``, ``faq/index.md`` -> ``faq``."""
    stem = uri[: -len(".md")]
    return posixpath.dirname(stem) if posixpath.basename(stem) == "index" else stem


@dataclass
class Reference:
    """What one page tells a public target's guard: text that is internal, text that is public, and URLs."""

    internal: list[Fragment]
    public: list[str]
    internal_urls: set[str]
    public_urls: set[str]


def guard_for_target(project, target, generated: Iterable[str]) -> LeakGuard:
    """The guard of one public target, derived from the sources, not from what the renderer produced.

    Reading the sources again, with the audience filter called directly, keeps the guard independent
    of the render path it checks: if rendering lets a block through, the guard still knows that
    block's text is internal and that no public source holds it.
    """
    internal: list[Fragment] = []
    public: list[str] = list(generated)
    internal_urls: set[str] = set()
    public_urls: set[str] = {""}
    for page in project.pages:
        reference = page_reference(project, target, page)
        internal.extend(reference.internal)
        public.extend(reference.public)
        internal_urls.update(reference.internal_urls)
        public_urls.update(reference.public_urls)
    return LeakGuard(internal, public, internal_urls - public_urls)


def page_reference(project, target, page) -> Reference:
    """One page's part of the guard's reference (a served preview updates it page by page)."""
    from cxdocs.core import audience
    from cxdocs.core.errors import CxdocsError
    from cxdocs.core.render import document_for
    from cxdocs.core.variables import placeholder_token

    doc, lang = document_for(page, target, project.settings.default_language)
    variables = project.variables(target.lang)

    def substituted(text: str, path, line: int, placeholder=None) -> str:
        try:
            return variables.substitute_text(text, path, line, placeholder)
        except CxdocsError:
            return text

    url = page_url(page.uri)
    if not audience.sees(audience.PUBLIC, page.audience):
        title = Fragment(substituted(page.title(target.lang), doc.path, 1), page.path, 1)
        internal_urls = {url, url + ".html", url + "/index.html", *_parents(url)}
        return Reference([title, *_paragraphs(doc.body, substituted)], [], internal_urls, set())
    lines = project.expanded(doc, lang)
    kept, blocks = audience.filter_audience(lines, audience.PUBLIC)
    public = [substituted(str(v), doc.path, 1) for v in {**page.meta, **doc.meta}.values() if isinstance(v, str)]
    public.append(" ".join(substituted(line.text, line.path, line.lineno) for line in kept))
    # A placeholder shows on the page as a token whose tooltip is words too; the search index
    # and code spans show it bare: the reference holds both readings.
    if any("{{" in line.text for line in kept):
        tokens = (substituted(line.text, line.path, line.lineno, placeholder_token) for line in kept)
        public.append(_visible_text(" ".join(tokens), ".html"))
    internal = [fragment for block in blocks for fragment in _paragraphs([block.marker, *block.body], substituted)]
    return Reference(internal, public, set(), {url, *_parents(url)})


def _parents(url: str) -> Iterator[str]:
    while "/" in url:
        url = url.rsplit("/", 1)[0]
        yield url


def _paragraphs(lines, substituted) -> Iterator[Fragment]:
    chunk: list = []
    for line in [*lines, None]:
        if line is None or not line.text.strip():
            if chunk:
                text = " ".join(substituted(c.text, c.path, c.lineno) for c in chunk)
                yield Fragment(text, chunk[0].path, chunk[0].lineno)
            chunk = []
        else:
            chunk.append(line)
