"""The public-leak guard: the build refuses to finish a public target that holds internal text.

The audience filter is what keeps internal text out; the guard is the independent second line that
checks the written output, whatever wrote it. It does not trust markup: in every file of a public
target it looks for internal pages and files, internal markers, any element whose class names
``internal``, HTML comments the theme did not write, links to internal pages (relative, ``.md`` or
absolute), links out of the site, and runs of words that occur in internal text but nowhere in
public text (word n-grams, so formatting and HTML escaping do not hide a leak). Response packs and
every helpdesk format are read the same way. Each finding names the source file and line where the
guard can tell it.
"""

from __future__ import annotations

import functools
import gzip
import html
import json
import os
import posixpath
import re
from collections import ChainMap
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import AnyStr
from urllib.parse import unquote

from cxdocs.core.errors import display_path
from cxdocs.outputs.guard_kept import is_kept, kept_guard

WORD = re.compile(r"[^\W_]+")
BLOCK = "\x1e"
WORD_OR_BLOCK = re.compile(r"[^\W_]+|\x1e")
TAG = re.compile(r"<[^>\x1e]*>")
ATTRIBUTE = re.compile(r"""\s[\w:.-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
LINK = re.compile(r"""(?:href|src|poster|data)\s*=\s*["']([^"'#?]+)""")
LOC = re.compile(r"<loc>([^<]+)</loc>")
MARKERS = re.compile(r"(?:!!!|\?\?\?)\+?[ \t]*internal(?![\w-])", re.IGNORECASE)
"""An internal block's marker as a writer types it, shown as text."""
INTERNAL_CLASS = re.compile(
    r"""\bclass\s*=\s*(?:"([^"]*internal[^"]*)"|'([^']*internal[^']*)'|([^\s"'=<>`]*internal[^\s"'=<>`]*))""",
    re.IGNORECASE,
)
"""Any element whose class names ``internal``, in any case or as part of a name (``internal-note``):
a callout, a details block, raw HTML or an attribute list a writer added."""
ENCODED_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*&[^"]*)"|'([^']*&[^']*)'|([^\s"'=<>`]*&[^\s"'=<>`]*))""", re.I)
"""A class written with character references (``&#105;nternal``), which a browser decodes."""
COMMENT = re.compile(r"<!--(?:>|->|.*?(?:-->|--!>|\Z))", re.S)
"""An HTML comment as a browser reads it: ``<!-->`` ends at once, an unclosed one at the end."""
TEXT_SUFFIXES = {".html", ".htm", ".json", ".xml", ".txt", ".csv", ".md", ".svg", ".webmanifest"}
PAGEFIND_FRAGMENT = ".pf_fragment"
"""A page as Pagefind's search index holds it: gzip of ``pagefind_dcd`` and JSON with the page's URL,
its whole indexed text, title, headings and metadata (``pagefind/src/output/mod.rs``, 1.5). The
index chunks beside it (``.pf_index``) hold single words of the same text, each also in a fragment."""
PAGEFIND_SIGNATURE = b"pagefind_dcd"
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
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
    lines: tuple = ()
    """The source lines it was made of, to name the one a run of words starts on."""

    @property
    def origin(self) -> str:
        # Made only for a message: display_path per paragraph costs a second on a large site.
        return f"{display_path(self.path)}:{self.line}"

    def origin_of(self, run: tuple[str, ...]) -> str:
        """Where ``run`` was written: the first source line holding its first words, else the fragment's start."""
        start = run[: min(2, len(run))]
        for line in self.lines:
            tokens = words(line.text)
            if any(tuple(tokens[i : i + len(start)]) == start for i in range(len(tokens))):
                return f"{display_path(line.path)}:{line.lineno}"
        return self.origin


@dataclass(frozen=True)
class Leak:
    file: Path
    """The output file, below the folder guarded."""
    reason: str
    source: str | None = None
    """Where it comes from, as ``path:line``, when the guard can tell."""

    def __str__(self) -> str:
        if self.source:
            return f"{self.source}: {self.reason}, in {self.file}"
        return f"{self.file}: {self.reason}"


def strip_comments(page: str) -> str:
    """HTML without its comments: a writer's ``<!-- note -->`` is invisible on the page, not in its bytes."""
    return COMMENT.sub("", page) if "<!--" in page else page


def comments_in_templates(folders: Iterable[Path | str]) -> set[str]:
    """The HTML comments a theme's templates write: the only ones a public page may hold."""
    found: set[str] = set()
    for folder in folders:
        for path in sorted(Path(folder).rglob("*.html")):
            try:
                text = path.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if "<!--" in text:
                found.update(COMMENT.findall(text))
    return found


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
    internal_files: Mapping[str, str] = {}
    """Site paths of files only internal pages use, and the source file each one is."""
    url_sources: Mapping[str, str] = {}
    """Where each internal page's source is, by its URL."""
    allowed_comments: frozenset[str] = frozenset()
    named_public: frozenset[str] = frozenset()
    """The file names public text holds: a file internal text names is internal unless one of these."""
    site_prefixes: tuple[str, ...] = ()
    """Absolute URLs of the site (its root and each language's): a link there is a link within it."""
    locate: Callable[[str, Callable[[str], bool]], str | None] | None = None
    """Finds the source line a page's finding comes from: (page URL, test of a line) -> ``path:line``."""

    def __init__(self, internal: Iterable[Fragment], public: Iterable[str], internal_urls: Iterable[str]):
        # Each run keeps the first fragment that holds it: later fragments go in first and are overwritten.
        # A text met again (a page not translated is read for every language) holds no run first.
        first = {}
        for fragment in internal:
            first.setdefault(fragment.text, fragment)
        origins: dict[int, dict[tuple[str, ...], Fragment]] = {n: {} for n in range(SHORT, LONG + 1)}
        for fragment in reversed(list(first.values())):
            runs = internal_runs(fragment)
            if runs:
                origins[len(runs[0])].update(dict.fromkeys(runs, fragment))
        self.by_length = {n: set(grams) for n, grams in origins.items() if grams}
        self.fingerprints: Mapping[tuple[str, ...], Fragment] = ChainMap(*origins.values())
        self.internal_urls = {u.strip("/") for u in internal_urls if u.strip("/")}
        self.strike(public)

    def state(self) -> dict:
        """What the guard holds, to be kept (``guard_kept``): all but how it words a finding's place."""
        return {name: value for name, value in vars(self).items() if name not in ("locate", "allowed_comments")}

    @classmethod
    def from_state(cls, state: dict) -> LeakGuard:
        guard = cls.__new__(cls)
        vars(guard).update(state)
        return guard

    def strike(self, public: Iterable[str]) -> None:
        """Runs that public text also holds are no evidence of a leak: strike them."""
        for text in dict.fromkeys(public):
            tokens = words(text)
            for n, grams in self.by_length.items():
                grams.difference_update(ngrams(tokens, n))
        self._settle()

    def with_public(self, public: list[str]) -> LeakGuard:
        """This guard with more public text struck, as a new guard; this one stays as it is (its
        runs are copied only if the text strikes one)."""
        guard = type(self).__new__(type(self))
        vars(guard).update(vars(self))
        tokens = [words(text) for text in dict.fromkeys(public)]
        struck = {n: {g for words_of_text in tokens for g in ngrams(words_of_text, n) if g in grams}
                  for n, grams in self.by_length.items()}
        if any(struck.values()):
            guard.by_length = {n: grams - struck[n] for n, grams in self.by_length.items()}
            guard._settle()
        named = {name for text in public for name in ASSET_NAME.findall(text)}
        if named - self.named_public:
            guard.named_public = self.named_public | named
            guard.internal_files = {rel: source for rel, source in self.internal_files.items()
                                    if rel.startswith(INTERNAL_FOLDERS) or rel.rsplit("/", 1)[-1] not in named}
        return guard

    def _settle(self) -> None:
        """What the runs left after a strike decide: the lengths, their first words, their origins."""
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
        page = url.removesuffix("index.html").strip("/")
        if page in self.internal_urls:
            leaks.append(Leak(Path(url), "is an internal page", self.url_sources.get(page)))
        if suffix == PAGEFIND_FRAGMENT:
            leaks.extend(self._indexed_page(url, text))
            text, suffix = _fragment_as_json(text), ".json"
        if suffix in (".html", ".htm") and not navigation:
            text = _without_navigation(text)[0]
        leaks.extend(self._scan_text(Path(url), url, text, suffix, site_url, seen))
        return leaks

    def _indexed_page(self, url: str, raw: str) -> Iterator[Leak]:
        """A search index entry for an internal page (the fragment's own text is read as JSON)."""
        try:
            indexed = json.loads(raw).get("url")
        except (ValueError, AttributeError):
            return
        if isinstance(indexed, str):
            # Its address is relative to the folder the index was built for (a language's root).
            root = posixpath.dirname(url.rsplit("/fragment/", 1)[0]) if "/fragment/" in url else ""
            page = posixpath.join(root, unquote(indexed.split("#", 1)[0]).lstrip("/"))
            page = page.removesuffix("index.html").strip("/")
            if page in self.internal_urls:
                yield Leak(Path(url), f"indexes the internal page {page} for search", self.url_sources.get(page))

    def _scan_text(self, path: Path, url: str, raw: str, suffix: str, site_url: str,
                   seen: set[str] | None = None) -> Iterator[Leak]:
        yield from self._markup_leaks(path, url, raw, suffix)
        own = url.removesuffix("index.html").strip("/")
        for link in self._links(url, raw, site_url):
            if link in self.internal_urls and link != own:  # an internal page's own links: said above
                slug = link.rsplit("/", 1)[-1].removesuffix(".md").removesuffix(".html")
                yield Leak(path, f"links to the internal page {link}", self._source(url, lambda text: slug in text))
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
            yield Leak(path, f"internal text reached the public output: {' '.join(gram)!r}", origin)

    def _markup_leaks(self, path: Path, url: str, raw: str, suffix: str) -> Iterator[Leak]:
        """Markers, classes and comments, read in HTML as written and in JSON as its strings
        (``class=\\"internal\\"`` in a search index or a pack is a class all the same)."""
        named, commented = may_name_internal(raw), "<!--" in raw
        if not named and ("&#" in raw or "&imath;" in raw):
            # Rare: a class value written with character references is decoded.
            named = any("internal" in html.unescape(next(g for g in m.groups() if g is not None)).casefold()
                        for m in ENCODED_CLASS.finditer(raw))
        if not (named or commented):
            return
        markup = raw
        if suffix == ".json":
            try:
                markup = BLOCK.join(_strings(json.loads(raw)))
            except ValueError:
                pass
        if named:
            if MARKERS.search(markup):
                yield Leak(path, "holds an internal block's marker (!!! internal) as text",
                           self._source(url, lambda text: MARKERS.search(text) is not None))
            match = INTERNAL_CLASS.search(markup) or INTERNAL_CLASS.search(html.unescape(markup))
            if match:
                value = next(group for group in match.groups() if group is not None)
                yield Leak(path, f"holds an element of class {value!r}: only !!! internal blocks hide text, "
                                 "and they never reach a public file",
                           self._source(url, lambda text: "internal" in html.unescape(text).casefold()))
        if commented and suffix in (".html", ".htm", ".json"):
            for comment in COMMENT.findall(markup):
                if comment not in self.allowed_comments:
                    shown = comment if len(comment) <= 60 else comment[:57] + "..."
                    yield Leak(path, f"holds the HTML comment {shown!r}, which every reader's browser receives",
                               self._source(url, lambda text: "<!--" in text))
                    break

    def _source(self, url: str, test: Callable[[str], bool]) -> str | None:
        return self.locate(url, test) if self.locate is not None else None

    def _fingerprint_in(self, tokens: list[str]) -> tuple[tuple[str, ...], str] | None:
        """The first run of internal words in ``tokens``, and where it comes from."""
        for n in self.lengths:
            grams = self.by_length[n]
            if self.first_words[n].isdisjoint(tokens):
                continue
            if not grams.isdisjoint(ngrams(tokens, n)):
                gram = next(g for g in ngrams(tokens, n) if g in grams)
                return gram, self.fingerprints[gram].origin_of(gram)
        return None

    def _links(self, url: str, raw: str, site_url: str) -> Iterator[str]:
        """Every site path the file links to. A link is resolved from the page's folder, as a browser
        does, and from its source's folder, as Markdown does for a ``.md`` link MkDocs could not
        resolve; one to the site's own absolute URL is a link within the site."""
        base = posixpath.dirname(url)
        source_base = posixpath.dirname(base) if url.endswith("index.html") else base
        prefixes = sorted({p for p in (*self.site_prefixes, site_url.rstrip("/") + "/" if site_url else "") if p},
                          key=len, reverse=True)
        for href in LINK.findall(raw):
            for prefix in prefixes:
                if href.startswith(prefix):
                    href = "/" + href[len(prefix):]
                    break
            href = unquote(href)
            target = _link_target(base, href)
            if target:
                yield target
                if source_base != base and href.endswith(".md"):
                    yield _link_target(source_base, href)
        for loc in LOC.findall(raw):
            for prefix in prefixes:
                if loc.startswith(prefix):
                    yield loc[len(prefix) :].strip("/")
                    break


def linked_paths(page_path: str, page: str) -> set[str]:
    """The site paths a page (written at ``page_path``) links to or loads."""
    base = posixpath.dirname(page_path)
    return {target for href in LINK.findall(page) if (target := _link_target(base, unquote(href)))}


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

    def __init__(self, guard: LeakGuard, site_dir: Path, site_url: str = "", skip: Collection[str] = ()):
        self.guard, self.site_dir, self.site_url = guard, site_dir, site_url
        self.skip = set(skip)
        """Folders of ``site_dir`` left to another scan (the other languages of a site)."""
        self.seen_navigation = False
        self.seen_blocks: set[str] = set()
        self.read: dict[Path, tuple[tuple, list[Leak]]] = {}

    def read_file(self, path: Path) -> None:
        url = path.relative_to(self.site_dir).as_posix()
        leaks = []
        if path.is_symlink():
            real = path.resolve()
            if not real.is_relative_to(self.site_dir.resolve()):
                leaks.append(Leak(Path(url), f"is a symbolic link to {real}, outside the site: a web server serves that file"))
                self.read[path] = (_stat_version(path), leaks)
                return
        try:
            stat = path.stat()
        except OSError:
            return
        if not os.path.isfile(path):
            self.read[path] = (_version(stat), leaks)
            return
        if url in self.guard.internal_files:
            leaks.append(Leak(Path(url), "is a file only internal pages use", self.guard.internal_files[url]))
        data, suffix = _read(path)
        if data is None:
            self.read[path] = (_version(stat), leaks)
            return
        if suffix in (".html", ".htm"):
            # Cut before decoding: the navigation is most of a page's bytes.
            without, had_navigation = _without_navigation(data)
            data = without if self.seen_navigation else data
            self.seen_navigation = self.seen_navigation or had_navigation
        text = data.decode("utf-8", errors="replace")
        leaks += self.guard.scan_text(url, text, suffix, self.site_url, seen=self.seen_blocks)
        self.read[path] = (_version(stat), leaks)

    def unread_but_pages(self) -> list[Path]:
        """The target's files not read yet, but for its HTML pages."""
        return [path for path in site_files(self.site_dir, self.skip)
                if path not in self.read and path.suffix not in (".html", ".htm")]

    def finish(self, taken: Collection[Path] = (), results: Callable[[], dict] = dict) -> list[Leak]:
        """Every leak in the target as it is now, in path order.

        ``taken``: files another process reads meanwhile; ``results`` waits for what it found (as
        ``read``). A file it did not hand back, or that changed since, is read here.
        """
        present, taken = site_files(self.site_dir, self.skip), set(taken)
        for path in present:
            known = self.read.get(path)
            if path not in taken and (known is None or known[0] != _stat_version(path)):
                self.read_file(path)
        found = results()
        for path in taken:
            if path in found and found[path][0] == _stat_version(path):
                self.read[path] = found[path]
            elif path.exists() or path.is_symlink():
                self.read_file(path)
        return [leak for path in present if path in self.read for leak in self.read[path][1]]


def _version(stat) -> tuple:
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _stat_version(path: Path) -> tuple | None:
    try:
        return _version(path.stat())
    except OSError:
        return None


def site_files(site_dir: Path, skip: Collection[str] = ()) -> list[Path]:
    """Every file of a written site, in path order, symbolic links included but not followed: a link
    in a folder someone hands the guard may lead anywhere (a link to ``/`` is no reason to read the
    disk). ``skip``: folders of ``site_dir`` to leave out."""
    found, stack = [], [site_dir]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if folder == site_dir and entry.name in skip:
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_symlink() or entry.is_file(follow_symlinks=False):
                found.append(Path(entry.path))
    return sorted(found)


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
        if path.suffix == PAGEFIND_FRAGMENT:
            data = path.read_bytes()
            if not data.startswith(PAGEFIND_SIGNATURE):  # as written; a host may have unpacked it
                data = gzip.decompress(data)
            return data.removeprefix(PAGEFIND_SIGNATURE), PAGEFIND_FRAGMENT
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
    # Attribute values (alt and title texts, a link's address) are read as blocks of their own,
    # after the text: a link's address next to its words makes runs no source holds ("... cast
    # iron pan payment options" + "Cast-iron pan ..."), and the words before and after a link
    # stay one run, as the reader reads them.
    aside: list[str] = []

    def tag_text(match: re.Match) -> str:
        edge, values = _tag_parts(match.group())
        if values:
            aside.append(values)
        return edge

    stripped = TAG.sub(tag_text, stripped)
    if aside:
        stripped = BLOCK.join([stripped, *aside])
    return html.unescape(stripped)


@functools.lru_cache(maxsize=1 << 16)
def _tag_parts(tag: str) -> tuple[str, str]:
    """What a tag leaves in the text (a block boundary for a block tag, else a space) and its
    attribute values, each a block. Most tags of a site recur on every page (header, footer,
    search box): each is read once."""
    values = BLOCK.join(a or b for a, b in ATTRIBUTE.findall(tag))
    return (BLOCK if BLOCK_TAGS.match(tag) else " "), values


def _fragment_as_json(raw: str) -> str:
    """A Pagefind fragment as the guard reads JSON: its strings are the page's text, not markup
    (``<!--`` in a code block is text there), and ``content`` joins the page's blocks into one
    string, adding ". " after a block that ends without a stop: each sentence is read as a block,
    so a title and the paragraph after it make no run of words (the page's own blocks are read
    with the page)."""
    try:
        entry = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(entry, dict) and isinstance(entry.get("content"), str):
        entry["content"] = SENTENCE_END.split(entry["content"])
    return json.dumps(_escaped(entry), ensure_ascii=False)


def _escaped(value):
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value


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
    source: str = ""
    """The page's source file, named for a finding about its URL."""


ASSET_NAME = re.compile(r"[\w.~-]+\.[A-Za-z0-9]{1,8}\b")
"""What looks like a file name in text: how the guard tells which pages mention an asset."""
INTERNAL_FOLDERS = ("sop/", "responses/")


def guard_for_target(project, target, generated: Iterable[str]) -> LeakGuard:
    """The guard of one public target, derived from the sources, not from what the renderer produced.

    Reading the sources again, with the audience filter called directly, keeps the guard independent
    of the render path it checks: if rendering lets a block through, the guard still knows that
    block's text is internal and that no public source holds it. ``generated``: the public text
    the target's build makes (its generated pages, the words around every page).
    """
    guard = source_guard(project, target).with_public(list(generated))
    guard.locate = _locator(project, [target])
    return guard


def source_guard(project, target) -> LeakGuard:
    """The target's guard as its sources make it, kept in the build cache. ``cxdocs build``
    derives it in a process of its own while it checks the project (``source_guard_kept`` tells
    whether it must): deriving reads every source of the project, and a process forked from the
    build that reads them copies the memory that holds them (Python writes an object's reference
    count when it reads it). A target's worker then reads the guard from the cache."""
    targets = [target]
    return kept_guard(project, "target", targets, (), lambda texts: _guard_of(project, targets, texts),
                      LeakGuard, (Fragment,))


def source_guard_kept(project, target) -> bool | None:
    """Whether the build cache holds the target's guard as its sources make it; None: the build
    keeps no guard (no cache, or a page no key can be made of)."""
    return is_kept(project, "target", [target])


def guard_for_folder(project, generated: Iterable[str]) -> LeakGuard:
    """The guard of a folder built by anything (another generator, a plain ``mkdocs build``): what
    is internal in any language is internal, what is public in any is public."""
    from cxdocs.core.targets import Target

    targets = [Target("public", lang) for lang in project.settings.languages]
    guard = _guard_of(project, targets, generated)
    guard.locate = _locator(project, targets)
    return guard


def _guard_of(project, targets, generated: Iterable[str]) -> LeakGuard:
    internal: list[Fragment] = []
    public: list[str] = list(generated)
    internal_urls: set[str] = set()
    public_urls: set[str] = {""}
    url_sources: dict[str, str] = {}
    for target in targets:
        for page in project.pages:
            reference = page_reference(project, target, page)
            internal.extend(reference.internal)
            public.extend(reference.public)
            internal_urls.update(reference.internal_urls)
            public_urls.update(reference.public_urls)
            url_sources.update(dict.fromkeys(reference.internal_urls, reference.source))
        internal.extend(snippet_fragments(project, target.lang))
    guard = LeakGuard(internal, public, internal_urls - public_urls)
    guard.url_sources = url_sources
    guard.named_public = frozenset(name for text in public for name in ASSET_NAME.findall(text))
    guard.internal_files = _internal_files(project, internal, guard.named_public)
    guard.site_prefixes = site_prefixes(project.settings)
    return guard


def site_prefixes(settings) -> tuple[str, ...]:
    """The site's absolute URLs: its root and each language's."""
    if not settings.site_url:
        return ()
    root = settings.site_url.rstrip("/") + "/"
    return (root, *(f"{root}{lang}/" for lang in settings.languages[1:]))


def snippet_fragments(project, lang: str) -> list[Fragment]:
    """Snippet text that is internal whoever includes it: an internal snippet's paragraphs, and the
    internal blocks of any snippet (a generator that ignores cxdocs publishes snippets as pages)."""
    from cxdocs.core import audience
    from cxdocs.core.errors import CxdocsError

    variables = project.variables(lang)

    def substituted(text: str, path, line: int) -> str:
        try:
            return variables.substitute_text(text, path, line)
        except CxdocsError:
            return text

    fragments: list[Fragment] = []
    folder = project.settings.snippets_dir + "/"
    for rel, path in project.files.files.items():
        if not rel.startswith(folder) or not rel.endswith(".md"):
            continue
        try:
            lines = project.read_snippet(path)
            if project.audience_of(path) == audience.INTERNAL:
                fragments.extend(_paragraphs(lines, substituted))
            else:
                _, blocks = audience.filter_audience(lines, audience.PUBLIC)
                fragments.extend(f for b in blocks for f in _block_fragments(b, substituted))
        except CxdocsError:
            continue  # reported by the checks
    return fragments


def _internal_files(project, internal: list[Fragment], named_public: frozenset[str]) -> dict[str, str]:
    """Files of the content folder a public target must not hold: those of ``sop/`` and
    ``responses/``, and those internal text names but no public text does (``named_public``:
    the file names public text holds)."""
    from cxdocs.core.errors import display_path

    assets = {rel: path for rel, path in project.files.files.items()
              if not rel.endswith(".md") and not rel.startswith(project.settings.snippets_dir + "/")}
    if not assets:
        return {}
    named_internal = {name for f in internal for name in ASSET_NAME.findall(f.text)}
    found = {}
    for rel, path in assets.items():
        name = rel.rsplit("/", 1)[-1]
        if rel.startswith(INTERNAL_FOLDERS) or (name in named_internal and name not in named_public):
            found[rel] = display_path(path)
    return found


def _locator(project, targets):
    """Finds the line of a public page's source (snippets included) that a finding in its output comes from."""
    from cxdocs.core import audience
    from cxdocs.core.errors import CxdocsError, display_path
    from cxdocs.core.render import document_for

    by_url = {}
    for page in project.pages:
        if audience.sees(audience.PUBLIC, page.audience):
            url = page_url(page.uri)
            for key in (url, url + ".md", page.uri):
                by_url.setdefault(key, page)
            for lang, doc in page.translations.items():
                by_url.setdefault(page_url(doc.path.relative_to(project.content_dir).as_posix()), page)

    def locate(url: str, test) -> str | None:
        key = url.removesuffix("index.html").removesuffix(".html").strip("/")
        page = by_url.get(key)
        candidates = [page] if page is not None else [p for p in project.pages if p.kind == "response"]
        for candidate in candidates:
            for target in targets:
                try:
                    doc, lang = document_for(candidate, target, project.settings.default_language)
                    lines = project.expanded(doc, lang)  # unfiltered: a callout leaks from its marker line
                except CxdocsError:
                    continue
                for line in lines:
                    if test(line.text):
                        return f"{display_path(line.path)}:{line.lineno}"
        return None

    return locate


def page_reference(project, target, page, shown: bool = False) -> Reference:
    """One page's part of the guard's reference (a served preview updates it page by page).
    ``shown``: read an internal page as its readers see it (a response as the packs hold it)."""
    from cxdocs.core import audience
    from cxdocs.core.errors import CxdocsError, display_path
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
    if not shown and not audience.sees(audience.PUBLIC, page.audience):
        title = Fragment(substituted(page.title(target.lang), doc.path, 1), page.path, 1)
        internal_urls = {url, url + ".html", url + "/index.html", page.uri, *_parents(url)}
        for translation in page.translations.values():
            # Another generator publishes a translation as a page of its own: faq/x.sl/.
            rel = translation.path.relative_to(project.content_dir).as_posix()
            internal_urls.update((page_url(rel), rel))
        return Reference([title, *_paragraphs(doc.body, substituted)], [], internal_urls, set(), display_path(page.path))
    lines = project.expanded(doc, lang)
    kept, blocks = audience.filter_audience(lines, audience.PUBLIC)
    public = [substituted(str(v), doc.path, 1) for v in {**page.meta, **doc.meta}.values() if isinstance(v, str)]
    public.append(" ".join(substituted(line.text, line.path, line.lineno) for line in kept))
    # A placeholder shows on the page as a token whose tooltip is words too; the search index
    # and code spans show it bare: the reference holds both readings.
    if any("{{" in line.text for line in kept):
        tokens = (substituted(line.text, line.path, line.lineno, placeholder_token) for line in kept)
        public.append(_visible_text(" ".join(tokens), ".html"))
    internal = [fragment for block in blocks for fragment in _block_fragments(block, substituted)]
    hidden = page.document(target.lang)
    if hidden is not None and hidden is not doc:
        # A translation kept internal: the public site shows the source instead, never its text.
        internal.extend(_paragraphs(hidden.body, substituted))
    return Reference(internal, public, set(), {url, *_parents(url)})


def guard_for_packs(project, shipped: Iterable[str] = ()) -> LeakGuard:
    """The guard of the response packs and every helpdesk format: a response's text as customers
    get it is public there; its internal blocks, and every other internal text, are not.
    ``shipped``: text written beside the packs that is not content (their JSON Schema)."""
    targets = _packs_targets(project)

    def derived(texts: list[str]) -> LeakGuard:
        internal: list[Fragment] = []
        public: list[str] = list(texts)
        for target in targets:
            for page in project.pages:
                reference = page_reference(project, target, page, shown=page.kind == "response")
                internal.extend(reference.internal)
                public.extend(reference.public)
            internal.extend(snippet_fragments(project, target.lang))
        return LeakGuard(internal, public, ())

    guard = kept_guard(project, "packs", targets, shipped, derived, LeakGuard, (Fragment,))
    guard.locate = _locator(project, targets)
    return guard


def packs_guard_kept(project, shipped: Iterable[str] = ()) -> bool | None:
    """Whether the build cache holds the packs' guard; None: the build keeps no guard."""
    return is_kept(project, "packs", _packs_targets(project), shipped)


def _packs_targets(project) -> list:
    """The packs hold responses for customers in every language: every public target's view."""
    from cxdocs.core.targets import Target

    return [Target("public", lang) for lang in project.settings.languages]


def packs_stopped(leaks: list[Leak]):
    """The error the export stops with when the guard found internal text in what it wrote
    (``guard_cache.scan`` reads every file: one found clean before, with the same bytes against
    the same reference, is known clean)."""
    from cxdocs.core.errors import CxdocsErrors

    return CxdocsErrors([_finding(leak, "response packs stopped") for leak in leaks])


def refuse_leaking_requests(project, helpdesk: str, requests: Iterable[dict]) -> None:
    """What a push would send a helpdesk, read as the packs are read before anything is sent."""
    from cxdocs.core.errors import CxdocsErrors

    guard = guard_for_packs(project)
    text = json.dumps(list(requests), ensure_ascii=False, default=str)
    leaks = guard.scan_text(f"requests to {helpdesk}", text, ".json")
    if leaks:
        raise CxdocsErrors([_finding(leak, f"push to {helpdesk} stopped") for leak in leaks])


def _finding(leak: Leak, what: str):
    """A leak as ``path:line: message`` when the guard knows where it comes from."""
    from cxdocs.core.errors import Finding

    path, _, line = (leak.source or "").rpartition(":")
    if path and line.isdigit():
        return Finding(f"{what}: {leak.reason}, in {leak.file}", Path(path), int(line))
    if leak.source:
        return Finding(f"{what}: {leak.reason}, in {leak.file}", Path(leak.source))
    return Finding(f"{what}: {leak}")


def _parents(url: str) -> Iterator[str]:
    while "/" in url:
        url = url.rsplit("/", 1)[0]
        yield url


def _block_fragments(block, substituted) -> Iterator[Fragment]:
    """An internal block's text: its title run into its first paragraph (as the page shows them,
    one after the other), and each paragraph on its own (a note of a few words published without
    its title is no run of five words that crosses from the title)."""
    yield from _paragraphs([block.marker, *block.body], substituted)
    yield from _paragraphs(block.body, substituted)


def _paragraphs(lines, substituted) -> Iterator[Fragment]:
    """Each paragraph of ``lines``, and each item of a paragraph that is a list, a table or
    headings: a page shows every item as a block of its own, and a run of words never crosses
    from one block into the next."""
    chunk: list = []
    for line in [*lines, None]:
        if line is None or not line.text.strip():
            if chunk:
                texts = [substituted(c.text, c.path, c.lineno) for c in chunk]
                yield Fragment(" ".join(texts), chunk[0].path, chunk[0].lineno, tuple(chunk))
                items = _items(chunk)
                if len(items) > 1 or ITEM.match(chunk[0].text):
                    yield from _item_fragments(texts, items)
            chunk = []
        else:
            chunk.append(line)


ITEM = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)]|#{1,6}|\|)\s")
"""A line that starts a list item, a heading or a table row: the mark itself is not shown as text."""
HEADING = re.compile(r"\s*#{1,6}\s")


def _items(chunk: list) -> list[list]:
    items: list[list] = []
    for line in chunk:
        if not items or ITEM.match(line.text) or HEADING.match(items[-1][0].text):
            items.append([line])
        else:
            items[-1].append(line)
    return items


def _item_fragments(texts: list[str], items: list[list]) -> Iterator[Fragment]:
    """Each short item's text (its lines as substituted, without the item's mark). An item of
    five words or more needs none: its runs are runs of the paragraph already."""
    at = 0
    for item in items:
        words = texts[at:at + len(item)]
        at += len(item)
        if mark := ITEM.match(words[0]):
            words[0] = words[0][mark.end():]
        text = " ".join(words)
        if len(text.split()) < LONG:
            yield Fragment(text, item[0].path, item[0].lineno, tuple(item))
