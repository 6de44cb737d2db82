"""Outdated translations as check warnings (a default plugin); the status itself is core."""

from __future__ import annotations

from collections.abc import Iterator

from cxdocs.core.content import Project
from cxdocs.core.errors import Finding, display_path
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.translations import KEY, SNIPPET_RECORD, find_snippets, snippet_records, snippet_state, translation_state


@hookimpl
def cxdocs_register_checks(register):
    register("translations-outdated", check_outdated)
    register("translations-not-started", check_not_started)


def check_outdated(project: Project) -> Iterator[Finding]:
    # A build of some targets (`--target public:en`, one shard of a CI matrix) warns only about
    # the languages it builds; the shards of the other languages warn about theirs.
    languages = set(project.languages_to_check)
    for page in project.pages:
        for lang, doc in sorted(page.translations.items()):
            if lang in languages and translation_state(page, lang) == "outdated":
                yield Finding(
                    f"translation into {lang!r} is outdated: its source {page.path.name} changed since; "
                    f"update it, then run: cxdocs status --mark {display_path(doc.path)}",
                    doc.path,
                    doc.line_of(KEY),
                    "warning",
                )
    settings = project.settings
    snippets = find_snippets(settings)
    records = snippet_records(settings) if snippets else {}
    for snippet in snippets:
        for lang, path in sorted(snippet.translations.items()):
            if lang in languages and snippet_state(snippet, lang, records, settings) == "outdated":
                yield Finding(
                    f"translation into {lang!r} is outdated: its source {snippet.path.name} changed since (see "
                    f"{settings.snippets_dir}/{SNIPPET_RECORD}); update it, then run: cxdocs status --mark {display_path(path)}",
                    path,
                    1,
                    "warning",
                )


def check_not_started(project: Project) -> Iterator[Finding]:
    """A translation still word for word its source (as ``cxdocs translate start`` writes it) would
    show the source language's text as another language's."""
    for page in project.pages:
        for lang, doc in sorted(page.translations.items()):
            if not page.started(lang):
                yield Finding(f"translation into {lang!r} is still the text of its source {page.path.name}: "
                              f"translate it (until then, readers of {lang!r} get the source)", doc.path, 1, "warning")
