"""Render each navigation sub-tree once per target instead of once per page.

The theme renders the whole navigation into every page, so a build costs N x N item renders.
A sub-tree that is not on the current page's path looks the same on every page but for its
links, which are relative to the page. The cache stores such a sub-tree with its links made
relative to the site root behind a marker, and each page gets them back relative to itself.
"""

from __future__ import annotations

import posixpath
import re

from markupsafe import Markup

MARKER = "__cxdocs_root__/"
HREF = re.compile(r'href="([^"]*)"')


class NavCache:
    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.entries: dict[tuple, Markup] = {}

    @staticmethod
    def key(nav_item, path, level, parent) -> tuple:
        # The theme's output for an item depends on these, besides links and the current page.
        return (id(nav_item), path, level, bool(parent and parent.active))

    def has(self, key: tuple) -> bool:
        return key in self.entries

    def store(self, key: tuple, html: str, page_url: str) -> str:
        base = page_url[:-1] if page_url.endswith("/") else posixpath.dirname(page_url)

        def rooted(match: re.Match) -> str:
            href = match.group(1)
            if not href or href.startswith(("/", "#", MARKER)) or ":" in href:
                return match.group(0)
            path, sep, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(base, path))
            target = "" if target == "." else target
            slash = "/" if path.endswith("/") and target else ""
            return f'href="{MARKER}{target}{slash}{sep}{fragment}"'

        self.entries[key] = Markup(HREF.sub(rooted, str(html)))
        return ""

    def get(self, key: tuple) -> Markup:
        return self.entries[key]


def relink(output: str, page_url: str) -> str:
    """Turn the cache's root-relative links back into links relative to this page."""
    if MARKER not in output:
        return output
    # Every page holds the whole navigation: plain replaces, not a Python call per link.
    prefix = "../" * page_url.count("/")
    output = output.replace(f'href="{MARKER}"', f'href="{prefix or "."}"')
    return output.replace(f'href="{MARKER}', f'href="{prefix}')
