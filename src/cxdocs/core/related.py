"""Questions to read next: a FAQ page's related questions (its ``related:`` pages and questions
first, then the other pages of its topic) and the home page's popular questions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cxdocs.core.content import FAQ
from cxdocs.core.render import Rendered

LIMIT = 5


@dataclass(frozen=True)
class QuestionLink:
    text: str
    uri: str
    """The page's path below the content folder (``faq/topic/page.md``)."""
    anchor: str
    """The question's anchor on that page, or "" for the page itself."""


def split_reference(entry: str) -> tuple[str, str]:
    """``faq/topic/page.md#anchor`` -> (``faq/topic/page.md``, ``anchor``); ``.md`` may be left out."""
    uri, _, anchor = str(entry).strip().partition("#")
    uri = uri.strip().lstrip("/")
    if uri and not uri.endswith(".md"):
        uri += ".md"
    return uri, anchor.strip()


def resolve(entry: str, pages: Mapping[str, Rendered]) -> list[QuestionLink] | None:
    """The questions an entry names, as the target shows them: one question, or every question of a
    page; None when the page is not in the target or has no such question."""
    uri, anchor = split_reference(entry)
    rendered = pages.get(uri)
    if rendered is None or rendered.page.kind != FAQ:
        return None
    questions = [QuestionLink(q.text, uri, q.anchor) for q in rendered.questions]
    if not anchor:
        return questions
    chosen = [q for q in questions if q.anchor == anchor]
    # A translation that did not keep the question's id ({#id}): its page still answers it.
    return chosen or [QuestionLink(rendered.title, uri, "")]


def related_questions(rendered: Rendered, site, limit: int = LIMIT) -> list[QuestionLink]:
    """What to read after this FAQ page of ``site`` (a ``navigation.Site``): its ``related:``
    entries, then the questions of the other pages of its topic, at most ``limit``."""
    chosen: dict[tuple[str, str], QuestionLink] = {}
    for link in _candidates(rendered, site):
        if link.uri != rendered.page.uri:
            chosen.setdefault((link.uri, link.anchor), link)
        if len(chosen) == limit:
            break
    return list(chosen.values())


def _candidates(rendered: Rendered, site) -> Iterator[QuestionLink]:
    """The questions ``related_questions`` chooses from, in order, made as it asks for them: a topic
    of hundreds of pages holds a thousand questions, of which it takes five."""
    entries = rendered.page.meta.get("related") or []
    for entry in entries if isinstance(entries, list) else [entries]:
        yield from resolve(str(entry), site.pages) or []
    for other in site.folders(FAQ).get(rendered.page.folder, []):
        for question in other.questions:
            yield QuestionLink(question.text, other.page.uri, question.anchor)
