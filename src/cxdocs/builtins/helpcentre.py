"""Checks for the help centre around the answers (a default plugin): ``related:`` front matter
and the home page's popular questions name questions that exist."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cxdocs.core.content import FAQ, Page, Project
from cxdocs.core.errors import Finding
from cxdocs.core.faq import parse_questions
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.related import split_reference


@hookimpl
def cxdocs_register_checks(register):
    register("related", check_related)
    register("popular", check_popular)


def check_related(project: Project) -> Iterator[Finding]:
    """``related:`` entries name FAQ pages (and questions) that exist."""
    faq = {p.uri: p for p in project.by_kind(FAQ)}
    for page in faq.values():
        entries = page.meta.get("related")
        if entries is None:
            continue
        line = page.source.line_of("related")
        if not isinstance(entries, list):
            yield Finding("'related' must be a list of FAQ pages, like [faq/shipping/delivery.md#can-i-track-my-parcel]", page.path, line)
            continue
        for entry in entries:
            problem = _reference_problem(str(entry), faq)
            if problem:
                yield Finding(f"related: {problem}", page.path, line)


def check_popular(project: Project) -> Iterator[Finding]:
    """The home page's popular questions exist."""
    faq = {p.uri: p for p in project.by_kind(FAQ)}
    config = project.settings
    for index, entry in enumerate(config.popular):
        problem = _reference_problem(entry, faq)
        if problem:
            path, line = config.origins.get(f"popular.{index}", (None, None))
            yield Finding(f"popular: {problem}", path, line)


def _reference_problem(entry: str, faq: Mapping[str, Page]) -> str | None:
    uri, anchor = split_reference(entry)
    page = faq.get(uri)
    if page is None:
        return f"{entry!r} is not a FAQ page: write its path below the content folder, like faq/topic/page.md#question"
    if anchor and not any(q.anchor == anchor for q in parse_questions(page.source.body)[1]):
        return f"{uri} has no question with the anchor #{anchor}"
    return None
