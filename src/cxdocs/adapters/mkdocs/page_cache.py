"""A page's finished HTML taken from the build cache when nothing that feeds it has changed.

Through MkDocs' public events only. Every page is given a template that extends the one it would
have had (``cxdocs-page.html``: ``{% extends cx_template %}``, which writes the same bytes). Last
before the template is rendered (``on_page_context``), the page's key is made from what the
template is handed: the page, the site's navigation, every other entry of the context, the
configuration; a page whose key is in the cache extends a template that writes one word instead.
A page missing from the cache is rendered as usual.

A page's bytes are kept in the cache's store of files (``file_store``), its key naming them. In a
build (not a preview), ``on_post_page`` hands MkDocs no bytes to write for any page the cache
holds, found or just stored, and ``link_pages`` puts each one in place as a link to its stored
bytes once MkDocs has written the others: a target rebuilt for one changed page writes that
page's bytes, not its 2,000 neighbours'. A preview writes what the cache holds as MkDocs would.

The cache folder belongs to one cxdocs and one set of installed packages (:mod:`cxdocs.core.cache`),
so the theme's and cxdocs' templates and code are part of every key through it; the theme
overrides' files are read into the key. Another MkDocs plugin could change a page in ways no key
covers: with any plugin but search and cxdocs, pages are always rendered. A value in the context
that has no stable text (an object of unknown kind) leaves its page out of the cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import warnings
from pathlib import Path

from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from cxdocs.adapters.mkdocs import file_store
from cxdocs.core.cache import Cache, digest, stable
from cxdocs.core.errors import CxdocsError

log = logging.getLogger("cxdocs.cache")

DISPATCH = "cxdocs-page.html"
"""Extends ``cx_template``: the page's own template, or ``CACHED``."""
CACHED = "cxdocs-cached.html"
"""Writes one word: the page's bytes come from the cache in ``on_post_page``."""
OWN_TEMPLATE = "main.html"
"""The template MkDocs gives a page whose front matter names none (cxdocs writes the front matter)."""
LAYER = "html"
"""A page's key -> the record of its bytes in the store of files."""
SKIPPED = "Page skipped: '{}'. Generated empty output."
"""What MkDocs logs (at INFO) of a page handed no bytes: said of a page linked from the cache, it is not shown."""
KNOWN_PLUGINS = {"search", "material/search", "cxdocs"}
MADE_BY_MKDOCS = {"nav", "pages", "base_url", "extra_css", "extra_javascript", "mkdocs_version", "build_date_utc",
                  "config", "page", "cx_template"}
"""Context entries MkDocs makes from what the key covers: the configuration, the page's URL, the
navigation (the page's own is cut from the site's), SOURCE_DATE_EPOCH. Any other is read into the key."""
PER_PAGE_EXTRA = ("alternate", "scope")
"""``config.extra`` entries cxdocs sets for each page (the language switcher, where the theme keeps
a reader's choices): written out page by page, apart from the rest, which the pages share."""


class PageCache:
    def __init__(self, cache: Cache, base: str, files: Path):
        self.cache = cache
        self.base = base
        self.files = files
        """The cache's store of files (its real folder)."""
        self.site = ""
        self.linking = True
        """Pages are put in place as links once MkDocs is done (a build); a preview is handed their bytes."""
        self.keys: dict[str, str] = {}
        """Each page's key, by its path below the content folder."""
        self.found: dict[str, Path | bytes] = {}
        """The pages found in the cache, until MkDocs is done with them: their stored file (a
        build), or its bytes (a preview)."""
        self.linked: dict[str, tuple[Path, str]] = {}
        """Pages handed to MkDocs without bytes: where each goes (below the site) and its stored bytes."""
        self.extra: tuple[bytes, str] | None = None
        """``config.extra`` as the last page's key read it: pickled, and its stable text."""

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
        try:
            written = _configuration_as_written(config)
            if written is None:
                _say_once("cxdocs: this MkDocs does not say how the project configured it; pages are rendered in every build")
                return None
            base = digest(
                LAYER, str(target), written, stable(list(config.theme.dirs)), stable(dict(config.theme.items())),
                _folder_digest(config.theme.custom_dir), os.environ.get("SOURCE_DATE_EPOCH", ""),
                str(config.site_url), str(config.use_directory_urls),
                # What cxdocs sets in the configuration for the templates from more than mkdocs.yml
                # (the site's name and footer in the target's language), and where the theme's files
                # are: the ``url`` filter's answer for them, which no template context holds.
                str(config.site_name), str(config.copyright), assets,
            )
        except TypeError as exc:  # a configuration value with no stable text
            _say_once(f"cxdocs: pages are rendered in every build ({exc} in the configuration)")
            return None
        files = file_store.folder(cache)
        return None if files is None else cls(cache, base, files)

    def start(self, pages: list[Page], nav: Navigation) -> None:
        """Once every page is read: the site's navigation and pages (addresses, titles, front
        matter) are part of every page's key, and every page gets the template that dispatches."""
        try:
            self.site = digest(
                _nav(nav.items), _link(nav.homepage),
                *(f"{p.file.src_uri}|{p.url}|{p.title}|{stable(p.meta)}" for p in pages),
            )
        except TypeError:
            self.site = None
            return
        for page in pages:
            page.meta["template"] = DISPATCH

    def choose(self, context, page: Page, also: str) -> None:
        """Last before the template: the page's key from everything the template is handed (and
        ``also``, what cxdocs adds to the page's HTML afterwards); a page in the cache is written from it."""
        uri = page.file.src_uri
        key = self._key(context, page, also) if self.site is not None else None
        record = self.cache.get_object(LAYER, key) if key is not None else None
        stored = file_store.stored(self.files, tuple(record)) if file_store.is_record(record) else None
        if key is not None:
            self.keys[uri] = key
        if stored is not None and not self.linking:
            try:  # a preview is handed the bytes
                stored = stored.read_bytes()
            except OSError:
                stored = None
        if stored is None:
            context["cx_template"] = OWN_TEMPLATE
        else:
            self.found[uri] = stored
            context["cx_template"] = CACHED

    def _key(self, context, page: Page, also: str) -> str | None:
        meta = {name: value for name, value in page.meta.items() if name != "template"}
        try:
            others = [f"{name}={stable(context[name])}" for name in sorted(context) if name not in MADE_BY_MKDOCS]
            shared = dict(context["config"].extra)
            own = {name: shared.pop(name) for name in PER_PAGE_EXTRA if name in shared}
            extra, own_extra = self._extra(shared), stable(own)
            meta_text = stable(meta)
        except TypeError:
            return None
        return digest(
            self.base, self.site, page.file.src_uri, page.file.dest_uri, str(page.url), str(page.canonical_url),
            str(page.edit_url), str(page.title), meta_text,
            hashlib.sha256((page.content or "").encode("utf-8", "surrogatepass")).hexdigest(), _toc(page.toc),
            _around(page), extra, own_extra, *others, also,
        )

    def _extra(self, extra: dict) -> str:
        """``stable(extra)``, written out again only when ``extra`` changed since the last page:
        its pickled bytes tell in a fraction of the time. With the page cache on, only cxdocs'
        own events can change it, and they put plain values there (strings, numbers, lists and
        mappings of them), whose pickled bytes differ whenever their stable text does."""
        try:
            pickled = pickle.dumps(extra, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a value pickle cannot write: written out for each page
            return stable(extra)
        if self.extra is None or self.extra[0] != pickled:
            self.extra = (pickled, stable(extra))
        return self.extra[1]

    def stored_output(self, page: Page) -> str | None:
        """What MkDocs is to write of a page found in the cache: nothing in a build (it is linked
        in place afterwards), its bytes in a preview; None: the page was rendered."""
        stored = self.found.pop(page.file.src_uri, None)
        if isinstance(stored, bytes):
            return stored.decode("utf-8")
        if stored is not None:
            self.linked[page.file.src_uri] = (stored, page.file.dest_uri)
            return ""
        return None

    def store(self, page: Page, output: str) -> str:
        """Keep a rendered page's bytes; what MkDocs is to write of it (nothing once stored, in a build)."""
        key = self.keys.pop(page.file.src_uri, None)
        if key is None or not output.strip():  # MkDocs writes no file for a blank page: nor does the cache
            return output
        data = output.encode("utf-8", errors="xmlcharrefreplace")
        record = file_store.keep(self.files, data)
        if record is None:
            return output
        self.cache.put_object(LAYER, key, record)
        if not self.linking:
            return output
        self.linked[page.file.src_uri] = (self.files / record[0], page.file.dest_uri)
        return ""

    def link_pages(self, site_dir: Path) -> None:
        """Once MkDocs has written the other pages: each page handed to it without bytes, in place."""
        made: set[Path] = set()
        for stored, dest in self.linked.values():
            destination = site_dir / dest
            if destination.parent not in made:
                destination.parent.mkdir(parents=True, exist_ok=True)
                made.add(destination.parent)
            try:
                file_store.place(stored, destination)
            except FileNotFoundError:
                raise CxdocsError(
                    f"the build cache lost the stored bytes of {dest} while this build ran (another cxdocs build "
                    "of this project beside it?): nothing was published; build again"
                ) from None

    def digests(self) -> dict[str, str]:
        """The linked pages' SHA-256 (their stored file's name), by their place in the site."""
        return {dest: stored.name for stored, dest in self.linked.values()}

    def quiet(self, record: logging.LogRecord) -> bool:
        """A logging filter: MkDocs' word that it skipped a page is not said of a linked page."""
        said = record.msg if isinstance(record.msg, str) else ""
        head, tail = SKIPPED.split("{}")
        return not (said.startswith(head) and said.endswith(tail) and said[len(head):-len(tail)] in self.linked)


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


def _nav(items) -> str:
    """The site's navigation, every item as the theme's templates read it: a page's own
    navigation is cut from it by the page's place (``page_nav``)."""
    out = []
    for item in items:
        if isinstance(item, Section):
            out.append(f"S|{item.title}|[{_nav(item.children)}]")
        elif isinstance(item, Page):
            out.append(f"P|{item.file.src_uri}|{item.is_index}")
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
    """The page's place: footer neighbours, ancestors (breadcrumbs, open sections), home page or not."""
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
