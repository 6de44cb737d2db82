"""FAQ pages: every ``## `` heading is a question, and what follows it up to the next one its answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pymdownx.slugs import slugify

from cxdocs.core.fences import FenceTracker
from cxdocs.core.source import Line

QUESTION = re.compile(r"^##[ \t]+(?P<text>.+?)(?:[ \t]+\{#(?P<anchor>[^}\s]+)\})?[ \t]*#*[ \t]*$")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
LOOKS_LIKE_QUESTION = (
    (re.compile(r"^#{3,6}[ \t]+\S.*\?[ \t#]*$"), "a '###' heading"),
    (re.compile(r"^#[ \t]+\S.*\?[ \t#]*$"), "a '# ' heading"),
    (re.compile(r"^[ \t]*(\*\*|__)[^*_]+\?[ \t]*\1[ \t]*$"), "a bold line"),
    (re.compile(r"^[ \t]*(?:Q|Question)[ \t]*[:.][ \t]+\S.*\?[ \t]*$", re.IGNORECASE), "a 'Q:' line"),
)
_slug = slugify(case="lower")


@dataclass
class Question:
    text: str
    anchor: str
    line: Line
    answer: list[Line]

    @property
    def has_answer(self) -> bool:
        """Whether customers see any answer: blank lines and HTML comments do not count."""
        return bool(COMMENT.sub("", "\n".join(line.text for line in self.answer)).strip())


def anchor_for(text: str) -> str:
    """A stable, readable anchor in the question's own script (Cyrillic stays Cyrillic)."""
    plain = re.sub(r"[`*_~\[\]]|\{\{.*?\}\}", "", text)
    return _slug(plain, "-") or "question"


def parse_questions(lines: list[Line]) -> tuple[list[Line], list[Question]]:
    """The lines before the first question, and the questions with their answers."""
    intro: list[Line] = []
    questions: list[Question] = []
    seen: dict[str, int] = {}
    fences = FenceTracker()
    for line in lines:
        in_code = fences.in_code(line.text)
        match = QUESTION.match(line.text) if not in_code else None
        if match:
            anchor = match["anchor"] or anchor_for(match["text"])
            seen[anchor] = seen.get(anchor, 0) + 1
            if seen[anchor] > 1:
                anchor = f"{anchor}-{seen[anchor]}"
            questions.append(Question(match["text"].strip(), anchor, line, []))
        elif questions:
            questions[-1].answer.append(line)
        else:
            intro.append(line)
    return intro, questions


def with_anchors(lines: list[Line]) -> list[Line]:
    """Question headings with explicit anchors, so deep links do not depend on the theme's slugifier."""
    intro, questions = parse_questions(lines)
    out = list(intro)
    for question in questions:
        out.append(question.line._replace(text=f"## {question.text} {{#{question.anchor}}}"))
        out.extend(question.answer)
    return out


def misplaced_questions(lines: list[Line]) -> list[tuple[Line, str]]:
    """Lines that read as a question but are not a ``## `` heading, so they would not count as one."""
    found = []
    fences = FenceTracker()
    for line in lines:
        if fences.in_code(line.text):
            continue
        for pattern, what in LOOKS_LIKE_QUESTION:
            if pattern.match(line.text):
                found.append((line, what))
                break
    return found
