"""``cxdocs new``: a valid page to start from, for each page type."""

from __future__ import annotations

import datetime
import os
from pathlib import Path, PurePosixPath

import yaml

from cxdocs.core.content import SUFFIX, is_language_code
from cxdocs.builtins.unfinished import MARK
from cxdocs.core.errors import CxdocsError

FOLDERS = {"sop": "sop", "faq": "faq", "response": "responses"}

BODIES = {
    "sop": f"""## When to use

{MARK} the situation in which an agent follows this procedure.

## Steps

1. {MARK} the first step: what the agent does, in which tool.
2. {MARK} the next step.
3. {MARK} how the agent closes the case and records the outcome.

## Escalation

{MARK} who to involve when the steps do not resolve the case.
""",
    "faq": f"""## {MARK} the first question a customer asks?

{MARK} its answer, in one or two short paragraphs.

## {MARK} the next question?

{MARK} its answer. Each `## ` heading is a question; the text below it, up to the next question, is its answer.
""",
    # No placeholders: each helpdesk fills in a different set (some none of the customer's name),
    # and a reply that uses none reaches every format. <br> keeps the sign-off's line break in
    # every format; Markdown joins the lines of a paragraph.
    "response": f"""Hello,

{MARK} the reply.

Kind regards,<br>
{MARK} who signs it, such as your team's name
""",
}
"""Every sentence to replace starts with ``TODO:``: ``cxdocs check`` fails until it is replaced."""


def page_path(kind: str, path: str, content_dir: Path) -> Path:
    """Where ``cxdocs new KIND PATH`` writes: below the kind's folder, with ``.md``."""
    rel = PurePosixPath(path.replace("\\", "/"))
    parts = rel.parts
    # MkDocs hands over docs_dir as an absolute path; a writer types it as seen from the project
    # (``content/sop/billing/x``, often by tab completion), so strip either spelling.
    spellings = {PurePosixPath(content_dir.as_posix()).parts}
    try:
        spellings.add(PurePosixPath(Path(os.path.relpath(content_dir)).as_posix()).parts)
    except ValueError:  # another drive on Windows
        pass
    for content_parts in sorted(spellings, key=len, reverse=True):
        if content_parts and content_parts != (".",) and parts[: len(content_parts)] == content_parts:
            parts = parts[len(content_parts) :]
            rel = PurePosixPath(*parts) if parts else PurePosixPath()
            break
    if ".." in parts or rel.is_absolute() or not parts:
        raise CxdocsError(f"{path!r}: give a path inside the content folder, like billing/refund-request")
    if parts[0] != FOLDERS[kind]:
        parts = (FOLDERS[kind], *parts)
    if kind in ("sop", "faq") and len(parts) < 3:
        word = "department" if kind == "sop" else "topic"
        raise CxdocsError(f"{path!r}: put the page in a {word} folder, like {parts[0]}/billing/{parts[-1]}")
    name = parts[-1] if parts[-1].endswith(".md") else parts[-1] + ".md"
    return content_dir.joinpath(*parts[:-1], name)


def refuse_translation(path: Path, content_dir: Path, languages: list[str]) -> None:
    """``faq/x.sl.md`` is a translation: it starts from its source's text, not from a new page's."""
    match = SUFFIX.match(path.name[: -len(".md")])
    if match and (match["lang"] in languages or is_language_code(match["lang"])):
        source = path.with_name(match["stem"] + ".md").relative_to(content_dir).as_posix()
        raise CxdocsError(
            f"{path.name} would be a translation into {match['lang']!r}; start it from its source page: "
            f"cxdocs translate start {source} {match['lang']}"
        )


def scaffold(kind: str, path: str, content_dir: Path, today: datetime.date | None = None,
             languages: list[str] = ()) -> Path:
    target = page_path(kind, path, content_dir)
    refuse_translation(target, content_dir, list(languages))
    if target.exists():
        raise CxdocsError("file already exists; not overwriting it", target)
    title = target.stem.replace("-", " ").replace("_", " ").capitalize()
    today = today or datetime.date.today()
    meta: dict = {"title": title}
    if kind == "sop":
        meta.update(
            department=target.parent.name.replace("-", " ").capitalize(),
            purpose=f"{MARK} why this procedure exists and what it protects",
            owner=f"{MARK} who keeps this page up to date (name and role)",
            review_by=today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else today + datetime.timedelta(days=365),
            terms={f"{MARK} a term": f"{MARK} what a new agent needs to know it means"},
        )
    elif kind == "faq":
        meta["description"] = f"{MARK} one sentence that tells customers what this page answers"
    else:
        meta.update(tags=[target.parent.name], subject=f"{MARK} the email's subject line")
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"---\n{front}---\n\n{BODIES[kind]}", encoding="utf-8")
    return target
