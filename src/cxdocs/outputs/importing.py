"""``cxdocs import``: a helpdesk's existing canned replies become Markdown responses.

Each format reads what its helpdesk's API lists (saved to files) into :class:`Imported` items; this
module maps their placeholders back to the vocabulary, turns their HTML into Markdown with
markdownify, and writes one file per item into ``content/responses/<folder>/``. An item that
cannot be carried (a placeholder with no vocabulary name, an action other than a reply) is
reported and skipped; no existing file is ever overwritten, and the files are written whole or
not at all. The push state is seeded with the helpdesk's ids, so the next ``cxdocs push`` updates
the imported items instead of creating them again.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markdownify import markdownify

from cxdocs.core.errors import CxdocsError

SENTINEL = "CXDOCSPLACEHOLDER{}X"
SENTINEL_RE = re.compile(r"CXDOCSPLACEHOLDER(\d+)X")
LITERAL_SENTINEL = "CXDOCSLITERAL{}X"
LITERAL_RE = re.compile(r"CXDOCSLITERAL(\d+)X")


@dataclass
class Imported:
    """One canned reply as its helpdesk lists it."""

    remote: Any
    title: str
    body: str
    html: bool = True
    folder: str = ""
    subject: str = ""


class Skip(Exception):
    """An item that cannot become a response: the reason is reported, the item left out."""


@dataclass
class Written:
    item: Imported
    path: Path
    response_id: str


def slug(text: str) -> str:
    """``Returns and refunds`` -> ``returns-and-refunds`` (letters kept, accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass
class Body:
    """A reply's text with its placeholders and escaped literals set aside as sentinels."""

    text: str
    is_html: bool
    placeholders: list[str]
    literals: list[str]


def unmap(text: str, is_html: bool, syntax: Mapping[str, str], leftover: re.Pattern,
          literal: Callable[[str], str] | None = None) -> Body:
    """``text`` with the helpdesk's placeholders set aside, each as its vocabulary name.

    ``syntax`` maps a helpdesk placeholder (compared without spaces) to a vocabulary name;
    ``leftover`` finds template syntax that is still there after that: a placeholder cxdocs has no
    name for, which makes the item :class:`Skip`. ``literal`` turns the format's own escapes
    back into the text they print, kept as sentinels too.
    """
    names: list[str] = []
    literals: list[str] = []
    if literal is not None:
        text = literal(text)
        def keep(match: re.Match) -> str:
            literals.append(match.group(1))
            return LITERAL_SENTINEL.format(len(literals) - 1)
        text = re.sub(r"\x00(.*?)\x00", keep, text, flags=re.S)
    wanted = {re.sub(r"\s+", "", k): v for k, v in syntax.items()}

    def swap(match: re.Match) -> str:
        key = re.sub(r"\s+", "", match.group())
        if key not in wanted:
            return match.group()
        names.append(wanted[key])
        return SENTINEL.format(len(names) - 1)

    text = leftover.sub(swap, text)
    left = leftover.search(text)
    if left:
        raise Skip(f"uses {left.group()}, which has no cxdocs placeholder")
    return Body(text, is_html, names, literals)


def to_markdown(body: Body) -> str:
    """The body as Markdown, sentinels back as ``{{ name }}`` placeholders and escaped literals."""
    text, placeholders, literals = body.text, body.placeholders, body.literals
    if not body.is_html:
        paragraphs = re.split(r"\n\s*\n", text.strip())
        text = "".join("<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>" for p in paragraphs)
    markdown = markdownify(text, heading_style="ATX", bullets="-", strip=["span", "font"]).strip()
    markdown = re.sub(r"\n{3,}", "\n\n", markdown)
    # A writer's own braces stay text in cxdocs too: its escape is a backslash before {{.
    markdown = markdown.replace("{{", "\\{{")
    markdown = LITERAL_RE.sub(lambda m: literals[int(m[1])].replace("{{", "\\{{"), markdown)
    return SENTINEL_RE.sub(lambda m: "{{ " + placeholders[int(m[1])] + " }}", markdown)


def response_text(item: Imported, body: str) -> str:
    meta = {"title": item.title}
    if item.subject:
        meta["subject"] = item.subject
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n\n{body}\n"


def write_all(files: list[tuple[Path, str]]) -> None:
    """Write every file or none: each to a temporary name first, then renamed into place."""
    staged: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for path, text in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                out.write(text)
            staged.append((Path(tmp), path))
        for tmp, path in staged:
            if path.exists():
                raise CxdocsError("appeared while importing; not overwritten", path)
            os.link(tmp, path)  # fails rather than replace a file that appeared meanwhile
            placed.append(path)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def plan_files(items: list[Imported], responses_dir: Path, default_folder: str,
               convert: Callable[[Imported], str]) -> tuple[list[Written], list[tuple[str, str]], list[tuple[Path, str]]]:
    """Where each item goes and its text; items that cannot go anywhere are reported."""
    written, skipped, files, taken = [], [], [], set()
    for item in items:
        label = f"{item.title!r} (id {item.remote})"
        try:
            text = convert(item)
        except Skip as exc:
            skipped.append((label, str(exc)))
            continue
        folder = slug(item.folder) or slug(default_folder) or "imported"
        name = slug(item.title) or f"reply-{item.remote}"
        path = responses_dir / folder / f"{name}.md"
        n = 2
        while path in taken:
            path = responses_dir / folder / f"{name}-{n}.md"
            n += 1
        if path.exists():
            skipped.append((label, f"{path.as_posix()} exists; not overwritten"))
            continue
        taken.add(path)
        files.append((path, text))
        written.append(Written(item, path, f"{folder}/{path.stem}"))
    return written, skipped, files
