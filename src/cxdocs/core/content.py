"""The content model: every page of the tree, parsed once, with its kind, audience and translations."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any

from babel import Locale, UnknownLocaleError

from cxdocs.core.audience import INTERNAL, PUBLIC, refuse_marker_lookalikes, sees, stricter, validate_audience
from cxdocs.core.errors import CxdocsError, CxdocsErrors, Finding
from cxdocs.core.includes import expand_includes, resolved
from cxdocs.core.settings import Settings
from cxdocs.core.source import Document, Line, parse_document
from cxdocs.core.tree import ContentFiles, list_content

SOP, FAQ, RESPONSE, PAGE, INDEX = "sop", "faq", "response", "page", "index"
KIND_BY_FOLDER = {"sop": SOP, "faq": FAQ, "responses": RESPONSE}
DEFAULT_AUDIENCE = {SOP: INTERNAL, FAQ: PUBLIC, RESPONSE: INTERNAL, PAGE: PUBLIC, INDEX: PUBLIC}
SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)$")


def is_language_code(code: str) -> bool:
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


@dataclass
class Page:
    """One page of the knowledge base, in its default language and its translations."""

    uri: str
    """Path below the content folder, with forward slashes and no language suffix: ``faq/billing/refunds.md``."""
    kind: str
    source: Document
    translations: dict[str, Document] = field(default_factory=dict)
    _known: dict[tuple, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def known(self, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()``, worked out once for this page: its files do not change while it is loaded (an
        edit loads a new page), and every target asks the same of it (a translation's state, the
        source's hash). A mistake is not kept: it is raised to every caller."""
        if key not in self._known:
            self._known[key] = make()
        return self._known[key]

    @property
    def meta(self) -> dict[str, Any]:
        return self.source.meta

    @property
    def path(self) -> Path:
        return self.source.path

    @cached_property
    def audience(self) -> str:
        _refuse_misspelt_audience(self.source)
        value = self.meta.get("audience", DEFAULT_AUDIENCE[self.kind])
        audience = validate_audience(value, self.path, self.source.line_of("audience"))
        if self.kind == RESPONSE and audience != INTERNAL:
            raise CxdocsError(
                "responses are for agents and helpdesks; a response cannot be public",
                self.path,
                self.source.line_of("audience"),
            )
        return audience

    @property
    def folder(self) -> str:
        """The folder below the kind's folder: department, FAQ topic or response folder."""
        parts = self.uri.split("/")  # a normalized relative path: PurePosixPath's parsing was costly
        return parts[1] if len(parts) > 2 else ""

    @property
    def slug(self) -> str:
        return PurePosixPath(self.uri).stem

    def document(self, lang: str) -> Document | None:
        """The page as written in ``lang``, or None when it has no such translation."""
        return self.translations.get(lang)

    def started(self, lang: str) -> bool:
        """Whether the translation into ``lang`` is more than a copy of its source: its body, or a
        front-matter value both files hold (a translated title), differs from the source's."""
        return self.known(("started", lang), lambda: self._started(lang))

    def _started(self, lang: str) -> bool:
        doc = self.translations.get(lang)
        if doc is None:
            return False
        source = self.source
        if any(key != "translated_from" and key in source.meta and source.meta[key] != value
               for key, value in doc.meta.items()):
            return True
        if not any(line.text.strip() for line in source.body):
            return True  # nothing to translate in the body: a copy of it is the translation
        return [line.text for line in doc.body] != [line.text for line in source.body]

    def audience_in(self, lang: str) -> str:
        """The audience of the page's text in ``lang``: the translation's own ``audience``, else its
        source's; where they differ the stricter wins (a translation kept internal stays out of the
        public site, and a translation cannot make an internal page public)."""
        return self.known(("audience", lang), lambda: self._audience_in(lang))

    def _audience_in(self, lang: str) -> str:
        doc = self.translations.get(lang)
        if doc is not None:
            _refuse_misspelt_audience(doc)
        if doc is None or "audience" not in doc.meta:
            return self.audience
        own = validate_audience(doc.meta["audience"], doc.path, doc.line_of("audience"))
        if self.kind == RESPONSE and own != INTERNAL:
            raise CxdocsError(
                "responses are for agents and helpdesks; a response cannot be public", doc.path, doc.line_of("audience")
            )
        return stricter(own, self.audience)

    def translation(self, lang: str, audience: str) -> Document | None:
        """The translation into ``lang`` for readers of ``audience``: None when there is none, when
        it is kept from readers who may see the page itself (an internal translation of a public
        page), or when it is not started (still word for word its source, as ``cxdocs translate
        start`` writes it: published, it would claim a language its text is not in). A response's
        translations go into the packs like the response."""
        doc = self.translations.get(lang)
        if doc is None or not self.started(lang):
            return None
        own = self.audience_in(lang)
        return doc if own == self.audience or sees(audience, own) else None

    def title(self, lang: str | None = None) -> str:
        doc = self.translations.get(lang) if lang else None
        for candidate in (doc, self.source):
            if candidate and isinstance(candidate.meta.get("title"), str) and candidate.meta["title"].strip():
                return candidate.meta["title"].strip()
        return self.slug.replace("-", " ").replace("_", " ").capitalize()


_AUDIENCE = difflib.SequenceMatcher(b="audience")
"""Compared with every front-matter key: made once, as difflib.get_close_matches does."""


def _refuse_misspelt_audience(doc: Document) -> None:
    """``Audience: internal`` or ``audiance: internal`` would leave the page public, silently."""
    if "audience" in doc.meta:
        return
    for key in doc.meta:
        folded = str(key).strip().casefold()
        _AUDIENCE.set_seq1(folded)
        if folded == "audience" or (
            _AUDIENCE.real_quick_ratio() >= 0.8 and _AUDIENCE.quick_ratio() >= 0.8 and _AUDIENCE.ratio() >= 0.8
        ):
            raise CxdocsError(
                f"{key!r} is not a front matter key; did you mean 'audience'? (without it the page's audience "
                "is its folder's)",
                doc.path,
                doc.line_of(str(key)),
            )


@dataclass
class Project:
    """The whole tree, loaded once; renderers and checks read from it."""

    settings: Settings
    pages: list[Page]
    snippet_cache: dict[Path, list[Line]] = field(default_factory=dict)
    plugins: Any = None
    """The pluggy manager the project was loaded with; checks and renderers use its hooks."""
    problems: list[Finding] = field(default_factory=list)
    """Files that could not be loaded (left out of ``pages``), reported with the checks' findings."""
    responses: dict[tuple[str, str], Any] = field(default_factory=dict)
    """Responses as the pack of a language holds them, by (uri, language): built once per run."""
    checked_targets: list[Any] | None = None
    """The targets checks read (every handbook language when None): a ``--target`` build checks
    what it builds, so the shards of a CI matrix each check their own part."""
    rendered: dict[tuple[str, Any], Any] = field(default_factory=dict)
    """Pages as a target's readers see them, by (uri, target): the checks render every page for
    the handbook before the build forks its target workers, which then reuse what they inherit."""
    findings: list[Finding] | None = None
    """What the registered checks found (None until they ran): the handbook's content health page shows it."""
    expansions: dict[tuple[int, str], tuple[Document, list[Line]]] = field(default_factory=dict)
    """Documents with their snippets included, by (document, language): see ``expanded``."""
    question_anchors: dict[int, list[str]] = field(default_factory=dict)
    """The question anchors of an expanded text (one of ``expansions``), by its identity."""
    real_paths: dict[Path, Path] = field(default_factory=dict)
    variable_sets: dict[str, Any] = field(default_factory=dict)
    """The variables of each language, as ``variables``: made once, not once per page."""
    external_timeout: float | None = None
    """Set by ``cxdocs check --external``: links to other sites are fetched, with this timeout in seconds."""
    external_links: dict[str, list[Line]] | None = None
    """Links to other sites and where they are, as the link check found them."""
    files: ContentFiles = field(default_factory=ContentFiles)
    """Every file of the content folder a target may read or copy (see ``tree``)."""
    snippet_meta: dict[Path, Document] = field(default_factory=dict)
    """Files read as snippets, by real path: their front matter (see ``audience_of``)."""
    kept: Any = None
    """``cxdocs build``'s cache of what is made from one page for one target (``render_cache.Kept``); None: none."""
    audiences: dict[Path, str] = field(default_factory=dict)
    """The audience of each source file by its real path: see ``audience_of``."""

    @property
    def content_dir(self) -> Path:
        return self.settings.content_dir

    @property
    def targets_to_check(self) -> list[Any]:
        from cxdocs.core.targets import Target

        return self.checked_targets or [Target("internal", lang) for lang in self.settings.languages]

    @property
    def languages_to_check(self) -> list[str]:
        return sorted({target.lang for target in self.targets_to_check})

    def variables(self, lang: str):
        """The variables ``{{ name }}`` takes its value from in ``lang`` (settings with their per-language overrides)."""
        if lang not in self.variable_sets:
            self.variable_sets[lang] = self.settings.variables_for(lang)
        return self.variable_sets[lang]

    def by_kind(self, kind: str) -> list[Page]:
        return [p for p in self.pages if p.kind == kind]

    def expanded(self, doc: Document, lang: str) -> list[Line]:
        """``doc``'s lines with its includes expanded, snippets in ``lang`` where translated.

        Rendering, the checks and the leak guard each read a page with its snippets: it is expanded
        once. Keyed by the document itself, so a page reloaded by ``cxdocs serve`` is expanded again.
        The list is shared: callers must not change it.
        """
        key = (id(doc), lang)
        known = self.expansions.get(key)
        if known is None or known[0] is not doc:
            known = self.expansions[key] = (doc, expand_includes(doc.body, self.content_dir, self.snippet_reader(lang), self.real_paths))
        return known[1]

    def snippet_reader(self, lang: str):
        """Reads a snippet in ``lang``: ``snippets/x.sl.md`` beside ``snippets/x.md`` when it exists."""
        if lang == self.settings.default_language:
            return self.read_snippet
        root = self._real(self.content_dir)

        def read(path: Path) -> list[Line]:
            variant = snippet_variant(path, lang)
            if variant.is_file() and self._real(variant).is_relative_to(root):
                return self.read_snippet(variant)
            return self.read_snippet(path)

        return read

    def read_snippet(self, path: Path) -> list[Line]:
        """A snippet's lines, read once per build; its front matter may only set its ``audience``."""
        if path not in self.snippet_cache:
            doc = parse_document(path)
            refuse_marker_lookalikes(doc.body)
            if self._real(path) not in self.page_audiences:
                extra = sorted(str(key) for key in doc.meta if key != "audience")
                if extra:
                    raise CxdocsError(
                        f"a snippet's front matter may only set its audience (found {', '.join(extra)}): "
                        "the rest would be dropped silently",
                        path,
                        doc.line_of(extra[0]),
                    )
            self.snippet_cache[path] = doc.body
            self.snippet_meta[self._real(path)] = doc
        return self.snippet_cache[path]

    def audience_of(self, path: Path) -> str:
        """The audience of any source file: a page's or translation's own, else a snippet's front
        matter ``audience`` (a translated snippet's stricter than its source's), else its folder's
        (``sop/`` and ``responses/`` internal, everything else public)."""
        real = self._real(path)
        known = self.page_audiences.get(real) or self.audiences.get(real)
        if known is not None:
            return known
        root = self._real(self.content_dir)
        audience = _folder_audience(real.relative_to(root).as_posix()) if real.is_relative_to(root) else INTERNAL
        if real not in self.snippet_meta:
            self.read_snippet(real)
        doc = self.snippet_meta[real]
        if "audience" in doc.meta:
            audience = stricter(audience, validate_audience(doc.meta["audience"], doc.path, doc.line_of("audience")))
        match = SUFFIX.match(real.stem)
        if match and match["lang"] in self.settings.languages[1:]:
            source = real.with_name(match["stem"] + real.suffix)
            if source.is_file():
                audience = stricter(audience, self.audience_of(source))
        self.audiences[real] = audience
        return audience

    @cached_property
    def page_audiences(self) -> dict[Path, str]:
        """The audience of every page and translation file, by its real path."""
        found = {}
        for page in self.pages:
            found[self._real(page.path)] = page.audience
            for lang, doc in page.translations.items():
                found[self._real(doc.path)] = page.audience_in(lang)
        return found

    def relative(self, path: Path) -> str:
        """A source file's path below the content folder (``snippets/x.md``), as an include names it."""
        real, root = self._real(path), self._real(self.content_dir)
        return real.relative_to(root).as_posix() if real.is_relative_to(root) else str(path)

    def _real(self, path: Path) -> Path:
        return resolved(path, self.real_paths)


def snippet_variant(path: Path, lang: str) -> Path:
    """Where a snippet's translation into ``lang`` is: ``snippets/x.sl.md`` beside ``snippets/x.md``."""
    return path.with_name(f"{path.stem}.{lang}{path.suffix}")


def kind_of(uri: str) -> str:
    parts = PurePosixPath(uri).parts
    if parts[-1] == "index.md":
        return INDEX
    return KIND_BY_FOLDER.get(parts[0], PAGE) if len(parts) > 1 else PAGE


def load_project(settings: Settings, keep_going: bool = False) -> Project:
    """Parse every page of the content folder, reporting all bad files at once.

    With ``keep_going`` the files that fail to load are left out and listed in ``problems``, so a
    check can go on and report the rest of the tree in the same run.
    """
    root = settings.content_dir
    if not root.is_dir():
        raise CxdocsError(f"content folder {root} does not exist", root)
    listing = list_content(root)
    findings: list[Finding] = list(listing.problems)
    findings += _crossing_links(listing, root)
    sources: dict[str, Document] = {}
    translations: dict[str, dict[str, Document]] = {}
    unreadable: set[str] = set()
    for rel, path in listing.files.items():
        if not rel.endswith(".md") or rel.split("/", 1)[0] == settings.snippets_dir:
            continue
        try:
            stem, lang = split_language(rel, settings, path)
        except CxdocsError as exc:
            findings.append(exc.finding)
            continue
        try:
            doc = read_page_file(path)
        except CxdocsError as exc:
            findings.append(exc.finding)
            unreadable.add(stem)  # its translations are not orphans
            continue
        if lang is None or lang == settings.default_language:
            if stem in sources:
                findings.append(Finding(f"two files for the same page: {sources[stem].path.name} and {path.name}", path, 1))
            sources[stem] = doc
        else:
            translations.setdefault(stem, {})[lang] = doc
    for stem, docs in sorted(translations.items()):
        if stem not in sources and stem not in unreadable:
            for lang, doc in docs.items():
                findings.append(
                    Finding(f"translation into {lang!r} has no source page {PurePosixPath(stem).name}", doc.path, 1)
                )
    pages = []
    for uri, doc in sorted(sources.items()):
        page = Page(uri, kind_of(uri), doc, translations.get(uri, {}))
        try:
            page.audience  # noqa: B018 - validates front matter early, with the page's path
            for lang in page.translations:
                page.audience_in(lang)
        except CxdocsError as exc:
            findings.append(exc.finding)
            continue
        pages.append(page)
    if findings and not keep_going:
        raise CxdocsErrors(findings)
    return Project(settings, pages, problems=findings, files=listing)


def _crossing_links(listing: ContentFiles, root: Path) -> list[Finding]:
    """A link from a public folder to a file of ``sop/`` or ``responses/`` would publish that file
    under a public name: its audience would depend on which name a page uses."""
    findings = []
    root = root.resolve()
    for rel, real in listing.real.items():
        real_rel = real.relative_to(root).as_posix()
        if _folder_audience(rel) == PUBLIC and _folder_audience(real_rel) == INTERNAL:
            findings.append(Finding(
                f"links to {real_rel}, a file of an internal folder: a public folder may not link into "
                "sop/ or responses/; copy what is meant to be public",
                listing.files[rel],
            ))
    return findings


def _folder_audience(rel: str) -> str:
    return DEFAULT_AUDIENCE[KIND_BY_FOLDER.get(rel.split("/", 1)[0], PAGE)] if "/" in rel else PUBLIC


def read_page_file(path: Path) -> Document:
    """One page file (a page or a translation), parsed; an empty file is an error."""
    doc = parse_document(path)
    refuse_marker_lookalikes(doc.body)
    if not doc.meta and not any(line.text.strip() for line in doc.body):
        raise CxdocsError("file is empty: write the page, or delete the file", path, 1)
    return doc


def split_language(rel: str, settings: Settings, path: Path) -> tuple[str, str | None]:
    """``faq/a.sl.md`` -> (``faq/a.md``, ``sl``); a suffix that is no language stays part of the name."""
    base = rel[: -len(".md")]
    match = SUFFIX.match(base)
    if not match:
        return rel, None
    lang = match["lang"]
    if lang in settings.languages:
        return match["stem"] + ".md", lang
    if is_language_code(lang):
        raise CxdocsError(
            f"translation into {lang!r}, which is not a configured language ({', '.join(settings.languages)})",
            path,
            1,
        )
    return rel, None
