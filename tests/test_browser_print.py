"""An agent prints an SOP: the page on paper is the procedure, without the site around it."""

from __future__ import annotations

import io

import pypdf
import pytest
from browser import browser, serve
from conftest import example_project


def test_print_media_hides_navigation_and_keeps_the_sop(project):
    assert project.build().exit_code == 0
    with serve(project.root / "site") as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{base}/internal/sop/billing/refund/")
        assert page.locator(".md-sidebar--primary").is_visible()
        page.emulate_media(media="print")
        for chrome in (".md-header", ".md-sidebar--primary", ".md-banner", ".md-footer"):
            assert not page.locator(chrome).first.is_visible(), chrome
        assert page.get_by_text("Refund correctly and within limits.").is_visible()
        assert page.get_by_text("Check the order.").is_visible()


def test_each_department_has_one_printable_page_with_all_its_sops(project):
    project.write(
        "content/sop/billing/chargeback.md",
        "---\ntitle: Answer a chargeback\ndepartment: Billing\npurpose: Win fair disputes.\n---\n\n1. Gather evidence.\n",
    )
    assert project.build().exit_code == 0
    with serve(project.root / "site") as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{base}/internal/sop/billing/")
        page.get_by_role("link", name="all SOPs, printable").first.click()
        # The click only starts the navigation: count the SOPs once the printable page has loaded.
        page.wait_for_url(f"{base}/internal/sop/billing/print-all/")
        page.emulate_media(media="print")
        sops = page.locator(".cx-print-sop")
        assert sops.count() == 2
        assert page.get_by_role("heading", name="Answer a chargeback").is_visible()
        assert page.get_by_role("heading", name="Refund a customer").is_visible()
        assert sops.nth(1).evaluate("el => getComputedStyle(el).breakBefore") == "page"


@pytest.fixture(scope="module")
def handbook(tmp_path_factory):
    project = example_project(tmp_path_factory.mktemp("print"))
    result = project.build()
    assert result.exit_code == 0, result.output
    return project.root / "site"


def test_printed_sops_keep_headings_with_what_follows_and_say_when_they_were_printed(handbook):
    """Every SOP of the example and each department's printable page, on A4 and on Letter: no sheet
    ends with a heading, the steps start on the sheet of their heading, and the first sheet says
    the date it was printed and that a printed copy is uncontrolled."""
    pages = sorted(f"{p.parent.relative_to(handbook).as_posix()}/" for p in handbook.glob("internal/sop/*/*/index.html"))
    assert len(pages) >= 10
    ends_with_heading = []
    with serve(handbook) as base, browser() as chromium:
        page = chromium.new_page()
        for path in pages:
            page.goto(f"{base}/{path}", wait_until="networkidle")
            headings = set(page.evaluate(HEADINGS))
            today = page.evaluate("new Date().toLocaleDateString('en', {year: 'numeric', month: 'long', day: 'numeric'})")
            for paper in ("A4", "Letter"):
                sheets = [
                    [line.strip() for line in sheet.extract_text().splitlines() if line.strip()]
                    for sheet in pypdf.PdfReader(io.BytesIO(page.pdf(format=paper))).pages
                ]
                ends_with_heading += [(path, paper, n + 1, s[-1]) for n, s in enumerate(sheets[:-1]) if s and s[-1] in headings]
                first = " ".join(sheets[0])
                assert "Uncontrolled when printed" in first and f"Printed on {today}" in first, (path, first[:200])
                for n, sheet in enumerate(sheets):
                    if "Steps" in sheet:
                        after = sheet[sheet.index("Steps") + 1:] + (sheets[n + 1] if n + 1 < len(sheets) else [])
                        assert after and after[0].startswith("1."), (path, paper, after[:2])
    assert not ends_with_heading, ends_with_heading


HEADINGS = """Array.from(document.querySelectorAll('.md-content :is(h1, h2, h3, h4, dt)'))
                 .map(h => h.textContent.replace('¶', '').trim())"""
