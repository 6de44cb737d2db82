"""Search works in both audiences, in a real browser, and the public one finds no agent notes."""

from __future__ import annotations

import pytest
from browser import browser, serve
from browser import search as _search


@pytest.fixture
def searchable(project):
    project.write(
        "content/faq/shipping/returns.md",
        """
        ---
        title: Returns
        ---

        ## How do I send an item back?

        Print the prepaid label from your account and drop the parcel at any post office.

        !!! internal "Agent note"
            Waive the restocking fee for loyalty members.
        """,
    )
    assert project.build().exit_code == 0
    return project


def test_public_search_finds_a_question_by_words_from_its_answer(searchable):
    with serve(searchable.root / "site") as base, browser() as chromium:
        page = chromium.new_page()
        results = _search(page, base, "public/", "prepaid label")
        assert any("How do I send an item back?" in r for r in results), results
        assert not any("loyalty" in r for r in _search(page, base, "public/", "loyalty members"))


def test_internal_search_finds_sops_and_agent_notes(searchable):
    with serve(searchable.root / "site") as base, browser() as chromium:
        page = chromium.new_page()
        assert any("Refund a customer" in r for r in _search(page, base, "internal/", "refund"))
        assert any("loyalty" in r.lower() for r in _search(page, base, "internal/", "loyalty members"))


def test_search_finds_a_question_by_an_answer_word_in_two_languages(project):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    project.write(
        "content/faq/shipping/returns.md",
        "---\ntitle: Returns\n---\n\n## How do I send an item back?\n\nPrint the prepaid label and drop the parcel off.\n",
    )
    project.write(
        "content/faq/shipping/returns.sl.md",
        "---\ntitle: Vračila\n---\n\n## Kako vrnem izdelek?\n\nNatisnite plačano nalepko in oddajte paket na pošti.\n",
    )
    assert project.build().exit_code == 0
    with serve(project.root / "site") as base, browser() as chromium:
        page = chromium.new_page()
        assert any("How do I send an item back?" in r for r in _search(page, base, "public/", "prepaid"))
        results = _search(page, base, "public/sl/", "nalepko")
        assert any("Kako vrnem izdelek?" in r for r in results), results
        assert not any("How do I send" in r for r in results)


def test_the_search_box_answers_the_theme_keys(searchable):
    with serve(searchable.root / "site") as base, browser() as chromium:
        page = chromium.new_page()
        page.goto(f"{base}/public/faq/shipping/delivery/")
        box = page.locator("input.md-search__input")
        page.keyboard.press("/")
        assert box.evaluate("el => el === document.activeElement")
        box.press_sequentially("prepaid", delay=30)
        first = page.locator(".md-search-result__link").first
        first.wait_for()
        page.keyboard.press("ArrowDown")
        assert first.evaluate("el => el === document.activeElement")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/public/faq/shipping/returns/**")
        page.keyboard.press("s")
        assert page.locator("#__search").is_checked()
        page.keyboard.press("Escape")
        assert not page.locator("#__search").is_checked()
