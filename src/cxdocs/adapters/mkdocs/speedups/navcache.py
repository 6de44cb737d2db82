"""Render each navigation sub-tree once per target instead of once per page.

The theme renders the whole navigation into every page, so a build costs N x N item renders.
A sub-tree that is not on the current page's path looks the same on every page but for its
links, which are relative to the page. The cache renders such a sub-tree once, keeps its links as
paths from the site root, and writes it once per folder depth with the way up to the root
(``../`` per level) before each link: every page at that depth can show it as it is. An error
page (404) has no page and links from the site's root path (MkDocs' ``base_url``): it shows the
sub-trees the pages rendered, with that path before each link.
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
        self.rooted: dict[tuple, list] = {}
        self.rows: dict[tuple, _Row] = {}
        self.indexes: dict[int, object] = {}

    @staticmethod
    def key(nav_item, path, level, parent, page, base_url=None) -> tuple:
        # The theme's output for an item depends on these, besides the current page; its links
        # on the depth of the page, or on the root path of an error page.
        where = page.url.count("/") if page is not None else ("root", base_url)
        return (id(nav_item), path, level, bool(parent and parent.active), where)

    def item(self, render, nav_item, path: str, level: int, parent, page, base_url=None) -> Markup:
        """One navigation item as ``render`` (the theme's macro) writes it: from the cache unless it
        is on the current page's path."""
        if nav_item.active or (page is not None and nav_item == page):
            return Markup(render(nav_item, path, level, parent))
        key = self.key(nav_item, path, level, parent, page, base_url)
        cached = self.entries.get(key)
        if cached is None:
            anywhere = key[:-1]
            rooted = self.rooted.get(anywhere)
            if rooted is None and page is None:
                # Its links are not relative to a page: what it renders is not kept for pages.
                cached = self.entries[key] = Markup(render(nav_item, path, level, parent))
                return cached
            if rooted is None:
                rooted = self.rooted[anywhere] = _rooted(str(render(nav_item, path, level, parent)), page.url)
            if page is not None:
                up = "../" * key[-1]
                cached = self.entries[key] = _linked(rooted, lambda target: (up + target) or ".")
            else:  # an error page links from the site's root path, as MkDocs writes it
                cached = self.entries[key] = _linked(rooted, lambda target: posixpath.join(base_url, target or "."))
        return cached

    def index_of(self, section):
        """The section's first index page (the theme's ``navigation.indexes``), or None. The theme
        looks for it among the section's items on every page that shows it open."""
        key = id(section)
        if key not in self.indexes:
            self.indexes[key] = next((item for item in section.children if item.is_index), None)
        return self.indexes[key]

    def children(self, render, nav_item, index, path: str, level: int, page, base_url=None) -> Markup:
        """The items below ``nav_item`` (the theme's loop, in Python). A section holds hundreds of
        pages: its row of cached items is kept whole, and only the items on the current page's
        path are rendered for each page, so a page costs one join rather than a call per item."""
        key = self.key(nav_item, path, level, nav_item, page, base_url)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = _Row(
                [(f"{path}_{number}", item) for number, item in enumerate(nav_item.children, 1)
                 if not (index and item == index)])
        parts = row.cached.copy()
        # An item is on the page's path when it is the page or a section holding it (``active`` is
        # set on both while the page is built): the page and its parents are the items to render.
        for item in _page_and_parents(page):
            position = row.positions.get(id(item))
            if position is not None:
                item_path, item = row.items[position]
                parts[position] = render(item, item_path, level + 1, nav_item)
        if not row.complete:
            for position, (item_path, item) in enumerate(row.items):
                if parts[position] is None:
                    parts[position] = row.cached[position] = self.item(
                        render, item, item_path, level + 1, nav_item, page, base_url)
            row.complete = None not in row.cached
        return Markup("".join(parts))


class _Row:
    """A section's items (with their paths), each as the cache writes it once known."""

    def __init__(self, items: list):
        self.items = items
        self.cached: list = [None] * len(items)
        self.positions = {id(item): n for n, (_, item) in enumerate(items)}
        self.complete = not items


def _page_and_parents(page):
    while page is not None:
        yield page
        page = page.parent


def _rooted(html: str, page_url: str) -> list:
    """``html`` cut at its links relative to ``page_url``: text, then each link's path from the site
    root and its ``#fragment``, then text again."""
    base = page_url[:-1] if page_url.endswith("/") else posixpath.dirname(page_url)
    parts: list = []
    end = 0
    for match in HREF.finditer(html):
        href = match.group(1)
        if not href or href.startswith(("/", "#")) or ":" in href:
            continue
        path, sep, fragment = href.partition("#")
        target = posixpath.normpath(posixpath.join(base, path))
        target = "" if target == "." else target
        slash = "/" if path.endswith("/") and target else ""
        parts += [html[end : match.start(1)], (target + slash, sep + fragment)]
        end = match.end(1)
    parts.append(html[end:])
    return parts


def _linked(rooted: list, link) -> Markup:
    """The ``rooted`` html with each link's path from the site root written as ``link`` makes it."""
    return Markup("".join(part if i % 2 == 0 else link(part[0]) + part[1] for i, part in enumerate(rooted)))
