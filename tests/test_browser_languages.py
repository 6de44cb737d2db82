"""A customer switches language on a FAQ page, in a real browser, and stays on that page."""

from __future__ import annotations

from browser import RequestLog, browser, serve


def test_language_switcher_lands_on_the_same_page(project):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    project.write("content/faq/shipping/delivery.sl.md", "---\ntitle: Dostava\n---\n\n## Kdaj bo paket prispel?\n\nKmalu.\n")
    assert project.build().exit_code == 0
    with serve(project.root / "site") as base, browser() as chromium:
        context = chromium.new_context()
        log = RequestLog(context, base)  # a click goes straight to the page: no redirect, no 404
        page = context.new_page()
        page.goto(f"{base}/public/faq/shipping/delivery/")
        page.locator(".md-header__option .md-select").hover()
        page.get_by_role("link", name="Slovenščina").click()
        page.wait_for_url(f"{base}/public/sl/faq/shipping/delivery/")
        assert page.locator("html").get_attribute("lang") == "sl"
        assert page.get_by_role("button", name="Kdaj bo paket prispel?").is_visible()

        page.locator(".md-header__option .md-select").hover()
        page.get_by_role("link", name="English").click()
        page.wait_for_url(f"{base}/public/faq/shipping/delivery/")
        assert page.get_by_role("button", name="How long does delivery take?").is_visible()
        assert not log.problems, log.problems
