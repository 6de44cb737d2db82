"""Translation status: which pages each language lacks, and which translations lag their source.

A translation records the source it was made from in its front matter, ``translated_from: <hash>``,
a short hash of the source's translatable text (body, title, description, SOP purpose and terms,
response subject). When the source changes, the hash no longer matches and the translation is
*outdated*. ``cxdocs status --mark FILE`` records the current hash once the writer has brought the
translation up to date. Changing a review date or an owner does not make translations outdated.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxdocs.core.content import INDEX, Page, Project
from cxdocs.core.errors import CxdocsError
from cxdocs.core.source import read_text

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


def source_hash(page: Page) -> str:
    meta = _sortable({key: page.meta[key] for key in TRANSLATABLE if key in page.meta})
    body = "\n".join(line.text.rstrip() for line in page.source.body).strip()
    digest = hashlib.sha256((json.dumps(meta, sort_keys=True, default=str) + "\n" + body).encode("utf-8"))
    return digest.hexdigest()[:12]


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
    if doc is None:
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
    """Record in a translation's front matter that it matches its source as the source is now."""
    target = path.resolve()
    for page in project.pages:
        for lang, doc in page.translations.items():
            if doc.path.resolve() == target:
                digest = source_hash(page)
                _write_key(doc.path, digest)
                return digest
    raise CxdocsError("not a translation of any page (expected <page>.<lang>.md beside its source)", path)


def _write_key(path: Path, digest: str) -> None:
    text = read_text(path)
    line = f"{KEY}: {digest}"
    if re.search(rf"^{KEY}:.*$", text, re.M):
        text = re.sub(rf"^{KEY}:.*$", line, text, count=1, flags=re.M)
    elif text.startswith("---\n"):
        text = f"---\n{line}\n{text[4:]}"
    else:
        text = f"---\n{line}\n---\n\n{text}"
    path.write_text(text, encoding="utf-8")
