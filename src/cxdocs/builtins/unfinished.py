"""Text a writer still has to write: ``cxdocs new`` marks every sentence it writes for the writer
to replace with ``TODO:``, and a page with one cannot pass ``cxdocs check`` or be built, so a
scaffold's prompts ("TODO: the first question a customer asks?") never reach a customer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cxdocs.core.content import Project
from cxdocs.core.errors import Finding
from cxdocs.core.fences import FenceTracker
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.source import Document

MARK = "TODO:"
LINE = re.compile(r"^\s*(?:>\s*)*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)?(?P<text>TODO:.*)$")
"""A line whose text starts with the mark, after a heading's, a list item's or a quote's markers."""


@hookimpl
def cxdocs_register_checks(register):
    register("unfinished", check_unfinished)


def check_unfinished(project: Project) -> Iterator[Finding]:
    for page in project.pages:
        for doc in (page.source, *page.translations.values()):
            yield from _unfinished(doc)


def _unfinished(doc: Document) -> Iterator[Finding]:
    for key, value in doc.meta.items():
        unfinished = [text for text in _texts(value) if text.startswith(MARK)]
        if unfinished:
            yield _finding(f"{key}: {unfinished[0]}", doc, doc.line_of(key))
    fences = FenceTracker()
    for line in doc.body:
        if fences.in_code(line.text):
            continue
        match = LINE.match(line.text)
        if match:
            yield _finding(match["text"], doc, line.lineno)


def _finding(text: str, doc: Document, line: int) -> Finding:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return Finding(f"unfinished text from cxdocs new: '{shown}'; replace it with your own words", doc.path, line)


def _texts(value: Any, key: Any = None) -> list[str]:
    """Every text in a front-matter value, keys of mappings included (an SOP's terms)."""
    texts = [key.strip()] if isinstance(key, str) else []
    if isinstance(value, str):
        return texts + [value.strip()]
    if isinstance(value, dict):
        for k, v in value.items():
            texts += _texts(v, k)
    elif isinstance(value, list):
        for item in value:
            texts += _texts(item)
    return texts
