"""Reading a content file: encoding, front matter, and lines that remember where they came from."""

from __future__ import annotations

import datetime
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from cxdocs.core.errors import CxdocsError
from cxdocs.core.yaml_errors import context_line, error_line, hint, problem_of

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A Markdown page larger than this is almost certainly a mistake (a pasted log, a binary)."""


class Line(NamedTuple):
    """One line of Markdown and its origin, so any later error can name ``path:line``."""

    text: str
    path: Path
    lineno: int
    via: tuple[Line, ...] = ()
    """The include lines that brought this line into the page, the page's own first: a public page
    may only include public sources, and an error names the include that broke the rule."""


@dataclass
class Document:
    """A content file split into its front matter and its body lines."""

    path: Path
    meta: dict[str, Any]
    body: list[Line]
    key_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of a front-matter key, or 1 when the key is absent."""
        return self.key_lines.get(key, 1)


def read_text(path: Path) -> str:
    """The file's text as Python-Markdown will read it, or a clear error for files a writer cannot have meant.

    Only a regular file is read, and never more than the size limit: a symbolic link to
    ``/dev/zero`` would fill the memory, a named pipe would hang the build.
    """
    try:
        kind = _not_regular(os.stat(path).st_mode)
        if kind:
            raise CxdocsError(f"{kind}, not a regular file: cxdocs reads only files", path)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as stream:
            # Checked again on what was opened: the path may have changed since.
            kind = _not_regular(os.fstat(stream.fileno()).st_mode)
            if kind:
                raise CxdocsError(f"{kind}, not a regular file: cxdocs reads only files", path)
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CxdocsError(f"cannot read file: {exc.strerror}", path) from None
    if len(raw) > MAX_FILE_BYTES:
        raise CxdocsError(f"file is over the {MAX_FILE_BYTES:,}-byte limit for a page; split it", path, 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CxdocsError(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", path, line) from None
    # Python-Markdown removes STX and ETX before it reads a line: the audience filter must read
    # the same line, or "\x02!!! internal" is a callout to Markdown and body text to the filter.
    text = text.replace("\x02", "").replace("\x03", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_regular(mode: int) -> str:
    """What a file that is not a regular file is, in a writer's words; empty for a regular file."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


_INVISIBLE_CATEGORIES = frozenset(("Cc", "Cf", "Zs", "Zl", "Zp", "Mn"))


def visible(text: str) -> str:
    """``text`` without white space, control and format characters or combining marks: what a
    writer sees of a line, to tell what it looks like from what Markdown makes of it."""
    if text.isascii():
        return "".join(text.split()).translate(_ASCII_CONTROLS)
    return "".join(c for c in text if not (c.isspace() or unicodedata.category(c) in _INVISIBLE_CATEGORIES))


_ASCII_CONTROLS = dict.fromkeys([*range(0x20), 0x7F])


def parse_document(path: Path, text: str | None = None) -> Document:
    """Split ``---`` front matter from the body and parse it as a YAML mapping."""
    if text is None:
        text = read_text(path)
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    if not lines or lines[0].rstrip() != "---":
        _refuse_misplaced_front_matter(lines, path)
        return Document(path, {}, [Line(t, path, i + 1) for i, t in enumerate(lines)])
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        raise CxdocsError("front matter opened with '---' is never closed with '---'", path, 1)
    front = "\n".join(lines[1:end])
    if len(front) > MAX_FRONT_MATTER:
        raise CxdocsError(
            f"front matter is {len(front):,} characters, over the {MAX_FRONT_MATTER:,}-character limit: "
            "put long text in the page's body", path, 1,
        )
    meta, key_lines = _parse_yaml(front, path, first_line=2)
    body = [Line(t, path, i + 1) for i, t in enumerate(lines[end + 1 :], start=end + 1)]
    return Document(path, meta, body, key_lines)


def _refuse_misplaced_front_matter(lines: list[str], path: Path) -> None:
    """A ``---`` front matter that does not open the file is body text to every Markdown tool:
    its ``audience: internal`` would be published as a paragraph."""
    for number, text in enumerate(lines, start=1):
        seen = visible(text)
        if not seen:
            continue
        if seen == "---" and any(line.strip() in ("---", "...") for line in lines[number:]):
            raise CxdocsError(
                "front matter must start on the first line with '---' alone: remove the blank lines, "
                "spaces or invisible characters before it (else it is read as text, and its settings are published)",
                path,
                number,
            )
        return


class _Located:
    """Constructors that fail as YAML errors at the value's line.

    SafeLoader resolves ``2021-02-30`` or ``0x_`` as a date or a number, then fails to build it
    with a bare ValueError, and ``!!bool maybe`` with a KeyError: a writer needs ``path:line``.
    """

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            kind = str(node.tag).rsplit(":", 1)[-1]
            value = f"{node.value!r} " if isinstance(node, yaml.ScalarNode) else ""
            detail = f" ({exc})" if kind == "timestamp" and str(exc) else ""
            kind = "date" if kind == "timestamp" else kind
            raise yaml.constructor.ConstructorError(
                None, None, f"{value}is not a valid {kind}{detail}", node.start_mark
            ) from None


class _Loader(_Located, yaml.SafeLoader):
    """The pure-Python loader: its messages are the ones a writer reads."""


class _FastLoader(_Located, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser, several times faster on the valid front matter of a large tree."""


def _parse_yaml(text: str, path: Path, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    try:
        return _parse_with(_FastLoader, text, path, first_line)
    except CxdocsError:
        # libyaml words its errors differently and counts bytes: the pure-Python parser says it.
        return _parse_with(_Loader, text, path, first_line)


def _parse_with(loader_class, text: str, path: Path, first_line: int) -> tuple[dict[str, Any], dict[str, int]]:
    loader = None
    try:
        loader = loader_class(text)
        node = loader.get_single_node()
        if node is None:
            return {}, {}
        if not isinstance(node, yaml.MappingNode):
            raise CxdocsError(
                "front matter must be a mapping of 'key: value' lines", path, node.start_mark.line + first_line
            )
        key_lines = {
            str(key.value): key.start_mark.line + first_line for key, _ in node.value if isinstance(key, yaml.ScalarNode)
        }
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = error_line(exc)
        line = mark + first_line if mark is not None else first_line
        problem = hint(problem_of(exc), context_line(exc, text.split("\n")))
        raise CxdocsError(f"front matter is not valid YAML: {problem}", path, line) from None
    except yaml.reader.ReaderError as exc:
        # A control character: the reader rejects the whole text before parsing it.
        line = text[: exc.position].count("\n") + first_line
        raise CxdocsError(
            f"front matter is not valid YAML: character U+{exc.character:04X} is not allowed", path, line
        ) from None
    except yaml.YAMLError as exc:
        raise CxdocsError(f"front matter is not valid YAML: {exc}", path, first_line) from None
    except RecursionError:
        raise CxdocsError("front matter is not valid YAML: values nested too deeply", path, first_line) from None
    finally:
        if loader is not None:
            loader.dispose()
    problem = _too_large(data)
    if problem:
        # libyaml builds what the pure-Python parser cannot; nothing downstream should recurse that
        # far, or walk a value that aliases (``*name``) repeat until it fills the memory.
        raise CxdocsError(problem, path, first_line)
    return data, key_lines


MAX_DEPTH = 50
MAX_VALUES = 10_000
"""Values in a page's front matter, each alias (``*name``) counted as the values it repeats."""
MAX_FRONT_MATTER = 64 * 1024


def _children(item: Any) -> list:
    if isinstance(item, dict):
        return [*item.values(), *(k for k in item if isinstance(k, tuple))]
    return list(item)


def _too_large(value: Any) -> str | None:
    """What makes the value too deep or too large, or None. Each shared value (a YAML alias) is
    measured once: walking every path through aliases took minutes for a few hundred bytes."""
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        item, done = stack.pop()
        if not isinstance(item, (dict, list, tuple)):
            continue
        key = id(item)
        if done:
            open_.discard(key)
            children = [c for c in _children(item) if isinstance(c, (dict, list, tuple))]
            sizes[key] = 1 + len(_children(item)) + sum(sizes[id(c)] - 1 for c in children)
            heights[key] = 1 + max((heights[id(c)] for c in children), default=0)
            if heights[key] > MAX_DEPTH:
                return "front matter is not valid YAML: values nested too deeply"
            if sizes[key] > MAX_VALUES:
                return (
                    f"front matter holds more than {MAX_VALUES:,} values once its aliases (*name) are repeated: "
                    "write the values out, or move them to the page's body"
                )
            continue
        if key in sizes:
            continue
        if key in open_:
            return "front matter is not valid YAML: an alias (*name) refers to the value that holds it"
        open_.add(key)
        stack.append((item, True))
        stack.extend((child, False) for child in _children(item))
    return None


def as_date(value: Any) -> datetime.date | None:
    """A front-matter date, whether YAML parsed it or it was quoted."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
