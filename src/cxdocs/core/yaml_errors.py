"""YAML's error messages with the fix a writer needs: most YAML errors in front matter and
mkdocs.yml are a value that needs quotes or a line indented wrongly, and YAML's own words
("mapping values are not allowed here") do not say so."""

from __future__ import annotations

import re

import yaml

INDENT = "the keys of one level must line up: check the indentation"
QUOTE = "put the value in quotes"

# What YAML says (a part of its ``problem`` text), and what to do about it.
HINTS: list[tuple[str, str]] = [
    ("found character '\\t'", "indent with spaces, not tabs"),
    ("could not find expected ':'", "each line is 'key: value'; quote a value that goes on, or indent its next lines"),
    ("did not find expected key", INDENT),
    ("did not find expected '-' indicator", "the items of a list must line up: check the indentation"),
    ("found unexpected end of stream", "a quoted value is never closed: end it with the same quote"),
    ("found unknown escape character", "in double quotes a backslash starts an escape: use single quotes"),
    ("sequence entries are not allowed here", QUOTE),
    ("expected alphabetic or numeric character", "a value starting with * or & must be quoted"),
    ("found undefined alias", "a value starting with * must be quoted"),
    ("that cannot start any token", QUOTE),
    ("found duplicate anchor", "a value starting with & must be quoted"),
    ("expected the node content, but found '-'", QUOTE),
    ("while parsing a flow", QUOTE),
    ("expected ',' or ']'", QUOTE),
    ("expected ',' or '}'", QUOTE),
]

KEY_VALUE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:]*?):\s+(?P<value>\S.*?)\s*$")


def hint(problem: str, line_text: str | None = None) -> str:
    """``problem`` with the usual fix added (``; put the value in quotes: key: "value"``), or as it was."""
    match = KEY_VALUE.match(line_text or "")
    value = match["value"] if match else ""
    fix = None
    if "mapping values are not allowed" in problem:
        # A second ': ' on the line is text that needs quotes; a key alone is indented too far.
        fix = "a value with ': ' in it must be quoted" if ": " in value or value.endswith(":") else INDENT
    elif "expected <block end>" in problem or "expected a comment or a line break" in problem:
        # Text after a quoted, bracketed or braced start: the whole value must be one quoted string.
        fix = "text after the start of a value in quotes or brackets must be inside quotes" if value[:1] in "'\"[{" else INDENT
    else:
        fix = next((fix for said, fix in HINTS if said in problem), None)
    if fix is None:
        return problem
    quoted = _quoted(match, single="escape" in problem) if match and fix.endswith(("quoted", "quotes")) else None
    return f"{problem}; {fix}" + (f": {quoted}" if quoted else "")


def _quoted(match: re.Match, single: bool = False) -> str:
    """The line as it would read with its value in quotes: ``description: "Delivery: times"``."""
    value = match["value"]
    if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]  # 'It's here': the writer meant the text inside the outer quotes
    if single or ('"' in value and "'" not in value):
        value = value.replace("'", "''")
        return f"{match['key']}: '{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{match["key"]}: "{escaped}"'


def error_line(exc: yaml.MarkedYAMLError) -> int | None:
    """The 0-based line YAML blames: where the problem is, else where its context starts."""
    mark = exc.problem_mark or exc.context_mark
    return mark.line if mark is not None else None


def problem_of(exc: yaml.MarkedYAMLError) -> str:
    return str(exc.problem or exc.context or exc)


def context_line(exc: yaml.MarkedYAMLError, lines: list[str]) -> str | None:
    """The text of the line that holds the key whose value is wrong.

    For "mapping values are not allowed here" YAML points at the second ``:``, on the same line;
    for an unclosed quote or a bad continuation it points later, and the context mark is the key's line.
    """
    for mark in (exc.problem_mark, exc.context_mark):
        if mark is not None and 0 <= mark.line < len(lines) and KEY_VALUE.match(lines[mark.line]):
            return lines[mark.line]
    return None
