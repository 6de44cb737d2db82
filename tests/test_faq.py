"""Public FAQ pages: structured data a crawler can trust, landing pages, and the FAQ checks."""

from __future__ import annotations

import html as html_lib
import json
import re

import extruct
import lxml.html
import pytest
from conftest import MINIMAL_SOP, Project

from cxdocs.core.structured_data import ANSWER_TAGS

CONTENT = '//*[contains(concat(" ", normalize-space(@class), " "), " md-content__inner ")]'

FAQ_EN = """
---
title: Delivery
description: Delivery times and tracking.
---

Everything about getting your order.

## How long does delivery take?

Standard delivery takes {{ shipping.days }}. See [tracking](#can-i-track-my-parcel).

!!! internal "Agent note"
    Offer express upgrade for free if the order is late.

## Can I track my parcel?

Yes:

- open the email,
- click **Track**.

| Carrier | Days |
|---|---|
| Post | 3 |

## What does `</script><script>alert(1)</script>` mean?

It is text, shown as `</script><script>alert(1)</script>`, and "quotes" & ampersands stay text.
"""

FAQ_RU = """
---
title: Доставка
description: Сроки доставки и отслеживание.
---

## Сколько времени занимает доставка?

Стандартная доставка занимает {{ shipping.days }}.

!!! internal "Заметка"
    Предложите бесплатную экспресс-доставку.

## Можно ли отследить посылку?

Да, по ссылке в письме — «Отследить».
"""

FAQ_EL = """
---
title: Παράδοση
---

## Πόσο διαρκεί η παράδοση;

Η κανονική παράδοση διαρκεί {{ shipping.days }}.

## Μπορώ να παρακολουθήσω το δέμα μου;

Ναι, από τον σύνδεσμο στο email.
"""


@pytest.fixture(scope="module")
def faq_site(tmp_path_factory):
    """Built once for the module: the read-only tests below look at the same output."""
    project = Project(tmp_path_factory.mktemp("faq"))
    project.config(
        languages=["en", "ru", "el"],
        variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}},
        language_variables={"ru": {"shipping": {"days": "3–5 дней"}}, "el": {"shipping": {"days": "3-5 ημέρες"}}},
    )
    project.write("content/sop/billing/refund.md", MINIMAL_SOP)
    project.write("content/faq/shipping/delivery.md", FAQ_EN)
    project.write("content/faq/shipping/delivery.ru.md", FAQ_RU)
    project.write("content/faq/shipping/delivery.el.md", FAQ_EL)
    project.write("content/faq/shipping/returns.md", "---\ntitle: Returns\n---\n\n## Can I return an item?\n\nYes, within 30 days.\n")
    result = project.build()
    assert result.exit_code == 0, result.output
    return project


def _visible_questions(page_html: str) -> list[tuple[str, str]]:
    """What a reader sees: each question heading and the text below it up to the next one."""
    tree = lxml.html.fromstring(page_html)
    article = tree.xpath(CONTENT)[0]
    pairs = []
    for h2 in article.findall("h2"):
        question = " ".join(h2.text_content().replace("¶", "").split())
        answer = []
        for sibling in h2.itersiblings():
            # The theme's blocks and cxdocs' own below the page (last updated, related, contact) end it.
            if sibling.tag == "h2" or re.search(r"\b(md-|cx-after)", sibling.get("class") or ""):
                break
            answer.append(sibling.text_content())
        pairs.append((question, " ".join(" ".join(answer).split())))
    return pairs


def _json_ld(page_html: str, url: str) -> list[dict]:
    return extruct.extract(page_html, base_url=url, syntaxes=["json-ld"], uniform=False)["json-ld"]


def _text(answer_html: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", answer_html)).split())


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("path", "url", "lang"),
    [
        ("public/faq/shipping/delivery/index.html", "https://help.example.test/faq/shipping/delivery/", "en"),
        ("public/ru/faq/shipping/delivery/index.html", "https://help.example.test/ru/faq/shipping/delivery/", "ru"),
        ("public/el/faq/shipping/delivery/index.html", "https://help.example.test/el/faq/shipping/delivery/", "el"),
    ],
)
def test_structured_data_equals_the_visible_questions_and_answers(faq_site, path, url, lang):
    page = faq_site.html(path)
    blocks = _json_ld(page, url)
    faq = [b for b in blocks if b["@type"] == "FAQPage"]
    assert len(faq) == 1, blocks
    faq = faq[0]
    assert faq["inLanguage"] == lang
    assert faq["url"] == url and faq["@id"] == url + "#faq"
    visible = _visible_questions(page)
    marked = [(q["name"], _text(q["acceptedAnswer"]["text"])) for q in faq["mainEntity"]]
    assert [q for q, _ in marked] == [q for q, _ in visible]
    for (_, answer), (_, shown) in zip(marked, visible):
        # The same words in the same order; only whitespace between block elements may differ.
        assert _squash(answer) == _squash(shown)
    assert {q["@type"] for q in faq["mainEntity"]} == {"Question"}
    assert {q["acceptedAnswer"]["@type"] for q in faq["mainEntity"]} == {"Answer"}
    assert "Offer express upgrade" not in json.dumps(blocks, ensure_ascii=False)
    assert "экспресс" not in json.dumps(blocks, ensure_ascii=False)


def test_variables_are_substituted_per_language_in_the_answers(faq_site):
    ru = _json_ld(faq_site.html("public/ru/faq/shipping/delivery/index.html"), "https://x/")
    answers = [q["acceptedAnswer"]["text"] for b in ru if b["@type"] == "FAQPage" for q in b["mainEntity"]]
    assert "3–5 дней" in answers[0]


def test_an_untranslated_page_claims_the_language_its_text_is_in(faq_site):
    blocks = _json_ld(faq_site.html("public/ru/faq/shipping/returns/index.html"), "https://x/")
    faq = next(b for b in blocks if b["@type"] == "FAQPage")
    assert faq["inLanguage"] == "en"


def test_script_breakout_in_an_answer_stays_text(faq_site):
    page = faq_site.html("public/faq/shipping/delivery/index.html")
    tree = lxml.html.fromstring(page)
    scripts = tree.xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 2  # FAQPage + BreadcrumbList, and nothing broke out of them
    assert not tree.xpath("//script[contains(text(), 'alert(1)') and not(@type)]")
    decoded = [json.loads(s.text) for s in scripts]
    faq = next(b for b in decoded if b["@type"] == "FAQPage")
    question = faq["mainEntity"][2]
    assert question["name"] == "What does </script><script>alert(1)</script> mean?"
    assert "</script><script>alert(1)</script>" in _text(question["acceptedAnswer"]["text"])
    assert '"quotes" & ampersands' in _text(question["acceptedAnswer"]["text"])
    raw_blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert all("<" not in block for block in raw_blocks)


def test_answers_hold_only_the_tags_google_reads_and_absolute_links(faq_site):
    blocks = _json_ld(faq_site.html("public/faq/shipping/delivery/index.html"), "https://x/")
    faq = next(b for b in blocks if b["@type"] == "FAQPage")
    for question in faq["mainEntity"]:
        answer = question["acceptedAnswer"]["text"]
        tags = {t.lower() for t in re.findall(r"</?([a-zA-Z0-9]+)", answer)}
        assert tags <= ANSWER_TAGS, tags - ANSWER_TAGS
        for href in re.findall(r'href="([^"]+)"', answer):
            assert href.startswith("https://help.example.test/"), href
    assert "Post" in faq["mainEntity"][1]["acceptedAnswer"]["text"]  # a table's text survives without the table


def test_breadcrumbs_lead_from_home_through_the_topic(faq_site):
    blocks = _json_ld(faq_site.html("public/el/faq/shipping/delivery/index.html"), "https://x/")
    crumbs = next(b for b in blocks if b["@type"] == "BreadcrumbList")["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[0]["item"] == "https://help.example.test/el/"
    assert crumbs[1]["item"] == "https://help.example.test/el/faq/shipping/"
    assert crumbs[2]["name"] == "Παράδοση"


def test_internal_handbook_carries_no_structured_data(faq_site):
    for name, text in faq_site.site_files("internal").items():
        assert "application/ld+json" not in text, name


def test_topic_landing_page_lists_every_question_with_a_working_deep_link(faq_site):
    landing = lxml.html.fromstring(faq_site.html("public/ru/faq/shipping/index.html"))
    links = [a.get("href") for a in landing.xpath(CONTENT + "//a") if "#" in (a.get("href") or "")]
    assert len(links) == 3  # two translated questions + the untranslated page's one
    for href in links:
        path, anchor = href.split("#")
        target = faq_site.root / "site/public/ru/faq/shipping" / path / "index.html"
        assert lxml.html.fromstring(target.read_text()).get_element_by_id(anchor) is not None, href
    assert any("#сколько-времени-занимает-доставка" in link for link in links)


def test_a_plugin_can_add_and_change_structured_data(faq_site, tmp_path):
    import shutil

    shutil.copytree(faq_site.root, tmp_path / "p", ignore=shutil.ignore_patterns("site"))
    faq_site = Project(tmp_path / "p")
    faq_site.write(
        "plugins/org.py",
        """
        from cxdocs import hookimpl

        @hookimpl
        def cxdocs_structured_data(page, target, info, blocks):
            for block in blocks:
                if block["@type"] == "FAQPage":
                    block["publisher"] = {"@id": info.site_url + "#org"}
            if info.kind == "faq":
                blocks.append({"@context": "https://schema.org", "@type": "Organization",
                               "@id": info.site_url + "#org", "name": info.site_name})
        """,
    )
    assert faq_site.build().exit_code == 0
    blocks = _json_ld(faq_site.html("public/faq/shipping/delivery/index.html"), "https://x/")
    types = [b["@type"] for b in blocks]
    assert types.count("FAQPage") == 1 and "Organization" in types
    faq = next(b for b in blocks if b["@type"] == "FAQPage")
    assert faq["publisher"] == {"@id": "https://help.example.test/#org"}


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("### Can I pay later?", "a '###' heading"),
        ("**Can I pay later?**", "a bold line"),
        ("Q: Can I pay later?", "a 'Q:' line"),
    ],
)
def test_check_catches_questions_not_written_as_headings(project, line, what):
    project.write("content/faq/shipping/pay.md", f"---\ntitle: Pay\n---\n\n## Can I pay by card?\n\nYes.\n\n{line}\n\nLater.\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert (
        f"content/faq/shipping/pay.md:9: this looks like a question written as {what}; "
        "write FAQ questions as '## ' headings"
    ) in result.output


def test_check_warns_when_structured_data_would_have_no_urls(project):
    (project.root / "mkdocs.yml").write_text(
        (project.root / "mkdocs.yml").read_text().replace("site_url: https://help.example.test/\n", "")
    )
    result = project.run("check")
    assert "warning: site_url is not set in mkdocs.yml" in result.output
