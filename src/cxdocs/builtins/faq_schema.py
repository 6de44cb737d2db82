"""The FAQPage and BreadcrumbList structured data of public FAQ pages (a default plugin)."""

from __future__ import annotations

from cxdocs.core.audience import PUBLIC
from cxdocs.core.content import FAQ
from cxdocs.core.errors import CxdocsError, Finding
from cxdocs.core.faq import parse_questions
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.jsonld import blocks_in, problems
from cxdocs.core.render_cache import findings_memo
from cxdocs.core.structured_data import PageInfo, breadcrumb_list, faq_page


@hookimpl(tryfirst=True)  # cxdocs' own comes first: see hookspecs
def cxdocs_structured_data(page, target, info: PageInfo, blocks: list):
    if info.kind != FAQ or not info.questions:
        return
    blocks.append(faq_page(info))
    crumbs = breadcrumb_list(info)
    if crumbs:
        blocks.append(crumbs)


@hookimpl
def cxdocs_register_checks(register):
    register("faq-structured-data", check_site_url)
    register("hand-written-structured-data", check_hand_written)


def check_hand_written(project):
    """A ``<script type="application/ld+json">`` a writer put in a page: valid JSON, schema.org's
    own type names, and no second FAQPage beside the one a FAQ page's questions make."""
    # Each page's findings are kept in the build cache: the check expands every file's includes,
    # which a build taking its pages from the cache does nowhere else.
    with findings_memo(project, "check-hand-written-structured-data") as kept:
        for page in project.pages:
            yield from kept.get(kept.of_page(page), lambda: list(_hand_written(project, page)))


def _hand_written(project, page):
    default = project.settings.default_language
    for lang, doc in {default: page.source, **page.translations}.items():
        try:
            lines = project.expanded(doc, lang)
        except CxdocsError:
            continue  # reported by the 'renders' check
        if not any("ld+json" in line.text for line in lines):
            continue
        has_questions = page.kind == FAQ and page.audience == PUBLIC and bool(parse_questions(lines)[1])
        for block in blocks_in(lines):
            for line, message in problems(block, has_questions):
                yield Finding(message, line.path, line.lineno)


def check_site_url(project):
    """Structured data needs absolute URLs; without ``site_url`` FAQ pages carry none."""
    if not project.settings.site_url and any(p.kind == FAQ and p.audience == PUBLIC for p in project.pages):
        yield Finding(
            "site_url is not set in mkdocs.yml: FAQ structured data will have no page URLs and no breadcrumbs",
            severity="warning",
        )
