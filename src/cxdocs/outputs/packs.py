"""Response packs: the canned responses of one language as a versioned, canonical JSON document.

The canonical pack is what every helpdesk exporter reads. It holds exactly what a customer may be
sent: internal blocks are removed (the public audience filter runs on each response), build-time
variables are filled in with the pack language's values, and helpdesk placeholders stay as
canonical ``{{ customer.first_name }}`` text, for each exporter to map to its helpdesk's syntax.
The same content always gives byte-identical packs: no timestamps, sorted keys and responses.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown

from cxdocs.core.audience import PUBLIC
from cxdocs.core.content import RESPONSE, Page, Project
from cxdocs.core.errors import CxdocsError
from cxdocs.core.placeholders import VOCABULARY
from cxdocs.core.render import visible_lines
from cxdocs.core.responses import response_id
from cxdocs.core.targets import Target
from cxdocs.outputs.guard import strip_comments

PACK_FORMAT = "cxdocs-response-pack"
PACK_VERSION = 1
SCHEMA_FILE = "pack.schema.json"
SCHEMA_PATH = Path(__file__).parent / "schema" / SCHEMA_FILE
PLACEHOLDER = re.compile(r"\{\{ (?P<name>(?:customer|agent|ticket)\.[\w-]+) \}\}")
"""A placeholder as the canonical pack writes it (variables have been substituted already)."""
ESCAPED_PLACEHOLDER = re.compile(r"\\\{\{\s*(?P<name>(?:customer|agent|ticket)\.[\w-]+)\s*\}\}")
"""A writer's ``\\{{ ticket.id }}``: in a pack it would read as the placeholder itself."""
HASHED = ("id", "lang", "title", "folder", "tags", "subject", "body_html", "body_text", "placeholders")
"""The fields a response's content hash covers: what a helpdesk shows. Not the source path, so
moving a file with an explicit ``id`` is no change for the helpdesk."""


def pack_path(folder: Path, lang: str) -> Path:
    return folder / f"cxdocs.{lang}.json"


def dumps(document: Any) -> str:
    """The one serialization of every JSON file cxdocs exports: stable, readable, UTF-8 text."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def content_hash(entry: dict[str, Any]) -> str:
    canonical = json.dumps({k: entry[k] for k in HASHED}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class Renderer:
    """Markdown to HTML for responses, with the block extensions the handbook uses (one instance per pack)."""

    md: markdown.Markdown = field(
        default_factory=lambda: markdown.Markdown(
            extensions=["admonition", "pymdownx.details", "pymdownx.superfences", "attr_list", "md_in_html", "def_list"],
            output_format="html",
        )
    )

    def html(self, text: str) -> str:
        self.md.reset()
        # A writer's <!-- comment --> is invisible in the handbook, not in a customer's email.
        return strip_comments(self.md.convert(text)).strip()


_DEFAULT: Renderer | None = None


def default_renderer() -> Renderer:
    """One shared renderer for single responses (the handbook's copy button)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Renderer()
    return _DEFAULT


def build_pack(project: Project, lang: str, renderer: Renderer | None = None) -> dict[str, Any]:
    """The canonical pack of ``lang``: every response, in its ``lang`` text or the default language's."""
    renderer = renderer or Renderer()
    responses = [response_entry(project, page, lang, renderer) for page in project.by_kind(RESPONSE)]
    responses.sort(key=lambda r: r["id"])
    return {
        "$schema": SCHEMA_FILE,
        "format": PACK_FORMAT,
        "version": PACK_VERSION,
        "lang": lang,
        "default_language": project.settings.default_language,
        "count": len(responses),
        "responses": responses,
    }


def build_packs(project: Project) -> dict[str, dict[str, Any]]:
    """One pack per configured language, in configuration order."""
    renderer = Renderer()
    return {lang: build_pack(project, lang, renderer) for lang in project.settings.languages}


PACK_LAYER = "pack"
"""Responses as packs hold them, in the build cache (keyed like the response's rendering)."""


def response_entry(project: Project, page: Page, lang: str, renderer: Renderer) -> dict[str, Any]:
    """One response as the pack holds it, as sent to customers of ``lang`` (built once per project)."""
    key = (page.uri, lang)
    if key not in project.responses:
        def make():
            return _response_entry(project, page, lang, renderer)
        kept = project.kept
        project.responses[key] = make() if kept is None else kept.get(PACK_LAYER, page, Target(PUBLIC, lang), make)
    return project.responses[key]


def _response_entry(project: Project, page: Page, lang: str, renderer: Renderer) -> dict[str, Any]:
    lines, _, doc, text_lang = visible_lines(project, page, Target(PUBLIC, lang))
    _refuse_escaped_placeholders(lines, doc)
    # As on the handbook's fallback pages, variables follow the pack's language: a market's limits
    # are the policy that applies to its customers, whatever language the text is written in.
    variables = project.variables(lang)
    meta = {**page.meta, **doc.meta} if doc is not page.source else page.meta

    def value(key: str) -> str:
        raw = meta.get(key)
        return variables.substitute_text(str(raw), doc.path, doc.line_of(key)).strip() if raw is not None else ""

    body = "\n".join(line.text for line in variables.substitute_markdown(lines, visible_placeholders=False))
    subject = value("subject")
    body_html = renderer.html(body)
    entry: dict[str, Any] = {
        "id": response_id(page),
        "title": value("title") or page.title(text_lang),
        "folder": value("folder") or page.folder,
        "tags": _tags(meta.get("tags"), doc),
        "subject": subject,
        "body_html": body_html,
        "body_text": html_to_text(body_html),
        "lang": text_lang,
        "translated": text_lang == lang,
        "source": _source(project, doc.path),
    }
    entry["placeholders"] = sorted(
        {m["name"] for text in (subject, entry["body_text"], body_html) for m in PLACEHOLDER.finditer(text)}
    )
    unknown = [name for name in entry["placeholders"] if name not in VOCABULARY]
    if unknown:  # the variable check reports these first; a pack never carries one
        raise CxdocsError(f"unknown helpdesk placeholder {{{{ {unknown[0]} }}}}", doc.path, 1)
    entry["hash"] = content_hash(entry)
    return entry


def _refuse_escaped_placeholders(lines, doc) -> None:
    subject = doc.meta.get("subject")
    found = [(line.path, line.lineno, line.text) for line in lines]
    if subject is not None:
        found.insert(0, (doc.path, doc.line_of("subject"), str(subject)))
    for path, lineno, text in found:
        match = ESCAPED_PLACEHOLDER.search(text)
        if match:
            raise CxdocsError(
                f"{match.group()} in a response would reach every helpdesk as the placeholder "
                f"{{{{ {match['name']} }}}}, filled in: a reply cannot show a placeholder's own syntax; reword it",
                path,
                lineno,
            )


def _tags(value: Any, doc) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [t.strip() for t in value.split(",")]
    if not isinstance(value, list):
        raise CxdocsError("'tags' must be a list of words: tags: [returns, refunds]", doc.path, doc.line_of("tags"))
    return list(dict.fromkeys(str(t).strip() for t in value if str(t).strip()))


def _source(project: Project, path: Path) -> str:
    """The file a response came from, relative to the project (``content/responses/...``)."""
    base = project.content_dir.resolve().parent
    return Path(os.path.relpath(path.resolve(), base)).as_posix()


def load_pack(path: Path) -> dict[str, Any]:
    """A pack written earlier (for ``--since``), checked to be one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CxdocsError(f"cannot read pack: {exc.strerror}", path) from None
    except ValueError as exc:
        raise CxdocsError(f"not a JSON file: {exc}", path) from None
    if not isinstance(document, dict) or document.get("format") != PACK_FORMAT or not isinstance(document.get("responses"), list):
        raise CxdocsError(f"not a cxdocs response pack (no \"format\": \"{PACK_FORMAT}\")", path)
    return document


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# -- HTML to plain text ---------------------------------------------------------------------------

BLOCKS = {"p", "div", "ul", "ol", "dl", "dt", "dd", "pre", "blockquote", "table", "tr", "details", "summary",
          "h1", "h2", "h3", "h4", "h5", "h6", "hr"}


class _Text(HTMLParser):
    """Plain text a customer can read in a text-only email: paragraphs, list markers, link targets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []  # (text, is a list item)
        self.line: list[str] = []
        self.marker = ""  # a list item's marker, written before its first text
        self.lists: list[list] = []  # [tag, items so far]
        self.links: list[tuple[str | None, int]] = []
        self.pre = 0

    def flush(self) -> None:
        text = "".join(self.line)
        self.line = []
        if not self.pre:
            text = "\n".join(re.sub(r"[ \t\r\f\v]+", " ", part).strip() for part in text.split("\n")).strip()
        if text.strip():
            self.blocks.append((text.rstrip("\n"), bool(self.lists)))

    def write(self, text: str) -> None:
        if self.marker and text.strip():
            self.line.append(self.marker)
            self.marker = ""
        self.line.append(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCKS or tag == "li":
            self.flush()
        if tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            current = self.lists[-1] if self.lists else ["ul", 0]
            current[1] += 1
            indent = "   " * max(len(self.lists) - 1, 0)
            self.marker = indent + (f"{current[1]}. " if current[0] == "ol" else "- ")
        elif tag == "br":
            self.line.append("\n")
        elif tag == "pre":
            self.pre += 1
        elif tag == "a":
            self.links.append((attrs.get("href"), len("".join(self.line))))
        elif tag == "img" and attrs.get("alt"):
            self.write(attrs["alt"])

    def handle_endtag(self, tag):
        if tag == "a" and self.links:
            href, start = self.links.pop()
            text = "".join(self.line)[start:].strip()
            if href and not href.startswith("#") and href not in (text, f"mailto:{text}"):
                self.write(f" ({href.removeprefix('mailto:')})")
        elif tag in ("ul", "ol") and self.lists:
            self.flush()
            self.lists.pop()
        elif tag == "pre":
            self.flush()
            self.pre -= 1
        elif tag in BLOCKS or tag == "li":
            self.flush()

    def handle_data(self, data):
        self.write(data if self.pre else data.replace("\n", " "))


def html_to_text(body_html: str) -> str:
    """The body as plain text: blank lines between paragraphs, one line per list item."""
    parser = _Text()
    parser.feed(body_html)
    parser.close()
    parser.flush()
    out = ""
    previous_item = False
    for text, item in parser.blocks:
        if out:
            out += "\n" if item and previous_item else "\n\n"
        out += text
        previous_item = item
    return out
