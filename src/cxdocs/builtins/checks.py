"""The built-in content checks (a default plugin): pages render, responses, FAQ pages, translations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cxdocs.core.audience import PUBLIC
from cxdocs.core.content import FAQ, RESPONSE, Project
from cxdocs.core.errors import CxdocsError, Finding, display_path
from cxdocs.core.faq import misplaced_questions, parse_questions
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.render import pages_for, render_page, visible_lines
from cxdocs.core.responses import response_id
from cxdocs.core.targets import Target


@hookimpl
def cxdocs_register_checks(register):
    register("renders", check_renders)
    register("responses", check_responses)
    register("faq", check_faq)


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
    for page in project.by_kind(FAQ):
        for lang in project.languages_to_check:
            doc = page.source if lang == project.settings.default_language else page.document(lang)
            if doc is None:
                continue
            try:
                lines, _, _, _ = visible_lines(project, page, Target(PUBLIC, lang))
            except CxdocsError:
                continue  # reported by check_renders
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
