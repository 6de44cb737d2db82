"""A page carries the topics, its own topic's pages and its questions, not the whole site."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import Project

NAV_START = '<div class="md-sidebar md-sidebar--primary"'
NAV_END = '<div class="md-sidebar md-sidebar--secondary"'
ONE_PAGE = "---\ntitle: Returns\n---\n\n## How do I return an item?\n\nUse the returns form.\n\n## Who pays?\n\nWe do.\n"


def _knowledge_base(root, topics: int, pages_per_topic: int, **options) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    p = Project(root)
    p.config(**options)
    p.write("content/faq/returns/returns.md", ONE_PAGE)  # the same page in every size of site
    for t in range(topics):
        for n in range(pages_per_topic):
            p.write(f"content/faq/topic-{t:02d}/page-{n:04d}.md",
                    f"---\ntitle: Page {n} of topic {t}\n---\n\n## Question {n}?\n\nAnswer {n}.\n")
    return p


def _navigation(page: str) -> str:
    return page[page.index(NAV_START) : page.index(NAV_END)]


def _links(fragment: str) -> list[tuple[str, str]]:
    return [(href, " ".join(text.split())) for href, text in
            re.findall(r'<a href="([^"]*)"[^>]*>\s*<span class="md-ellipsis">(.*?)</span>', fragment, re.S)]


def test_a_page_weighs_the_same_in_a_small_site_and_in_a_large_one(tmp_path):
    sizes = {}
    for topics, per_topic in ((3, 8), (12, 150)):
        p = _knowledge_base(tmp_path / f"{topics}x{per_topic}", topics, per_topic)
        result = p.build("--target", "public")
        assert result.exit_code == 0, result.output
        sizes[topics * per_topic] = len((p.root / "site/public/faq/returns/returns/index.html").read_bytes())
        if topics == 12:
            crowded = p.html("public/faq/topic-05/page-0075/index.html")
    small, large = sizes[24], sizes[1800]
    assert large <= 1.3 * small, sizes
    links = _links(_navigation(crowded))
    assert len(links) < 60, links
    titles = [text for _, text in links]
    # Every topic is reachable, the page's own neighbours are listed, and the rest of its topic is one link away.
    assert all(any(f"Topic {t:02d}" in text for text in titles) for t in range(12) if t != 5), titles
    assert "Page 75 of topic 5" in titles and "Page 74 of topic 5" in titles and "Page 76 of topic 5" in titles
    assert "Page 3 of topic 5" not in titles and "Page 140 of topic 5" not in titles
    assert ("../", "All 150 pages") in links
    assert not any("of topic 6" in text for text in titles)  # another topic: one link to its landing page


def test_a_topic_landing_page_lists_all_its_pages(tmp_path):
    p = _knowledge_base(tmp_path, 2, 60)
    assert p.build("--target", "public").exit_code == 0
    landing = p.html("public/faq/topic-01/index.html")
    listed = set(re.findall(r'href="(page-\d{4}/)"', landing))
    assert len(listed) == 60


def test_the_error_page_names_the_sections_without_listing_their_pages(tmp_path):
    p = _knowledge_base(tmp_path, 4, 30)
    assert p.build("--target", "public").exit_code == 0
    titles = [text for _, text in _links(_navigation(p.html("public/404.html")))]
    assert len(titles) <= 8, titles
    assert not any(text.startswith("Page ") for text in titles)


def test_the_handbook_opens_the_department_of_the_page(tmp_path):
    p = Project(tmp_path)
    p.config()
    for dept in ("billing", "orders", "shipping"):
        for n in range(3):
            p.write(f"content/sop/{dept}/sop-{n}.md",
                    f"---\ntitle: {dept} procedure {n}\ndepartment: {dept.capitalize()}\npurpose: Do it.\n---\n\n1. Step.\n")
    p.write("content/faq/returns/returns.md", ONE_PAGE)
    assert p.build("--target", "internal").exit_code == 0
    titles = [text for _, text in _links(_navigation(p.html("internal/sop/orders/sop-1/index.html")))]
    assert "orders procedure 0" in titles and "orders procedure 2" in titles
    assert "Billing" in titles and "Shipping" in titles
    assert not any(text.startswith(("billing procedure", "shipping procedure")) for text in titles)


@pytest.mark.parametrize("navigation", ["full"])
def test_a_project_can_keep_the_whole_tree_on_every_page(tmp_path, navigation):
    p = _knowledge_base(tmp_path, 3, 30, navigation=navigation)
    assert p.build("--target", "public").exit_code == 0
    titles = [text for _, text in _links(_navigation(p.html("public/faq/topic-00/page-0001/index.html")))]
    assert sum(text.startswith("Page ") for text in titles) == 90


def test_an_unknown_navigation_setting_is_an_error(tmp_path):
    p = _knowledge_base(tmp_path, 1, 1)
    config = yaml.safe_load((p.root / "mkdocs.yml").read_text())
    config["plugins"][1] = {"cxdocs": {"navigation": "tiny"}}
    (p.root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    result = p.build()
    assert result.exit_code == 1
    assert "navigation" in result.output


def test_a_department_s_printable_page_nests_each_sop_s_headings_but_not_its_code(tmp_path):
    """On the printable page each SOP is a section (its title a level-2 heading): its own headings
    go one level down, and a line of a code block that looks like a heading stays as written."""
    (tmp_path / "kb").mkdir()
    p = Project(tmp_path / "kb")
    p.config()
    p.write("content/sop/billing/refund.md", "---\ntitle: Refund a customer\ndepartment: Billing\npurpose: Pay back what is owed.\n---\n\n"
            "## Steps\n\n1. Check the order.\n\n### If the card expired\n\nCall the bank.\n")
    p.write("content/sop/billing/chargeback.md", "---\ntitle: Answer a chargeback\ndepartment: Billing\npurpose: Win fair disputes.\n---\n\n"
            "## Evidence\n\n```text\n## Reason code\n```\n\n~~~\n# Comment line\n~~~\n\n## Reply\n\nSend it.\n")
    result = p.build()
    assert result.exit_code == 0, result.output
    page = (p.root / "site/internal/sop/billing/print-all/index.html").read_text(encoding="utf-8")
    headings = re.findall(r"<h(\d)[^>]*>(.*?)<", page)
    assert [h for h in headings if h[1] in ("Steps", "If the card expired", "Evidence", "Reply")] == [
        ("3", "Evidence"), ("3", "Reply"), ("3", "Steps"), ("4", "If the card expired")]
    assert "<code>## Reason code" in page and "<code># Comment line" in page
