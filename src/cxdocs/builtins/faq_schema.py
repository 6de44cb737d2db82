"""The FAQPage and BreadcrumbList structured data of public FAQ pages (a default plugin)."""

from __future__ import annotations

from cxdocs.core.audience import PUBLIC
from cxdocs.core.content import FAQ
from cxdocs.core.errors import Finding
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.structured_data import PageInfo, breadcrumb_list, faq_page


@hookimpl
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


def check_site_url(project):
    """Structured data needs absolute URLs; without ``site_url`` FAQ pages carry none."""
    if not project.settings.site_url and any(p.kind == FAQ and p.audience == PUBLIC for p in project.pages):
        yield Finding(
            "site_url is not set in mkdocs.yml: FAQ structured data will have no page URLs and no breadcrumbs",
            severity="warning",
        )
