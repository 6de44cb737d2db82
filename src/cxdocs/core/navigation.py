"""Section landing pages and the navigation of one target, generated from the content model."""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath

from cxdocs.core.content import FAQ, INDEX, PAGE, RESPONSE, SOP
from cxdocs.core.fences import FenceTracker
from cxdocs.core.labels import label
from cxdocs.core.render import Rendered
from cxdocs.core.targets import Target

SECTIONS = ((SOP, "sop", "sop"), (FAQ, "faq", "faq"), (RESPONSE, "responses", "responses"))
PRINT_SLUG = "print-all"
HEADING = re.compile(r"^(#{1,5})(?=[ \t])")
HEADINGS = re.compile(HEADING.pattern, re.MULTILINE)


def demote_headings(markdown: str) -> str:
    """One heading level down (``##`` -> ``###``), outside code, to nest a page inside another."""
    if "```" not in markdown and "~~~" not in markdown:  # no fence: no line is code
        return HEADINGS.sub(r"#\1", markdown)
    fences = FenceTracker()
    return "\n".join(
        line if fences.in_code(line) else HEADING.sub(r"#\1", line) for line in markdown.split("\n")
    )


@dataclass
class GeneratedPage:
    uri: str
    title: str
    markdown: str
    kind: str = INDEX


def _meta(r: Rendered) -> dict:
    """Front matter in the language the page is shown in."""
    doc = r.page.document(r.lang)
    return {**r.page.meta, **doc.meta} if doc is not None else r.page.meta


def humanize(slug: str) -> str:
    return slug.replace("-", " ").replace("_", " ").strip().capitalize() or slug


def _link_text(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")


def _title_text(text: str) -> str:
    """A title or description (plain text, not Markdown) as Markdown that shows it as written."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _rel(from_uri: str, to_uri: str) -> str:
    """``posixpath.relpath`` for two normalized paths below the content folder, without its
    ``abspath`` calls (a listing of thousands of pages made thousands of them)."""
    start = from_uri.split("/")[:-1]
    path = to_uri.split("/")
    common = 0
    while common < min(len(start), len(path)) and start[common] == path[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + path[common:]) or "."


class Site:
    """The pages of one target grouped into sections, with the landing pages that are missing."""

    def __init__(
        self,
        target: Target,
        rendered: list[Rendered],
        site_name: str,
        health: GeneratedPage | None = None,
        previous: Site | None = None,
    ):
        self.target = target
        self.site_name = site_name
        self.health = health
        """The handbook's content health page, made by the caller: last in the nav, linked from home."""
        self.pages = {r.page.uri: r for r in rendered}
        self.generated: dict[str, GeneratedPage] = {}
        self.appendix: dict[str, str] = {}
        """Listings to add below a writer's own section landing page (``faq/<topic>/index.md``)."""
        self._groups: dict[str, dict[str, list[Rendered]]] = {}
        self.home_extra = previous.home_extra if previous else None
        """Markdown below the home page's welcome, made from the site (the public search box and
        popular questions): ``home_extra(site) -> str``."""
        self._printed: dict[str, tuple[Rendered, str]] = dict(previous._printed) if previous else {}
        """Each SOP as its department's printable page holds it, kept with the page it was made from:
        ``cxdocs serve`` builds the site again after an edit and reuses those of unchanged pages."""

    def folders(self, kind: str) -> dict[str, list[Rendered]]:
        """The target's pages of one kind by folder, sorted (computed once: the site is fixed)."""
        if not self._groups:
            for kind_ in {r.page.kind for r in self.pages.values()} | {kind}:
                self._groups[kind_] = {}
            for rendered in self.pages.values():
                self._groups[rendered.page.kind].setdefault(rendered.page.folder, []).append(rendered)
            for kind_, groups in self._groups.items():
                self._groups[kind_] = {k: sorted(v, key=lambda r: r.page.uri) for k, v in sorted(groups.items())}
        return self._groups.get(kind, {})

    def folder_title(self, kind: str, root: str, folder: str, members: list[Rendered]) -> str:
        index = self.pages.get(f"{root}/{folder}/index.md")
        if index:
            return index.title
        if kind == SOP:
            departments = Counter(str(_meta(r).get("department", "")).strip() for r in members)
            name, _ = departments.most_common(1)[0] if departments else ("", 0)
            if name:
                return name
        return humanize(folder)

    def build(self) -> list:
        """Generate missing landing pages and return the MkDocs ``nav``."""
        lang = self.target.lang
        nav: list = []
        home = self._ensure("index.md", self.site_name or label("home", lang), self._home, append=False)
        nav.append({label("home", lang): home})
        for kind, root, key in SECTIONS:
            groups = self.folders(kind)
            if not groups:
                continue
            subsections = []
            for folder, members in groups.items():
                title = self.folder_title(kind, root, folder, members)
                index_uri = f"{root}/{folder}/index.md" if folder else f"{root}/index.md"
                self._ensure(index_uri, title, lambda uri, ms=members: self._listing(uri, kind, ms))
                entries = [index_uri] + [r.page.uri for r in members if r.page.uri != index_uri]
                if kind == SOP and folder:
                    print_uri = f"{root}/{folder}/{PRINT_SLUG}.md"
                    self._ensure(print_uri, f"{title}: {label('print_all', lang)}", lambda uri, ms=members: self._printable(ms))
                    entries.append(print_uri)
                subsections.append({title: entries})
            section_index = self._ensure(f"{root}/index.md", label(key, lang), lambda uri, k=kind: self._overview(uri, k))
            if self.target.is_public and kind == FAQ:
                nav.extend(subsections)  # customers see topics at the top level
            else:
                nav.append({label(key, lang): [section_index, *subsections]})
        others = [r.page.uri for r in self.pages.values() if r.page.kind == PAGE]
        nav.extend(sorted(others))
        if self.health is not None:
            self.generated[self.health.uri] = self.health
            nav.append({self.health.title: self.health.uri})
        return nav

    def _ensure(self, uri: str, title: str, make, append: bool = True) -> str:
        if uri in self.pages:
            if append and uri not in self.appendix:
                self.appendix[uri] = make(uri)
        elif uri not in self.generated:
            self.generated[uri] = GeneratedPage(uri, title, make(uri))
        return uri

    def title_of(self, uri: str) -> str:
        if uri in self.pages:
            return self.pages[uri].title
        return self.generated[uri].title if uri in self.generated else humanize(PurePosixPath(uri).parent.name)

    def _home(self, uri: str) -> str:
        """The front door: a card per topic (public) or per section (handbook) leading into it."""
        lang = self.target.lang
        welcome = label("welcome_public" if self.target.is_public else "welcome_internal", lang)
        lines = [f"# {_title_text(self.site_name or label('home', lang))}", "", welcome, ""]
        if self.home_extra is not None:
            lines += [self.home_extra(self), ""]
        for kind, root, key in SECTIONS:
            groups = self.folders(kind)
            if not groups:
                continue
            if self.target.is_public and kind == FAQ:
                lines += [f"## {label('topics', lang)} {{#topics}}", ""]
            else:
                lines += [f"## [{_link_text(label(key, lang))}]({root}/index.md)", ""]
            lines += ['<div class="grid cards" markdown>', ""]
            for folder, members in groups.items():
                lines += self._card(kind, root, folder, members)
            lines += ["</div>", ""]
        if self.health is not None:
            lines += [f"## [{_title_text(self.health.title)}]({self.health.uri})", "", label("health_intro", lang), ""]
        return "\n".join(lines)

    def _card(self, kind: str, root: str, folder: str, members: list[Rendered]) -> list[str]:
        title = self.folder_title(kind, root, folder, members)
        # A heading with an id the link check reads (a heading in a list item has no line of its own).
        card = [f"-   ### [{_title_text(title)}]({root}/{folder}/index.md) {{#{root}-{folder}}}", "", "    ---", ""]
        intro = self.pages.get(f"{root}/{folder}/index.md")
        if intro and intro.markdown.strip():
            card += [f"    {intro.markdown.strip().split(chr(10) + chr(10))[0]}", ""]
        items = [(_link_text(q.text), f"{r.page.uri}#{q.anchor}") for r in members for q in r.questions][:3]
        if not items:
            items = [(_title_text(r.title), r.page.uri) for r in members if r.page.kind != INDEX][:3]
        card += [f"    - [{text}]({link})" for text, link in items]
        return card + [""]

    def _overview(self, uri: str, kind: str) -> str:
        root = posixpath.dirname(uri)
        lines = []
        for folder, members in self.folders(kind).items():
            title = self.folder_title(kind, root, folder, members)
            lines += [f"## [{_title_text(title)}]({folder}/index.md)", ""]
            lines += [f"- [{_title_text(r.title)}]({_rel(uri, r.page.uri)})" for r in members if r.page.kind != INDEX]
            lines.append("")
        return "\n".join(lines)

    def _printable(self, members: list[Rendered]) -> str:
        """Every SOP of a department on one page, each starting on a new sheet when printed."""
        parts = []
        for r in members:
            if r.page.kind == INDEX:
                continue
            made = self._printed.get(r.page.uri)
            if made is None or made[0] is not r:  # the same Rendered object: the same text
                made = self._printed[r.page.uri] = (r, demote_headings(r.markdown))
            parts.append(f'<div class="cx-print-sop" markdown="1">\n\n## {_title_text(r.title)}\n\n{made[1]}\n\n</div>')
        return "\n\n".join(parts)

    def _listing(self, uri: str, kind: str, members: list[Rendered]) -> str:
        lang = self.target.lang
        lines = []
        if kind == SOP and posixpath.dirname(uri) != "sop":
            lines += [f"[{label('print_all', lang)}]({PRINT_SLUG}.md){{ .cx-button }}", ""]
        for r in members:
            if r.page.kind == INDEX:
                continue
            link = _rel(uri, r.page.uri)
            lines += [f"## [{_title_text(r.title)}]({link})", ""]
            if kind == SOP and r.description:
                lines += [f"**{label('purpose', lang)}:** {r.description}", ""]
            elif r.description:
                lines += [_title_text(r.description), ""]
            if kind == FAQ:
                lines += [f"- [{_link_text(q.text)}]({link}#{q.anchor})" for q in r.questions]
                lines.append("")
        return "\n".join(lines)
