"""FAQ pages: every ``## `` heading is a question, and what follows it up to the next one its answer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pymdownx.slugs import slugify

from .source import Line

QUESTION = re.compile(r"^##[ \t]+(?P<text>.+?)(?:[ \t]+\{#(?P<anchor>[^}\s]+)\})?[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_slug = slugify(case="lower")


@dataclass
class Question:
    text: str
    anchor: str
    line: Line
    answer: list[Line]

    @property
    def has_answer(self) -> bool:
        return any(line.text.strip() for line in self.answer)


def anchor_for(text: str) -> str:
    """A stable, readable anchor in the question's own script (Cyrillic stays Cyrillic)."""
    plain = re.sub(r"[`*_~\[\]]|\{\{.*?\}\}", "", text)
    return _slug(plain, "-") or "question"


def parse_questions(lines: list[Line]) -> tuple[list[Line], list[Question]]:
    """The lines before the first question, and the questions with their answers."""
    intro: list[Line] = []
    questions: list[Question] = []
    seen: dict[str, int] = {}
    fence = None
    for line in lines:
        opener = FENCE.match(line.text)
        if opener:
            fence = None if fence else opener.group(1)[:3]
        match = QUESTION.match(line.text) if fence is None and not opener else None
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
