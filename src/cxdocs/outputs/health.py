"""The handbook's content health page: translation coverage, SOPs due for review, house-style findings.

Made from the loaded project, its check findings and "today"; the MkDocs adapter only places it
in each internal target. Links go through ``link(uri, lang)``, which knows the site's URLs.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from babel.numbers import format_percent

from cxdocs.core.checks import registered_checks
from cxdocs.core.content import SOP, Page, Project
from cxdocs.core.errors import CxdocsError, Finding
from cxdocs.core.labels import label
from cxdocs.core.languages import bcp47, language_name
from cxdocs.core.source import as_date
from cxdocs.core.translations import STATES, LanguageStatus, status
from cxdocs.outputs.health_chart import Bar, Segment, bar_chart

URI = "health.md"
REVIEW_DAYS = 30
HOUSE_STYLE = "house-style"
OWN_SECTIONS = ("sop-review", "translations-outdated")
"""Checks whose warnings this page already shows in a section of their own."""
TO_DO = ("outdated", "untracked", "missing")

Link = Callable[[str, str], str]
"""``link(page uri, language)``: the href of that page's version in that language, from this page."""


@dataclass(frozen=True)
class Review:
    date: datetime.date
    page: Page
    overdue: bool


def reviews_due(project: Project, today: datetime.date, days: int = REVIEW_DAYS) -> list[Review]:
    """SOPs past their review date or due within ``days``, by date. Overdue as ``cxdocs check`` says it."""
    horizon = today + datetime.timedelta(days=days)
    due = []
    for page in project.by_kind(SOP):
        date = as_date(page.meta.get("review_by"))
        if date is not None and date <= horizon:
            due.append(Review(date, page, overdue=date < today))
    return sorted(due, key=lambda r: (r.date, r.page.uri))


def health_markdown(project: Project, lang: str, findings: list[Finding], today: datetime.date, link: Link) -> str:
    page = _Writer(project, lang, link)
    checks = {name for name, _ in registered_checks(project)}
    parts = [
        html_p(label("health_intro", lang)),
        *page.coverage(status(project)),
        *page.reviews(reviews_due(project, today)),
        f"## {label('house_style_title', lang)} {{#health-house-style}}",
    ]
    if HOUSE_STYLE not in checks:
        # Saying nothing would read as "all good" when nothing was checked.
        parts.append(html_p(label("no_house_style_check", lang), "cx-health-note"))
    else:
        parts.append(page.findings([f for f in findings if f.check == HOUSE_STYLE], "no_house_style_findings"))
    others = [f for f in findings if f.check != HOUSE_STYLE and f.check not in OWN_SECTIONS]
    parts += [f"## {label('other_warnings_title', lang)} {{#health-other}}", page.findings(others, "no_other_warnings")]
    return "\n\n".join(parts) + "\n"


def html_p(text: str, css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<p{attribute}>{html.escape(text)}</p>"


class _Writer:
    """The sections of one language's page."""

    def __init__(self, project: Project, lang: str, link: Link):
        self.project = project
        self.lang = lang
        self.link = link
        self.default = project.settings.default_language

    @cached_property
    def by_path(self) -> dict[Path, tuple[Page, str]]:
        """Each page file (source or translation) as the page and language it holds."""
        out = {}
        for page in self.project.pages:
            out[page.path.resolve()] = (page, self.default)
            for code, doc in page.translations.items():
                out[doc.path.resolve()] = (page, code)
        return out

    def text(self, text: str, text_lang: str) -> str:
        """Escaped, and marked where it is not in the page's language: no page claims a language its text is not in."""
        escaped = html.escape(text)
        return escaped if text_lang == self.lang else f'<span lang="{bcp47(text_lang)}">{escaped}</span>'

    def front_matter(self, page: Page, lang: str, key: str) -> tuple[str, str]:
        """A front-matter value as ``lang``'s version shows it (variables filled in), and its language."""
        for doc, doc_lang in ((page.document(lang), lang), (page.source, self.default)):
            value = doc.meta.get(key) if doc is not None else None
            if isinstance(value, (str, int, float)) and str(value).strip():
                try:
                    return self.project.variables(lang).substitute_text(str(value).strip(), doc.path, doc.line_of(key)), doc_lang
                except CxdocsError:  # reported by the checks; the raw value still names the page
                    return str(value).strip(), doc_lang
        if key == "title":
            return page.title(), self.default
        return "", lang

    def page_link(self, page: Page, lang: str) -> str:
        title, title_lang = self.front_matter(page, lang, "title")
        return f'<a href="{html.escape(self.link(page.uri, lang))}">{self.text(title, title_lang)}</a>'

    def coverage(self, languages: list[LanguageStatus]) -> list[str]:
        lang = self.lang
        parts = [f"## {label('coverage_title', lang)} {{#health-coverage}}"]
        if not languages:
            name = language_name(self.default, lang)
            return parts + [html_p(label("nothing_to_translate", lang).format(language=name))]
        names = {entry.lang: language_name(entry.lang, lang) for entry in languages}
        states = {state: label("state_" + state.replace(" ", "_"), lang) for state in STATES}
        bars = [
            Bar(
                names[entry.lang],
                self.percent(entry.coverage),
                [
                    Segment(_css(state), len(entry.pages[state]), self.count(names[entry.lang], states[state], entry, state))
                    for state in STATES
                ],
            )
            for entry in languages
        ]
        legend = [(_css(state), states[state]) for state in STATES]
        parts.append(bar_chart("cx-coverage", label("coverage_chart", lang), bars, legend))
        parts.append(self.coverage_table(languages, names, states))
        parts.append(html_p(label("states_explained", lang), "cx-health-note"))
        for entry in languages:
            parts += self.to_do(entry, names[entry.lang], states)
        return parts

    def count(self, name: str, state_label: str, entry: LanguageStatus, state: str) -> str:
        return label("state_count", self.lang).format(
            language=name, state=state_label, count=len(entry.pages[state]), total=entry.total
        )

    def percent(self, value: float) -> str:
        return format_percent(value, locale=self.lang.replace("-", "_"))

    def coverage_table(self, languages: list[LanguageStatus], names: dict, states: dict) -> str:
        head = [label("language", self.lang), *states.values(), label("coverage", self.lang)]
        rows = [
            "<tr>"
            + f'<th scope="row"><a href="#health-{entry.lang}">{html.escape(names[entry.lang])}</a></th>'
            + "".join(f"<td>{len(entry.pages[state])}</td>" for state in STATES)
            + f"<td>{html.escape(self.percent(entry.coverage))}</td></tr>"
            for entry in languages
        ]
        header = "".join(f'<th scope="col">{html.escape(cell)}</th>' for cell in head)
        return f'<table><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'

    def to_do(self, entry: LanguageStatus, name: str, states: dict) -> list[str]:
        """The pages a language still needs, each linked to that language's version of it."""
        parts = [f"### {name} {{#health-{entry.lang}}}"]
        pages = {page.uri: page for page in self.project.pages}
        lists = [state for state in TO_DO if entry.pages[state]]
        if not lists:
            return parts + [html_p(label("fully_translated", self.lang))]
        for state in lists:
            items = "".join(f"<li>{self.page_link(pages[uri], entry.lang)}</li>" for uri in sorted(entry.pages[state]))
            parts.append(
                f'<p class="cx-health-state"><strong>{html.escape(states[state])}</strong> ({len(entry.pages[state])})</p>\n'
                f'<ul class="cx-health-pages">{items}</ul>'
            )
        return parts

    def reviews(self, due: list[Review]) -> list[str]:
        lang = self.lang
        parts = [f"## {label('reviews_title', lang)} {{#health-reviews}}"]
        if not due:
            return parts + [html_p(label("no_reviews", lang).format(days=REVIEW_DAYS))]
        head = [label(key, lang) for key in ("review_by", "sop_column", "department", "owner", "status")]
        rows = []
        for review in due:
            department = self.text(*self.front_matter(review.page, lang, "department"))
            owner = self.text(*self.front_matter(review.page, lang, "owner"))
            state = "overdue" if review.overdue else "due_soon"
            rows.append(
                f'<tr class="cx-health-{state.replace("_", "-")}"><td>{review.date.isoformat()}</td>'
                f"<td>{self.page_link(review.page, lang)}</td><td>{department}</td><td>{owner}</td>"
                f"<td>{html.escape(label(state, lang))}</td></tr>"
            )
        header = "".join(f'<th scope="col">{html.escape(cell)}</th>' for cell in head)
        return parts + [
            html_p(label("reviews_window", lang).format(days=REVIEW_DAYS)),
            f'<table><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>',
        ]

    def findings(self, findings: list[Finding], none_key: str) -> str:
        if not findings:
            return html_p(label(none_key, self.lang))
        head = [label(key, self.lang) for key in ("page", "line", "message")]
        rows = []
        for finding in findings:
            message = ("error: " if finding.severity == "error" else "") + finding.message
            rows.append(
                f"<tr><td>{self.where(finding.path)}</td><td>{finding.line or ''}</td>"
                f"<td>{self.text(message, 'en')}</td></tr>"  # cxdocs and its checks write messages in English
            )
        header = "".join(f'<th scope="col">{html.escape(cell)}</th>' for cell in head)
        return f'<table><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'

    def where(self, path: Path | None) -> str:
        """The page a finding is on, linked in the language of the file, and the file itself."""
        if path is None:
            return ""
        shown = f"<code>{html.escape(self.shown_path(path))}</code>"
        found = self.by_path.get(path.resolve())
        return f"{self.page_link(*found)}<br>{shown}" if found else shown

    def shown_path(self, path: Path) -> str:
        """Relative to the project folder, as a writer finds it in the repository (and the same on every machine)."""
        root = self.project.content_dir.resolve().parent
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            return path.name


def _css(state: str) -> str:
    return "cx-state--" + state.replace(" ", "-")
