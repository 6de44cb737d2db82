"""Links in a page: found in its Markdown lines, followed the way its target's readers will follow them.

MkDocs checks links too, but after rendering: it names the page, not the line, it cannot tell a
link to an internal page from any other page, and a snippet's link is judged from the snippet.
Here every link is read from the page's source-mapped lines (snippets included, agent notes removed
where the target removes them) and resolved from the page that shows it.
"""

from __future__ import annotations

import difflib
import importlib
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import markdown

from cxdocs.core.fences import FenceTracker
from cxdocs.core.source import Line

INLINE = re.compile(r"\]\([ \t]*(?:<(?P<angle>[^>\n]*)>|(?P<bare>[^\s)]+))")
"""The destination of an inline link or image: ``[text](dest "title")``."""
REFERENCE = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]]+\]:[ \t]*(?:<(?P<angle>[^>\n]*)>|(?P<bare>\S+))")
AUTOLINK = re.compile(r"<(?P<url>https?://[^\s<>]+)>", re.IGNORECASE)
HTML_LINK = re.compile(r"""<[a-zA-Z][^>]*?\b(?:href|src)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
EXTERNAL = ("http://", "https://")
OTHER_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
"""``mailto:``, ``tel:`` and the like: not a page of the site."""

ATX = re.compile(r"^[ \t]*#{1,6}(?:[ \t]|$)")
SETEXT = re.compile(r"^[ \t]{0,3}(?:=+|-+)[ \t]*$")
HTML_ID = re.compile(r"""<[a-zA-Z][^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
ATTR_LIST_ID = re.compile(r"\{:?[ \t]*(?:[^}]*[ \t])?#([\w-]+)[^}]*\}")
FOOTNOTE = re.compile(r"^[ ]{0,3}\[\^([^\]]+)\]:")


@dataclass(frozen=True)
class Link:
    url: str
    line: Line
    html: bool = False
    """From an HTML tag: the browser follows it from the page's address, MkDocs leaves it as written."""


def links_in(lines: Iterable[Line]) -> list[Link]:
    """Every link of the lines outside code: inline links and images, reference definitions,
    autolinks and the ``href``/``src`` of HTML tags."""
    found: list[Link] = []
    fences = FenceTracker()
    for line in lines:
        text = line.text
        if fences.in_code(text) or ("](" not in text and "]:" not in text and "<" not in text):
            continue
        if "`" in text:
            text = CODE_SPAN.sub(lambda m: " " * len(m[0]), text)
        for match in INLINE.finditer(text):
            found.append(Link(match["angle"] if match["angle"] is not None else match["bare"], line))
        match = REFERENCE.match(text)
        if match:
            found.append(Link(match["angle"] if match["angle"] is not None else match["bare"], line))
        if "<" in text:
            found.extend(Link(m["url"], line) for m in AUTOLINK.finditer(text))
            found.extend(Link(m["dq"] if m["dq"] is not None else m["sq"], line, html=True) for m in HTML_LINK.finditer(text))
    return [link for link in found if link.url and "{{" not in link.url]


def is_external(url: str) -> bool:
    return url.lower().startswith(EXTERNAL)


def url_of(uri: str, directory_urls: bool = True) -> str:
    """Where MkDocs publishes a page, relative to the site's root: ``faq/a/b.md`` -> ``faq/a/b/``."""
    stem = uri[: -len(".md")]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


class Anchors:
    """The ids a page's headings and elements get, as Python-Markdown's ``toc`` extension assigns them.

    Only the headings are converted (with the same slugify, explicit ``{#id}`` and the ``_1``
    suffixes of repeated titles): converting whole pages to check a few anchors would cost as much
    as the build.
    """

    def __init__(self, slugify: Callable[[str, str], str] | None = None):
        self.slugify = slugify
        self.md: markdown.Markdown | None = None  # made when a link first needs a page's anchors
        self.known: dict[str, set[str]] = {}

    def of(self, text: str) -> set[str]:
        ids = self.known.get(text)
        if ids is None:
            ids = self.known[text] = self._ids(text)
        return ids

    def _ids(self, text: str) -> set[str]:
        headings: list[str] = []
        ids: set[str] = set()
        fences = FenceTracker()
        previous = ""
        for raw in text.split("\n"):
            if fences.in_code(raw):
                previous = ""
                continue
            stripped = raw.strip()
            if ATX.match(raw):
                headings += [stripped, ""]
            elif SETEXT.match(raw) and previous.strip() and not ATX.match(previous):
                headings += [previous.strip(), stripped, ""]
            else:
                if "{" in raw:
                    ids.update(ATTR_LIST_ID.findall(raw))
                if "<" in raw:
                    ids.update(HTML_ID.findall(raw))
                footnote = FOOTNOTE.match(raw)
                if footnote:
                    ids.update((f"fn:{footnote[1]}", f"fnref:{footnote[1]}"))
            previous = raw
        if headings:
            if self.md is None:
                slugify = configured_function(self.slugify)
                config = {"toc": {"slugify": slugify}} if slugify else {}
                self.md = markdown.Markdown(extensions=["toc", "attr_list"], extension_configs=config)
            self.md.reset()
            self.md.convert("\n".join(headings))
            pending = list(self.md.toc_tokens)
            while pending:
                token = pending.pop()
                ids.add(token["id"])
                pending.extend(token["children"])
        return ids


PYTHON_TAGS = ("tag:yaml.org,2002:python/name:", "tag:yaml.org,2002:python/object/apply:")


def configured_function(value: Any) -> Callable | None:
    """A function mkdocs.yml names with ``!!python/name:`` or ``!!python/object/apply:`` (the
    ``toc`` extension's slugify), imported as MkDocs imports it for the build; None if it cannot be."""
    if value is None or callable(value):
        return value
    tag = getattr(value, "tag", "")
    for prefix in PYTHON_TAGS:
        if not tag.startswith(prefix):
            continue
        module, _, name = tag[len(prefix) :].rpartition(".")
        try:
            function = getattr(importlib.import_module(module), name)
            if prefix.endswith("name:"):
                return function
            given = value.value
            args = given if isinstance(given, list) else (given or {}).get("args", [])
            kwargs = (given or {}).get("kwds", {}) if isinstance(given, dict) else {}
            return function(*args, **kwargs)
        except Exception:  # noqa: BLE001 - MkDocs reports a broken configuration itself
            return None
    return None


def suggest(wanted: str, candidates: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=0.75)
    return close[0] if close else None


def relative(from_uri: str, to_uri: str) -> str:
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def split_url(url: str) -> tuple[str, str]:
    """(path, fragment) of a link, the path unquoted, a query left out."""
    parts = urlsplit(url)
    return unquote(parts.path), unquote(parts.fragment)


def source_target(page_uri: str, path: str) -> str | None:
    """The content path a relative link points to from ``page_uri``, None when it leaves the folder."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return "" if joined == "." else joined


def site_path(page_url: str, href: str, site_url: str) -> str | None:
    """The path below the site's root that a link on the page at ``page_url`` leads to, or None
    when it leads to another host (or above the site's root)."""
    base = site_url if site_url else "https://site.invalid/"
    if not base.endswith("/"):
        base += "/"
    absolute = urljoin(urljoin(base, page_url), href)
    if not absolute.split("#", 1)[0].split("?", 1)[0].startswith(base) and absolute.rstrip("/") + "/" != base:
        return None
    return unquote(urlsplit(absolute).path)[len(urlsplit(base).path):]
