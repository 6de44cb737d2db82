"""Sitemap edits: a language site lists only pages whose text is in its language."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

URL_ENTRY = re.compile(r"[ \t]*<url>\s*<loc>(?P<loc>[^<]*)</loc>.*?</url>\n?", re.DOTALL)
LASTMOD = re.compile(r"[ \t]*<lastmod>[^<]*</lastmod>\n?")


def rewrite_sitemap(site_dir: Path, drop: set[str], keep_dates: bool) -> None:
    """Remove ``drop`` URLs (fallback pages, canonical elsewhere) from sitemap.xml and its gzip twin.

    Without ``keep_dates`` the build date MkDocs writes as ``<lastmod>`` goes too, so the same
    content gives byte-identical output on any day (set SOURCE_DATE_EPOCH to keep dates).
    """
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = URL_ENTRY.sub(lambda m: "" if m["loc"].strip() in drop else m.group(0), sitemap.read_text(encoding="utf-8"))
    if not keep_dates:
        text = LASTMOD.sub("", text)
    sitemap.write_text(text, encoding="utf-8")
    # mtime=0 keeps the archive byte-identical from one build to the next.
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
