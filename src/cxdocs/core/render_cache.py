"""Pages rendered for a target (snippets included, audience filtered, variables filled in), kept in
the build cache from one build to the next.

A page's rendering for one target is keyed by: the page's files as parsed (the page and every
translation: a translation takes front matter from its source), every file its includes reach
(snippets, and snippets' translations into every language, found or not), the project's settings
(languages, variables, policies), the plugins' files and the target. A page header hook of a
plugin that is not cxdocs' own and takes ``project`` can read any page: then every page's files
are part of every key.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from cxdocs.core.audience import InternalBlock
from cxdocs.core.cache import PACKAGE, Cache, digest, stable
from cxdocs.core.content import Page, Project, snippet_variant
from cxdocs.core.errors import CxdocsError, Finding
from cxdocs.core.faq import Question
from cxdocs.core.includes import INCLUDE, QUOTED, resolve_include, resolved
from cxdocs.core.plugins import DEFAULT_PLUGINS
from cxdocs.core.render import Rendered, pages_for
from cxdocs.core.source import Document, Line
from cxdocs.core.targets import Target, all_targets

LAYER = "render"
CLASSES = (Line, Question, InternalBlock)
FIELDS = ("lang", "title", "description", "markdown", "lines", "questions", "blocks")


@contextlib.contextmanager
def rendered_from(cache: Cache | None, project: Project,
                  keyed: Callable[[Project], object] | None = None) -> Iterator[None]:
    """Within the block, pages rendered by an earlier build are taken from ``cache``; what the
    block renders anew is kept in it when the block ends. ``keyed`` is called once the cache's
    keys can be made (``project.kept``), before any rendering is read."""
    if cache is None:
        yield
        return
    try:
        keys = Keys(project)
    except TypeError:  # a setting with no stable text: this build renders every page
        yield
        return
    project.kept = Kept(cache, keys)
    if keyed is not None:
        keyed(project)
    found = set()
    targets = project.checked_targets or all_targets(project.settings.languages)
    for target in targets:
        for page in pages_for(project, target):
            if (page.uri, target) in project.rendered:
                continue
            key = keys.of(page, target)
            stored = cache.get_object(LAYER, key, CLASSES) if key is not None else None
            if isinstance(stored, dict) and set(stored) == set(FIELDS):
                project.rendered[(page.uri, target)] = Rendered(page=page, target=target, **stored)
                found.add((page.uri, target))
    yield
    pages = {page.uri: page for page in project.pages}
    anew = {}
    for (uri, target), rendered in list(project.rendered.items()):
        if (uri, target) not in found and uri in pages and rendered.page is pages[uri]:
            anew[(uri, target)] = rendered
            key = keys.of(pages[uri], target)
            if key is not None:
                cache.put_object(LAYER, key, {name: getattr(rendered, name) for name in FIELDS})
    project.kept.rendered_anew = _shown_anew(project, cache, keys, anew)


def _shown_anew(project: Project, cache: Cache, keys: Keys, anew: dict) -> set[Target]:
    """The targets a page of which reads otherwise than in the last build: a page rendered anew
    (its key changed: an edit to its source changes every language's) whose text, title or
    description is not what the last build rendered. A guess the build orders its targets by."""
    layer = "render-shown"
    entry = digest(layer, keys.base)
    before = cache.get_object(layer, entry)
    before = before if isinstance(before, dict) else {}
    present = {(uri, str(target)) for uri, target in project.rendered}
    now = {name: shown for name, shown in before.items() if name in present}
    changed = set()
    for (uri, target), rendered in anew.items():
        shown = digest(str(rendered.title), str(rendered.description or ""), rendered.markdown)
        if before.get((uri, str(target))) != shown:
            changed.add(target)
        now[(uri, str(target))] = shown
    if now != before:
        cache.put_object(layer, entry, now)
    return changed


class Kept:
    """Results made from one page for one target (a response as a pack holds it), kept under the
    page's rendering key: they read nothing the key does not cover."""

    def __init__(self, cache: Cache, keys: Keys):
        self.cache, self.keys = cache, keys
        self.guard_keys: dict[tuple, str | None] = {}
        """The leak guards' keys (``outputs.guard_kept``), made once per build."""
        self.rendered_anew: set[Target] = set()
        """The targets some page of which reads otherwise than in the last build (``_shown_anew``)."""

    def get(self, layer: str, page: Page, target: Target, make):
        key = self.keys.of(page, target)
        if key is None:
            return make()
        key = digest(layer, key)
        stored = self.cache.get_object(layer, key)
        if stored is None:
            stored = make()
            self.cache.put_object(layer, key, stored)
        return stored


@contextlib.contextmanager
def memo(project: Project, layer: str, allowed: tuple[type, ...] = (),
         valid: Callable[[object], bool] = lambda value: True) -> Iterator[Memo]:
    """Small results made from one page each (a check's findings), kept in the build cache together
    in one entry of ``layer`` (a project's thousands of pages cost one read, not one each), and
    kept again when the block ends. Without a build cache, each is made every time. A kept value
    that is not ``valid`` is made again."""
    made = Memo(project.kept, layer, allowed, valid)
    yield made
    made.keep()


def findings_memo(project: Project, layer: str) -> contextlib.AbstractContextManager[Memo]:
    """``memo`` for a check's findings, page by page: an edit to one page checks that page again."""
    return memo(project, layer, (Finding,), _findings)


def _findings(value) -> bool:
    return isinstance(value, list) and all(isinstance(finding, Finding) for finding in value)


class Memo:
    """Values by a key the caller makes (``of``, ``of_page``) of all that the value is made from.
    ``keep`` stores the values this build asked for: the entry does not grow with every edit."""

    def __init__(self, kept: Kept | None, layer: str, allowed: tuple[type, ...], valid: Callable[[object], bool]):
        self.keys = kept.keys if kept is not None else None
        self.cache = kept.cache if kept is not None else None
        self.layer = layer
        self.key = digest(layer, self.keys.base) if self.keys is not None else ""
        stored = self.cache.get_object(layer, self.key, allowed) if self.cache is not None else None
        stored = stored if isinstance(stored, dict) else {}
        self.before: dict = {key: value for key, value in stored.items() if valid(value)}
        self.stale = len(self.before) != len(stored)
        self.now: dict = {}

    def of(self, page: Page, target: Target) -> str | None:
        return self.keys.of(page, target) if self.keys is not None else None

    def of_page(self, page: Page) -> str | None:
        return self.keys.of_page(page) if self.keys is not None else None

    def get(self, key: str | None, make: Callable[[], object]):
        """The value kept under ``key``, else ``make()``; a None key (no cache, or a page with no
        stable text) is never kept."""
        if key is None:
            return make()
        value = self.before[key] if key in self.before else make()
        self.now[key] = value
        return value

    def keep(self) -> None:
        if self.cache is not None and (self.stale or self.now.keys() != self.before.keys()):
            self.cache.put_object(self.layer, self.key, self.now)


class Keys:
    """The key of each page's rendering, from digests made once per build."""

    def __init__(self, project: Project):
        self.project = project
        settings = project.settings
        self.root = settings.content_dir.resolve()
        self.base = digest(LAYER, stable(settings), str(self.root), plugins_digest(project.plugins),
                           whole_tree(project) if reads_other_pages(project.plugins) else "")
        self.pages: dict[str, str | None] = {}
        self.files: dict[Path, str] = {}
        self.reached: dict[Path, frozenset[Path]] = {}
        self.existing: dict[Path, bool] = {}
        # A file's digests are asked for by every target's key and every guard's: made once each.
        self.parsed: dict[int, tuple[Document, str]] = {}
        self.documents: dict[int, tuple[Document, str]] = {}

    def of(self, page: Page, target: Target) -> str | None:
        """The key of ``page`` rendered for ``target``; None for a page whose front matter holds a
        value with no stable text (then it is rendered in every build)."""
        known = self._known(page)
        return None if known is None else digest(self.base, page.uri, str(target), known)

    def of_page(self, page: Page) -> str | None:
        """The key of all the files of ``page`` (every language's) and all their includes reach,
        read with the project's settings and plugins; None as for ``of``."""
        known = self._known(page)
        return None if known is None else digest(self.base, page.uri, known)

    def _known(self, page: Page) -> str | None:
        known = self.pages.get(page.uri, "")
        if known == "":
            try:
                known = self._page(page)
            except TypeError:
                known = None
            self.pages[page.uri] = known
        return known

    def _page(self, page: Page) -> str:
        docs = [page.source, *(page.translations[lang] for lang in sorted(page.translations))]
        reached = set()
        for doc in docs:
            reached.update(self._reached(doc.path, doc.body, ()))
        return digest(
            *(self.parsed_digest(doc) for doc in docs),
            *(f"{path}\0{self.file(path)}" for path in sorted(reached)),
        )

    def document(self, doc: Document) -> str:
        """One file as parsed and every file its includes reach (each snippet's translations'
        places included, found or not), by their bytes."""
        known = self.documents.get(id(doc))
        if known is None or known[0] is not doc:
            reached = self._reached(doc.path, doc.body, ())
            made = digest(self.parsed_digest(doc), *(f"{path}\0{self.file(path)}" for path in sorted(reached)))
            known = self.documents[id(doc)] = (doc, made)
        return known[1]

    def parsed_digest(self, doc: Document) -> str:
        """``document_digest``, once per file."""
        known = self.parsed.get(id(doc))
        if known is None or known[0] is not doc:
            known = self.parsed[id(doc)] = (doc, document_digest(doc))
        return known[1]

    def _reached(self, path: Path, lines: list[Line], chain: tuple[Path, ...]) -> frozenset[Path]:
        """Every file the includes of ``lines`` reach, their translations' places included."""
        if path in self.reached:
            return self.reached[path]
        found: set[Path] = set()
        if any("--8<--" in line.text for line in lines):
            for line in lines:
                match = INCLUDE.match(line.text)
                quoted = QUOTED.match(match["rest"]) if match and not match["escape"] else None
                if quoted is None:
                    continue
                try:
                    target = resolve_include(quoted["target"], self.root, line, self._resolve)
                except CxdocsError:  # reported by the checks; the page does not build
                    continue
                if target in chain:
                    continue
                versions = [target, *(snippet_variant(target, lang) for lang in self.project.settings.languages[1:])]
                for version in versions:
                    found.add(version)
                    if self._is_file(version):
                        try:
                            included = self.project.read_snippet(version)
                        except CxdocsError:
                            continue
                        found.update(self._reached(version, included, (*chain, path)))
        result = self.reached[path] = frozenset(found)
        return result

    def _resolve(self, path: Path) -> Path:
        return resolved(path, self.project.real_paths)

    def _is_file(self, path: Path) -> bool:
        """Whether a snippet (or its translation) is there, asked once per build: hundreds of
        pages include the same snippets, each in every language."""
        known = self.existing.get(path)
        if known is None:
            known = self.existing[path] = path.is_file()
        return known

    def file(self, path: Path) -> str:
        """A file's SHA-256, read once per build ("absent" if it cannot be read)."""
        known = self.files.get(path)
        if known is None:
            try:
                known = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                known = "absent"
            self.files[path] = known
        return known


def document_digest(doc: Document) -> str:
    """A parsed file: its place, front matter (and the lines of its keys) and body, line by line."""
    first = doc.body[0].lineno if doc.body else 0
    return digest(str(doc.path), stable(doc.meta), stable(doc.key_lines), str(first), "\n".join(line.text for line in doc.body))


def reads_other_pages(pm) -> bool:
    """Whether a plugin other than cxdocs' own renders a page header with the whole project at hand."""
    if pm is None:
        return False
    return any(
        "project" in impl.argnames and impl.plugin_name not in DEFAULT_PLUGINS
        for impl in pm.hook.cxdocs_page_header.get_hookimpls()
    )


def whole_tree(project: Project) -> str:
    return digest(*(document_digest(doc) for page in project.pages for doc in (page.source, *page.translations.values())))


def plugins_digest(pm) -> str:
    """The registered plugins: their names, and the code of each one that is not part of cxdocs
    (a project's ``plugins/*.py``, an installed plugin's module)."""
    if pm is None:
        return ""
    own = PACKAGE
    parts = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: str(item[0])):
        parts.append(str(name))
        file = getattr(plugin, "__file__", None) or getattr(sys.modules.get(getattr(plugin, "__module__", "")), "__file__", None)
        if file and not Path(file).resolve().is_relative_to(own):
            try:
                parts.append(hashlib.sha256(Path(file).read_bytes()).hexdigest())
            except OSError:
                parts.append("unreadable")
    return digest(*parts)
