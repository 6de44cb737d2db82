"""Render each navigation sub-tree once per target instead of once per page.

The theme renders the whole navigation into every page, so a build costs N x N item renders.
A sub-tree that is not on the current page's path looks the same on every page but for its
links, which are relative to the page. The cache stores such a sub-tree once per folder depth,
its links written as the way up to the site root (``../`` per level) and the path from there:
every page at that depth can show it as it is.
"""

from __future__ import annotations

import posixpath
import re

from markupsafe import Markup

HREF = re.compile(r'href="([^"]*)"')


class NavCache:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.entries: dict[tuple, Markup] = {}
        self.rows: dict[tuple, tuple[list, list]] = {}

    @staticmethod
    def key(nav_item, path, level, parent, page) -> tuple:
        # The theme's output for an item depends on these, besides the current page; its links
        # on the depth of the page.
        return (id(nav_item), path, level, bool(parent and parent.active), page.url.count("/"))

    def item(self, render, nav_item, path: str, level: int, parent, page) -> Markup:
        """One navigation item as ``render`` (the theme's macro) writes it: from the cache unless it
        is on the current page's path."""
        if nav_item.active or nav_item == page:
            return Markup(render(nav_item, path, level, parent))
        key = self.key(nav_item, path, level, parent, page)
        cached = self.entries.get(key)
        if cached is None:
            cached = self.entries[key] = self._from_root(str(render(nav_item, path, level, parent)), page.url)
        return cached

    def children(self, render, nav_item, index, path: str, level: int, page) -> Markup:
        """The items below ``nav_item`` (the theme's loop, in Python). A section holds hundreds of
        pages: its row of cached items is kept whole, and only the items on the current page's
        path are rendered for each page, so a page costs one join rather than a call per item."""
        key = self.key(nav_item, path, level, nav_item, page)
        row = self.rows.get(key)
        if row is None:
            items = [(f"{path}_{number}", item) for number, item in enumerate(nav_item.children, 1)
                     if not (index and item == index)]
            row = self.rows[key] = (items, [None] * len(items))
        items, cached = row
        parts = cached.copy()
        for position, (item_path, item) in enumerate(items):
            # An item is on the page's path when it is the page or a section holding it: ``active``
            # is set on both while the page is built.
            if item.active or item is page:
                parts[position] = render(item, item_path, level + 1, nav_item)
            elif parts[position] is None:
                parts[position] = cached[position] = self.item(render, item, item_path, level + 1, nav_item, page)
        return Markup("".join(parts))

    @staticmethod
    def _from_root(html: str, page_url: str) -> Markup:
        """``html``'s links, relative to ``page_url``, as the way up to the site root and the path from there."""
        base = page_url[:-1] if page_url.endswith("/") else posixpath.dirname(page_url)
        up = "../" * page_url.count("/")

        def from_root(match: re.Match) -> str:
            href = match.group(1)
            if not href or href.startswith(("/", "#")) or ":" in href:
                return match.group(0)
            path, sep, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(base, path))
            target = "" if target == "." else target
            slash = "/" if path.endswith("/") and target else ""
            return f'href="{(up + target + slash) or "."}{sep}{fragment}"'

        return Markup(HREF.sub(from_root, html))
