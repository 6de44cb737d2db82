"""Property-based tests (hypothesis).

Any input either builds or gives a cxdocs error with a real ``path:line``; and for any generated
page, no text inside an internal block reaches the public output, while the handbook shows all of it.

The core properties run the real pipeline (``load_project``, every registered check, ``render_page``
for every target, the response-pack export) on hundreds of generated trees without MkDocs. The
end-to-end ones run ``cxdocs build`` on a few generated projects and read every byte it wrote.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from conftest import Project, site_bytes
from hypothesis import HealthCheck, Phase, event, example, given, note, settings
from hypothesis import strategies as st

from cxdocs.core.checks import run_checks
from cxdocs.core.content import load_project
from cxdocs.core.errors import CxdocsError, CxdocsErrors, Finding
from cxdocs.core.placeholders import VOCABULARY
from cxdocs.core.plugins import plugin_manager
from cxdocs.core.render import pages_for, render_page
from cxdocs.core.settings import Settings
from cxdocs.core.targets import all_targets
from cxdocs.outputs.export import plan_export

SCALE = int(os.environ.get("CXDOCS_PROPERTY_SCALE", "1"))
"""Run N times the examples (``CXDOCS_PROPERTY_SCALE=20``) to search longer than CI does."""
EXPLORE = SCALE > 1
"""The default run is derandomized: the same examples every time, so CI passes or fails on the code,
not on luck. A longer search draws new examples; what it finds becomes a regression test below."""
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
CORE = settings(
    max_examples=200 * SCALE,
    deadline=None,
    phases=PHASES,
    derandomize=not EXPLORE,
    suppress_health_check=[HealthCheck.too_slow],
)
END_TO_END = settings(
    max_examples=15 * SCALE,
    deadline=None,
    derandomize=not EXPLORE,
    phases=PHASES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ---------------------------------------------------------------------------------------------
# Text. Markers are "zq" + hex; no generated text holds a "z", so a marker found in an output
# can only have come from where the generator put it.

SCRIPTS = [
    "Refund", "Прошу вернуть деньги", "Επιστροφή χρημάτων", "退款申请", "返品について", "החזר כספי",
    "استرداد المبلغ", "Vračilo", "Povrat novca", "😀👍🏽", "ß İ ﬁ", "e\u0301", "\u200b", "\u00a0", "\u2028",
]
INJECTIONS = [
    "</script>", "<script>alert(1)</script>", "</SCRIPT >", '"', "'", '"double" and \'single\'', "&amp;", "&",
    "<b>bold</b>", "<!-- c -->", "`code`", "*em*", "_u_", "[link](https://x.test/?q=1&r=2)", "\\", "%s", "#",
]
MARKDOWNISH = [
    "!!! note", "!!!", "???", "- item", "1. step", "> quote", "## heading", "---", "```", "~~~", "|a|b|",
    "{#anchor}", "{{", "}}", ":", "?", "Q: why?", "**bold?**", "--8<--", "\t", "    ",
    "[a](nowhere.md#x)", "[s](../../sop/d/p.md)", '<a href="/sop/d/p/">s</a>', "[h](#)", "[u](http://[x)",
    "{% if x %}", "{ customer.name }}", '<script type="application/ld+json">', "</script>", ">>>",
]
CORE_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\n\rzZ")
SAFE_CHARS = st.characters(categories=("L", "N", "Zs", "Pd", "Sm", "So"), exclude_characters="zZ{}<>&|~\u2028\u2029")


def no_z(text: str) -> str:
    return text.replace("z", "y").replace("Z", "Y")


@lru_cache
def words(e2e: bool) -> st.SearchStrategy[str]:
    if e2e:
        return st.one_of(st.sampled_from(SCRIPTS + INJECTIONS[:6]), st.text(SAFE_CHARS, min_size=1, max_size=10))
    return st.one_of(
        st.sampled_from(SCRIPTS + INJECTIONS + MARKDOWNISH),
        st.text(CORE_CHARS, min_size=1, max_size=8),
    ).map(no_z)


PUBLIC_VARIABLES = ["pub.text", "pub.number", "pub.empty", "pub.html", "pub.nested.deep"]
SECRET_VARIABLES = 4
SECRET_SNIPPETS = 3
MIXED_SNIPPETS = 2
BAD_EXPRESSIONS = [
    "{{ nope }}", "{{ pub.nope }}", "{{ pub }}", "{{ pub.list }}", "{{ customer.nope }}", "{{ agent }}", "{{ ticket. }}",
    "{{ }}", "{{}}", "{{ a b }}", "{{ 1x }}", "{{ .x }}", "{{ {{ pub.text }} }}", "{{ pub.text | upper }}", "{{ pub.text",
]


@lru_cache
def tokens(e2e: bool, bad: bool) -> st.SearchStrategy[tuple]:
    choices = [
        words(e2e).map(lambda w: ("t", w)),
        st.sampled_from(PUBLIC_VARIABLES).map(lambda n: ("v", n)),
        st.sampled_from(sorted(VOCABULARY)).map(lambda n: ("v", n)),
    ]
    if not e2e:
        choices.append(st.sampled_from(PUBLIC_VARIABLES + sorted(VOCABULARY)).map(lambda n: ("esc", n)))
    if bad:
        choices.append(st.sampled_from(BAD_EXPRESSIONS).map(lambda b: ("t", b)))
    return st.one_of(choices[0], *choices)  # plain words twice as often


@lru_cache
def line_of(e2e: bool, bad: bool) -> st.SearchStrategy[list]:
    return st.lists(tokens(e2e, bad), min_size=1, max_size=4)


# ---------------------------------------------------------------------------------------------
# Page bodies: a tree of nodes, internal blocks nested at random (top level, in list items, in
# other blocks), rendered to lines by the Emitter, which also knows where each marker went.


@lru_cache
def body_nodes(e2e: bool, bad: bool, includes: bool) -> st.SearchStrategy[list]:
    line = line_of(e2e, bad)
    para = st.lists(line, min_size=1, max_size=2).map(lambda lines: ("para", lines))
    code_line = st.text(SAFE_CHARS if e2e else CORE_CHARS, max_size=30).map(no_z)
    fence = st.tuples(
        st.just("fence"),
        st.sampled_from(["```", "~~~", "````"]),
        st.sampled_from(["", "text", "python", "mermaid", " yaml title=x"]),
        st.lists(st.one_of(code_line, line.map(lambda toks: ("line", toks))), max_size=4),
    )
    leaves = [para, para, fence]
    if not e2e:
        leaves.append(line.map(lambda toks: ("heading", toks)))
    if includes:
        leaves.append(st.integers(0, MIXED_SNIPPETS - 1).map(lambda i: ("include", i)))
    if bad:
        leaves.append(st.sampled_from(BROKEN_BLOCKS).map(lambda b: ("broken", b)))
    secret = st.one_of(
        st.tuples(st.just("marker"), st.lists(words(e2e), max_size=2), st.lists(words(e2e), max_size=2)),
        st.tuples(st.just("secretvar"), st.integers(0, SECRET_VARIABLES - 1), st.lists(words(e2e), max_size=2)),
        st.tuples(st.just("secretinclude"), st.integers(0, SECRET_SNIPPETS - 1)),
    )
    forms = ["plain"] * 6 + ([] if e2e else ["quote", "bullet", "deflist"])

    def extend(children):
        internal = st.builds(
            lambda form, kind, spelling, sep, title, unit, first, rest, at: (
                "internal", form, kind, spelling, sep, title, unit, rest[: at % (len(rest) + 1)] + [first] + rest[at % (len(rest) + 1) :]
            ),
            st.sampled_from(forms),
            st.sampled_from(["!!!", "???", "???+"]),
            st.sampled_from(["internal"] * 4 + ["Internal", "INTERNAL"]),
            st.sampled_from([" ", " ", "", "\t", "  "]),
            st.none() | st.tuples(st.lists(words(e2e), max_size=3), st.booleans()),
            st.sampled_from(["    ", "    ", "\t"]),
            secret,
            st.lists(st.one_of(children, secret), max_size=3),
            st.integers(0, 3),
        )
        item = st.tuples(st.just("list"), st.sampled_from(["-", "*", "1."]), line, st.lists(children, max_size=2))
        box = st.tuples(  # a public callout, which may hold internal blocks
            st.just("box"), st.sampled_from(["!!! note", '??? tip "Tip"', "???+ warning", '!!! info ""']),
            st.lists(children, min_size=1, max_size=2),
        )
        return st.one_of(internal, internal, item, box)

    return st.lists(st.recursive(st.one_of(*leaves), extend, max_leaves=6), min_size=1, max_size=3)


BROKEN_BLOCKS = [
    ["!!! internal"],
    ["??? internal", ""],
    ["!!! internal", "  two spaces"],
    ["!!! internal", "not indented"],
    ["!!! internal", "", "", "    late body"],
    ["!!! note internal", "    body"],
    ["!!! internal note", "    body"],
    ['!!! internal "unterminated', "    body"],
    ['!!! internal "a" "b"', "    body"],
    ["\t!!! internal", "\tbody"],
    ["  !!! internal", "      body"],
    ["!!!internal", "\tbody"],
    ["???+internal", "    body", "  !!! internal"],
    ["!!! internal", "    ```", "not in fence", "    ```"],
    ["- !!! internal", "        body"],
    ["> !!! internal", ">     body"],
    ["Term", ":   ??? internal", "        body"],
]


@dataclass
class Emitter:
    """Turns node trees into Markdown lines, allocating a unique marker for every secret."""

    salt: str
    e2e: bool
    mixed: dict[int, set[str]] = field(default_factory=dict)
    count: int = 0
    expected: set[str] = field(default_factory=set)
    """Markers this document shows in the handbook."""

    def marker(self) -> str:
        self.count += 1
        return f"zq{self.salt}{self.count:03x}"

    def var_marker(self, i: int) -> str:
        return f"zq{self.salt}v{i}"

    def snippet_marker(self, i: int) -> str:
        return f"zq{self.salt}s{i}"

    def all_markers(self) -> list[str]:
        return (
            [f"zq{self.salt}{n:03x}" for n in range(1, self.count + 1)]
            + [self.var_marker(i) for i in range(SECRET_VARIABLES)]
            + [self.snippet_marker(i) for i in range(SECRET_SNIPPETS)]
        )

    def text(self, toks: list) -> str:
        out = []
        for kind, value in toks:
            if kind == "t":
                out.append(value)
            elif kind == "v":
                out.append(f"{{{{ {value} }}}}" if len(out) % 2 == 0 else f"{{{{{value}}}}}")
            else:
                out.append(f"\\{{{{ {value} }}}}")
        text = " ".join(out)
        return ("Text " + text) if self.e2e else text

    def nodes(self, nodes: list, indent: str, quoted: bool = False) -> list[str]:
        out: list[str] = []
        for node in nodes:
            if out:
                out.append("")
            out.extend(self.node(node, indent, quoted))
        return out

    def node(self, node: tuple, indent: str, quoted: bool) -> list[str]:
        kind = node[0]
        if kind == "para":
            return [indent + self.text(toks) for toks in node[1]]
        if kind == "heading":
            return [indent + "## " + self.text(node[1])]
        if kind == "fence":
            _, fence, info, code = node
            lines = [c if isinstance(c, str) else self.text(c[1]) for c in code]
            return [indent + fence + info, *[indent + c if c.strip() else "" for c in lines], indent + fence]
        if kind == "include":
            if not quoted:  # a quoted include line is text, not an include
                self.expected |= self.mixed.get(node[1], set())
            return [f'{indent}--8<-- "snippets/mixed{node[1]}.md"']
        if kind == "broken":
            return [indent + line if line else "" for line in node[1]]
        if kind == "list":
            _, bullet, first, children = node
            lines = [f"{indent}{bullet} {self.text(first)}"]
            if children:
                lines += ["", *self.nodes(children, indent + "    ", quoted)]
            return lines
        if kind == "box":
            return [indent + node[1], *self.nodes(node[2], indent + "    ", quoted)]
        if kind == "internal":
            return self.internal(node, indent, quoted)
        return self.secret(node, indent, quoted)

    def internal(self, node: tuple, indent: str, quoted: bool) -> list[str]:
        _, form, kind, spelling, sep, title, unit, items = node
        header = f"{kind}{sep}{spelling}"
        if title is not None:
            title_words, with_marker = title
            if with_marker:  # a block's title is internal text too
                title_words = [*title_words, self.marker()]
                self.expected.add(title_words[-1])
            header += f' "{" ".join(title_words)}"'
        if form == "plain":
            return [indent + header, *self.items(items, indent + unit, quoted)]
        if form == "quote":
            lines = [header, *self.items(items, unit, True)]
            return [indent + "> " + line if line else indent + ">" for line in lines]
        if form == "bullet":
            return [f"{indent}-   {header}", *self.items(items, indent + "    " + unit, quoted)]
        return [f"{indent}Term", f"{indent}:   {header}", *self.items(items, indent + "    " + unit, quoted)]

    def items(self, items: list, indent: str, quoted: bool) -> list[str]:
        out: list[str] = []
        for item in items:
            if out:
                out.append("")
            out.extend(self.node(item, indent, quoted))
        return out

    def secret(self, node: tuple, indent: str, quoted: bool) -> list[str]:
        kind = node[0]
        if kind == "marker":
            marker = self.marker()
            self.expected.add(marker)
            return [indent + " ".join([*node[1], marker, *node[2]])]
        if kind == "secretvar":
            self.expected.add(self.var_marker(node[1]))
            return [indent + " ".join(["Limit:", f"{{{{ sec.v{node[1]} }}}}", *node[2]])]
        if not quoted:
            self.expected.add(self.snippet_marker(node[1]))
        return [f'{indent}--8<-- "snippets/secret{node[1]}.md"']


# ---------------------------------------------------------------------------------------------
# Front matter: valid mappings of odd values, raw YAML fragments (broken, non-mappings, odd tags).

FM_KEYS = ["title", "description", "audience", "department", "purpose", "terms", "owner", "review_by",
           "id", "tags", "subject", "translated_from", "folder"]
YAML_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(CORE_CHARS, max_size=20).map(no_z), st.dates(),
    st.datetimes(), st.sampled_from(["public", "internal", "secret", "Public", "{{ pub.text }}", "{{ nope }}",
                                      "{{ customer.first_name }}", "{{", "2099-01-31"]),
)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5).map(no_z) | st.integers(), c, max_size=3),
    max_leaves=8,
)
ODD_SCALARS = [
    "", "~", "null", "true", "no", "12", "-0", "1e999", ".nan", "0x1F", "0x_", "0b_", "0o7", "1_000", "190:20:30",
    "2099-01-31", "2099-13-45", "2021-02-29", "2001-01-01 25:00:00", "2001-12-14t21:59:43.10-05:00", "!!int abc",
    "!!float x", "!!bool maybe", "!!timestamp 2020-99-99", "!!binary aGk=", "!!binary x", "!!python/object:os.system x",
    "!!set {x}", "!!omap [1]", "!!str", "!!null x", "&a [*a]", "*undefined", "[a, b]", "{a: 1}", "[", "{", "'unterminated",
    '"\\xZZ"', "|\n  block", ">-\n  folded", "public", "internal", "secret", "Public", "'{{ pub.text }}'", "'{{ nope }}'",
    "'{{ customer.first_name }}'", "'{{'", "[" * 400 + "]" * 400, "{b: " * 300 + "1" + "}" * 300,
]
YAML_FRAGMENTS = [
    "- a list", "just a string", "[1, 2]", "null", "123", "%YAML 1.1", "a: b: c", "\ta: b", "{", "]", "@x", "`x",
    "? [a, b]\n: c", "? {a: 1}\n: c", "<<: 1", "<<: *x", "ü: ü", "\ufeffa: b", "title: x\ntitle: y", "--- a",
    "terms: {1: 2, null: x}", "terms: {'{{ nope }}': x}", "id: folder/page",
]
FRONT_MATTER_BROKEN = st.one_of(
    st.lists(
        st.one_of(
            st.tuples(st.sampled_from(FM_KEYS), st.sampled_from(ODD_SCALARS)).map(lambda kv: f"{kv[0]}: {kv[1]}"),
            st.sampled_from(YAML_FRAGMENTS),
        ),
        min_size=1,
        max_size=4,
    ).map("\n".join),
    st.dictionaries(st.sampled_from(FM_KEYS) | st.text(max_size=8).map(no_z), YAML_VALUES, max_size=5).map(
        lambda d: yaml.safe_dump(d, allow_unicode=True)
    ),
    st.text(CORE_CHARS | st.just("\n"), max_size=60).map(no_z),
)


def wrap_front_matter(fm: str | None, closing: str) -> str:
    if fm is None:
        return ""
    return f"---\n{fm.rstrip(chr(10))}\n{closing}" if closing else f"---\n{fm}\n"


# ---------------------------------------------------------------------------------------------
# A whole generated tree: files (as bytes), the cxdocs settings, and where the markers went.

PAGE_PATHS = ["faq/topic/page.md", "faq/topic/page.md", "sop/dept/page.md", "responses/folder/page.md", "page.md", "index.md"]
LANGUAGES = [["en"], ["en", "sl"]]


@dataclass
class Tree:
    files: dict[str, bytes]
    languages: list[str]
    variables: dict
    language_variables: dict
    markers: list[str] = field(default_factory=list)
    """Every marker generated: none may reach a public output."""
    expected: dict[str, set[str]] = field(default_factory=dict)
    """Per language, the markers the handbook page must show."""

    def listing(self) -> str:
        """The files as a writer would read them, for the report of a failing example."""
        return "\n".join(
            f"=== content/{rel}\n{data.decode('utf-8', 'backslashreplace')}" for rel, data in sorted(self.files.items())
        )

    def write(self, root: Path) -> Settings:
        content = root / "content"
        for rel, data in self.files.items():
            path = content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        content.mkdir(exist_ok=True)
        return Settings(content, self.languages, self.variables, self.language_variables)


def variables_for(emitter: Emitter, public_text: str) -> dict:
    return {
        "pub": {"text": public_text, "number": 30, "empty": None, "html": "<b>30 EUR</b> & more",
                "nested": {"deep": "deep value"}, "list": [1, 2]},
        "sec": {f"v{i}": emitter.var_marker(i) for i in range(SECRET_VARIABLES)},
    }


def snippet_files(draw, emitter: Emitter, e2e: bool, bad: bool) -> dict[str, str]:
    files = {}
    for i in range(SECRET_SNIPPETS):
        extra = draw(st.lists(line_of(e2e, False), max_size=1))
        lines = [f"Agents only: {emitter.snippet_marker(i)} here.", *(emitter.text(t) for t in extra)]
        files[f"snippets/secret{i}.md"] = "\n".join(lines) + "\n"
    for i in range(MIXED_SNIPPETS):
        saved, emitter.expected = emitter.expected, set()
        lines = emitter.nodes(draw(body_nodes(e2e, bad, includes=False)), "")
        files[f"snippets/mixed{i}.md"] = "\n".join(["Shared text.", "", *lines]) + "\n"
        emitter.mixed[i], emitter.expected = emitter.expected, saved
    return files


def faq_body(draw, emitter: Emitter, e2e: bool, bad: bool) -> list[str]:
    """Questions as '## ' headings, each answered by public text first, then anything."""
    lines: list[str] = []
    for number in range(draw(st.integers(1, 3))):
        question = f"Question {number} " + emitter.text(draw(line_of(e2e, bad))).removeprefix("Text ") + "?"
        nodes = draw(body_nodes(e2e, bad, includes=True))
        answer = emitter.nodes([("para", [[("t", "Answer")]]), *nodes], "")
        lines += [f"## {question}", "", *answer, ""]
    return lines


@st.composite
def trees(draw, broken: bool = False, e2e: bool = False) -> Tree:
    emitter = Emitter(draw(st.text("0123456789abcdef", min_size=4, max_size=4)), e2e)
    languages = ["en"] if e2e else draw(st.sampled_from(LANGUAGES))
    public_text = draw(words(e2e))
    files: dict[str, str] = snippet_files(draw, emitter, e2e, bad=broken)
    expected: dict[str, set[str]] = {}
    paths = draw(st.lists(st.sampled_from(PAGE_PATHS), min_size=1, max_size=2, unique=True))
    for rel in paths:
        for lang in languages:
            if lang != "en" and not draw(st.booleans()):
                continue  # untranslated: the handbook falls back to the source
            emitter.expected = set()
            kind = rel.split("/")[0] if "/" in rel else "page"
            meta = {"title": "Title " + emitter.text(draw(line_of(e2e, broken))).removeprefix("Text ")}
            if draw(st.booleans()):
                meta["description"] = emitter.text(draw(line_of(e2e, broken)))
            if kind == "sop":
                meta.update(department="Billing", purpose="Refund within limits.", owner="Ana",
                            terms={"RMA": "Return merchandise authorization"}, review_by="2099-01-31")
            if kind in ("faq", "page") and draw(st.integers(0, 4)) == 0:
                meta["audience"] = "internal"
            front = wrap_front_matter(yaml.safe_dump(meta, allow_unicode=True), "---\n")
            if broken and draw(st.integers(0, 2)):
                closing = draw(st.sampled_from(["---\n", "---\n", "...\n", "---", ""]))
                front = wrap_front_matter(draw(st.none() | FRONT_MATTER_BROKEN), closing)
            if kind == "faq" and not broken:
                body = faq_body(draw, emitter, e2e, broken)
            else:
                body = emitter.nodes(draw(body_nodes(e2e, broken, includes=True)), "")
                if kind == "sop":
                    body = ["1. Check the order.", "2. Refund it.", "", *body]
                if kind == "faq":
                    body = ["## Question?", "", "Answer.", "", *body]
            if broken:
                body = mutate(draw, body)
            name = rel if lang == "en" else rel.removesuffix(".md") + f".{lang}.md"
            files[name] = front + "\n" + "\n".join(body) + "\n"
            expected[name] = set(emitter.expected)
        for lang in languages:
            translated = rel.removesuffix(".md") + f".{lang}.md"
            expected.setdefault(lang, set()).update(expected.get(translated if translated in files else rel, set()))
    if broken:
        files.update(draw(broken_extras()))
    encoded = {rel: encode(draw, text, broken) for rel, text in files.items()}
    variables = variables_for(emitter, public_text)
    language_variables = {"sl": {"pub": {"text": "slovensko besedilo", "number": 25}}} if "sl" in languages else {}
    return Tree(encoded, languages, variables, language_variables, emitter.all_markers(),
                {lang: expected[lang] for lang in languages})


WEIRD_LINES = [
    *[line for block in BROKEN_BLOCKS for line in block], "", "    ", "\t", "---", "...", "```", "~~~", "````python",
    "## ", "##", "## Q?", "# Title?", "**Bold?**", "Q: what?", "### Why?", *BAD_EXPRESSIONS, "\\{{ pub.text }}",
    '--8<-- "snippets/missing.md"', '--8<-- "../outside.md"', '--8<-- "/etc/passwd"', '--8<-- "C:/x.md"',
    "--8<-- snippets/mixed0.md", "--8<--", ';--8<-- "snippets/mixed0.md"', '--8<-- "snippets"', '--8<-- "snippets/loop_a.md"',
    '--8<-- "snippets/self.md"', '--8<-- "snippets/bad-yaml.md"', '--8<-- "snippets/latin1.md"', '    --8<-- "snippets/secret0.md"',
    "</script><script>alert(1)</script>", "<!--", "-->", '<div markdown="1">', "</div>",
    "[x]: https://x.test/?e={{ customer.email }}", "`{{ customer.email }}`", "1. Step", "Term", ":   Definition",
]


def mutate(draw, lines: list[str]) -> list[str]:
    """Random line edits: delete, duplicate, re-indent, truncate, or insert a line known to be tricky."""
    lines = list(lines)
    for op, position in draw(st.lists(st.tuples(st.sampled_from(["del", "dup", "dedent", "indent", "insert", "cut"]),
                                                st.integers(0, 200)), max_size=4)):
        i = position % (len(lines) + 1)
        if op == "insert" or not lines or i == len(lines):
            lines.insert(i, draw(st.sampled_from(WEIRD_LINES) | st.text(CORE_CHARS, max_size=20).map(no_z)))
        elif op == "del":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        elif op == "indent":
            lines[i] = draw(st.sampled_from([" ", "  ", "\t", "    ", "        "])) + lines[i]
        else:
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]) - 1)))]
    return lines


@st.composite
def broken_extras(draw) -> dict[str, str | bytes]:
    """Files a tree may also hold: include loops, a snippet with bad YAML, orphans, odd languages."""
    extras = {
        "snippets/loop_a.md": '--8<-- "snippets/loop_b.md"\n',
        "snippets/loop_b.md": 'B\n\n!!! internal\n    --8<-- "snippets/loop_a.md"\n',
        "snippets/self.md": 'Me\n--8<-- "snippets/self.md"\n',
        "snippets/bad-yaml.md": "---\na: [\n---\nText\n",
        "snippets/latin1.md": "Caf\xe9\n".encode("latin-1"),
    }
    for rel in draw(st.lists(st.sampled_from(["faq/topic/orphan.sl.md", "faq/topic/page.de.md", "faq/topic/page.xx.md",
                                              "faq/.hidden/page.md", "responses/folder/dup.md", "sop/empty.md"]),
                             max_size=2, unique=True)):
        extras[rel] = "---\ntitle: Extra\nid: folder/page\n---\n\n## Q?\n\nA.\n" if not rel.startswith("sop") else ""
    return extras


def encode(draw, text: str | bytes, broken: bool) -> bytes:
    if isinstance(text, bytes):
        return text
    if not broken:
        return text.encode("utf-8")
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    data = text.replace("\n", newline).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 5)) == 0:
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 8)) == 0:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x80"])) + data[at:]
    return data


# ---------------------------------------------------------------------------------------------
# The pipeline, run as `cxdocs check` and `cxdocs build` run it, minus MkDocs.

_PLUGINS = None


def plugins():
    global _PLUGINS
    if _PLUGINS is None:
        _PLUGINS = plugin_manager(None)
    return _PLUGINS


def file_lines(path: Path) -> int:
    text = path.read_bytes().decode("utf-8-sig", "replace").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return len(lines)


def assert_located(finding: Finding, root: Path) -> None:
    """An error names a file of the tree and, where it gives a line, a line that file has."""
    assert finding.path is not None, f"error without a path: {finding}"
    path = Path(finding.path)
    assert path.is_file(), f"error names {path}, which is not a file: {finding}"
    assert path.resolve().is_relative_to(root.resolve()), f"error names a file outside the project: {finding}"
    if finding.line is not None:
        assert 1 <= finding.line <= max(1, file_lines(path)), f"line {finding.line} is not in {path.name}: {finding}"


def assert_error(exc: CxdocsError, root: Path) -> None:
    for finding in exc.findings if isinstance(exc, CxdocsErrors) else [exc.finding]:
        assert_located(finding, root)


@dataclass
class Outcome:
    rendered: dict = field(default_factory=dict)
    """Target -> the pages it rendered, for every target that rendered."""
    errors: list[Finding] = field(default_factory=list)


def run_pipeline(tree: Tree, root: Path) -> Outcome:
    """Load, check, render every target and plan the packs. Only CxdocsError may escape each step."""
    note(tree.listing())
    settings = tree.write(root)
    outcome = Outcome()
    try:
        project = load_project(settings, keep_going=True)
    except CxdocsError as exc:
        assert_error(exc, root)
        outcome.errors.append(exc.finding)
        return outcome
    project.plugins = plugins()
    errors = [f for f in run_checks(project) if f.severity == "error"]
    for finding in errors:
        assert_located(finding, root)
    outcome.errors += errors
    for target in all_targets(settings.languages):
        try:
            outcome.rendered[target] = [render_page(project, p, target, project.plugins) for p in pages_for(project, target)]
        except CxdocsError as exc:
            assert_error(exc, root)
            # `cxdocs check` must have said so: a tree it passes is a tree that builds.
            assert errors, f"cxdocs check passed, but rendering {target} failed: {exc}"
    try:
        plan_export(project, None)
    except CxdocsError as exc:
        assert_error(exc, root)
        assert errors, f"cxdocs check passed, but planning the response packs failed: {exc}"
    return outcome


def public_texts(rendered) -> str:
    parts = []
    for r in rendered:
        parts += [r.title, r.description, r.markdown]
        for q in r.questions:
            parts += [q.text, *(line.text for line in q.answer)]
    return "\n".join(parts).casefold()


# ---------------------------------------------------------------------------------------------
# Core properties


@CORE
@given(tree=trees(broken=True))
def test_any_tree_loads_checks_and_renders_or_gives_located_cxdocs_errors(tree):
    """Property A: broken YAML, odd types, bad blocks, bad expressions, bad bytes: only CxdocsError, located."""
    with tempfile.TemporaryDirectory() as tmp:
        outcome = run_pipeline(tree, Path(tmp))
    event("has errors" if outcome.errors else "clean")


@CORE
@given(tree=trees())
def test_internal_block_text_never_reaches_public_markdown(tree):
    """Property B: markers inside internal blocks (direct, via variables, via snippets) stay out of public."""
    with tempfile.TemporaryDirectory() as tmp:
        outcome = run_pipeline(tree, Path(tmp))
    event(f"{len(outcome.rendered)} of {2 * len(tree.languages)} targets rendered")
    for target, rendered in outcome.rendered.items():
        if target.is_public:
            text = public_texts(rendered)
            leaked = [m for m in tree.markers if m in text]
            assert not leaked, f"internal text reached {target}: {leaked}"
        else:
            text = "\n".join(r.markdown + r.title for r in rendered)
            missing = sorted(m for m in tree.expected[target.lang] if m not in text)
            assert not missing, f"the handbook {target} lost internal text: {missing}"


# ---------------------------------------------------------------------------------------------
# End to end: `cxdocs build`


def new_project(tree: Tree, root: Path) -> Project:
    project = Project(root)
    project.config(variables=tree.variables, language_variables=tree.language_variables, languages=tree.languages)
    tree.write(root)
    return project


@END_TO_END
@given(tree=trees(e2e=True))
def test_build_keeps_every_internal_marker_out_of_every_public_byte(tree):
    with tempfile.TemporaryDirectory() as tmp:
        project = new_project(tree, Path(tmp))
        note(tree.listing())
        result = project.build()
        assert result.exit_code == 0, result.output
        public = site_bytes(Path(tmp) / "site" / "public")
        internal = b"\n".join(site_bytes(Path(tmp) / "site" / "internal").values()).lower()
    assert public and internal
    for rel, data in public.items():
        lowered = data.lower()
        leaked = [m for m in tree.markers if m.encode() in lowered]
        assert not leaked, f"site/public/{rel} holds internal text: {leaked}"
    missing = sorted(m for m in tree.expected["en"] if m.encode() not in internal)
    assert not missing, f"site/internal lacks internal text: {missing}"


# One error, injected into an otherwise valid project: (file, text to append or replace, how).
INJECTED_ERRORS = [
    ("faq/topic/page.md", "---\ntitle: [unclosed\n---\n\n## Q?\n\nA.\n"),
    ("faq/topic/page.md", "---\ntitle: T\naudience: customers\n---\n\n## Q?\n\nA.\n"),
    ("faq/topic/page.md", "---\ntitle: T\nreview_by: 2021-02-30\n---\n\n## Q?\n\nA.\n"),
    ("faq/topic/page.md", "---\ntitle: T\n---\n\n## Q?\n\nA {{ pub.nope }}.\n"),
    ("faq/topic/page.md", "---\ntitle: T\n---\n\n## Q?\n\nHi {{ customer.nickname }}.\n"),
    ("faq/topic/page.md", "---\ntitle: T\n---\n\n## Q?\n\nA.\n\n!!! internal\n\n## R?\n\nB.\n"),
    ("faq/topic/page.md", "---\ntitle: T\n---\n\n## Q?\n\nA.\n\n!!! internal\n  two spaces\n"),
    ("faq/topic/page.md", "---\ntitle: T\n---\n\n## Q?\n\nA.\n\n- !!! internal\n        hidden\n"),
    ("faq/topic/page.md", "---\ntitle: T\n---\n\n## Q?\n\nA.\n\n> !!! internal\n>     hidden\n"),
    ("faq/topic/page.md", "---\ntitle: T\n---\n\n## Q?\n\n## R?\n\nB.\n"),
    ("faq/topic/page.md", '---\ntitle: T\n---\n\n## Q?\n\n--8<-- "snippets/missing.md"\n'),
    ("faq/topic/page.md", '---\ntitle: T\n---\n\n## Q?\n\n--8<-- "../mkdocs.yml"\n'),
    ("faq/topic/page.md", "---\ntitle: T\n---\n\n## Q?\n\nA {{ pub.text\u00a0}} {{ not a name }}.\n"),
    ("faq/topic/orphan.sl.md", "---\ntitle: T\n---\n\n## Q?\n\nA.\n"),
    ("responses/r/a.md", "---\ntitle: A\nid: same\n---\n\nHi.\n"),
    ("sop/d/page.md", "---\ntitle: T\ndepartment: D\npurpose: P\nterms: {{{ bad\n---\n\n1. Step\n"),
]


@END_TO_END
@given(tree=trees(e2e=True), error=st.sampled_from(INJECTED_ERRORS), crlf=st.booleans())
def test_build_of_invalid_input_exits_1_with_path_line_message(tree, error, crlf):
    rel, text = error
    tree = replace(tree, languages=["en", "sl"])  # so that a translation can lack its source
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        new_project(tree, root)
        note(tree.listing())
        if rel == "responses/r/a.md":
            (root / "content/responses/r").mkdir(parents=True, exist_ok=True)
            (root / "content/responses/r/b.md").write_text(text, encoding="utf-8")
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.replace("\n", "\r\n" if crlf else "\n").encode("utf-8"))
        result = subprocess.run(
            [sys.executable, "-m", "cxdocs.app.cli", "build"], cwd=root, capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "Traceback" not in output, output
        first = output.splitlines()[0] if output else ""
        match = re.match(r"^(?P<path>[^:\n]+?):(?P<line>\d+): \S", first)
        assert match, f"first line is not path:line: message: {first!r}\n{output}"
        named = root / match["path"]
        assert named.is_file(), f"{first!r} names no file of the project"
        assert 1 <= int(match["line"]) <= max(1, file_lines(named)), first
        assert not (root / "site").exists(), "a failed build created site/"


# ---------------------------------------------------------------------------------------------
# Regressions: the minimal examples the properties found, fixed, kept so that every run checks them.


@pytest.mark.parametrize(
    "front, line",
    [
        ("title: T\nreview_by: 2021-02-29", 3),  # a date YAML resolves but cannot build: ValueError
        ("review_by: 2099-13-45", 2),
        ("title: T\nid: !!int abc", 3),
        ("id: 0x_", 2),
        ("title: !!bool maybe", 2),  # KeyError inside PyYAML
        ("title: T\nowner: \x1f", 3),  # a control character: ReaderError, raised before parsing
        ("title: " + "[" * 1000 + "]" * 1000, 2),  # RecursionError
    ],
)
def test_front_matter_that_yaml_cannot_build_is_a_located_error(tmp_path, front, line):
    from cxdocs.core.source import parse_document

    path = tmp_path / "page.md"
    path.write_text(f"---\n{front}\n---\n\nBody\n", encoding="utf-8")
    try:
        parse_document(path)
    except CxdocsError as exc:
        assert (exc.path, exc.line) == (path, line), str(exc)
        assert "front matter is not valid YAML" in exc.message
    else:
        raise AssertionError("no error")


@pytest.mark.parametrize(
    "body",
    [
        "> !!! internal\n>     zqsecret\n",
        "- !!! internal\n        zqsecret\n",
        '1. ???+ internal "Agents"\n        zqsecret\n',
        "Term\n:   !!! internal\n        zqsecret\n",
        # An unclosed fence is no fence to Markdown: what follows it renders.
        "- Refund\n\n    ```\n\n    > !!! internal\n    >     zqsecret\n",
    ],
)
def test_internal_marker_after_a_quote_or_list_marker_is_refused(tmp_path, body):
    """Markdown renders these as internal callouts inside the quote or item; the filter cannot cut them out."""
    from cxdocs.core.audience import PUBLIC, filter_audience
    from cxdocs.core.source import parse_document

    path = tmp_path / "page.md"
    path.write_text(body, encoding="utf-8")
    try:
        kept, _ = filter_audience(parse_document(path).body, PUBLIC)
    except CxdocsError as exc:
        assert exc.path == path and "must start its own line" in exc.message
    else:
        raise AssertionError("kept in public: " + " / ".join(line.text for line in kept))


def test_translated_page_with_mixed_key_types_is_checked(project):
    """``terms: {404: ..., RMA: ...}`` in a page with a tracked translation once crashed ``source_hash``."""
    project.config(languages=["en", "sl"])
    project.write("content/faq/shipping/delivery.md", "---\ntitle: Errors\nterms: {404: Not found, RMA: Return}\n---\n\n## Q?\n\nA.\n")
    project.write("content/faq/shipping/delivery.sl.md", "---\ntitle: Napake\ntranslated_from: abc\n---\n\n## V?\n\nO.\n")
    result = project.run("status")
    assert result.exit_code == 0, result.output
    assert "outdated" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------------------------------------
# mkdocs.yml: whatever it holds, cxdocs reads it or names a line of it; never another exception.

CONFIG_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=12),
    st.lists(st.sampled_from(["en", "sl", "xx", "slo", "si", "pt-BR", "zh_Hant", "", 'sl"><', "EN", "zendesk", 3]), max_size=4),
    st.dictionaries(st.sampled_from(["sl", "en", "de", "a", "limits"]), st.one_of(st.text(max_size=6), st.none(), st.integers()), max_size=2),
)


@CORE
@given(
    options=st.dictionaries(
        st.sampled_from(["languages", "variables", "language_variables", "untranslated", "audience", "lang",
                         "nav_cache", "plugins_dir", "export_formats", "langauges", "Languages", "theme"]),
        CONFIG_VALUES, max_size=4,
    ),
    theme=st.sampled_from([None, "material", "mkdocs", {"name": "material"}, {"custom_dir": "x"}, 3, ["material"]]),
    docs_dir=st.sampled_from([None, "content", "docs", ".", "..", 5, ""]),
    form=st.sampled_from(["list", "mapping", "bare", "missing", "beside"]),
    site_url=st.sampled_from([None, "https://help.example.test", "help.example.test", "", 7]),
)
def test_any_configuration_is_read_or_fails_at_a_line_of_mkdocs_yml(options, theme, docs_dir, form, site_url):
    from cxdocs.core.config import read_config

    data: dict = {"site_name": "Help"}
    for key, value in (("theme", theme), ("docs_dir", docs_dir), ("site_url", site_url)):
        if value is not None:
            data[key] = value
    data["plugins"] = {
        "list": ["search", {"cxdocs": options}], "mapping": {"search": {}, "cxdocs": options}, "bare": ["search", "cxdocs"],
        "missing": ["search"], "beside": ["search", {"cxdocs": options, "other": 1}],
    }[form]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "content").mkdir()
        path = Path(folder) / "mkdocs.yml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        lines = path.read_text(encoding="utf-8").count("\n")
        try:
            config = read_config(path)
        except CxdocsError as exc:
            findings = exc.findings if isinstance(exc, CxdocsErrors) else [exc.finding]
            for finding in findings:
                assert finding.path == path and finding.line is not None and 1 <= finding.line <= lines, str(finding)
            event("refused")
            return
        event("read")
        assert config.settings.languages and config.settings.content_dir == Path(folder) / "content"


@CORE
@given(text=st.text(max_size=200))
def test_any_text_as_mkdocs_yml_is_read_or_refused_with_its_path(text):
    from cxdocs.core.config import read_config

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mkdocs.yml"
        path.write_text(text, encoding="utf-8")
        try:
            read_config(path)
        except CxdocsError as exc:
            findings = exc.findings if isinstance(exc, CxdocsErrors) else [exc.finding]
            assert all(f.path in (path, Path(folder) / "content") or f.path.name == "mkdocs.yml" for f in findings), exc


# ---------------------------------------------------------------------------------------------
# Time linear in a page's questions


def _search_time(questions: int) -> float:
    """CPU seconds the search index takes for a FAQ page of ``questions`` questions and for its
    topic's listing of them, with the theme's own search plugin (best of three)."""
    import time
    from types import SimpleNamespace

    import markdown
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.toc import get_toc

    from cxdocs.adapters.mkdocs.speedups.search_sections import add_entry_from_context

    md = markdown.Markdown(extensions=["toc", "attr_list"])
    content = md.convert("".join(f"## Question {n}? {{#q{n}}}\n\nAnswer {n}.\n\n" for n in range(questions)))
    page = SimpleNamespace(content=content, toc=get_toc(md.toc_tokens), url="faq/t/p/", meta={}, title="P")
    listing = SimpleNamespace(
        content="<h2 id=\"p\">P</h2>\n<ul>\n" + "".join(f'<li><a href="p/#q{n}">Question {n}?</a></li>\n' for n in range(questions)) + "</ul>",
        toc=get_toc([]), url="faq/t/", meta={}, title="T",
    )
    best = float("inf")
    for _ in range(3):
        index = SearchIndex(lang=["en"], separator=r"[\s\-]+", pipeline=[], fields={})
        started = time.process_time()
        add_entry_from_context(index, page)
        add_entry_from_context(index, listing)
        best = min(best, time.process_time() - started)
        assert len(index.entries) > questions
    return best


def test_search_index_time_grows_linearly_with_questions():
    """The theme's plugin walked the table of contents for each section and a listing's items were
    copied at each item's end: 8,000 questions took 31 s, 16,000 took 80 s. Four times the
    questions must now cost about four times the time, not sixteen."""
    small, large = _search_time(2_000), _search_time(8_000)
    assert large < 8 * small, (small, large)


# ---------------------------------------------------------------------------------------------
# Markers among invisible characters: every Unicode control, format, space and separator
# character, around and inside an internal block's marker and body. Either the tree is refused
# at a located line, or Python-Markdown, given the public Markdown as MkDocs gives it, writes no
# byte of the body; and a tree that renders shows the body in the handbook.

INVISIBLE = [chr(c) for c in range(0x110000)
             if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zs", "Zl", "Zp") and chr(c) not in "\n\r"]
"""Line feed and carriage return end a line for Markdown too: a marker cut in two is two lines of text."""
MARKER_SLOTS = 8
"""Where a character goes: before the marker, inside it, before and after the type, after the
title, before the body's indentation, inside it, and before the body's text."""
BODY = "zqinvisiblebody"


def marker_block(kind: str, chars: dict[int, str]) -> str:
    at = lambda slot: chars.get(slot, "")  # noqa: E731
    return (
        f"{at(0)}{kind[:2]}{at(1)}{kind[2:]} {at(2)}internal{at(3)} \"Agent note\"{at(4)}\n"
        f"{at(5)}  {at(6)}  {at(7)}{BODY} stays with agents.\n"
    )


class InvisiblePipeline:
    """One project folder, written again for each example, run through the real pipeline."""

    def __init__(self, root: Path):
        import markdown

        self.root = root
        self.settings = Settings(content_dir=root / "content", languages=["en"], variables={}, site_url="https://x.test/")
        # The extensions the MkDocs adapter gives every page (cxdocs' defaults).
        self.md = markdown.Markdown(extensions=[
            "admonition", "pymdownx.details", "pymdownx.superfences", "attr_list", "md_in_html", "def_list", "toc",
        ])

    def run(self, block: str, where: str) -> tuple[str, str] | None:
        """The public and the handbook HTML of a page holding ``block``, or None if it was refused."""
        page = self.root / "content" / ("faq/topic/page.md" if where == "faq" else "responses/r/reply.md")
        if page.parent.parent.exists():
            shutil.rmtree(self.root / "content")
        page.parent.mkdir(parents=True)
        head = "---\ntitle: T\n---\n\n## Question?\n\nAnswer.\n\n" if where == "faq" else "---\ntitle: T\n---\n\nHi.\n\n"
        page.write_bytes((head + block).encode("utf-8", "surrogatepass"))
        try:
            project = load_project(self.settings)
            project.plugins = plugins()
            if where == "faq":
                html = {}
                for target in all_targets(["en"]):
                    rendered = render_page(project, project.pages[0], target, project.plugins)
                    self.md.reset()
                    html[target.audience] = self.md.convert(rendered.markdown)
                return html["public"], html["internal"]
            pack = plan_export(project, []).packs["en"]["responses"][0]
            self.md.reset()
            handbook = render_page(project, project.pages[0], all_targets(["en"])[1], project.plugins).markdown
            return pack["body_html"] + pack["body_text"], self.md.convert(handbook)
        except CxdocsError as exc:
            assert_error(exc, self.root)
            return None


def assert_body_stays_internal(outcome: tuple[str, str] | None, note_text: str) -> None:
    if outcome is None:
        return  # refused, at a located line
    public, handbook = outcome
    assert BODY not in public.casefold(), f"the body reached the public output: {public!r}\n{note_text!r}"
    assert 'class="admonition internal' not in public and "internal" not in public.casefold(), public
    assert BODY in handbook, f"the handbook lost the body: {handbook!r}\n{note_text!r}"


def test_every_invisible_character_in_every_slot_of_a_marker_keeps_the_body_out(tmp_path):
    pipeline = InvisiblePipeline(tmp_path)
    for char in INVISIBLE:
        for slot in range(MARKER_SLOTS):
            block = marker_block("!!!" if slot % 2 else "???", {slot: char})
            assert_body_stays_internal(pipeline.run(block, "faq"), block)


@CORE
@given(
    kind=st.sampled_from(["!!!", "???", "???+"]),
    chars=st.dictionaries(st.integers(0, MARKER_SLOTS - 1), st.text(st.sampled_from(INVISIBLE), min_size=1, max_size=3),
                          max_size=4),
    where=st.sampled_from(["faq", "response"]),
)
def test_invisible_characters_around_a_marker_never_publish_its_body(kind, chars, where):
    with tempfile.TemporaryDirectory() as tmp:
        block = marker_block(kind, chars)
        note(repr(block))
        assert_body_stays_internal(InvisiblePipeline(Path(tmp)).run(block, where), block)


@st.composite
def linked_trees(draw):
    """Folders, files and symbolic links (to files, to folders, relative and absolute, dangling,
    in loops), and paths to ask about: through links, to missing files, with ``.`` and ``..``."""
    names = ["a", "b", "c", "d.md", "e.md"]
    entries = draw(st.lists(st.tuples(st.sampled_from(["dir", "file", "link", "abslink"]),
                                      st.lists(st.sampled_from(names), min_size=1, max_size=3),
                                      st.lists(st.sampled_from([*names, ".."]), min_size=1, max_size=3)),
                            max_size=12))
    asked = draw(st.lists(st.lists(st.sampled_from([*names, ".", "..", "missing.md"]), min_size=1, max_size=4),
                          min_size=1, max_size=8))
    return entries, asked


@given(linked_trees())
# A link that leads to itself through its folder: Python's realpath gives the folder for the link,
# and refuses a path below it (a loop), so composing the two answers would not be the system's.
@example(([("link", ["a"], ["a", ".."])], [["a", "a"], ["a"], ["a", "b.md"]]))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_path_resolved_through_the_build_s_shared_memo_is_where_the_system_resolves_it(tree):
    """Pages, snippets and includes are resolved with one memo of folders' real paths per build
    (``core.includes.resolved``): every answer is the system's, or both refuse (a loop)."""
    from cxdocs.core.includes import resolved

    entries, asked = tree
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder).resolve() / "content"
        root.mkdir()
        for kind, where, to in entries:
            path = root.joinpath(*where)
            if os.path.lexists(path) or not path.parent.is_dir():
                continue
            if kind == "dir":
                path.mkdir()
            elif kind == "file":
                path.write_text("text")
            else:
                target = Path(*to) if kind == "link" else root.joinpath(*to)
                path.symlink_to(target)
        known: dict[Path, Path] = {}
        for parts in asked:
            path = root.joinpath(*parts)
            try:
                expected = path.resolve()
            except (RuntimeError, OSError) as exc:
                expected = type(exc)
            try:
                got = resolved(path, known)
            except (RuntimeError, OSError) as exc:
                got = type(exc)
            note(f"{path}: {got} against {expected}")
            assert got == expected
