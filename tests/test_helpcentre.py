"""The help centre around the answers, as built: what comes after an answer (last updated, related
questions, "Still need help?"), the home page, the 404 page, the names and footer per language,
"Was this helpful?" only where configured, and the handbook's overdue badge and printable pages."""

from __future__ import annotations

import os
import subprocess

import lxml.html
import pytest
from conftest import MINIMAL_SOP, Project, pagefind_pages

LANGS = ["en", "sl", "el", "ru"]
DELIVERY = """
---
title: Delivery
related:
  - faq/returns/refunds.md#when-will-i-get-my-refund
---

## How long does delivery take?

Three to five working days.

## Can I change the address?

Yes, until the parcel leaves our warehouse.
"""
TRACKING = "---\ntitle: Tracking\n---\n\n## Can I track my parcel?\n\nYes, with the link in your email.\n"
REFUNDS = "---\ntitle: Refunds\n---\n\n## When will I get my refund?\n\nWithin five days.\n\n## Is the exchange free?\n\nYes.\n"
REFUNDS_RU = (
    "---\ntitle: Возврат денег\n---\n\n## Когда мне вернут деньги? {#when-will-i-get-my-refund}\n\nВ течение пяти дней.\n\n"
    "## Обмен бесплатный?\n\nДа.\n"
)
DELIVERY_SL = "---\ntitle: Dostava\n---\n\n## Kako dolgo traja dostava?\n\nTri do pet delovnih dni.\n\n## Lahko spremenim naslov?\n\nDa.\n"
OPTIONS = {
    "languages": LANGS,
    "variables": {
        "company": {"support_email": "help@shop.test", "support_phone": "+386 1 234 56 78",
                    "support_hours": "Monday to Friday, 8:00-16:00"},
        "limits": {"refund": "30 EUR"},
    },
    "language_variables": {"ru": {"company": {"support_hours": "с понедельника по пятницу, 8:00–16:00"}}},
    "labels": {"sl": {"contact_intro": "Pišite nam, radi pomagamo."}, "ru": {"site_name": "Справочный центр"},
               "en": {"footer": "© Shop. Answers checked by our team."}},
    "popular": ["faq/returns/refunds.md#when-will-i-get-my-refund"],
}


def _make(root, **changes) -> Project:
    p = Project(root)
    p.config(**{**OPTIONS, **changes})
    p.write("content/faq/shipping/delivery.md", DELIVERY)
    p.write("content/faq/shipping/delivery.sl.md", DELIVERY_SL)
    p.write("content/faq/shipping/tracking.md", TRACKING)
    p.write("content/faq/returns/refunds.md", REFUNDS)
    p.write("content/faq/returns/refunds.ru.md", REFUNDS_RU)
    p.write("content/sop/billing/refund.md", MINIMAL_SOP.replace("review_by: 2099-01-31", "review_by: 2026-01-31"))
    p.write("content/sop/billing/chargeback.md", MINIMAL_SOP.replace("Refund a customer", "Answer a chargeback"))
    return p


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Project:
    p = _make(tmp_path_factory.mktemp("helpcentre"))
    os.environ["SOURCE_DATE_EPOCH"] = "1780000000"  # 2026-05-28: the SOP above is overdue
    try:
        result = p.build()
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert result.exit_code == 0, result.output
    return p


def _tree(site, rel):
    return lxml.html.fromstring(site.html(rel))


def _text(element) -> str:
    return " ".join(element.text_content().split())


def test_an_answer_is_followed_by_related_questions_from_front_matter_then_its_topic(site):
    page = _tree(site, "public/faq/shipping/delivery/index.html")
    related = page.cssselect(".cx-related a")
    assert [(a.text, a.get("href")) for a in related] == [
        ("When will I get my refund?", "../../returns/refunds/#when-will-i-get-my-refund"),
        ("Can I track my parcel?", "../tracking/#can-i-track-my-parcel"),
    ]
    assert _text(page.cssselect(".cx-related h2")[0]) == "Related questions"
    # In Russian, the related question is the translation's, found by the id the translation kept.
    ru = _tree(site, "public/ru/faq/shipping/delivery/index.html")
    assert [a.text for a in ru.cssselect(".cx-related a")][0] == "Когда мне вернут деньги?"
    assert _text(ru.cssselect(".cx-related h2")[0]) == "Похожие вопросы"


def test_still_need_help_holds_the_teams_contact_in_the_readers_language(site):
    en = _tree(site, "public/faq/shipping/delivery/index.html").cssselect(".cx-contact")[0]
    assert _text(en.cssselect("h2")[0]) == "Still need help?"
    assert en.cssselect('a[href="mailto:help@shop.test"]')[0].text == "help@shop.test"
    assert en.cssselect('a[href="tel:+38612345678"]')[0].text == "+386 1 234 56 78"
    assert "Monday to Friday, 8:00-16:00" in _text(en)
    ru = _tree(site, "public/ru/faq/shipping/delivery/index.html").cssselect(".cx-contact")[0]
    assert _text(ru.cssselect("h2")[0]) == "Остались вопросы?"
    assert "с понедельника по пятницу, 8:00–16:00" in _text(ru)
    # The project's own wording for one language.
    sl = _tree(site, "public/sl/faq/shipping/delivery/index.html").cssselect(".cx-contact")[0]
    assert "Pišite nam, radi pomagamo." in _text(sl) and _text(sl.cssselect("h2")[0]) == "Še potrebujete pomoč?"
    # Not in the handbook, which is for the agents answering.
    assert not _tree(site, "internal/faq/shipping/delivery/index.html").cssselect(".cx-contact")


def test_last_updated_is_a_localized_date(site):
    # Outside git, a page is dated by its file, never after SOURCE_DATE_EPOCH's day.
    for lang, text in (("", "May 28, 2026"), ("sl/", "28. maj 2026"), ("ru/", "28 мая 2026\u202fг."),
                       ("el/", "28 Μαΐου 2026")):
        time = _tree(site, f"public/{lang}faq/shipping/delivery/index.html").cssselect(".cx-updated time")[0]
        assert (time.get("datetime"), time.text) == ("2026-05-28", text)


def test_home_page_leads_with_a_search_box_popular_questions_and_topics_as_headings(site):
    home = _tree(site, "public/index.html")
    form = home.cssselect("form.cx-hero-search")[0]
    assert form.get("action") == "." and form.get("method") == "get"
    assert form.cssselect("input")[0].get("name") == "q"  # the theme's search opens with ?q=
    headings = [_text(h) for h in home.cssselect(".md-content h2, .md-content h3")]
    assert headings == ["Popular questions", "Browse by topic", "Returns", "Shipping"]
    popular = home.xpath("//h2[@id='popular-questions']/following-sibling::ul[1]//a")
    assert [(a.text, a.get("href")) for a in popular] == [
        ("When will I get my refund?", "faq/returns/refunds/#when-will-i-get-my-refund")]
    ru = _tree(site, "public/ru/index.html")
    assert [a.text for a in ru.xpath("//h2[@id='popular-questions']/following-sibling::ul[1]//a")] == [
        "Когда мне вернут деньги?"]
    assert ru.cssselect("form.cx-hero-search label")[0].text == "Чем мы можем помочь?"


def test_404_page_is_in_each_language_with_search_and_contact(site):
    for lang, title, home in (("", "Page not found", "/"), ("ru/", "Страница не найдена", "/ru/"),
                              ("el/", "Η σελίδα δεν βρέθηκε", "/el/")):
        page = _tree(site, f"public/{lang}404.html")
        assert _text(page.cssselect("article h1")[0]) == title
        assert page.cssselect("form.cx-hero-search")[0].get("action") == home
        assert page.cssselect(".cx-contact a[href^='mailto:']")
        # The switcher leads to each language's home, marking the current one.
        links = {a.get("lang"): (a.get("href"), a.get("aria-current")) for a in page.cssselect("a.md-select__link")}
        assert links["sl"] == ("/sl/", None) and links[lang.strip("/") or "en"] == (home, "page")
    assert not _tree(site, "internal/404.html").cssselect(".cx-contact")


def test_names_and_footer_follow_the_language_and_the_handbook_has_its_own_name(site):
    assert "<title>Delivery - Test Help</title>" in site.html("public/faq/shipping/delivery/index.html")
    assert "<title>Доставка - Справочный центр</title>" not in site.html("public/ru/faq/shipping/delivery/index.html")
    assert "- Справочный центр</title>" in site.html("public/ru/faq/shipping/delivery/index.html")
    assert "Test Help — Handbook" in site.html("internal/sop/billing/refund/index.html")
    assert "Test Help — Priročnik" in site.html("internal/sl/sop/billing/refund/index.html")
    footer = _tree(site, "public/faq/shipping/delivery/index.html").cssselect(".md-copyright")[0]
    assert _text(footer) == "© Shop. Answers checked by our team."
    assert "Material for MkDocs" not in site.html("public/ru/index.html")  # the theme's English credit
    banner = _tree(site, "internal/ru/sop/billing/refund/index.html").cssselect(".cx-internal-banner strong")[0]
    assert banner.text == "Для внутреннего пользования"


def test_dark_mode_follows_the_system_with_a_toggle_named_in_the_language(site):
    page = _tree(site, "public/el/faq/shipping/delivery/index.html")
    options = page.cssselect("form[data-md-component=palette] input")
    assert [o.get("data-md-color-media") for o in options] == [
        "(prefers-color-scheme)", "(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"]
    assert options[0].get("aria-label") == "Μετάβαση σε φωτεινή λειτουργία"
    assert page.cssselect("nav.md-path")  # breadcrumbs (named by site.js: test_browser_answers)


def test_feedback_control_only_where_the_project_says_where_answers_go(site, tmp_path):
    assert not site.site_files("public")["faq/shipping/delivery/index.html"].count("cx-feedback")
    p = _make(tmp_path, feedback={"event": "helpful", "url": "/feedback"})
    assert p.build().exit_code == 0
    box = _tree(p, "public/sl/faq/shipping/delivery/index.html").cssselect(".cx-feedback")[0]
    assert (box.get("data-cx-event"), box.get("data-cx-url"), box.get("hidden")) == ("helpful", "/feedback", "")
    assert [_text(b) for b in box.cssselect("button")] == ["Da", "Ne"]
    assert not _tree(p, "internal/faq/shipping/delivery/index.html").cssselect(".cx-feedback")


def test_handbook_sop_past_review_date_says_so_and_printable_and_health_pages_stay_out_of_search(site):
    badge = _tree(site, "internal/sop/billing/refund/index.html").cssselect(".cx-overdue")
    assert [b.text for b in badge] == ["Overdue for review"]
    assert not _tree(site, "internal/sop/billing/chargeback/index.html").cssselect(".cx-overdue")
    assert _tree(site, "internal/ru/sop/billing/refund/index.html").cssselect(".cx-overdue")[0].text == "Пересмотр просрочен"
    indexed = pagefind_pages(site.root / "site" / "internal" / "pagefind")
    assert "/sop/billing/refund/" in indexed and "/sop/billing/print-all/" not in indexed
    # The health page names every page: it is no answer to a search for one of them.
    assert _tree(site, "internal/health/index.html").cssselect("h1") and "/health/" not in indexed
    note = _tree(site, "internal/sop/billing/print-all/index.html").cssselect(".cx-print-note")[0]
    assert "Uncontrolled when printed" in _text(note)


def test_last_updated_comes_from_git_history_and_is_reproducible(tmp_path):
    p = _make(tmp_path)
    env = {**os.environ, "GIT_AUTHOR_DATE": "2025-03-04T10:00:00", "GIT_COMMITTER_DATE": "2025-03-04T10:00:00"}
    git = ["git", "-c", "user.name=Writer", "-c", "user.email=w@shop.test"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "content"], cwd=tmp_path, check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", "content"], cwd=tmp_path, check=True, env=env)
    p.write("content/faq/shipping/tracking.md", TRACKING.replace("Yes,", "Yes, always,"))  # not committed
    sites = []
    for _ in range(2):
        os.environ["SOURCE_DATE_EPOCH"] = "1780000000"
        try:
            assert p.build().exit_code == 0
        finally:
            del os.environ["SOURCE_DATE_EPOCH"]
        sites.append(p.site_files("public"))
    assert sites[0] == sites[1]
    def updated(rel):
        return _tree(p, f"public/{rel}").cssselect(".cx-updated time")[0]

    assert updated("faq/shipping/delivery/index.html").get("datetime") == "2025-03-04"
    assert updated("sl/faq/shipping/delivery/index.html").text == "4. marec 2025"
    assert updated("faq/shipping/tracking/index.html").get("datetime") == "2026-05-28"  # changed since: its file's date, clamped
    # Front matter wins.
    p.write("content/faq/returns/refunds.md", REFUNDS.replace("title: Refunds", "title: Refunds\nupdated: 2024-12-24"))
    assert p.build().exit_code == 0
    assert updated("faq/returns/refunds/index.html").get("datetime") == "2024-12-24"


def test_mistakes_in_related_popular_and_labels_name_their_line(tmp_path):
    p = _make(tmp_path, popular=["faq/returns/refunds.md#no-such-question"])
    p.write("content/faq/shipping/tracking.md", TRACKING.replace("title: Tracking", "title: Tracking\nrelated: [faq/nowhere.md]"))
    result = p.run("check")
    assert result.exit_code == 1
    assert "content/faq/shipping/tracking.md:3: related: 'faq/nowhere.md' is not a FAQ page" in result.output
    assert "mkdocs.yml:" in result.output and "popular: faq/returns/refunds.md has no question with the anchor #no-such-question" in result.output
    p = _make(tmp_path, labels={"sl": {"sitename": "x"}})
    result = p.run("check")
    assert result.exit_code == 1 and "unknown label 'sitename'" in result.output


def test_a_related_question_is_shown_as_text_whatever_it_holds(tmp_path):
    p = _make(tmp_path)
    p.write("content/faq/shipping/odd.md", "---\ntitle: Odd\n---\n\n"
            "## What if my question has `</script><script>window.pwned = 1</script>` in it?\n\nThen it is text.\n")
    assert p.build().exit_code == 0
    page = p.html("public/faq/shipping/delivery/index.html")
    assert "<script>window.pwned" not in page
    assert "What if my question has &lt;/script&gt;&lt;script&gt;window.pwned = 1&lt;/script&gt; in it?" in page
