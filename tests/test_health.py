"""The handbook's content health page: what a team lead opens to see what needs doing.

One small tree in three languages with a bit of everything to do: an outdated translation, missing
and untracked ones, an overdue SOP, one due soon, a house-style phrase and an SOP without steps.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from conftest import MINIMAL_FAQ, MINIMAL_RESPONSE, MINIMAL_SOP, REPO, Project

EPOCH = "1700000000"  # 2023-11-14: "today" for these builds
LANGUAGES = ["en", "sl", "hr"]
PAGES = {"en": "health/index.html", "sl": "sl/health/index.html", "hr": "hr/health/index.html"}

TRACKING = """
---
title: Tracking
---

## Where is my parcel?

Unfortunately tracking takes a day to start.
"""
TRACKING_LINE = 7


def _sop(title: str, review_by: str, department: str = "Billing", owner: str = "Ana Novak") -> str:
    return (
        MINIMAL_SOP.replace("Refund a customer", title)
        .replace("2099-01-31", review_by)
        .replace("Billing", department)
        .replace("Ana Novak", owner)
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Project:
    p = Project(tmp_path_factory.mktemp("health"))
    p.config(languages=LANGUAGES, variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    shutil.copytree(REPO / "plugins", p.root / "plugins")  # the example's house-style check
    p.write("content/faq/shipping/delivery.md", MINIMAL_FAQ)
    p.write("content/faq/shipping/delivery.sl.md", MINIMAL_FAQ.replace("Shipping", "Dostava"))
    p.write("content/faq/shipping/delivery.hr.md", MINIMAL_FAQ.replace("Shipping", "Dostava (hr)"))
    p.write("content/faq/shipping/tracking.md", TRACKING)
    p.write("content/sop/billing/refund.md", _sop("Refund a customer", "2023-11-01"))
    p.write("content/sop/billing/refund.sl.md", _sop("Vračilo kupnine", "2023-11-01", department="Obračun"))
    p.write("content/sop/shipping/lost.md", _sop("Lost parcel", "2023-12-01", "Shipping", "Bo Lind"))
    p.write("content/sop/shipping/printer.md", _sop("Label printer", "2099-01-31", "Shipping").replace("1. Check the order.\n2. Refund", "Check the order, then refund"))
    p.write("content/responses/refunds/refund-confirmed.md", MINIMAL_RESPONSE)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for lang in ("sl", "hr"):
            assert p.run("status", "--mark", f"content/faq/shipping/delivery.{lang}.md").exit_code == 0
        # The source changes after the Croatian translation was marked: hr is outdated, sl too...
        p.write("content/faq/shipping/delivery.md", MINIMAL_FAQ.replace("confirmation email", "confirmation e-mail"))
        # ...until the Slovenian translator catches up.
        assert p.run("status", "--mark", "content/faq/shipping/delivery.sl.md").exit_code == 0
        result = p.build()
    assert result.exit_code == 0, result.output
    return p


def _article(page: str) -> str:
    return page[page.index('<article class="md-content__inner'):page.index("</article>")]


def _row(page: str, header: str) -> list[str]:
    """The cells of the table row whose header cell holds ``header``, tags stripped."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S):
        if header in row:
            return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
    raise AssertionError(f"no row with {header!r}")


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id" and value)


def test_every_handbook_language_has_the_page_in_its_language_and_the_public_site_has_none(site):
    internal, public = site.site_files("internal"), site.site_files("public")
    titles = {"en": "Content health", "sl": "Stanje vsebine", "hr": "Stanje sadržaja"}
    for lang, rel in PAGES.items():
        page = internal[rel]
        assert f"<h1>{titles[lang]}</h1>" in page
        assert f'<html lang="{lang}"' in page
        home = internal[rel.replace("health/", "")]
        assert f'<a href="health/">{titles[lang]}</a>' in _article(home), "the handbook home links to it"
        nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
        pages = [href for href in re.findall(r'<a href="([^"]+)" class="md-nav__link', nav) if "#" not in href]
        assert pages[-1] == "health/", "last in the navigation"
    # Pages, search index, sitemap: nothing of it (the shared stylesheet styles it, and says nothing).
    content = {name: text for name, text in public.items() if "/assets/" not in f"/{name}"}
    assert not [name for name, text in content.items() if "health" in text.lower() or "cx-chart" in text]
    assert not any("health" in name for name in public)


def test_coverage_is_a_chart_and_a_table_with_the_right_numbers(site):
    page = _article(site.html("internal/health/index.html"))
    # Slovenian: delivery up to date, the refund SOP translated but untracked, four pages missing.
    assert _row(page, "#health-sl") == ["Slovenian", "1", "0", "1", "4", "17%"]
    # Croatian: delivery outdated, the other five missing.
    assert _row(page, "#health-hr") == ["Croatian", "0", "1", "0", "5", "0%"]
    chart = page[page.index('<figure class="cx-chart"'):page.index("</figure>")]
    assert '<svg class="cx-chart__svg"' in chart and 'role="img"' in chart
    assert "<script" not in page and "http" not in chart.replace("http://www.w3.org/2000/svg", "")
    for title in ("Slovenian: Up to date: 1 of 6", "Slovenian: Untracked: 1 of 6", "Slovenian: Missing: 4 of 6",
                  "Croatian: Outdated: 1 of 6", "Croatian: Missing: 5 of 6"):
        assert f"<title>{title}</title>" in chart, title
    assert 'aria-label="Slovenian: 17%"' in chart
    # Segment widths are the counts' share of the bar (400 units wide).
    assert re.search(r'<rect class="cx-state--missing" x="133.33" y="\d+" width="266.67"', chart)
    assert re.search(r'<rect class="cx-state--outdated" x="0" y="\d+" width="66.67"', chart)


def test_lists_link_each_page_to_do_in_its_language(site):
    page = _article(site.html("internal/health/index.html"))
    croatian = page[page.index('id="health-hr"'):page.index('id="health-reviews"')]
    assert '<a href="../hr/faq/shipping/delivery/"><span lang="hr">Dostava (hr)</span></a>' in croatian
    assert '<a href="../hr/faq/shipping/tracking/">Tracking</a>' in croatian, "English on the English page: no lang mark"
    slovenian = page[page.index('id="health-sl"'):page.index('id="health-hr"')]
    assert "delivery" not in slovenian, "an up-to-date translation is not on the to-do list"
    assert '<a href="../sl/sop/billing/refund/"><span lang="sl">Vračilo kupnine</span></a>' in slovenian
    # From the Slovenian handbook: the same lists, the untranslated title marked as English.
    sl = _article(site.html("internal/sl/health/index.html"))
    croatian = sl[sl.index('id="health-hr"'):sl.index('id="health-reviews"')]
    assert '<a href="../../hr/faq/shipping/tracking/"><span lang="en">Tracking</span></a>' in croatian


def test_sops_due_for_review_by_date_with_owner_and_department(site):
    page = _article(site.html("internal/health/index.html"))
    section = page[page.index('id="health-reviews"'):page.index('id="health-house-style"')]
    rows = re.findall(r"<tr class=[^>]*>.*?</tr>", section, re.S)
    assert len(rows) == 2, "the SOP due in 2099 is not listed"
    assert _row(rows[0], "2023-11-01") == ["2023-11-01", "Refund a customer", "Billing", "Ana Novak", "review overdue"]
    assert '<a href="../sop/billing/refund/">' in rows[0]
    assert _row(rows[1], "2023-12-01") == ["2023-12-01", "Lost parcel", "Shipping", "Bo Lind", "due soon"]
    slovenian = _article(site.html("internal/sl/health/index.html"))
    assert _row(slovenian, "2023-11-01")[1:3] == ["Vračilo kupnine", "Obračun"]
    assert "pregled zapadel" in slovenian


def test_house_style_findings_and_other_warnings_each_in_their_section(site):
    page = _article(site.html("internal/health/index.html"))
    house = page[page.index('id="health-house-style"'):page.index('id="health-other"')]
    assert _row(house, "tracking") == [
        "Trackingcontent/faq/shipping/tracking.md", str(TRACKING_LINE),
        "house style: say 'at the moment' rather than 'Unfortunately'",
    ]
    assert '<a href="../faq/shipping/tracking/">Tracking</a><br><code>content/faq/shipping/tracking.md</code>' in house
    other = page[page.index('id="health-other"'):]
    assert "SOP has no numbered steps" in other and "printer" in other
    # Overdue reviews and outdated translations have their own sections above: not repeated here.
    assert "due for review" not in other and "is outdated" not in other and "house style" not in other
    sl = _article(site.html("internal/sl/health/index.html"))
    assert '<span lang="en">house style: say' in sl, "messages are in English, and say so"


def test_every_link_on_the_page_resolves(site):
    root = site.root / "site" / "internal"
    for rel in PAGES.values():
        page = _article(site.html(f"internal/{rel}"))
        hrefs = set(re.findall(r'href="([^"]+)"', page))
        assert len(hrefs) > 10
        for href in hrefs:
            path, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path)) if path else rel
            file = root / target / "index.html" if not target.endswith(".html") else root / target
            assert file.is_file(), (rel, href)
            if fragment:
                ids = _Ids()
                ids.feed(file.read_text(encoding="utf-8"))
                assert fragment in ids.ids, (rel, href)


def test_one_language_means_nothing_to_translate_and_no_check_means_no_verdict(project):
    project.write("content/faq/shipping/tracking.md", TRACKING)
    assert project.build().exit_code == 0
    page = _article(project.html("internal/health/index.html"))
    assert "Only one language is configured (English): there is nothing to translate." in page
    assert "cx-chart" not in page
    assert "No house-style check is registered, so phrasing is not being checked." in page
    assert "No house-style findings" not in page


def test_plain_mkdocs_build_of_the_handbook_runs_the_checks_for_the_page(project):
    shutil.copytree(REPO / "plugins", project.root / "plugins")
    project.write("content/faq/shipping/tracking.md", TRACKING)
    env = {**os.environ, "CXDOCS_AUDIENCE": "internal", "SOURCE_DATE_EPOCH": EPOCH}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project.root, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    page = _article((project.root / "site/health/index.html").read_text(encoding="utf-8"))
    assert html.escape("house style: say 'at the moment' rather than 'Unfortunately'") in page


HEALTH_LABELS = [
    "health", "health_intro", "coverage_title", "coverage_chart", "nothing_to_translate", "language", "coverage",
    "state_up_to_date", "state_outdated", "state_untracked", "state_missing", "state_count", "states_explained",
    "fully_translated", "reviews_title", "reviews_window", "no_reviews", "sop_column", "status", "overdue",
    "due_soon", "review_by", "department", "owner", "house_style_title", "no_house_style_check",
    "no_house_style_findings", "other_warnings_title", "no_other_warnings", "page", "line", "message",
]


def test_every_word_of_the_page_is_translated_into_every_shipped_language():
    from string import Formatter

    from cxdocs.core.labels import LABELS

    def fields(text: str) -> set:
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    for lang, labels in LABELS.items():
        missing = [key for key in HEALTH_LABELS if key not in labels]
        assert not missing, (lang, missing)
        wrong = [key for key in HEALTH_LABELS if fields(labels[key]) != fields(LABELS["en"][key])]
        assert not wrong, (lang, wrong)
