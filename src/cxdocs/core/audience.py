"""Audiences: which pages a target holds, and the ``!!! internal`` blocks inside any page.

The filter runs on source-mapped lines after snippet inclusion and before variables and Markdown,
so internal text never reaches anything the public build renders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cxdocs.core.errors import CxdocsError
from cxdocs.core.source import Line

PUBLIC = "public"
INTERNAL = "internal"
AUDIENCES = (PUBLIC, INTERNAL)

# As permissive as Python-Markdown's admonition and pymdownx.details: the space after the marker is
# optional (``!!!internal``) and a title may hold quotes (``"Call "Bob" first"``). A marker Markdown
# renders as an internal callout but this pattern missed would reach the public build.
ADMONITION = re.compile(r'^(?P<indent>[ \t]*)(?P<kind>!!!|\?\?\?\+?)[ \t]*(?P<types>[^"]*?)[ \t]*(?:"(?P<title>.*)")?[ \t]*$')
BODY_INDENT = 4
CONTAINER = re.compile(r"^(?:[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t]|:[ \t]))+")
"""Block quote, list item and definition markers, which Markdown lets an admonition follow on one line."""


@dataclass
class InternalBlock:
    """An internal block found in a page: its marker line and the lines it holds."""

    marker: Line
    body: list[Line]


def sees(audience: str, page_audience: str) -> bool:
    """Whether readers of ``audience`` may see content meant for ``page_audience``."""
    return audience == INTERNAL or page_audience == PUBLIC


def validate_audience(value: object, path, line: int) -> str:
    if value not in AUDIENCES:
        raise CxdocsError(f"unknown audience {value!r}; use one of: {', '.join(AUDIENCES)}", path, line)
    return value  # type: ignore[return-value]


def _width(text: str) -> int:
    stripped = text.expandtabs(BODY_INDENT)
    return len(stripped) - len(stripped.lstrip(" "))


def _internal_marker(line: Line) -> re.Match | None:
    match = ADMONITION.match(line.text)
    if not match:
        return None
    types = match["types"].lower().split()
    if INTERNAL not in types:
        return None
    if types != [INTERNAL]:
        raise CxdocsError(
            f'an internal block takes no other admonition type; write {match["kind"]} internal "Title"',
            line.path,
            line.lineno,
        )
    return match


def _refuse_contained_marker(line: Line) -> None:
    """``> !!! internal`` or ``- !!! internal``: Markdown renders an internal callout the filter cannot cut out."""
    prefix = CONTAINER.match(line.text)
    if not prefix:
        return
    match = ADMONITION.match(line.text[prefix.end() :])
    if match and INTERNAL in match["types"].lower().split():
        raise CxdocsError(
            f"an internal block must start its own line, not follow {prefix.group().strip()!r}: put "
            f"{match['kind']} internal on a line of its own (indented under a list item; not inside a '>' quote)",
            line.path,
            line.lineno,
        )


def filter_audience(lines: list[Line], audience: str) -> tuple[list[Line], list[InternalBlock]]:
    """Lines ``audience`` may see, and every internal block found.

    For the public audience internal blocks are dropped whole; for the internal audience their
    marker is normalised so Markdown renders them as a visible ``internal`` callout.
    """
    kept: list[Line] = []
    blocks: list[InternalBlock] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _internal_marker(line)
        if not match:
            # Fence-blind, as the marker match above is: a fence Markdown does not close is no
            # fence to it, so a marker that only seems to be inside code would render.
            _refuse_contained_marker(line)
            kept.append(line)
            i += 1
            continue
        end = _block_end(lines, i, _width(line.text))
        block = InternalBlock(line, lines[i + 1 : end])
        blocks.append(block)
        if audience == INTERNAL:
            title = match["title"] if match["title"] is not None else "Internal"
            kept.append(line._replace(text=f'{match["indent"]}{match["kind"]} internal "{title}"'))
            kept.extend(block.body)
        i = end
    return kept, blocks


def _block_end(lines: list[Line], start: int, indent: int) -> int:
    """Index just past the block's body; errors for a block with no properly indented body."""
    marker = lines[start]
    end = start + 1
    last_content = None
    while end < len(lines):
        text = lines[end].text
        if text.strip():
            width = _width(text)
            if width < indent + BODY_INDENT:
                if last_content is None and width > indent:
                    raise CxdocsError(
                        f"the body of an internal block must be indented by {BODY_INDENT} spaces "
                        f"(found {width - indent})",
                        lines[end].path,
                        lines[end].lineno,
                    )
                break
            last_content = end
        end += 1
    if last_content is None:
        raise CxdocsError(
            f"internal block is empty or not closed: indent its text by {BODY_INDENT} spaces under the marker",
            marker.path,
            marker.lineno,
        )
    return last_content + 1
