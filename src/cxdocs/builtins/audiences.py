"""The built-in audience check (a default plugin): a translation whose audience differs from its source's."""

from __future__ import annotations

from collections.abc import Iterator

from cxdocs.core.audience import INTERNAL
from cxdocs.core.content import Project
from cxdocs.core.errors import Finding
from cxdocs.core.hookspecs import hookimpl


@hookimpl
def cxdocs_register_checks(register):
    register("audiences", check_translation_audiences)


def check_translation_audiences(project: Project) -> Iterator[Finding]:
    """The stricter audience wins; a writer who set one on purpose is told what readers get."""
    for page in project.pages:
        for lang, doc in sorted(page.translations.items()):
            own = doc.meta.get("audience")
            if own is None or own == page.audience:
                continue
            if own == INTERNAL:
                message = (
                    f"this translation is internal and its source {page.path.name} is public: public readers of "
                    f"{lang!r} get the page as if it had no translation (the stricter audience wins)"
                )
            else:
                message = (
                    f"this translation says audience {own!r} but its source {page.path.name} is internal: "
                    "it stays internal (the stricter audience wins)"
                )
            yield Finding(message, doc.path, doc.line_of("audience"), severity="warning")
