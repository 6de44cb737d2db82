"""One Python-Markdown instance per process for the pages of a build, reset between pages.

MkDocs makes a new ``Markdown`` instance for every page it converts, and making one (loading each
extension and copying its settings) costs about a tenth of converting an average page. Python-Markdown
converts any number of documents with one instance: ``reset()`` clears its state and the state of
every extension that registers for it, as Python-Markdown's own extensions and pymdownx's do. With
an extension cxdocs does not know, each page gets its own instance, as in MkDocs.

MkDocs' ``Page.render`` stays the code that converts a page (it adds MkDocs' own processors, which
replace the previous page's by name); only the instance it asks for is the reused one.
"""

from __future__ import annotations

from types import MethodType

import markdown
import mkdocs.structure.pages as mkdocs_pages
from mkdocs.structure.pages import Page

PYTHON_MARKDOWN = {
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
    "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
    "wikilinks",
}
KNOWN_PACKAGES = ("markdown.extensions.", "pymdownx.", "material.extensions.")


def known(extensions: list) -> bool:
    """Whether every extension is one whose state ``reset()`` clears."""
    return all(
        isinstance(name, str) and (name in PYTHON_MARKDOWN or name.startswith(KNOWN_PACKAGES)) for name in extensions
    )


class _Instances:
    """Stands in for the ``markdown`` module in ``mkdocs.structure.pages`` while a page renders."""

    def __init__(self):
        self.made: dict[str, markdown.Markdown] = {}

    def Markdown(self, extensions, extension_configs):  # noqa: N802 - the name Page.render calls
        setup = repr((extensions, sorted(extension_configs.items(), key=str)))
        md = self.made.get(setup)
        if md is None:
            md = self.made[setup] = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
        else:
            md.reset()
        return md

    def __getattr__(self, name):
        return getattr(markdown, name)


_INSTANCES = _Instances()


def render(page: Page, config, files) -> None:
    """``Page.render``, converting with this process's Markdown instance for the config's setup."""
    if not known(config["markdown_extensions"]):
        Page.render(page, config, files)
        return
    mkdocs_pages.markdown = _INSTANCES
    try:
        Page.render(page, config, files)
    finally:
        mkdocs_pages.markdown = markdown


def attach(page: Page) -> None:
    """Convert ``page`` with this process's instance when MkDocs renders it."""
    page.render = MethodType(render, page)
