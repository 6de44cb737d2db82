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

    @staticmethod
    def key(nav_item, path, level, parent, page) -> tuple:
        # The theme's output for an item depends on these, besides the current page; its links
        # on the depth of the page.
        return (id(nav_item), path, level, bool(parent and parent.active), page.url.count("/"))

    def children(self, render, nav_item, index, path: str, level: int, page) -> Markup:
        """The items below ``nav_item`` (the theme's loop, in Python): each from the cache unless it is
        on the current page's path. A section holds hundreds of pages; a template loop costs a macro
        call and three cache calls per item and page."""
        parts = []
        for number, item in enumerate(nav_item.children, 1):
            if index and item == index:
                continue
            sub = f"{path}_{number}"
            if item.active or item == page:
                parts.append(str(render(item, sub, level + 1, nav_item)))
                continue
            key = self.key(item, sub, level + 1, nav_item, page)
            if key not in self.entries:
                self.store(key, render(item, sub, level + 1, nav_item), page.url)
            parts.append(self.entries[key])
        return Markup("".join(parts))

    def has(self, key: tuple) -> bool:
        return key in self.entries

    def store(self, key: tuple, html: str, page_url: str) -> str:
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

        self.entries[key] = Markup(HREF.sub(from_root, str(html)))
        return ""

    def get(self, key: tuple) -> Markup:
        return self.entries[key]
