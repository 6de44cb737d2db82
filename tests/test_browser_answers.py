"""A customer shares an answer, switches language, says whether it helped and searches from the home
page, in a real browser."""

from __future__ import annotations

import json

import pytest
from browser import RequestLog, browser, serve

DELIVERY_SL = """
---
title: Dostava
---

## Kako dolgo traja dostava? {#how-long-does-delivery-take}

Od tri do pet delovnih dni.

## Ali lahko sledim paketu?

Da, s povezavo v potrditvenem sporočilu.
"""


@pytest.fixture
def site(project):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}},
                   feedback={"event": "cx-helpful", "url": "/feedback"})
    project.write("content/faq/shipping/delivery.sl.md", DELIVERY_SL)
    assert project.build().exit_code == 0
    return project


def test_an_open_question_is_in_the_address_and_the_switcher_keeps_it(site):
    with serve(site.root / "site") as base, browser() as chromium:
        context = chromium.new_context()
        log = RequestLog(context, base)
        page = context.new_page()
        address = f"{base}/public/faq/shipping/delivery/"
        page.goto(address)
        steps = page.evaluate("history.length")
        page.get_by_role("button", name="Can I track my parcel?").click()
        assert page.url == address + "#can-i-track-my-parcel"
        assert page.evaluate("history.length") == steps  # replaced, not pushed: Back leaves the page
        # The Slovenian page has no question with that id: the switcher goes to the page itself.
        switch = page.locator("a.md-select__link[lang=sl]")
        assert switch.get_attribute("href") == "../../../sl/faq/shipping/delivery/"

        page.get_by_role("button", name="How long does delivery take?").click()
        assert page.url == address + "#how-long-does-delivery-take"
        page.locator(".md-header__option .md-select").hover()
        switch.click()
        page.wait_for_url(f"{base}/public/sl/faq/shipping/delivery/#how-long-does-delivery-take")
        assert page.get_by_role("button", name="Kako dolgo traja dostava?").get_attribute("aria-expanded") == "true"
        assert page.get_by_text("Od tri do pet delovnih dni.").is_visible()
        assert page.locator("a.md-select__link[lang=sl]").get_attribute("aria-current") == "page"

        page.get_by_role("button", name="Kako dolgo traja dostava?").click()  # closed: out of the address
        assert page.url == f"{base}/public/sl/faq/shipping/delivery/"
        assert not log.problems, log.problems


def test_dark_mode_chosen_in_one_language_stays_in_the_others_and_landmarks_are_named(site):
    with serve(site.root / "site") as base, browser() as chromium:
        context = chromium.new_context(color_scheme="light")
        log = RequestLog(context, base)
        page = context.new_page()
        page.goto(f"{base}/public/faq/shipping/delivery/", wait_until="networkidle")
        scheme = "document.body.getAttribute('data-md-color-scheme')"
        assert page.evaluate(scheme) == "default"  # the system's setting
        for _ in range(3):  # the toggle goes system -> light -> dark
            if page.evaluate(scheme) == "slate":
                break
            page.locator("form[data-md-component=palette] label:visible").click()
        assert page.evaluate(scheme) == "slate"
        page.goto(f"{base}/public/sl/faq/shipping/delivery/", wait_until="networkidle")
        assert page.evaluate(scheme) == "slate"
        # The theme's search dialog and breadcrumbs, named in the page's language (axe-core:
        # aria-dialog-name, landmark-unique).
        assert page.locator(".md-search").get_attribute("aria-label") == "Iskanje"
        assert page.locator("nav.md-path").get_attribute("aria-label") == "Drobtine"
        assert page.locator("nav.md-nav--primary").get_attribute("aria-label") != "Drobtine"
        assert not log.problems, log.problems


def test_copy_link_puts_the_questions_address_on_the_clipboard(site):
    with serve(site.root / "site") as base, browser() as chromium:
        context = chromium.new_context(permissions=["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.goto(f"{base}/public/faq/shipping/delivery/")
        copy = page.locator("h2#can-i-track-my-parcel").get_by_role("button", name="Copy link to this question")
        copy.click()
        assert page.evaluate("navigator.clipboard.readText()") == f"{base}/public/faq/shipping/delivery/#can-i-track-my-parcel"
        assert page.locator(".md-dialog").get_attribute("role") == "status"  # "Copied to clipboard", announced
        page.wait_for_function("document.querySelector('.md-dialog').textContent.includes('Copied to clipboard')")

        # Opened from the copied link in a new tab: that answer, open.
        shared = context.new_page()
        shared.goto(page.evaluate("navigator.clipboard.readText()"))
        assert shared.get_by_text("Yes, with the link in your confirmation email.").is_visible()
        assert not shared.get_by_text("Standard delivery takes").is_visible()


def test_expand_all_opens_every_answer_and_collapses_them_again(site):
    with serve(site.root / "site") as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{base}/internal/faq/shipping/delivery/")
        expand = page.get_by_role("button", name="Expand all")
        expand.click()
        assert page.get_by_text("Standard delivery takes").is_visible()
        assert page.get_by_text("Yes, with the link in your confirmation email.").is_visible()
        page.get_by_role("button", name="Collapse all").click()
        assert not page.get_by_text("Standard delivery takes").is_visible()


def test_was_this_helpful_goes_to_the_projects_hook_and_nowhere_else(site, tmp_path_factory):
    with serve(site.root / "site") as base, browser() as chromium:
        context = chromium.new_context()
        log = RequestLog(context, base)
        posted = []

        def feedback(route):
            posted.append(json.loads(route.request.post_data))
            route.fulfill(status=204)

        context.route(f"{base}/feedback", feedback)
        page = context.new_page()
        page.goto(f"{base}/public/sl/faq/shipping/delivery/")
        page.evaluate("document.addEventListener('cx-helpful', e => { window.told = e.detail })")
        page.get_by_role("group", name="Vam je bila ta stran v pomoč?").get_by_role("button", name="Da").click()
        page.get_by_text("Hvala za vaše mnenje.").wait_for()
        told = {"page": "faq/shipping/delivery/", "lang": "sl", "helpful": True}
        assert page.evaluate("window.told") == told
        for _ in range(50):  # the beacon is sent in the background
            if posted:
                break
            page.wait_for_timeout(100)
        assert posted == [told]
        assert page.get_by_role("button", name="Ne").is_disabled()
        assert not log.problems, log.problems

    # By default there is no such control, and nothing is sent.
    site.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    assert site.build().exit_code == 0
    with serve(site.root / "site") as base, browser() as chromium:
        context = chromium.new_context()
        methods = []
        context.on("request", lambda request: methods.append(request.method))
        page = context.new_page()
        page.goto(f"{base}/public/faq/shipping/delivery/", wait_until="networkidle")
        assert page.locator(".cx-feedback").count() == 0
        assert set(methods) == {"GET"}


def test_the_home_pages_search_box_opens_search_with_answers(site):
    with serve(site.root / "site") as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{base}/public/")
        box = page.get_by_role("searchbox", name="What can we help you with?")
        box.fill("parcel")
        box.press("Enter")
        page.wait_for_url(f"{base}/public/?q=parcel")
        results = page.locator(".md-search-result__item")
        results.first.wait_for()
        assert "Can I track my parcel?" in page.locator(".md-search-result").inner_text()
