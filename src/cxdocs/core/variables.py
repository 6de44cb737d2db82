"""``{{ name }}``: build-time variables from the config, and helpdesk placeholders kept to the end."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable, Mapping
from typing import Any

from cxdocs.core.errors import CxdocsError
from cxdocs.core.fences import FenceTracker
from cxdocs.core.placeholders import VOCABULARY, is_placeholder
from cxdocs.core.source import Line

NAME = r"[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*"
EXPRESSION = re.compile(r"(?<!\\)\{\{(?P<inner>.*?)\}\}")
VALID = re.compile(rf"^\s*(?P<name>{NAME})\s*$")
LITERAL_SPANS = re.compile(r"(`+[^`]*`+|\]\([^)]*\)|<[A-Za-z/!][^>]*>)")
"""Inline code spans, link destinations ``](...)`` and HTML tags or autolinks ``<...>``."""
LINK_DEFINITION = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]")
"""A reference link definition: ``[order]: https://shop.example/?email=...``."""


def flatten(variables: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{'limits': {'refund': 30}}`` as ``{'limits.refund': 30, 'limits': {...}}``."""
    flat: dict[str, Any] = {}
    for key, value in variables.items():
        name = f"{prefix}{key}"
        flat[name] = value
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
    return flat


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep merge: a language overrides single leaves without restating whole groups."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


MAX_EXPANSION = 4 * 1024 * 1024
"""Characters variables may add to one page (or one value): a long variable used thousands of
times would otherwise make pages of gigabytes."""


class Budget:
    """What variables may still add to one page."""

    def __init__(self, limit: int = MAX_EXPANSION):
        self.left = limit

    def spend(self, name: str, value: str, path, line: int) -> None:
        self.left -= len(value)
        if self.left < 0:
            raise CxdocsError(
                f"variables make this page too long: {{{{ {name} }}}} ({len(value):,} characters) takes it past "
                f"{MAX_EXPANSION:,} characters of variable text; shorten the variable or use it less",
                path,
                line,
            )


def placeholder_token(name: str) -> str:
    """How a placeholder shows on a site page: a visible, styled token, not a blank."""
    return f'<span class="cx-placeholder" title="{html.escape(VOCABULARY[name])}">{{{{ {name} }}}}</span>'


class Variables:
    """The variables of one language, resolving names in text and reporting bad ones where they are."""

    def __init__(self, variables: Mapping[str, Any]):
        self.values = flatten(variables)

    def lookup(self, name: str, path, line: int) -> str | None:
        """The text for ``name``: a value, or None for a known helpdesk placeholder."""
        if is_placeholder(name):
            if name not in VOCABULARY:
                raise CxdocsError(f"unknown helpdesk placeholder {{{{ {name} }}}}{_misspelt(name)}; the placeholders "
                                  f"are: {', '.join(VOCABULARY)}", path, line)
            return None
        if name not in self.values:
            hint = _suggest(name, [k for k, v in self.values.items() if not isinstance(v, Mapping)])
            raise CxdocsError(f"unknown variable {{{{ {name} }}}}{hint}", path, line)
        value = self.values[name]
        if isinstance(value, Mapping):
            keys = ", ".join(f"{name}.{k}" for k in list(value)[:5])
            raise CxdocsError(f"{{{{ {name} }}}} is a group of variables; use one of: {keys}", path, line)
        if isinstance(value, list):
            raise CxdocsError(f"{{{{ {name} }}}} is a list; variables must be single values", path, line)
        return "" if value is None else str(value)

    def names_in(self, text: str, path, line: int) -> list[str]:
        """Every ``{{ name }}`` in text, checked for form."""
        names = []
        for match in EXPRESSION.finditer(text):
            valid = VALID.match(match["inner"])
            if not valid:
                raise CxdocsError(f"{{{{{match['inner']}}}}} is not a variable name", path, line)
            names.append(valid["name"])
        return names

    def substitute_text(
        self,
        text: str,
        path,
        line: int,
        placeholder: Callable[[str], str] | None = None,
        wrap: Callable[[str, str], str] | None = None,
        budget: Budget | None = None,
    ) -> str:
        """Replace variables in one piece of text; placeholders become ``placeholder(name)``.

        ``wrap(name, value)``, when given, returns the markup a value is written as. ``budget``
        is what variables may add (a page's, shared by its lines; else this text's own).
        """
        if "{{" not in text:  # most lines: the guard and the checks substitute every line of the tree
            return text.replace("\\{%", "{%") if "\\{%" in text else text

        budget = budget or Budget()

        def replace(match: re.Match) -> str:
            valid = VALID.match(match["inner"])
            if not valid:
                raise CxdocsError(f"{{{{{match['inner']}}}}} is not a variable name", path, line)
            name = valid["name"]
            value = self.lookup(name, path, line)
            if value is None:
                return placeholder(name) if placeholder else "{{ " + name + " }}"
            budget.spend(name, value, path, line)
            return wrap(name, value) if wrap else value

        return EXPRESSION.sub(replace, text).replace("\\{{", "{{").replace("\\{%", "{%")

    def substitute_markdown(
        self, lines: list[Line], visible_placeholders: bool, wrap: Callable[[str, str], str] | None = None
    ) -> list[Line]:
        """Substitute every line; on site pages placeholders outside code become visible tokens.

        ``wrap`` marks up values in running text (never in code, link URLs or tags).
        """
        out = []
        fences = FenceTracker()
        budget = Budget()
        for line in lines:
            in_code = fences.in_code(line.text)
            if "{{" not in line.text:
                out.append(line)
                continue
            token = placeholder_token if visible_placeholders and not in_code else None
            if in_code or not (token or wrap):
                text = self.substitute_text(line.text, line.path, line.lineno, budget=budget)
            else:
                text = self._substitute_inline(line, token, wrap, budget)
            out.append(line._replace(text=text))
        return out

    def _substitute_inline(
        self,
        line: Line,
        token: Callable[[str], str] | None,
        wrap: Callable[[str, str], str] | None = None,
        budget: Budget | None = None,
    ) -> str:
        # A placeholder becomes a token in running text only. Inside an inline code span, a link's
        # URL or an HTML tag it stays literal text: a token there would end up as escaped markup
        # inside an href (``?email=<span class=...``) instead of the placeholder a reader expects.
        if LINK_DEFINITION.match(line.text):
            # Markdown takes a definition's URL only when it has no spaces: write it compactly.
            return self.substitute_text(line.text, line.path, line.lineno, lambda name: "{{" + name + "}}", budget=budget)
        parts = LITERAL_SPANS.split(line.text)
        return "".join(
            self.substitute_text(part, line.path, line.lineno, token, wrap, budget)
            if i % 2 == 0
            else self.substitute_text(part, line.path, line.lineno, budget=budget)
            for i, part in enumerate(parts)
        )


STRAY = re.compile(r"\{\{|\}\}|\{%")
ESCAPED = re.compile(r"\\\{[{%].*?(?:[}%]\}|$)")
"""``\\{{ literal }}`` and ``\\{% literal %}``: the escape a writer uses for braces that are text."""
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
ONE_BRACE_SHORT = re.compile(rf"\{{\{{\s*(?P<name>{NAME})\s*\}}(?!\}})")
NEVER_CLOSED = re.compile(rf"\{{\{{\s*(?P<name>{NAME})")
ONE_BRACE_OPEN = re.compile(rf"(?<!\{{)\{{\s*(?P<name>{NAME})\s*\}}\}}")
TEMPLATE_TAG = re.compile(r"\{%.*?(?:%\}|$)")


def stray_braces(text: str) -> list[str]:
    """What is wrong with each ``{{``, ``}}`` or ``{%`` of a line that is not a well-formed
    ``{{ name }}``, an escaped ``\\{{``, or inline code: text a reader would see as literal braces."""
    if "{" not in text and "}}" not in text:
        return []
    if "`" in text:
        text = CODE_SPAN.sub(lambda m: " " * len(m[0]), text)
    text = ESCAPED.sub(lambda m: " " * len(m[0]), text)
    problems = []
    for match in ONE_BRACE_OPEN.finditer(text):
        name = match["name"]
        problems.append(f"'{match[0]}' is missing a brace: write {{{{ {name} }}}}")
    text = ONE_BRACE_OPEN.sub(lambda m: " " * len(m[0]), text)
    # Well-formed and malformed {{ ... }} alike: substitution reports an expression that is no name.
    text = EXPRESSION.sub(lambda m: " " * len(m[0]), text)
    for match in STRAY.finditer(text):
        rest = text[match.start():]
        if match[0] == "{%":
            tag = TEMPLATE_TAG.match(rest)[0].strip()
            problems.append(
                f"'{tag}' is template syntax, which cxdocs does not run: write {{{{ name }}}} for a variable, "
                "or \\{% for the literal text"
            )
        elif match[0] == "{{":
            short = ONE_BRACE_SHORT.match(rest)
            opened = NEVER_CLOSED.match(rest)
            if short:
                problems.append(f"'{short[0]}' is missing a brace: write {{{{ {short['name']} }}}}")
            elif opened:
                problems.append(f"'{opened[0]}' is never closed: write {{{{ {opened['name']} }}}}")
            else:
                problems.append("'{{' opens no variable: write {{ name }} for a variable, or \\{{ for literal braces")
        else:
            problems.append("'}}' closes no variable: write {{ name }} for a variable, or put literal braces in `code`")
    return problems


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(name, [k for k in known], n=1)
    return f"; did you mean {{{{ {close[0]} }}}}?" if close else ""


def _misspelt(name: str) -> str:
    """A hint only for a typo of a placeholder's own name: ``customer.phone`` is close to
    ``customer.name`` as a whole, but a phone number is not a name."""
    namespace, _, field = name.partition(".")
    fields = [known.partition(".")[2] for known in VOCABULARY if known.startswith(namespace + ".")]
    close = difflib.get_close_matches(field, fields, n=1, cutoff=0.8)
    return f"; did you mean {{{{ {namespace}.{close[0]} }}}}?" if close else ""
