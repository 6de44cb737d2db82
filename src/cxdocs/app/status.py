"""``cxdocs status``: translation coverage per language, for pages and snippets, and with ``--diff``
what changed in a source since its translation was made."""

from __future__ import annotations

from cxdocs.core.content import Project
from cxdocs.core.translations import STATES, LanguageStatus, snippet_status, status


def _rows(languages: list[LanguageStatus]) -> dict:
    return {
        entry.lang: {
            "total": entry.total,
            "coverage": round(entry.coverage, 4),
            **{state.replace(" ", "_"): sorted(entry.pages[state]) for state in STATES},
        }
        for entry in languages
    }


def _only(languages: list[LanguageStatus], lang: str | None) -> list[LanguageStatus]:
    return [entry for entry in languages if lang is None or entry.lang == lang]


def as_json(project: Project, lang: str | None = None) -> dict:
    return {
        "default_language": project.settings.default_language,
        "languages": _rows(_only(status(project), lang)),
        "snippets": _rows(_only(snippet_status(project.settings), lang)),
        "errors": [str(finding) for finding in project.problems],
    }


def table(project: Project, lang: str | None = None) -> list[str]:
    """The status table; with ``lang``, that language's rows only."""
    pages, snippets = _only(status(project), lang), _only(snippet_status(project.settings), lang)
    if not pages:
        return [f"only one language is configured ({project.settings.default_language}): nothing to translate"]
    lines = []
    for title, languages in (("language", pages), ("snippets", snippets if any(e.total for e in snippets) else [])):
        if not languages:
            continue
        lines.append(f"{title:<10}" + "".join(f"{state:>12}" for state in STATES) + f"{'coverage':>10}")
        for entry in languages:
            counts = "".join(f"{len(entry.pages[state]):>12}" for state in STATES)
            lines.append(f"{entry.lang:<10}{counts}{entry.coverage:>10.0%}")
    for languages in (pages, snippets):
        for entry in languages:
            for state in ("outdated", "untracked", "missing"):
                lines += [f"  {entry.lang}: {state}: {uri}" for uri in entry.pages[state]]
    return lines
