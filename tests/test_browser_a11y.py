"""Accessibility, checked by axe-core (from npm) in Chromium on the example's customer site and
handbook, in Latin, Cyrillic and Greek script, light and dark; and a keyboard user opens a question."""

from __future__ import annotations

import pytest
from browser import axe, browser, free_port, serve
from conftest import example_project

PAGES = [
    "public/",
    "public/faq/returns-and-refunds/",
    "public/faq/returns-and-refunds/refunds-and-exchanges/",
    "public/sl/faq/orders-and-shipping/delivery-and-tracking/",
    "public/ru/faq/returns-and-refunds/refunds-and-exchanges/",
    "public/el/",
    "public/el/faq/payments-and-billing/payments-and-invoices/",  # not translated: the English text, marked
    "public/hr/404.html",
    "internal/sop/billing/process-refund-request/",
    "internal/ru/sop/billing/process-refund-request/",
    "internal/el/faq/warranty-and-support/contacting-support/",
    "internal/responses/returns/refund-confirmation/",
    "internal/sop/billing/print-all/",
    "internal/health/",
]
SEARCH = {"public/ru/": "возврат", "internal/": "refund"}


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The example built for where it is served (the 404 page finds the theme from there): (site, port)."""
    port = free_port()
    project = example_project(tmp_path_factory.mktemp("a11y"), site_url=f"http://127.0.0.1:{port}/public/",
                              **{"cxdocs.internal_site_url": f"http://127.0.0.1:{port}/internal/"})
    result = project.build()
    assert result.exit_code == 0, result.output
    return project.root / "site", port


def _violations(result: dict) -> list:
    return [(v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3]) for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_accessibility_violation(example, scheme):
    """axe-core's default rules (WCAG 2 A and AA and its best practices): none is broken, serious or not."""
    found = {}
    with serve(*example) as base, browser() as chromium:
        context = chromium.new_context(color_scheme=scheme)
        page = context.new_page()
        for path in PAGES:
            page.goto(f"{base}/{path}", wait_until="networkidle")
            found[path] = _violations(axe(page))
        # The search dialog, open with results (their colours are the theme's).
        for path, query in SEARCH.items():
            page.goto(f"{base}/{path}", wait_until="networkidle")
            page.keyboard.press("s")
            page.keyboard.type(query, delay=20)
            page.keyboard.press("End")  # the theme searches on keyup
            page.locator(".md-search-result__item").first.wait_for()
            # Read the colours once the theme's transitions (a result's highlight fading in) are
            # over: a colour halfway through one is no colour a reader is left with.
            page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
            found[f"{path} search"] = _violations(axe(page))
    assert not {path: v for path, v in found.items() if v}, found
    assert len(found) >= 10


def test_a_keyboard_user_opens_a_question_within_five_tabs(example):
    with serve(*example) as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{base}/public/ru/faq/returns-and-refunds/refunds-and-exchanges/", wait_until="networkidle")
        tabs = 0
        while tabs < 5:
            page.keyboard.press("Tab")
            tabs += 1
            focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent.trim()]")
            if "md-skip" in focused[0]:
                page.keyboard.press("Enter")  # "Skip to content"
            if "cx-faq-toggle" in focused[0]:
                break
        assert "cx-faq-toggle" in focused[0], (tabs, focused)
        page.keyboard.press("Enter")
        toggle = page.get_by_role("button", name=focused[1])
        assert toggle.get_attribute("aria-expanded") == "true"
        opened = page.locator(".cx-faq-answer:not([hidden])")
        assert opened.count() == 1 and opened.is_visible()
