"""A page cut into the pieces a translator translates, and the writer that puts translations back.

Every segment is a span of characters of the page file: a front matter value, the text of a
paragraph, list item, table cell, heading or question, an admonition title, a definition, a
Mermaid flowchart label or a plain-text template. Everything outside the spans is the page's
*skeleton*: front matter keys and the values nobody translates, list markers and indentation,
fences and code, snippet include lines, ``!!! internal`` markers, table pipes and heading anchors.
``apply`` copies the skeleton byte for byte, so a page with no translation given is the page
itself, and a translation cannot move text into or out of an internal block.

The block rules are Python-Markdown's as cxdocs configures it (pymdown-extensions, tab length 4:
list children and admonition bodies are indented by 4). Markdown is never re-rendered: tools that
parse CommonMark and write it out again (md2po/po2md among them) merge an ``!!! internal`` marker
with its body into one paragraph, and the agent note becomes public text.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cxdocs.core.audience import ADMONITION, INTERNAL
from cxdocs.core.errors import CxdocsError
from cxdocs.core.includes import INCLUDE

# Block patterns, matched on a line's text after its container's indentation.
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
HEADING = re.compile(
    r"^(?P<prefix> {0,3}(?P<hashes>#{1,6})[ \t]+)(?P<text>.*?)"
    r"(?P<suffix>(?:[ \t]+\{[:#.][^{}]*\})?(?:[ \t]+#+)?[ \t]*)$"
)
SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
RULE = re.compile(r"^ {0,3}(?P<c>[-*_])(?:[ \t]*(?P=c)){2,}[ \t]*$")
LIST_ITEM = re.compile(r"^(?P<indent> {0,3})(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ \t]+|$)")
DEFINITION = re.compile(r"^(?P<prefix> {0,3}:[ \t]+)")
FOOTNOTE = re.compile(r"^(?P<prefix> {0,3}\[\^[^\]]+\]:[ \t]*)")
LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]^][^\]]*\]:[ \t]*\S")
ABBREVIATION = re.compile(r"^ {0,3}\*\[[^\]]+\]:")
HTML = re.compile(r"^ {0,3}<(?:!--|/?[A-Za-z][A-Za-z0-9-]*(?:[\s/>]|$))")
AUTOLINK_LINE = re.compile(r"^ {0,3}<(?:https?|mailto|tel):")
ATTR_LINE = re.compile(r"^ {0,3}\{:?[ \t]*[#.:][^{}]*\}[ \t]*$")
QUOTE = re.compile(r"^(?P<prefix> {0,3}>[ \t]?)")
DELIMITER_ROW = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")

FRONT_MATTER = ("title", "description", "department", "purpose", "owner", "subject")
"""Front matter values that are text for readers; ``terms`` (names and definitions) too."""
SINGLE_LINE = {
    "title", "description", "department", "purpose", "owner", "subject", "term", "term-definition",
    "question", "heading", "cell", "header-cell", "admonition-title", "diagram-label",
}

ID_PREFIX = {
    "title": "title", "description": "description", "department": "department", "purpose": "purpose",
    "owner": "owner", "subject": "subject", "term": "term", "term-definition": "termdef",
    "question": "q", "heading": "h", "paragraph": "p", "item": "li", "cell": "td", "header-cell": "th",
    "admonition-title": "adm", "definition": "dd", "footnote": "fn", "diagram-label": "dia",
    "text-block": "pre",
}

NOTES = {
    "title": "Page title (front matter): the page heading, its name in navigation and search.",
    "description": "Page description (front matter): shown in search results and topic listings.",
    "department": "SOP department (front matter): SOPs are grouped by it, so translate it the same "
    "way on every SOP of the department.",
    "purpose": "SOP purpose (front matter): shown in the SOP header.",
    "owner": "SOP owner (front matter): keep the person's name, translate the role in brackets.",
    "subject": "Email subject of this reply (front matter).",
    "term": "Glossary term (SOP front matter 'terms'): the word being defined; each term of a page "
    "must stay different from the others.",
    "term-definition": "Glossary definition (SOP front matter 'terms').",
    "question": "FAQ question (a '## ' heading): the question customers click, also in Google's FAQ "
    "data. Keep it one line, phrased as a question.",
    "heading": "Heading: keep it one line.",
    "paragraph": "Paragraph.",
    "item": "List item.",
    "cell": "Table cell: keep it on one line.",
    "header-cell": "Table column heading: keep it on one line.",
    "admonition-title": "Title of a callout box.",
    "definition": "Definition (definition list).",
    "footnote": "Footnote.",
    "text-block": "Plain-text template agents copy: translate the words, keep the lines and the layout.",
    "diagram-label": "Flowchart label: keep it short and on one line, without [ ] ( ) { } | or \".",
}


@dataclass
class Segment:
    id: str
    """Stable while its text is: kind prefix + 8 hex digits of sha1(kind, text), ``-2``... for repeats."""
    kind: str
    text: str
    """What the translator sees: soft line breaks joined by a space, hard ones as a newline."""
    line: int
    """1-based line in the page file."""
    path: str
    """Place in the page's structure (``q2/adm1/p1``, ``li3/li2``): pairs a translation with its source."""
    note: str
    start: int
    end: int
    """The characters of the file this segment replaces."""
    style: str = "block"
    """block (hard breaks written back as ``\\`` line ends), cell (one line), yaml (a scalar) or raw (lines kept)."""
    cont: str = ""
    """The indentation a continuation line needs to stay inside its container."""
    original: str = ""
    quote: str = ""
    """A front matter value's YAML quoting in the source, kept for its translation."""
    internal: bool = False
    """Inside an ``!!! internal`` block: agents see it, customers never do."""


@dataclass
class Segmented:
    """A page's text and its segments, in file order."""

    text: str
    kind: str
    segments: list[Segment] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    """(line, why) for text kept as in the source because it is not segmented (raw HTML...)."""

    def by_id(self) -> dict[str, Segment]:
        return {s.id: s for s in self.segments}


def _cols(text: str) -> int:
    """Indentation width, a tab to the next multiple of 4."""
    width = 0
    for ch in text:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def _strip_cols(text: str, n: int) -> int:
    """Offset in ``text`` after removing up to ``n`` columns of indentation."""
    width = i = 0
    while i < len(text) and width < n and text[i] in " \t":
        width += 1 if text[i] == " " else 4 - width % 4
        i += 1
    return i


View = list[tuple[int, int]]
"""A container's lines: (line index, offset where the container's text starts on that line)."""


class _Builder:
    def __init__(self, text: str, kind: str, path: Path | None):
        self.page = Segmented(text, kind)
        self.file = path
        self.lines = text.split("\n")
        self.starts = []
        pos = 0
        for line in self.lines:
            self.starts.append(pos)
            pos += len(line) + 1
        self.seen: dict[str, int] = {}
        self.section = ""
        self.internal = False

    def add(self, kind, text, start, end, path, *, style="block", cont="", extra="", quote=""):
        if not text.strip():
            return
        digest = hashlib.sha1(kind.encode() + b"\0" + text.encode()).hexdigest()[:8]
        base = f"{ID_PREFIX[kind]}-{digest}"
        self.seen[base] = self.seen.get(base, 0) + 1
        sid = base if self.seen[base] == 1 else f"{base}-{self.seen[base]}"
        note = NOTES[kind]
        if self.section and not path.startswith("meta/") and kind not in ("question", "heading"):
            note += f" Under: {self.section}."
        if extra:
            note += " " + extra
        if style == "yaml":  # a block scalar's end mark lies past its final newline(s)
            while end > start and self.page.text[end - 1] in "\n ":
                end -= 1
        line = self.page.text.count("\n", 0, start) + 1
        self.page.segments.append(
            Segment(sid, kind, text, line, path, note, start, end, style, cont, self.page.text[start:end], quote, self.internal)
        )

    def at(self, idx: int, offset: int) -> int:
        return self.starts[idx] + offset

    def text(self, v: tuple[int, int]) -> str:
        return self.lines[v[0]][v[1] :]

    def blank(self, v: tuple[int, int]) -> bool:
        return not self.text(v).strip()


def _front_matter(b: _Builder) -> int:
    """Segments for the translatable front matter values; the index of the first body line."""
    lines = b.lines
    if not lines or lines[0].rstrip() != "---":
        return 0
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        return 0
    base = b.starts[1] if end > 1 else b.starts[0]
    try:
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CxdocsError("front matter is not valid YAML", b.file, (mark.line + 2) if mark else 1) from None
    if not isinstance(node, yaml.MappingNode):
        return end + 1
    for key, value in node.value:
        name = key.value if isinstance(key, yaml.ScalarNode) else None
        if name in FRONT_MATTER and isinstance(value, yaml.ScalarNode) and value.tag.endswith(":str"):
            quote = value.style if value.style in ('"', "'") else ""
            b.add(name, value.value, base + value.start_mark.index, base + value.end_mark.index, f"meta/{name}",
                  style="yaml", quote=quote)
        elif name == "terms" and isinstance(value, yaml.MappingNode):
            for term, definition in value.value:
                if not isinstance(term, yaml.ScalarNode):
                    continue
                b.add("term", term.value, base + term.start_mark.index, base + term.end_mark.index,
                      "meta/terms/term", style="yaml", quote=term.style if term.style in ('"', "'") else "")
                if isinstance(definition, yaml.ScalarNode) and definition.tag.endswith(":str"):
                    b.add("term-definition", definition.value, base + definition.start_mark.index,
                          base + definition.end_mark.index, "meta/terms/definition", style="yaml",
                          extra=f"Term: {term.value!r}.",
                          quote=definition.style if definition.style in ('"', "'") else "")
    return end + 1


def _interrupts(text: str) -> bool:
    """Whether a line starts a new block even right after paragraph text."""
    return bool(
        FENCE.match(text) or INCLUDE.match(text) or ADMONITION.match(text) or HEADING.match(text)
        or LIST_ITEM.match(text) or DEFINITION.match(text) or QUOTE.match(text)
        or (HTML.match(text) and not AUTOLINK_LINE.match(text))
    )


def _paragraph(b: _Builder, view: View, i: int, path: str, kind: str = "paragraph",
               first: int | None = None, cont: str = "") -> int:
    """A run of text lines from ``view[i]``; the index after it."""
    j = i + 1
    while j < len(view) and not b.blank(view[j]) and not _interrupts(b.text(view[j]).lstrip()):
        if kind == "paragraph" and j == i + 1 and SETEXT.match(b.text(view[j])):
            break
        j += 1
    if kind == "paragraph" and j == i + 1 and j < len(view) and SETEXT.match(b.text(view[j])):
        idx, off = view[i]  # a setext heading: "Title" over "-----"
        start = off + _strip_cols(b.lines[idx][off:], 3)
        b.add("heading", b.lines[idx][start:].strip(), b.at(idx, start), b.at(idx, len(b.lines[idx].rstrip())),
              path + "/h", style="cell")
        return j + 1
    pieces = []
    for n, (idx, off) in enumerate(view[i:j]):
        line = b.lines[idx]
        pieces.append(line[first if (n == 0 and first is not None) else off + _strip_cols(line[off:], 99) :])
    # Soft line breaks become spaces; hard ones (two trailing spaces, a backslash) stay as "\n".
    text = ""
    for n, piece in enumerate(pieces):
        body = piece.rstrip()
        if n == len(pieces) - 1:
            text += body
        elif piece.endswith("  ") or piece.endswith("\\"):
            text += (body[:-1] if body.endswith("\\") else body) + "\n"
        else:
            text += body + " "
    idx0, off0 = view[i]
    start = first if first is not None else off0 + _strip_cols(b.lines[idx0][off0:], 99)
    idx1 = view[j - 1][0]
    b.add(kind, text, b.at(idx0, start), b.at(idx1, len(b.lines[idx1].rstrip())), path,
          cont=cont or b.lines[idx0][:off0])
    return j


def _cells(line: str, off: int) -> list[tuple[int, int]]:
    """The trimmed (start, end) of each cell's text in a table row; escaped and code pipes respected."""
    bounds, i, n = [], off, len(line)
    while i < n and line[i] in " \t":
        i += 1
    if i < n and line[i] == "|":
        i += 1
    start, ticks = i, 0
    while i < n:
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            run = len(line[i:]) - len(line[i:].lstrip("`"))
            ticks = 0 if ticks == run else (run if ticks == 0 else ticks)
            i += run
            continue
        if ch == "|" and not ticks:
            bounds.append((start, i))
            start = i + 1
        i += 1
    if line[start:].strip():
        bounds.append((start, n))
    out = []
    for s, e in bounds:
        cell = line[s:e]
        out.append((s + len(cell) - len(cell.lstrip()), s + len(cell.rstrip())))
    return out


def _table(b: _Builder, view: View, i: int, path: str) -> int:
    j = i + 2
    while j < len(view) and not b.blank(view[j]) and "|" in b.text(view[j]):
        j += 1
    headings: list[str] = []
    for row, k in enumerate([i, *range(i + 2, j)]):
        idx, off = view[k]
        for column, (s, e) in enumerate(_cells(b.lines[idx], off)):
            text = b.lines[idx][s:e]
            if row == 0:
                headings.append(text)
                b.add("header-cell", text, b.at(idx, s), b.at(idx, e), path + "/th", style="cell")
            else:
                heading = headings[column] if column < len(headings) else f"column {column + 1}"
                b.add("cell", text, b.at(idx, s), b.at(idx, e), path + "/td", style="cell",
                      extra=f"Column: {heading!r}; row {row}.")
    return j


MERMAID_MASK = re.compile(r"\{\{.*?\}\}")
MERMAID_NODE = re.compile(
    r"(?<![\w-])(?P<id>[A-Za-z0-9_]+)"
    r"(?P<open>\[\[|\[\(|\(\(|\(\[|\[/|\[\\|\{\{|\[|\(|\{|>)"
    r"(?P<label>[^\[\](){}|]*?)"
    r"(?P<close>\]\]|\)\]|\)\)|\]\)|/\]|\\\]|\}\}|\]|\)|\})"
)
MERMAID_EDGE = re.compile(r"(?:--|==|-\.)[ \t]+(?P<label>[^-=.|>][^|]*?)[ \t]+(?:-->|==>|\.->|---)|\|(?P<pipe>[^|]+)\|")
MERMAID_STATEMENT = re.compile(r"^\s*(classDef|class|style|linkStyle|click|subgraph|end)\b")


def _mermaid(b: _Builder, view: View, path: str) -> None:
    """The labels of a flowchart, the only kind of diagram whose labels are segmented."""
    if not view:
        return
    if not re.match(r"^\s*(flowchart|graph)\b", b.text(view[0])):
        b.page.skipped.append((view[0][0] + 1, "Mermaid diagram other than a flowchart: kept as in the source"))
        return
    for idx, off in view[1:]:
        line = b.lines[idx]
        if MERMAID_STATEMENT.match(line[off:]):
            continue
        masked = MERMAID_MASK.sub(lambda m: "\0" * len(m.group()), line)
        for m in [*MERMAID_NODE.finditer(masked, off), *MERMAID_EDGE.finditer(masked, off)]:
            s, e = m.span("label" if m.group("label") is not None else "pipe")
            raw = line[s:e]
            s, e = s + len(raw) - len(raw.lstrip(' "')), e - (len(raw) - len(raw.rstrip(' "')))
            if s < e:
                b.add("diagram-label", line[s:e], b.at(idx, s), b.at(idx, e), path + "/dia", style="cell")


def _indented_block(b: _Builder, view: View, j: int, indent: int) -> int:
    """Index past the last line indented by 4 more than ``indent`` from ``view[j]`` on (blank lines inside)."""
    k, last = j, j - 1
    while k < len(view):
        if b.blank(view[k]):
            k += 1
            continue
        if _cols(b.text(view[k])) < indent + 4:
            break
        last = k
        k += 1
    return last + 1


def _children(b: _Builder, view: View, j: int, indent: int, path: str, depth: int) -> int:
    """The blocks of a list item or definition after its first paragraph."""
    end = _indented_block(b, view, j, indent)
    if end > j:
        _blocks(b, [(ci, co + _strip_cols(b.lines[ci][co:], indent + 4)) for ci, co in view[j:end]], path, depth + 1)
    return max(end, j)


def _blocks(b: _Builder, view: View, path: str, depth: int = 0) -> None:
    i, n = 0, len(view)
    counters: dict[str, int] = {}

    def sub(name: str) -> str:
        counters[name] = counters.get(name, 0) + 1
        return f"{path}/{name}{counters[name]}" if path else f"{name}{counters[name]}"

    while i < n:
        idx, off = view[i]
        text = b.text(view[i])
        if not text.strip():
            i += 1
            continue
        if m := FENCE.match(text):
            fence, info = m["fence"], m["info"].strip().split()[:1]
            j = i + 1
            while j < n:
                t = b.text(view[j]).strip()
                if t.startswith(fence) and not t.lstrip(fence[0]).strip():
                    break
                j += 1
            if info == ["mermaid"] and j < n:
                _mermaid(b, view[i + 1 : j], sub("diagram"))
            elif info in ([], ["text"], ["txt"]) and i + 1 < j < n:
                # A plain-text template (an escalation note agents copy): one segment, its lines kept.
                first, last = view[i + 1], view[j - 1]
                body = "\n".join(b.text(v) for v in view[i + 1 : j])
                b.add("text-block", body, b.at(*first), b.at(last[0], len(b.lines[last[0]])), sub("text"),
                      style="raw", cont=b.lines[first[0]][: first[1]])
            i = j + 1
            continue
        if INCLUDE.match(text) or RULE.match(text) or LINK_DEFINITION.match(text) or ATTR_LINE.match(text) \
                or ABBREVIATION.match(text):
            i += 1
            continue
        if HTML.match(text) and not AUTOLINK_LINE.match(text):
            if text.lstrip().startswith("<!--"):
                while i < n and "-->" not in b.text(view[i]):
                    i += 1
                i += 1
            else:  # a raw HTML block runs to the next blank line
                b.page.skipped.append((idx + 1, "raw HTML block: kept as in the source"))
                while i < n and not b.blank(view[i]):
                    i += 1
            continue
        if m := ADMONITION.match(text):
            title, my = m["title"], sub("adm")
            internal = INTERNAL in m["types"].lower().split()
            saved = b.section, b.internal
            b.internal = b.internal or internal
            if title:
                s = off + m.start("title")
                extra = "This box is an agent note: agents see it, customers never do." if internal else ""
                b.add("admonition-title", title, b.at(idx, s), b.at(idx, s + len(title)), my + "/title",
                      style="cell", extra=extra)
            indent = _cols(text)
            end = _indented_block(b, view, i + 1, indent)
            body = [(bi, bo + _strip_cols(b.lines[bi][bo:], indent + 4)) for bi, bo in view[i + 1 : end]]
            if internal:
                b.section = (b.section + " > " if b.section else "") + f"agent note {title or ''!r} (agents only)"
            _blocks(b, body, my, depth + 1)
            b.section, b.internal = saved
            i = max(end, i + 1)
            continue
        if m := HEADING.match(text):
            question = b.page.kind == "faq" and len(m["hashes"]) == 2 and depth == 0
            b.add("question" if question else "heading", m["text"], b.at(idx, off + m.start("text")),
                  b.at(idx, off + m.end("text")), sub("q" if question else f"h{len(m['hashes'])}"), style="cell")
            b.section = repr(m["text"])
            i += 1
            continue
        if i + 1 < n and "|" in text and DELIMITER_ROW.match(b.text(view[i + 1])) and "-" in b.text(view[i + 1]):
            i = _table(b, view, i, sub("table"))
            continue
        if m := LIST_ITEM.match(text):
            indent, my = _cols(m["indent"]), sub("li")
            j = i + 1
            if text[m.end() :].strip():
                j = _paragraph(b, view, i, my, kind="item", first=off + m.end(),
                               cont=b.lines[idx][:off] + " " * (indent + 4))
            i = _children(b, view, j, indent, my, depth)
            continue
        if m := DEFINITION.match(text):
            my = sub("dd")
            j = _paragraph(b, view, i, my, kind="definition", first=off + m.end(), cont=b.lines[idx][:off] + "    ")
            i = _children(b, view, j, _cols(text), my, depth)
            continue
        if m := FOOTNOTE.match(text):
            i = _paragraph(b, view, i, sub("fn"), kind="footnote", first=off + m.end(), cont=b.lines[idx][:off] + "    ")
            continue
        if QUOTE.match(text):
            quoted = []
            while i < n and not b.blank(view[i]):
                qi, qo = view[i]
                qm = QUOTE.match(b.lines[qi][qo:])
                quoted.append((qi, qo + (qm.end() if qm else 0)))
                i += 1
            _blocks(b, quoted, sub("quote"), depth + 1)
            continue
        if _cols(text) >= 4:  # indented code
            while i < n and (b.blank(view[i]) or _cols(b.text(view[i])) >= 4):
                i += 1
            continue
        i = _paragraph(b, view, i, sub("p"))


def segment(text: str, kind: str, path: Path | None = None) -> Segmented:
    """The segments of a page's text; ``kind`` is the page's (faq, sop, response, page, index) or snippet."""
    b = _Builder(text, kind, path)
    first = _front_matter(b)
    _blocks(b, [(idx, 0) for idx in range(first, len(b.lines))], "")
    return b.page


def _yaml_scalar(value: str, quote: str) -> str:
    """A YAML scalar for ``value`` in the source's quoting; plain only when that reads back the same."""
    if quote == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if not quote and value and "\n" not in value and value == value.strip() and not value.startswith(("'", '"')):
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def render(seg: Segment, translation: str) -> str:
    """What replaces a segment's characters in the translated file."""
    if translation == seg.text:
        return seg.original
    if seg.style == "yaml":
        return _yaml_scalar(translation, seg.quote)
    if seg.style == "cell":
        out = translation.replace("\n", " ")
        return re.sub(r"(?<!\\)\|", r"\\|", out) if seg.kind in ("cell", "header-cell") else out
    if seg.style == "raw":
        return ("\n" + seg.cont).join(translation.split("\n"))
    return ("\\\n" + seg.cont).join(translation.split("\n"))


def _replace(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for start, end, new in sorted(edits):
        out.append(text[pos:start])
        out.append(new)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def apply(page: Segmented, translations: dict[str, str]) -> str:
    """The page with each segment's translation in place (its source text where none is given)."""
    return _replace(page.text, [(s.start, s.end, render(s, translations.get(s.id, s.text))) for s in page.segments])


def skeleton(page: Segmented) -> str:
    """The page with every segment replaced by a marker: what no translation may change."""
    return _replace(page.text, [(s.start, s.end, f"\0{s.kind}\0") for s in page.segments])


def structure(page: Segmented) -> list[tuple[str, str]]:
    """(kind, place) of each segment: equal for a page and its translation when they line up."""
    return [(s.kind, re.sub(r"\d+", "#", s.path) if s.kind == "diagram-label" else s.path) for s in page.segments]
