"""Structured data a writer pastes into a page (``<script type="application/ld+json">``), checked.

Customer-service articles often ship JSON-LD copied from a word processor (typographic quotes) or
run through a translator (``"@type": "Vprašanje"``): search engines drop such a block, or the
whole page's structured data. The names are schema.org's vocabulary as rdflib ships it
(``rdflib.namespace.SDO``, generated from schema.org's own JSON-LD).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cxdocs.core.fences import FenceTracker
from cxdocs.core.source import Line

OPEN = re.compile(r"""<script\b[^>]*\btype\s*=\s*["']?application/ld\+json["']?[^>]*>""", re.IGNORECASE)
CLOSE = re.compile(r"</script\s*>", re.IGNORECASE)
TYPOGRAPHIC = "\u201c\u201d\u201e\u201f\u2033\u2018\u2019\u201a\u201b\u00ab\u00bb"
SCHEMA_PREFIXES = ("https://schema.org/", "http://schema.org/", "schema:")
EXPECTED = {
    # Google's FAQPage and BreadcrumbList documentation: what each property holds.
    "acceptedAnswer": "Answer",
    "suggestedAnswer": "Answer",
    "itemListElement": "ListItem",
}


@dataclass
class Block:
    lines: list[Line]
    text: str


def blocks_in(lines: list[Line]) -> list[Block]:
    """The JSON-LD script elements of the lines, outside fenced code."""
    blocks: list[Block] = []
    fences = FenceTracker()
    current: Block | None = None
    for line in lines:
        if current is None and fences.in_code(line.text):
            continue
        text = line.text
        if current is None:
            opened = OPEN.search(text)
            if not opened:
                continue
            current = Block([line], "")
            text = text[opened.end() :]
        else:
            current.lines.append(line)
        closed = CLOSE.search(text)
        current.text += (text[: closed.start()] if closed else text) + "\n"
        if closed:
            blocks.append(current)
            current = None
    if current is not None:
        blocks.append(current)
    return blocks


@lru_cache(maxsize=1)
def schema_types() -> frozenset[str]:
    from rdflib.namespace import SDO

    return frozenset(name for name in SDO.__annotations__ if name[:1].isupper()) | {"3DModel"}


def problems(block: Block, has_questions: bool) -> list[tuple[Line, str]]:
    """What is wrong with the block, each at the line it is on."""
    first = block.lines[0]
    try:
        data = json.loads(block.text)
    except json.JSONDecodeError as exc:
        quoted = next((line for line in block.lines if any(c in line.text for c in TYPOGRAPHIC)), None)
        if quoted is not None:
            return [(quoted, "JSON-LD is not valid JSON: typographic quotes: use straight quotes (\")")]
        line = block.lines[min(exc.lineno - 1, len(block.lines) - 1)]
        return [(line, f"JSON-LD is not valid JSON: {exc.msg} (column {exc.colno})")]
    found = []
    for value, parent in _types(data, None, None):
        name = value
        for prefix in SCHEMA_PREFIXES:
            if name.startswith(prefix):
                name = name[len(prefix) :]
                break
        else:
            if ":" in name or "/" in name:
                continue  # another vocabulary
        if name == "FAQPage" and has_questions:
            found.append((
                _line_of(block, value, first),
                "this page's questions already make its FAQPage: a second FAQPage makes search engines "
                "ignore both; remove this block (put its questions on the page as '## ' headings)",
            ))
        if name in schema_types():
            continue
        hint = EXPECTED.get(parent or "") or _close(name)
        found.append((
            _line_of(block, value, first),
            f"@type '{value}' is not a schema.org type" + (f"; did you mean '{hint}'?" if hint else ""),
        ))
    return found


def _types(data: Any, parent: str | None, holder: dict | None):
    """Every ``@type`` value, with the property its object sits under (``mainEntity`` of a FAQPage counts as holding questions)."""
    if isinstance(data, list):
        for item in data:
            yield from _types(item, parent, holder)
    elif isinstance(data, dict):
        values = data.get("@type")
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str):
                expected = parent
                if parent == "mainEntity" and holder is not None and _is_faq_page(holder):
                    expected = "mainEntity of FAQPage"
                yield value, expected
        for key, value in data.items():
            if key != "@type":
                yield from _types(value, key, data)


def _is_faq_page(data: dict) -> bool:
    values = data.get("@type")
    values = values if isinstance(values, list) else [values]
    return any(isinstance(v, str) and v.rsplit("/", 1)[-1] == "FAQPage" for v in values) or any(
        isinstance(q, dict) and ("acceptedAnswer" in q or "suggestedAnswer" in q)
        for q in (data.get("mainEntity") if isinstance(data.get("mainEntity"), list) else [data.get("mainEntity")])
    )


EXPECTED["mainEntity of FAQPage"] = "Question"


def _close(name: str) -> str | None:
    types = schema_types()
    folded = {t.casefold(): t for t in types}
    if name.casefold() in folded:
        return folded[name.casefold()]
    close = difflib.get_close_matches(name, types, n=1, cutoff=0.75)
    return close[0] if close else None


def _line_of(block: Block, value: str, default: Line) -> Line:
    return next((line for line in block.lines if value in line.text), default)
