"""From a page and a target to the Markdown that target's readers may see."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import pluggy

from cxdocs.core.audience import INTERNAL, PUBLIC, InternalBlock, filter_audience, sees
from cxdocs.core.errors import CxdocsError
from cxdocs.core.content import FAQ, SOP, Page, Project
from cxdocs.core.errors import CxdocsError
from cxdocs.core.faq import Question, parse_questions, with_anchors
from cxdocs.core.front_matter import TEXT_KEYS, text_problem
from cxdocs.core.fences import refuse_deep_nesting, refuse_unclosed_fence
from cxdocs.core.labels import label
from cxdocs.core.languages import bcp47, language_name
from cxdocs.core.plugins import changed_markdown
from cxdocs.core.source import Document, Line
from cxdocs.core.targets import Target


MAX_QUESTIONS = 1_000
"""Questions on one FAQ page: more than a reader can scan, and each one is a heading, an anchor,
a search entry and a JSON-LD item."""


@dataclass
class Rendered:
    """A page ready for the renderer, holding nothing its target's readers may not see."""

    page: Page
    target: Target
    lang: str
    """The language the text is really in (the default language for a fallback)."""
    title: str
    description: str
    markdown: str
    lines: list[Line]
    questions: list[Question] = field(default_factory=list)
    blocks: list[InternalBlock] = field(default_factory=list)

    @property
    def is_fallback(self) -> bool:
        return self.lang != self.target.lang


def document_for(page: Page, target: Target, default_lang: str) -> tuple[Document, str]:
    """The page's text for the target's language, falling back to the default language (also
    when the translation is internal and the target public)."""
    doc = page.translation(target.lang, target.audience) if target.lang != default_lang else None
    return (doc, target.lang) if doc is not None else (page.source, default_lang)


def visible_lines(project: Project, page: Page, target: Target) -> tuple[list[Line], list[InternalBlock], Document, str]:
    """The page's source-mapped lines after snippet inclusion and audience filtering."""
    doc, lang = document_for(page, target, project.settings.default_language)
    lines = project.expanded(doc, lang)
    kept, blocks = filter_audience(lines, target.audience)
    if page.audience_in(lang) == PUBLIC:
        refuse_internal_sources(project, kept if target.audience == PUBLIC else _outside(kept, blocks))
    refuse_unclosed_fence(kept)
    refuse_deep_nesting(kept)
    return kept, blocks, doc, lang


def refuse_internal_sources(project: Project, lines: list[Line]) -> None:
    """A public page is made of public sources only: an include of an SOP, a response or an
    internal snippet, outside an internal block, is an error at the include line."""
    for line in lines:
        if not line.via:
            continue
        chain = [*line.via, line]
        for include, included in zip(chain, chain[1:]):
            if project.audience_of(included.path) == INTERNAL:
                raise CxdocsError(
                    f"includes {project.relative(included.path)}, which is internal, into a public page: put the include inside an "
                    "!!! internal block, or include a public snippet",
                    include.path,
                    include.lineno,
                )


def _outside(kept: list[Line], blocks: list[InternalBlock]) -> list[Line]:
    """The lines of ``kept`` outside every internal block."""
    if not blocks:
        return kept
    # The internal audience's marker line is a new line (its marker written out): compare places.
    inside = {(line.path, line.lineno, line.via) for block in blocks for line in (block.marker, *block.body)}
    return [line for line in kept if (line.path, line.lineno, line.via) not in inside]


def render_page(project: Project, page: Page, target: Target, pm: pluggy.PluginManager) -> Rendered:
    """The page for the target's readers; rendered once per project and target."""
    if pm is not project.plugins:
        return _render_page(project, page, target, pm)
    key = (page.uri, target)
    rendered = project.rendered.get(key)
    if rendered is None:
        rendered = project.rendered[key] = _render_page(project, page, target, pm)
    return rendered


def _render_page(project: Project, page: Page, target: Target, pm: pluggy.PluginManager) -> Rendered:
    kept, blocks, doc, lang = visible_lines(project, page, target)
    # Variables follow the reader's language even on a fallback page: a market's limits are the
    # policy that applies to its customers, whatever language the page is written in.
    variables = project.variables(target.lang)
    meta: dict[str, Any] = {**page.meta, **doc.meta} if doc is not page.source else page.meta

    def render(value: Any, key: str) -> str:
        if value is None:
            return ""
        where = doc if key in doc.meta else page.source
        problem = text_problem(key, value) if key in TEXT_KEYS else None
        if problem:  # a list would show as Python's ['a', 'b']
            raise CxdocsError(problem, where.path, where.line_of(key))
        return variables.substitute_text(str(value), where.path, where.line_of(key))

    if page.kind == FAQ:
        kept = with_anchors(kept)
    body = variables.substitute_markdown(kept, visible_placeholders=True, wrap=_foreign_values(project, lang, target))
    questions = parse_questions(body)[1] if page.kind == FAQ else []
    if len(questions) > MAX_QUESTIONS:
        extra = questions[MAX_QUESTIONS].line
        raise CxdocsError(
            f"FAQ page has {len(questions):,} questions, over the limit of {MAX_QUESTIONS:,} a page: "
            "split it into pages by subject", extra.path, extra.lineno,
        )
    header = [h for h in pm.hook.cxdocs_page_header(page=page, target=target, render=render, project=project) if h]
    if lang != target.lang:
        header.insert(0, untranslated_notice(target.lang, lang))
    markdown = "\n\n".join([*header, "\n".join(line.text for line in body)]) + "\n"
    markdown = changed_markdown(pm, page, target, markdown)
    return Rendered(
        page=page,
        target=target,
        lang=lang,
        title=render(meta.get("title") or page.title(lang), "title"),
        description=render(meta.get("description"), "description")
        or (render(meta.get("purpose"), "purpose") if page.kind == SOP else ""),
        markdown=markdown,
        lines=body,
        questions=questions,
        blocks=blocks,
    )


def _foreign_values(project: Project, text_lang: str, target: Target):
    """On a fallback page, values that differ from the text language's are marked with their language.

    The reader's market values apply (its limits are its policy), and ``<span lang>`` keeps the
    page honest about which words are in which language.
    """
    if text_lang == target.lang:
        return None
    own = project.variables(text_lang).values

    def wrap(name: str, value: str) -> str:
        if str(own.get(name)) == value:
            return value
        return f'<span lang="{bcp47(target.lang)}">{value}</span>'

    return wrap


def untranslated_notice(reader_lang: str, text_lang: str) -> str:
    """Told in the reader's language, and marked as such, on a page shown in another language."""
    message = label("untranslated", reader_lang).format(
        language=language_name(reader_lang), source=language_name(text_lang)
    )
    return f'<p class="cx-untranslated" lang="{bcp47(reader_lang)}">{html.escape(message)}</p>'


def pages_for(project: Project, target: Target) -> list[Page]:
    """The pages a target holds: by audience, and by the untranslated-page policy on the public site."""
    default = project.settings.default_language
    pages = [p for p in project.pages if sees(target.audience, p.audience)]
    if target.is_public and target.lang != default and project.settings.untranslated == "omit":
        pages = [p for p in pages if p.translation(target.lang, target.audience) is not None]
    return pages
