"""Outdated translations as check warnings (a default plugin); the status itself is core."""

from __future__ import annotations

from collections.abc import Iterator

from cxdocs.core.content import Project
from cxdocs.core.errors import Finding, display_path
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.translations import KEY, translation_state


@hookimpl
def cxdocs_register_checks(register):
    register("translations-outdated", check_outdated)


def check_outdated(project: Project) -> Iterator[Finding]:
    for page in project.pages:
        for lang, doc in sorted(page.translations.items()):
            if translation_state(page, lang) == "outdated":
                yield Finding(
                    f"translation into {lang!r} is outdated: its source {page.path.name} changed since; "
                    f"update it, then run: cxdocs status --mark {display_path(doc.path)}",
                    doc.path,
                    doc.line_of(KEY),
                    "warning",
                )
