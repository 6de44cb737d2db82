"""The navigation one page carries: the sections on its path, open; every other section, one link.

A help centre shows its topics, the current topic's pages and the page's own questions, not the
whole site: the theme renders whatever ``nav`` a page's context holds, so each page gets a small
navigation made from MkDocs' own. Its size follows the number of sections and the window of pages
around the current one, not the number of pages, so a page weighs the same in a site of 250 pages
and of 10,000. The section landing pages list all of a section's pages.
"""

from __future__ import annotations

from collections.abc import Callable

from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

WINDOW = 20
"""Pages listed around the current one in a long section; the rest are on its landing page."""


class CompactNavigation:
    """Per-page navigations cut from one MkDocs navigation (made once per build)."""

    def __init__(self, nav: Navigation, more: Callable[[int], str], window: int = WINDOW):
        self.nav = nav
        self.more = more
        """The "all N pages" link's text, in the target's language."""
        self.window = window
        self._collapsed: dict[int, Page | Link] = {}
        self._positions: dict[int, dict[int, int]] = {}

    def for_page(self, page: Page | None) -> Navigation:
        """``page``'s navigation; with no page (an error page), every section collapsed."""
        path = set()
        item = page
        while item is not None:
            path.add(id(item))
            item = item.parent
        return Navigation(self._items(self.nav.items, path, page), self.nav.pages)

    def _items(self, items: list, path: set[int], page: Page | None) -> list:
        out = []
        for item in self._window(items, path):
            if not isinstance(item, Section):
                out.append(item)
            elif id(item) in path:
                opened = Section(item.title, self._items(item.children, path, page))
                opened.active = True  # the copy has no parent: the theme opens it by this flag
                out.append(opened)
            else:
                out.append(self._collapse(item))
        return out

    def _window(self, items: list, path: set[int]) -> list:
        """A long list of pages cut to the pages around the one on the path, and a link to the rest."""
        if len(items) <= self.window + 2:
            return items
        index = next((i for i in items if isinstance(i, Page) and i.is_index), None)
        positions = self._positions.setdefault(id(items), {id(item): i for i, item in enumerate(items)})
        current = next((positions[key] for key in path if key in positions), 0)
        start = max(0, min(current - self.window // 2, len(items) - self.window))
        shown = items[start : start + self.window]
        if index is not None and index not in shown:
            shown = [index, *shown]
        if index is None:
            return shown
        return [*shown, Link(self.more(len(items) - 1), index.url)]

    def _collapse(self, section: Section) -> Page | Link:
        """A section not on the page's path, as one link to its landing page (made once)."""
        known = self._collapsed.get(id(section))
        if known is None:
            index = next((c for c in section.children if isinstance(c, Page) and c.is_index), None)
            known = index if index is not None else Link(section.title, _first_url(section))
            self._collapsed[id(section)] = known
        return known


def _first_url(section: Section) -> str:
    for child in section.children:
        if isinstance(child, Section):
            return _first_url(child)
        if child.url is not None:
            return child.url
    return ""
