"""Render chosen pages of a finished MkDocs build again, as the full build renders them.

Each page goes through the same MkDocs steps and plugin events as in a full build (read, Markdown,
``page_content``, ``page_context``, the theme template, ``post_page``), using the build's own
navigation, files and template environment, so its HTML is what a full build writes. Output is
written to a staging folder first and moved into the served folder only when every page rendered
and the public leak guard found nothing: a failed update leaves the served site as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

# MkDocs' own steps for one page, the code its full build runs (private names: see speedups.CHECKED).
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.structure.files import InclusionLevel

from cxdocs.core.errors import CxdocsError


class Leaked(CxdocsError):
    """The guard found internal text in a page rendered for a public preview."""


def by_page(entries: list[dict]) -> dict[str, list[dict]]:
    """Search entries grouped by the URL of their page (a location is the page's URL + ``#anchor``)."""
    grouped: dict[str, list[dict]] = {}
    for entry in entries:
        grouped.setdefault(entry["location"].partition("#")[0], []).append(entry)
    return grouped


def _as_json(entries: list[dict]) -> str:
    return ",".join(json.dumps(entry, separators=(",", ":"), default=str) for entry in entries)


@dataclass
class SearchState:
    """The search plugin's index of one full build, each page's entries kept as the index file writes them.

    A full build indexes page after page, so the index is the pages' entries one after the other;
    replacing one page's entries in place keeps the file identical to a full build's, and keeping
    each page's part serialized makes writing it after an edit cheap (serializing the whole index
    of a large handbook took longer than rendering the page). The index object is kept too: MkDocs
    reuses the search plugin's instance for its next full build, which starts a new index, and a
    failed build must not leave its half index to the served one.
    """

    index: object
    parts: dict[str, str]
    """Page URL -> its entries as JSON, comma-separated."""

    @classmethod
    def of(cls, search) -> SearchState:
        grouped = by_page(search.search_index.entries)
        return cls(search.search_index, {url: _as_json(entries) for url, entries in grouped.items()})

    def write(self, path: Path, urls: list[str]) -> None:
        """The file mkdocs-material's search plugin writes (``generate_search_index``), page parts in build order."""
        config = {key: self.index.config[key] for key in ("lang", "separator", "pipeline", "fields")}
        head = json.dumps({"config": config}, separators=(",", ":"), default=str)[:-1]
        docs = ",".join(part for part in (self.parts.get(url) for url in urls) if part)
        path.parent.mkdir(parents=True, exist_ok=True)
        written = path.with_name(f".{path.name}.new")
        written.write_bytes(f'{head},"docs":[{docs}]}}'.encode("utf-8"))
        os.replace(written, path)  # whole: the server may be answering requests meanwhile


def search_plugin(config):
    """mkdocs-material's search plugin, if the project uses it (the only search a preview updates)."""
    from material.plugins.search.plugin import SearchPlugin

    return next((p for p in config.plugins.values() if isinstance(p, SearchPlugin)), None)


def render_again(
    config, state, sources: dict[str, str], staging: Path, searched: SearchState | None, guard=None
) -> list[str]:
    """Render the pages ``sources`` names (content path -> new MkDocs source) into the served site.

    ``searched`` is the build's search index (updated here); ``guard`` the public target's leak guard.
    Returns the output files written, relative to the site folder.
    """
    files, nav, env = state.files, state.nav, state.env
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    pages = []
    for uri, source in sources.items():
        file = files.get_file_from_path(uri)
        file.content_string = source
        pages.append(file.page)
    for page in pages:
        _populate_page(page, config, files)
    search = search_plugin(config) if searched is not None else None
    if search is not None:
        search.search_index = searched.index
    index = search.search_index.entries if search else []
    before = len(index)
    shutil.rmtree(staging, ignore_errors=True)
    written = []
    for page in pages:
        served = page.file.abs_dest_path
        page.file.abs_dest_path = str(staging / page.file.dest_uri)  # a cached property: set, then restored
        try:
            _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
        finally:
            page.file.abs_dest_path = served
        page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        written.append(page.file.dest_uri)
    fresh = by_page(index[before:])
    del index[before:]
    if guard is not None:
        _scan(guard, staging, written, fresh, config.site_url or "")
    site = Path(config.site_dir)
    for rel in written:
        if (staging / rel).is_file():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, site / rel)
    if search is not None:
        for page in pages:
            searched.parts[page.url] = _as_json(fresh.get(page.url, []))
        searched.write(site / "search" / "search_index.json", [f.page.url for f in doc_files])
        written.append("search/search_index.json")
    return written


def _scan(guard, staging: Path, written: list[str], fresh: dict[str, list[dict]], site_url: str) -> None:
    """The public guard reads each rendered page and its new search entries before anything is served.

    The navigation is left out: the update happens only when no title and no page changed, so it
    is the navigation the full build's guard read.
    """
    leaks = []
    for rel in written:
        path = staging / rel
        if path.is_file():
            leaks += guard.scan_text(rel, path.read_text(encoding="utf-8"), path.suffix, site_url, navigation=False)
    entries = json.dumps({"docs": [entry for group in fresh.values() for entry in group]}, ensure_ascii=False)
    leaks += guard.scan_text("search/search_index.json", entries, ".json", site_url)
    if leaks:
        listing = "\n".join(f"  {leak}" for leak in leaks[:20])
        raise Leaked(f"not shown: internal content reached the public preview\n{listing}")
