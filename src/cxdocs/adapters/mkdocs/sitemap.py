"""Sitemaps: a language site lists only pages whose text is in its language, each with its hreflang
alternates, and the default language's site carries an index of every language's sitemap.

hreflang alternates live here rather than in the page head: mkdocs-material's language script
fetches ``sitemap.xml`` beside every ``<link rel="alternate">`` of a page (other hosts, or 404s),
while Google reads the same alternates from a sitemap ("the three methods are equivalent",
developers.google.com/search/docs/specialty/international/localized-versions).
"""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path

URL_ENTRY = re.compile(r"[ \t]*<url>\s*<loc>(?P<loc>[^<]*)</loc>.*?</url>\n?", re.DOTALL)
LASTMOD = re.compile(r"[ \t]*<lastmod>[^<]*</lastmod>\n?")
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
URLSET_XHTML = (
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
)
INDEX = "sitemap-index.xml"


def rewrite_sitemap(
    site_dir: Path, drop: set[str], keep_dates: bool, alternates: dict[str, list[tuple[str, str]]] | None = None
) -> None:
    """Remove ``drop`` URLs (fallback pages, canonical elsewhere) from sitemap.xml and its gzip twin,
    and give each remaining URL its ``alternates`` (hreflang, URL) as ``xhtml:link`` elements.

    Without ``keep_dates`` the build date MkDocs writes as ``<lastmod>`` goes too, so the same
    content gives byte-identical output on any day (set SOURCE_DATE_EPOCH to keep dates).
    """
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    alternates = alternates or {}

    def entry(m: re.Match) -> str:
        loc = m["loc"].strip()
        if loc in drop:
            return ""
        links = alternates.get(html.unescape(loc))
        if not links:
            return m.group(0)
        markup = "".join(
            f'         <xhtml:link rel="alternate" hreflang="{html.escape(lang)}" href="{html.escape(url)}"/>\n'
            for lang, url in links
        )
        end = m.group(0).rindex("</url>")
        return m.group(0)[:end].rstrip(" \t") + markup + "    " + m.group(0)[end:]

    text = URL_ENTRY.sub(entry, sitemap.read_text(encoding="utf-8"))
    if alternates:
        text = text.replace(URLSET, URLSET_XHTML, 1)
    if not keep_dates:
        text = LASTMOD.sub("", text)
    _write(sitemap, text)


def write_sitemap_index(site_dir: Path, sitemaps: list[str]) -> None:
    """``sitemap-index.xml``: every language's sitemap, for a search engine to be given once."""
    entries = "".join(f"    <sitemap>\n        <loc>{html.escape(url)}</loc>\n    </sitemap>\n" for url in sitemaps)
    _write(
        site_dir / INDEX,
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</sitemapindex>\n',
        gzipped=False,
    )


def _write(path: Path, text: str, gzipped: bool = True) -> None:
    path.write_text(text, encoding="utf-8")
    if gzipped:
        # mtime=0 keeps the archive byte-identical from one build to the next.
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
