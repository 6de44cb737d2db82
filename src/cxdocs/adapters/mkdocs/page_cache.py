"""A page's finished HTML taken from the build cache when nothing that feeds it has changed.

Through MkDocs' public events only: once every page is read (``on_env``), each page's key is made
from everything its template can show, and a page whose key is in the cache gets a template that
writes nothing of its own (``page.meta["template"]``); ``on_post_page`` then hands MkDocs the
stored bytes. A page missing from the cache is rendered as usual and its HTML stored.

The key covers, for one target: the project's MkDocs configuration as written, the theme overrides'
files, the page's converted HTML and table of contents, its front matter, title and addresses, the
navigation it carries (every item's title, address and state), its neighbours and ancestors, its
language versions and structured data; the cache folder itself belongs to one cxdocs and one set of
installed packages (:mod:`cxdocs.core.cache`). Another MkDocs plugin could change a page in ways no
key covers: with any plugin but search and cxdocs, pages are always rendered.
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from pathlib import Path

from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from cxdocs.core.cache import Cache, digest, stable

log = logging.getLogger("cxdocs.cache")

TEMPLATE = "cxdocs-cached.html"
"""Writes one word: the page's bytes come from the cache in ``on_post_page``."""
LAYER = "html"
KNOWN_PLUGINS = {"search", "material/search", "cxdocs"}


class PageCache:
    def __init__(self, cache: Cache, base: str):
        self.cache = cache
        self.base = base
        self.keys: dict[str, str] = {}
        """Each page's key, by its path below the content folder."""
        self.stored: dict[str, bytes] = {}
        """The HTML of the pages found in the cache."""
        self.prepared: dict[str, tuple] = {}
        """What ``on_env`` computed for a page's key (its versions, its navigation), used again for its context."""

    @classmethod
    def for_build(cls, cache: Cache | None, config, target, assets: str = "") -> PageCache | None:
        """The page cache of this target's build, or None: no cache, or a plugin it cannot see into.
        ``assets``: where the theme's files are (the ``url`` filter's answer for them)."""
        if cache is None:
            return None
        others = sorted(set(config.plugins) - KNOWN_PLUGINS)
        if others:
            _say_once(f"cxdocs: pages are rendered anew in every build while other MkDocs plugins run ({', '.join(others)})")
            return None
        written = _configuration_as_written(config)
        if written is None:
            _say_once("cxdocs: this MkDocs does not say how the project configured it; pages are rendered in every build")
            return None
        base = digest(
            LAYER, str(target), written, stable(list(config.theme.dirs)),
            stable(dict(config.theme.items())), _folder_digest(config.theme.custom_dir),
            os.environ.get("SOURCE_DATE_EPOCH", ""), str(config.site_url), str(config.use_directory_urls),
            # What cxdocs sets in the configuration for the templates, from more than mkdocs.yml (the
            # contact variables, the labels): the site's name, footer and extra values.
            str(config.site_name), str(config.copyright), stable(dict(config.extra)), assets,
        )
        return cls(cache, base)

    def look_up(self, pages: list[tuple], site_nav: Navigation) -> None:
        """Make each page's key from ``(page, nav, versions, scripts, rendered, extras)``, where
        ``nav`` is the page's own navigation or None for the site's and ``extras`` what the templates
        show around the page's text; a page found in the cache is written from it. Every key is made before any page's template is changed."""
        whole, known = None, {}
        for page, nav, versions, scripts, rendered, extras in pages:
            self.prepared[page.file.src_uri] = (versions, nav, extras)
            if nav is None:  # the whole tree, the same on every page but for the page's path (in _around)
                whole = whole or digest(_nav(site_nav.items, None, known))
                navigation, nav = whole, site_nav
            else:
                navigation = _nav(nav.items, page, known)
            self.keys[page.file.src_uri] = digest(
                self.base, page.file.src_uri, page.file.dest_uri, str(page.url), str(page.canonical_url),
                str(page.edit_url), str(page.title), stable(page.meta),
                hashlib.sha256((page.content or "").encode("utf-8", "surrogatepass")).hexdigest(),
                _toc(page.toc), navigation, _around(page), _link(nav.homepage),
                stable([vars(v) for v in versions]), scripts or "",
                "" if rendered is None else f"{rendered.lang} {rendered.is_fallback}", stable(extras),
            )
        for page, *_ in pages:
            data = self.cache.get(LAYER, self.keys[page.file.src_uri])
            if data is not None:
                self.stored[page.file.src_uri] = data
                page.meta["template"] = TEMPLATE

    def stored_output(self, page: Page) -> str | None:
        """The page's HTML as the cache holds it, or None: the page is rendered."""
        data = self.stored.pop(page.file.src_uri, None)
        return None if data is None else data.decode("utf-8")

    def store(self, page: Page, output: str) -> None:
        key = self.keys.get(page.file.src_uri)
        if key is not None:
            self.cache.put(LAYER, key, output.encode("utf-8", errors="xmlcharrefreplace"))


def _configuration_as_written(config) -> str | None:
    """mkdocs.yml as MkDocs read it (``INHERIT`` and ``!ENV`` resolved) and the overrides cxdocs
    passed, but for where the site is written (a build's staging folder). MkDocs 1.6 marks
    ``user_configs`` deprecated: without it, no page is taken from the cache."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        user_configs = getattr(config, "user_configs", None)
    if not isinstance(user_configs, list):
        return None
    return stable([{name: value for name, value in c.items() if name != "site_dir"} for c in user_configs])


def _toc(toc) -> str:
    parts = []
    pending = [(item, 0) for item in reversed(list(toc or []))]
    while pending:
        item, depth = pending.pop()
        parts.append(f"{depth}|{item.level}|{item.id}|{item.url}|{item.title}")
        pending.extend((child, depth + 1) for child in reversed(item.children))
    return "\n".join(parts)


def _nav(items, page: Page | None, known: dict[int, str]) -> str:
    """Every item the page's navigation shows, as the theme's templates read it. ``known`` keeps
    each page item's text for the next pages (the same object in every navigation of the build)."""
    out = []
    for item in items:
        if isinstance(item, Section):
            out.append(f"S|{item.title}|{item.active}|[{_nav(item.children, page, known)}]")
        elif isinstance(item, Page):
            text = known.get(id(item))
            if text is None:
                text = known[id(item)] = f"P|{item.title}|{item.url}|{item.is_index}|{stable(item.meta)}"
            out.append(f"{text}|{item is page}|{item.active}")
        elif isinstance(item, Link):
            out.append(f"L|{item.title}|{item.url}")
        else:
            out.append(stable(item))
    return ",".join(out)


def _link(item) -> str:
    if item is None:
        return "-"
    return f"{type(item).__name__}|{item.title}|{getattr(item, 'url', '')}"


def _around(page: Page) -> str:
    """Footer neighbours, breadcrumbs and whether the page is the home page."""
    ancestors = "/".join(_link(a) for a in page.ancestors)
    return f"{_link(page.previous_page)}\n{_link(page.next_page)}\n{ancestors}\n{page.is_homepage}"


def _folder_digest(folder: str | None) -> str:
    """The names and bytes of every file below the theme overrides' folder."""
    if not folder or not Path(folder).is_dir():
        return ""
    sha = hashlib.sha256()
    root = Path(folder)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            sha.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


_said: set[str] = set()


def _say_once(message: str) -> None:
    if message not in _said:
        _said.add(message)
        log.warning(message)
