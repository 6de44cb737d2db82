"""What MkDocs reads for each page of a target: front matter it understands, then the page's Markdown."""

from __future__ import annotations

import functools
import html
import re

import yaml
from mkdocs.structure.files import File

from cxdocs.core.navigation import PRINT_SLUG, GeneratedPage, Site
from cxdocs.core.render import Rendered

# libyaml's writer, where PyYAML has it: the pure-Python one is several times slower.
FRONT_MATTER_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MERMAID = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*mermaid\b", re.M)


def page_source(r: Rendered, site: Site) -> str:
    """A content page: its Markdown for the target, and any listing the site adds below it."""
    appendix = site.appendix.get(r.page.uri)
    markdown = r.markdown + ("\n\n" + appendix if appendix is not None else "")
    return _source(r.title, r.description, markdown, kind=r.page.kind)


def generated_source(g: GeneratedPage) -> str:
    """A page cxdocs made (a landing page, a printable department, the health page)."""
    # A department's printable page repeats its SOPs: search finds each SOP once, on its own page.
    printable = g.uri.endswith(f"/{PRINT_SLUG}.md")
    # The health page names every page in every language: search would offer it for any title.
    unsearched = printable or g.kind == "health"
    return _source(g.title, "", g.markdown, kind=g.kind, printable=printable, unsearched=unsearched)


@functools.lru_cache(maxsize=None)
def url_of(uri: str, use_directory_urls: bool) -> str:
    # Kept: the health page alone links every page in every language, and a File costs 40 µs.
    return File(uri, "", "", use_directory_urls).url


def _source(title: str, description: str, markdown: str, kind: str, printable: bool = False,
            unsearched: bool = False) -> str:
    # The theme writes a page's title and description into the HTML as they are (<title>, the
    # description's attribute, <h1>, navigation): they are text, so they go in escaped.
    meta = {"title": html_text(title), "cx_kind": kind}
    if printable:
        meta["cx_print_all"] = True
    if unsearched:
        meta["search"] = {"exclude": True}
    if MERMAID.search(markdown):
        meta["cx_mermaid"] = True
    if description:
        meta["description"] = html_text(description)
    return "---\n" + yaml.dump(meta, Dumper=FRONT_MATTER_DUMPER, allow_unicode=True, sort_keys=True) + "---\n\n" + markdown


def html_text(text: str) -> str:
    """Text for the theme's HTML, in an element or a double-quoted attribute."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def escaped_nav(nav):
    """The navigation with its titles escaped: the theme writes a section's title as it is."""
    if isinstance(nav, list):
        return [escaped_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {html_text(str(title)): escaped_nav(entry) for title, entry in nav.items()}
    return nav
