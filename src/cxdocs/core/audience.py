"""Audiences: which pages a target holds, and the ``!!! internal`` blocks inside any page.

The filter runs on source-mapped lines after snippet inclusion and before variables and Markdown,
so internal text never reaches anything the public build renders.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cxdocs.core.errors import CxdocsError
from cxdocs.core.source import Line, visible

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


def stricter(one: str, other: str) -> str:
    """Of two audiences, the one fewer readers see."""
    return INTERNAL if INTERNAL in (one, other) else PUBLIC


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


LOOKS_LIKE_MARKER = re.compile(r"(?:!!!|\?\?\?)\+?internal", re.IGNORECASE)
"""A marker as a writer sees it: invisible characters, spaces and case left out (see ``visible``)."""


def refuse_marker_lookalikes(lines: list[Line]) -> None:
    """A line that looks like an internal block's marker but is not one to Markdown is an error.

    Markdown would show such a line, and the indented lines under it, as text: a character before
    ``!!!`` (a zero-width space or a byte-order mark from a copy-paste, a non-breaking space, any
    text), one inside or after ``internal``, or another word fused to it (``internal-note``).
    """
    for line in lines:
        text = line.text
        if "!" not in text and "?" not in text:
            continue
        seen = visible(text.casefold()).replace("\u0131", "i")  # "İ" folds to i and a combining dot; "ı" stays
        if not LOOKS_LIKE_MARKER.search(seen):
            continue
        match = ADMONITION.match(text)
        if match and match["types"].lower().split() == [INTERNAL] and CONTAINER.match(text) is None:
            continue
        if CONTAINER.match(text) and ADMONITION.match(text[CONTAINER.match(text).end():]):
            continue  # said by _refuse_contained_marker, with its own advice
        odd = sorted({c for c in text if not c.isascii() or not (c.isprintable() or c == "\t")})
        named = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'control character')}" for c in odd)
        raise CxdocsError(
            "this line looks like an internal block's marker, but Markdown would not read it as one and "
            "would publish the block as text"
            + (f"; it holds {named}" if named else "")
            + ": write !!! internal \"Title\" (or ??? internal) alone at the start of its line",
            line.path,
            line.lineno,
        )


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
