"""The parts of a translatable text a translation must keep as they are.

A segment's text is a run of plain text and *protected spans*: helpdesk placeholders and variables
``{{ name }}``, inline code, link targets ``](page.md)``, footnote references, autolinks, inline
HTML tags and attribute lists. Exports show them as inline tags (XLIFF) or literal text (PO);
imports hold the translation to exactly the source's spans, in any order.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from cxdocs.core.placeholders import is_placeholder

PROTECTED = re.compile(
    r"""
    (?P<code>(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`))  # inline code span
  | (?P<expr>(?<!\\)\{\{.*?\}\})                               # {{ name }} (\{{ is an escape)
  | (?P<link>\]\((?:[^()\s]|\([^()\s]*\))*(?:[ ]+"[^"]*")?\))  # ](target "title") of a link or image
  | (?P<ref>\]\[[^\]]*\])                                      # ][label] of a reference link
  | (?P<fnref>\[\^[^\]]+\])                                     # [^1] footnote reference
  | (?P<auto><(?:https?|mailto|tel):[^>\s]+>)                  # <https://...> autolink
  | (?P<html></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)        # inline HTML tag: <br>, <kbd>
  | (?P<attr>\{:?[ \t]*[#.][^{}\n]*\})                          # attr_list: {: .class}, {#id}
    """,
    re.VERBOSE,
)
OPENING_BRACKET = re.compile(r"(?<!\\)\[(?!\^)")

KINDS = {"link": "link", "ref": "link", "fnref": "footnote-ref", "auto": "autolink", "html": "html", "attr": "attr"}


@dataclass(frozen=True)
class Span:
    kind: str
    """placeholder, variable, code, link, footnote-ref, autolink, html or attr."""
    text: str
    """The span as written in the page, kept byte for byte."""

    @property
    def name(self) -> str:
        """The variable or placeholder name inside ``{{ }}``."""
        return self.text[2:-2].strip()


def _kind(match: re.Match) -> str:
    if match["code"] is not None:
        return "code"
    if match["expr"] is not None:
        return "placeholder" if is_placeholder(match["expr"][2:-2].strip()) else "variable"
    return KINDS[match.lastgroup]


def split(text: str) -> list[str | Span]:
    """Plain runs (str) and protected spans, in order: joined, they are ``text`` again."""
    out: list[str | Span] = []
    pos = 0
    for match in PROTECTED.finditer(text):
        if match.start() > pos:
            out.append(text[pos : match.start()])
        out.append(Span(_kind(match), match.group()))
        pos = match.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def spans(text: str) -> Counter:
    return Counter(part for part in split(text) if isinstance(part, Span))


def problems(source: str, translation: str) -> list[str]:
    """What a translation lost, altered or added among the source's protected spans; [] when fine.

    Order may change (languages order words differently); nothing may be lost or invented.
    """
    want, got = spans(source), spans(translation)
    found = []
    for span, count in (want - got).items():
        found.append(f"{span.kind} {span.text!r} is missing" + (f" ({count} times)" if count > 1 else ""))
    for span in (got - want):
        similar = [w.text for w in want if w.kind == span.kind]
        hint = f" (the source has {', '.join(map(repr, similar))})" if similar else ""
        found.append(f"{span.kind} {span.text!r} is not in the source{hint}")
    # A link's "[" is plain text (only "](target)" is protected): the brackets must still pair up.
    opened, now = len(OPENING_BRACKET.findall(source)), len(OPENING_BRACKET.findall(translation))
    if opened != now:
        found.append(f"the source opens {opened} link text(s) with '[', the translation {now}")
    return found
