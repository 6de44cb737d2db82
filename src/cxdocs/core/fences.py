"""Fenced code blocks in Markdown lines: text inside them is code, not questions or placeholders."""

from __future__ import annotations

import re

from cxdocs.core.errors import CxdocsError

FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


class FenceTracker:
    """Feed lines in order; says whether each one is part of a fenced code block (fences included).

    A fence closes only with the same character, at least as long, and no info string, as in
    CommonMark, so a ``~~~`` inside a backtick block does not end it.
    """

    def __init__(self):
        self.open: str | None = None

    def in_code(self, text: str) -> bool:
        match = FENCE.match(text)
        if self.open is None:
            if match:
                self.open = match["fence"]
            return match is not None
        fence = match["fence"] if match else ""
        if fence[:1] == self.open[0] and len(fence) >= len(self.open) and not match["info"].strip():
            self.open = None
        return True


def refuse_unclosed_fence(lines) -> None:
    """Markdown shows a fence that is never closed as text, while our parsers would read it as code
    to the end of the page: an error, so that what the page shows and what we parse agree."""
    fences = FenceTracker()
    opened = None
    for line in lines:
        was_open = fences.open
        fences.in_code(line.text)
        if was_open is None and fences.open is not None:
            opened = line
    if fences.open is not None:
        raise CxdocsError(
            f"code fence {fences.open} is never closed: end the code block with a line of {fences.open}",
            opened.path,
            opened.lineno,
        )


MAX_NESTING = 20
"""Levels of lists, quotes and indented blocks on one line: Python-Markdown parses each level
again, recursively (a list nested 1,800 deep ran for minutes and ended in a RecursionError)."""
QUOTES = re.compile(r"^(?:[ \t]*>)+")


def refuse_deep_nesting(lines) -> None:
    """A line nested deeper than any page needs is an error at its line, before Markdown sees it."""
    fences = FenceTracker()
    for line in lines:
        text = line.text
        if fences.in_code(text) or not text[:1].isspace() and text[:1] != ">":
            continue
        quotes = QUOTES.match(text)
        depth = quotes[0].count(">") if quotes else 0
        rest = text[quotes.end() :] if quotes else text
        expanded = rest[: len(rest) - len(rest.lstrip())].expandtabs(4)
        depth += len(expanded) // 4
        if depth > MAX_NESTING:
            raise CxdocsError(
                f"this line is nested {depth} levels deep (lists, quotes or indentation), over the limit of "
                f"{MAX_NESTING}: flatten the list or quote",
                line.path,
                line.lineno,
            )
