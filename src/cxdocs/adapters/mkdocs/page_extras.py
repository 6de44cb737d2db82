"""What a reader gets around a page's text, computed for the theme's templates: the questions each
language version holds (for the switcher), related questions, the last-updated date, the contact
block and the feedback control."""

from __future__ import annotations

from dataclasses import dataclass

from cxdocs.core.content import FAQ, Page, Project
from cxdocs.core.errors import CxdocsError
from cxdocs.core.faq import parse_questions
from cxdocs.core.render import Rendered


@dataclass
class LanguageMenu:
    """The language switcher's entries, as ``config.extra.alternate``. Not a list on purpose: the
    theme writes a ``<link rel="alternate">`` for each item of an iterable ``extra.alternate``, and
    its language script then fetches a ``sitemap.xml`` beside each link; for anything else that is
    set, it only includes the switcher (``partials/alternate.html``, cxdocs' own)."""

    versions: list[dict]


def shared_anchors(project: Project, rendered: Rendered, lang: str) -> tuple[str, ...] | None:
    """The questions of this page that its ``lang`` version also has, by anchor (a translation keeps
    a question's id with ``{#id}``): the switcher keeps an open one. Only this page's own anchors,
    so no other language's words reach the page. None for pages without questions."""
    if rendered.page.kind != FAQ:
        return None
    here = {q.anchor for q in rendered.questions}
    return tuple(a for a in _anchors(project, rendered.page, lang) if a in here)


def _anchors(project: Project, page: Page, lang: str) -> list[str]:
    """The question anchors of ``page`` as shown in ``lang``: its translation, else the default language's text."""
    doc = page.document(lang)
    text_lang = lang if doc is not None else project.settings.default_language
    try:
        lines = project.expanded(doc or page.source, text_lang)
    except CxdocsError:  # a broken include in a version this target does not build: said by its own build
        return []
    # Every page of every target asks for each language's anchors: the expansion is one list per
    # document and language for the whole run, and its questions are read once.
    known = _ANCHORS.get(id(lines))
    if known is None or known[0] is not lines:
        known = _ANCHORS[id(lines)] = (lines, [q.anchor for q in parse_questions(lines)[1]])
    return known[1]


_ANCHORS: dict[int, tuple[list, list[str]]] = {}
