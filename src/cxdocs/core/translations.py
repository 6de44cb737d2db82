"""Translation status: which pages each language lacks, and which translations lag their source.

A translation records the source it was made from in its front matter, ``translated_from: <hash>``,
a short hash of the source's translatable text (body, title, description, SOP purpose and terms,
response subject). When the source changes, the hash no longer matches and the translation is
*outdated*. ``cxdocs status --mark FILE`` records the current hash once the writer has brought the
translation up to date. Changing a review date or an owner does not make translations outdated.

A snippet's lines are included into pages as they are, so a snippet cannot hold front matter: the
hashes of translated snippets are kept in one file beside them, ``snippets/translated_from.yml``
(never published: nothing in the snippets folder is).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cxdocs.core.content import INDEX, Page, Project, split_language
from cxdocs.core.errors import CxdocsError
from cxdocs.core.settings import Settings
from cxdocs.core.source import Document, parse_document, read_text

KEY = "translated_from"
TRANSLATABLE = ("title", "description", "department", "purpose", "terms", "subject")
STATES = ("up to date", "outdated", "untracked", "missing")


def _sortable(value: Any) -> Any:
    """YAML allows keys of mixed types (``{404: ..., RMA: ...}``), which JSON cannot sort."""
    if isinstance(value, dict):
        return {str(key): _sortable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_sortable(item) for item in value]
    return value


def document_hash(doc: Document) -> str:
    """The hash of a source's translatable text, as ``translated_from`` records it."""
    meta = _sortable({key: doc.meta[key] for key in TRANSLATABLE if key in doc.meta})
    body = "\n".join(line.text.rstrip() for line in doc.body).strip()
    digest = hashlib.sha256((json.dumps(meta, sort_keys=True, default=str) + "\n" + body).encode("utf-8"))
    return digest.hexdigest()[:12]


def source_hash(page: Page) -> str:
    return page.known(("source hash",), lambda: document_hash(page.source))


@dataclass
class LanguageStatus:
    lang: str
    pages: dict[str, list[str]] = field(default_factory=lambda: {state: [] for state in STATES})

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.pages.values())

    @property
    def coverage(self) -> float:
        """Share of pages with a translation that is up to date."""
        return len(self.pages["up to date"]) / self.total if self.total else 1.0


def translation_state(page: Page, lang: str) -> str:
    doc = page.document(lang)
    if doc is None or not page.started(lang):  # a copy of the source: readers still get the source
        return "missing"
    recorded = doc.meta.get(KEY)
    if recorded is None:
        return "untracked"
    return "up to date" if str(recorded) == source_hash(page) else "outdated"


def status(project: Project) -> list[LanguageStatus]:
    result = []
    for lang in project.settings.languages[1:]:
        entry = LanguageStatus(lang)
        for page in project.pages:
            if page.kind != INDEX:
                entry.pages[translation_state(page, lang)].append(page.uri)
        result.append(entry)
    return result


def mark_translated(project: Project, path: Path) -> str:
    """Record that a translation (of a page or a snippet) matches its source as the source is now."""
    target = path.resolve()
    for page in project.pages:
        for lang, doc in page.translations.items():
            if doc.path.resolve() == target:
                digest = source_hash(page)
                path.write_text(with_key(read_text(doc.path), digest), encoding="utf-8")
                return digest
    for snippet in find_snippets(project.settings):
        for lang, translation in snippet.translations.items():
            if translation.resolve() == target:
                digest = snippet.hash()
                record_snippet(project.settings, translation, digest)
                return digest
    raise CxdocsError("not a translation of any page or snippet (expected <page>.<lang>.md beside its source)", path)


def with_key(text: str, digest: str) -> str:
    """A page's text with ``translated_from: digest`` in its front matter (first, when added)."""
    # A hash of digits only would read back as a number (with a leading 0, an octal one): quote it.
    line = f'{KEY}: "{digest}"' if digest.isdigit() else f"{KEY}: {digest}"
    if re.search(rf"^{KEY}:.*$", text, re.M):
        return re.sub(rf"^{KEY}:.*$", line, text, count=1, flags=re.M)
    if text.startswith("---\n"):
        return f"---\n{line}\n{text[4:]}"
    return f"---\n{line}\n---\n\n{text}"


# --- snippets -------------------------------------------------------------------------------------

SNIPPET_RECORD = "translated_from.yml"
RECORD_HEADER = (
    "# The source version each translated snippet was made from, as translated_from in a page's front\n"
    "# matter (a snippet has none). Written by cxdocs status --mark and cxdocs translate start/import.\n"
)


@dataclass
class Snippet:
    """A snippet in the default language and its translations beside it."""

    uri: str
    """Below the content folder: ``snippets/contact-hours.md``."""
    path: Path
    translations: dict[str, Path] = field(default_factory=dict)
    _digest: str | None = field(default=None, repr=False)

    def hash(self) -> str:
        if self._digest is None:
            self._digest = document_hash(parse_document(self.path))
        return self._digest


def find_snippets(settings: Settings) -> list[Snippet]:
    folder = settings.content_dir / settings.snippets_dir
    sources: dict[str, Snippet] = {}
    translations: list[tuple[str, str, Path]] = []
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        rel = path.relative_to(settings.content_dir).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        try:
            stem, lang = split_language(rel, settings, path)
        except CxdocsError:
            continue  # an unknown language: cxdocs check reports it
        if lang is None or lang == settings.default_language:
            sources[stem] = Snippet(stem, path)
        else:
            translations.append((stem, lang, path))
    for stem, lang, path in translations:
        if stem in sources:
            sources[stem].translations[lang] = path
    return [sources[uri] for uri in sorted(sources)]


def _record_path(settings: Settings) -> Path:
    return settings.content_dir / settings.snippets_dir / SNIPPET_RECORD


def snippet_records(settings: Settings) -> dict[str, str]:
    """``{'contact-hours.sl.md': hash}``: translated snippets by path below the snippets folder."""
    path = _record_path(settings)
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(read_text(path))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CxdocsError("not valid YAML", path, mark.line + 1 if mark else 1) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise CxdocsError("expected 'snippet.lang.md: hash' lines", path, 1)
    return {str(key): str(value) for key, value in data.items()}


def record_snippet(settings: Settings, translation: Path, digest: str) -> None:
    records = snippet_records(settings)
    folder = settings.content_dir / settings.snippets_dir
    records[translation.resolve().relative_to(folder.resolve()).as_posix()] = digest
    lines = "".join(f"{key}: {records[key]}\n" for key in sorted(records))
    _record_path(settings).write_text(RECORD_HEADER + lines, encoding="utf-8")


def snippet_state(snippet: Snippet, lang: str, records: dict[str, str], settings: Settings) -> str:
    translation = snippet.translations.get(lang)
    if translation is None:
        return "missing"
    folder = (settings.content_dir / settings.snippets_dir).resolve()
    recorded = records.get(translation.resolve().relative_to(folder).as_posix())
    if recorded is None:
        return "untracked"
    return "up to date" if recorded == snippet.hash() else "outdated"


def snippet_status(settings: Settings) -> list[LanguageStatus]:
    """Like ``status``, for the translations of snippets."""
    snippets = find_snippets(settings)
    records = snippet_records(settings) if snippets else {}
    result = []
    for lang in settings.languages[1:]:
        entry = LanguageStatus(lang)
        for snippet in snippets:
            entry.pages[snippet_state(snippet, lang, records, settings)].append(snippet.uri)
        result.append(entry)
    return result
