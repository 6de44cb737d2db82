"""SOP pages: the standard header (department, purpose, owner, review date, terms as a glossary)."""

from __future__ import annotations

import datetime
import html
import re
from collections import Counter
from collections.abc import Iterator, Mapping

from cxdocs.builtins.facts import facts_html
from cxdocs.core import clock
from cxdocs.core.audience import INTERNAL
from cxdocs.core.content import SOP, Page
from cxdocs.core.errors import CxdocsError, Finding, display_path
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.labels import label
from cxdocs.core.source import as_date

REQUIRED = ("title", "department", "purpose")
STEP = re.compile(r"^\s*\d+[.)]\s")


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


@hookimpl(tryfirst=True)  # cxdocs' own comes first: see hookspecs
def cxdocs_page_header(page: Page, target, render):
    if page.kind != SOP:
        return None
    lang = target.lang
    # A translation's own front matter (its purpose, its terms) wins over the source's, as for the title.
    translation = page.document(lang)
    meta = {**page.meta, **translation.meta} if translation is not None else page.meta
    facts = [
        (label("department", lang), render(meta.get("department"), "department")),
        (label("owner", lang), render(meta.get("owner"), "owner")),
    ]
    review = as_date(meta.get("review_by"))
    if review:
        facts.append((label("review_by", lang), review.isoformat()))
    purpose = render(meta.get("purpose"), "purpose")
    parts = [facts_html(facts, "sop")]
    if review and review < clock.today():
        parts.append(f'<p class="cx-overdue-note"><strong class="cx-overdue">{html.escape(label("overdue_badge", lang))}</strong></p>')
    parts += [
        f'<div class="cx-sop-purpose" markdown="1">\n\n**{html.escape(label("purpose", lang))}:** {purpose}\n\n</div>',
    ]
    terms = meta.get("terms")
    if isinstance(terms, Mapping) and terms:
        glossary = "\n\n".join(
            f"{render(term, 'terms')}\n:   {render(definition, 'terms')}" for term, definition in terms.items()
        )
        parts.append(f"## {label('terms', lang)}\n\n{glossary}")
    return "\n\n".join(parts)


@hookimpl
def cxdocs_register_checks(register):
    register("sop-required", check_required)
    register("sop-review", check_review)
    register("sop-department", check_departments)


def check_required(project) -> Iterator[Finding]:
    for page in project.by_kind(SOP):
        for key in REQUIRED:
            if not _text(page.meta.get(key)):
                yield Finding(f"SOP is missing required front matter '{key}'", page.path, page.source.line_of(key))
        terms = page.meta.get("terms")
        if terms is not None and not isinstance(terms, Mapping):
            yield Finding("'terms' must map each term to its definition", page.path, page.source.line_of("terms"))
        if "review_by" in page.meta and as_date(page.meta["review_by"]) is None:
            yield Finding(
                "'review_by' must be a date like 2027-01-31", page.path, page.source.line_of("review_by")
            )
        if not any(STEP.match(line.text) for line in _instructions(project, page)):
            written = [line for line in page.source.body if line.text.strip()] or page.source.body
            yield Finding(
                "SOP has no numbered steps (1. 2. 3.) for its instructions",
                page.path,
                written[0].lineno if written else 1,
                "warning",
            )


def _instructions(project, page: Page) -> list:
    """The SOP's body with its snippets expanded: shared steps often live in a snippet."""
    try:
        return project.expanded(page.source, project.settings.default_language)
    except CxdocsError:
        return page.source.body  # a broken include is reported by the 'renders' check


def check_review(project, today: datetime.date | None = None) -> Iterator[Finding]:
    today = today or clock.today()
    if not any(target.audience == INTERNAL for target in project.targets_to_check):
        return  # a build of public targets only (`--target public:en`) publishes no SOP
    for page in project.by_kind(SOP):
        review = as_date(page.meta.get("review_by"))
        if review and review < today:
            yield Finding(
                f"SOP was due for review on {review.isoformat()} (owner: {_text(page.meta.get('owner')) or 'none'})",
                page.path,
                page.source.line_of("review_by"),
                "warning",
            )


def check_departments(project) -> Iterator[Finding]:
    """One folder, one department: the handbook names a department's section and printable page
    after it, so an SOP with another department would give two sections of one name, or a wrong title.

    A folder declares its department with the ``title`` of its ``index.md`` (which names the
    section); without one, its SOPs must agree. Each language is compared on its own: a
    translation that names its department must match the other translations of its folder.
    """
    default = project.settings.default_language
    folders: dict[str, list[Page]] = {}
    for page in project.by_kind(SOP):
        folders.setdefault(page.folder, []).append(page)
    indexes = {p.folder: p for p in project.pages if p.uri.startswith("sop/") and p.uri.endswith("/index.md")}
    for lang in project.languages_to_check:
        named: dict[str, str] = {}  # department (case-folded) -> the folder that has it
        for folder, pages in sorted(folders.items()):
            written = []
            for page in pages:
                doc = page.source if lang == default else page.document(lang)
                if doc is not None and _text(doc.meta.get("department")):
                    written.append((doc, _text(doc.meta["department"])))
            index = indexes.get(folder)
            index_doc = (index.source if lang == default else index.document(lang)) if index else None
            declared = _text(index_doc.meta.get("title")) if index_doc else ""
            if declared:
                where = f"{display_path(index_doc.path)} names it '{declared}'"
                name = declared
            elif written:
                counts = Counter(department for _, department in written)
                name = max(counts, key=lambda d: (counts[d], -[w for _, w in written].index(d)))
                where = f"the other SOPs in sop/{folder}/ say '{name}'"
            else:
                continue
            for doc, department in written:
                if department != name:
                    yield Finding(
                        f"department '{department}' is not its folder's: {where}; write department: {name}, "
                        f"or move the SOP to the folder of '{department}'",
                        doc.path,
                        doc.line_of("department"),
                    )
            other = named.setdefault(name.casefold(), folder)
            if other != folder and written:
                doc = written[0][0]
                yield Finding(
                    f"two SOP folders have the department '{name}': sop/{other}/ and sop/{folder}/; move the SOPs "
                    "into one folder, or give the departments different names",
                    doc.path,
                    doc.line_of("department"),
                )
