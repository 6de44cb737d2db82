"""The built-in content checks (a default plugin): pages render, responses, FAQ pages, translations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping

from cxdocs.core.audience import PUBLIC
from cxdocs.core.content import FAQ, RESPONSE, Project
from cxdocs.core.errors import CxdocsError, Finding, display_path
from cxdocs.core.faq import misplaced_questions, parse_questions
from cxdocs.core.fences import FenceTracker
from cxdocs.core.front_matter import TEXT_KEYS, key_problem, text_problem
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.render import pages_for, render_page, visible_lines
from cxdocs.core.render_cache import findings_memo
from cxdocs.core.responses import response_id
from cxdocs.core.targets import Target
from cxdocs.core.variables import stray_braces

RAW_BLOCK = re.compile(r"<(script|style)\b", re.IGNORECASE)


@hookimpl
def cxdocs_register_checks(register):
    register("renders", check_renders)
    register("responses", check_responses)
    register("faq", check_faq)
    register("placeholders", check_braces)
    register("front-matter", check_front_matter)


def check_renders(project: Project) -> Iterator[Finding]:
    """Every page renders in every language: includes resolve, blocks close, variables exist."""
    for target in project.targets_to_check:
        for page in pages_for(project, target):
            try:
                render_page(project, page, target, project.plugins)
            except CxdocsError as exc:
                yield exc.finding


def check_responses(project: Project) -> Iterator[Finding]:
    ids: dict[str, Finding] = {}
    for page in project.by_kind(RESPONSE):
        title = page.meta.get("title")
        if not isinstance(title, str) or not title.strip():
            yield Finding("response is missing required front matter 'title'", page.path, page.source.line_of("title"))
        rid = response_id(page)
        if rid in ids:
            yield Finding(
                f"duplicate response id {rid!r}, also used by {display_path(ids[rid].path)}",
                page.path,
                page.source.line_of("id"),
            )
        else:
            ids[rid] = Finding("", page.path)


def check_faq(project: Project) -> Iterator[Finding]:
    """Each FAQ page, as customers see it in each language, has questions and each question an answer."""
    with findings_memo(project, "check-faq") as kept:
        for page in project.by_kind(FAQ):
            for lang in project.languages_to_check:
                doc = page.source if lang == project.settings.default_language else page.document(lang)
                if doc is None:
                    continue
                target = Target(PUBLIC, lang)
                yield from kept.get(kept.of(page, target), lambda: list(_faq_findings(project, page, doc, target)))


def _faq_findings(project: Project, page, doc, target: Target) -> Iterator[Finding]:
    try:
        lines, _, _, _ = visible_lines(project, page, target)
    except CxdocsError:
        return  # reported by check_renders
    for line, what in misplaced_questions(lines):
        yield Finding(
            f"this looks like a question written as {what}; write FAQ questions as '## ' headings",
            line.path,
            line.lineno,
        )
    _, questions = parse_questions(lines)
    if not questions:
        yield Finding("FAQ page has no questions: write each question as a '## ' heading", doc.path, 1)
    counts = Counter(q.text.casefold() for q in questions)
    for question in questions:
        where = (question.line.path, question.line.lineno)
        if not question.has_answer:
            yield Finding(f"question {question.text!r} has no answer", *where)
        if counts[question.text.casefold()] > 1:
            yield Finding(f"question {question.text!r} appears more than once on the page", *where)


def check_braces(project: Project) -> Iterator[Finding]:
    """No ``{{``, ``}}`` or ``{%`` reaches a reader as literal text, but for code and the ``\\{{`` escape."""
    with findings_memo(project, "check-braces") as kept:
        for page in project.pages:
            yield from kept.get(kept.of_page(page), lambda: list(_stray_in_page(project, page)))


def _stray_in_page(project: Project, page) -> Iterator[Finding]:
    docs = {project.settings.default_language: page.source, **page.translations}
    for lang, doc in docs.items():
        for key, value in _texts(doc.meta):
            for problem in stray_braces(value):
                yield Finding(problem, doc.path, doc.line_of(key))
        try:
            lines = project.expanded(doc, lang)
        except CxdocsError:
            continue  # reported by check_renders
        yield from _stray_in_lines(lines)


def _stray_in_lines(lines) -> Iterator[Finding]:
    fences = FenceTracker()
    raw: str | None = None  # inside <script> or <style>: JSON and CSS, not text
    for line in lines:
        text = line.text
        if raw is not None:
            if f"</{raw}" in text.lower():
                raw = None
            continue
        if fences.in_code(text):
            continue
        opened = RAW_BLOCK.search(text)
        if opened and f"</{opened[1].lower()}" not in text.lower():
            raw = opened[1].lower()
            text = text[: opened.start()]
        for problem in stray_braces(text):
            yield Finding(problem, line.path, line.lineno)


def _texts(meta, key: str | None = None) -> Iterator[tuple[str, str]]:
    """Every text of the front matter, with the top-level key it is under."""
    stack = [(k, v) for k, v in meta.items()] if isinstance(meta, Mapping) else []
    while stack:
        top, value = stack.pop()
        if isinstance(value, str):
            yield str(top), value
        elif isinstance(value, Mapping):
            stack.extend((top, v) for k, v in value.items())
            stack.extend((top, k) for k in value if isinstance(k, str))
        elif isinstance(value, list):
            stack.extend((top, v) for v in value)


def check_front_matter(project: Project) -> Iterator[Finding]:
    """Keys a page's kind takes (a near miss is an error: the value it meant is lost), and text where text is due."""
    for page in project.pages:
        for doc in (page.source, *page.translations.values()):
            for key in doc.meta:
                problem = key_problem(key, page.kind)
                if problem:
                    yield Finding(problem[0], doc.path, doc.line_of(str(key)), problem[1])
            for key in TEXT_KEYS:
                problem = text_problem(key, doc.meta.get(key))
                if problem:
                    yield Finding(problem, doc.path, doc.line_of(key))
