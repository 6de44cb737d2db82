"""Sitemap edits: a language site lists only pages whose text is in its language."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

URL_ENTRY = re.compile(r"[ \t]*<url>\s*<loc>(?P<loc>[^<]*)</loc>.*?</url>\n?", re.DOTALL)


def prune_sitemap(site_dir: Path, urls: set[str]) -> None:
    """Remove ``urls`` (fallback pages, canonical elsewhere) from sitemap.xml and its gzip twin."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = URL_ENTRY.sub(lambda m: "" if m["loc"].strip() in urls else m.group(0), sitemap.read_text(encoding="utf-8"))
    sitemap.write_text(text, encoding="utf-8")
    # mtime=0 keeps the archive byte-identical from one build to the next.
    (site_dir / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
