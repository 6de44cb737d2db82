"""An agent prints an SOP: the page on paper is the procedure, without the site around it."""

from __future__ import annotations

from browser import browser, serve


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
