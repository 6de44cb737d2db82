"""A customer opens a deep link to a question in a real browser and sees its answer."""

from __future__ import annotations

import pytest
from browser import browser, serve

FAQ = """
---
title: Delivery
---

## How long does delivery take?

Standard delivery takes three to five working days.

## Can I track my parcel?

Yes, with the tracking link in your confirmation email.

## What if my answer has `</script><script>window.pwned = 1</script>` in it?

Then it is shown as text: `</script><script>window.pwned = 1</script>`.
"""


@pytest.fixture
def faq_site(project):
    project.write("content/faq/shipping/delivery.md", FAQ)
    assert project.build().exit_code == 0
    return project


def test_deep_link_opens_that_answer_and_only_that_one(faq_site):
    with serve(faq_site.root / "site") as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{base}/public/faq/shipping/delivery/#can-i-track-my-parcel")
        assert page.get_by_text("Yes, with the tracking link").is_visible()
        assert not page.get_by_text("Standard delivery takes").is_visible()
        toggle = page.get_by_role("button", name="Can I track my parcel?")
        assert toggle.get_attribute("aria-expanded") == "true"

        page.get_by_role("button", name="How long does delivery take?").click()
        assert page.get_by_text("Standard delivery takes").is_visible()
        toggle.click()
        assert not page.get_by_text("Yes, with the tracking link").is_visible()


def test_every_json_ld_script_parses_and_nothing_breaks_out(faq_site):
    with serve(faq_site.root / "site") as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{base}/public/faq/shipping/delivery/")
        parsed = page.evaluate(
            """() => Array.from(document.querySelectorAll('script[type="application/ld+json"]'))
                      .map(s => JSON.parse(s.textContent)['@type'])"""
        )
        assert parsed == ["FAQPage", "BreadcrumbList"]
        assert page.evaluate("() => window.pwned") is None
        answer = page.evaluate(
            """() => JSON.parse(document.querySelector('script[type="application/ld+json"]').textContent)
                      .mainEntity[2].acceptedAnswer.text"""
        )
        assert "&lt;/script&gt;&lt;script&gt;window.pwned = 1&lt;/script&gt;" in answer


def test_without_javascript_every_answer_is_visible(faq_site):
    with serve(faq_site.root / "site") as base, browser() as chromium:
        context = chromium.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{base}/public/faq/shipping/delivery/")
        assert page.get_by_text("Standard delivery takes").is_visible()
        assert page.get_by_text("Yes, with the tracking link").is_visible()
