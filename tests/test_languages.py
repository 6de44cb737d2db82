"""Every language the team serves: switcher, hreflang, html lang, fallback, per-language search, status."""

from __future__ import annotations

import json
import posixpath
import re
from xml.etree import ElementTree

import pytest
from conftest import MINIMAL_SOP, Project, pagefind_pages

SITEMAP, XHTML = "http://www.sitemaps.org/schemas/sitemap/0.9", "http://www.w3.org/1999/xhtml"

FAQ = {
    "en": "---\ntitle: Delivery\n---\n\n## When will my parcel arrive?\n\nWithin {{ shipping.days }}.\n",
    "sl": "---\ntitle: Dostava\n---\n\n## Kdaj bo paket prispel?\n\nV {{ shipping.days }}. Sledenje pošiljki je brezplačno.\n",
    "ru": "---\ntitle: Доставка\n---\n\n## Когда придёт посылка?\n\nВ течение {{ shipping.days }}. Отслеживание бесплатно.\n",
}
UNTRANSLATED = "---\ntitle: Returns\n---\n\n## How do I return an item?\n\nUse the returns form.\n"
LANGS = ["en", "sl", "ru"]


def _make(root, **options) -> Project:
    p = Project(root)
    p.config(
        languages=LANGS,
        variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}},
        language_variables={"sl": {"shipping": {"days": "3–5 delovnih dneh"}}, "ru": {"shipping": {"days": "3–5 дней"}}},
        **options,
    )
    for lang, text in FAQ.items():
        p.write(f"content/faq/shipping/delivery{'' if lang == 'en' else '.' + lang}.md", text)
    p.write("content/faq/shipping/returns.md", UNTRANSLATED)
    p.write("content/sop/billing/refund.md", MINIMAL_SOP)
    result = p.build()
    assert result.exit_code == 0, result.output
    return p


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Project:
    return _make(tmp_path_factory.mktemp("languages"))


def _page(site, audience, lang, rel):
    prefix = "" if lang == "en" else f"{lang}/"
    return site.html(f"{audience}/{prefix}{rel}")


def _sitemap_alternates(site, lang):
    """Each URL of a language's sitemap with its hreflang alternates (``xhtml:link``)."""
    sitemap = ElementTree.fromstring(site.site_files("public")[("" if lang == "en" else f"{lang}/") + "sitemap.xml"])
    return {
        url.findtext(f"{{{SITEMAP}}}loc"): {link.get("hreflang"): link.get("href") for link in url.iter(f"{{{XHTML}}}link")}
        for url in sitemap.iter(f"{{{SITEMAP}}}url")
    }


def test_html_lang_and_theme_strings_follow_the_language(site):
    for lang, placeholder in (("en", "Search"), ("sl", "Išči"), ("ru", "Поиск")):
        html = _page(site, "public", lang, "faq/shipping/delivery/index.html")
        assert f'<html lang="{lang}"' in html
        assert f'placeholder="{placeholder}"' in html


def test_hreflang_is_reciprocal_across_real_translations_with_x_default(site):
    expected = {
        "en": "https://help.example.test/faq/shipping/delivery/",
        "sl": "https://help.example.test/sl/faq/shipping/delivery/",
        "ru": "https://help.example.test/ru/faq/shipping/delivery/",
        "x-default": "https://help.example.test/faq/shipping/delivery/",
    }
    for lang in LANGS:
        url = expected[lang]
        assert _sitemap_alternates(site, lang)[url] == expected
        # Not in the page's head: the theme's script would fetch a sitemap.xml beside each link.
        assert 'rel="alternate"' not in _page(site, "public", lang, "faq/shipping/delivery/index.html")
    index = ElementTree.fromstring(site.site_files("public")["sitemap-index.xml"])
    assert [loc.text for loc in index.iter(f"{{{SITEMAP}}}loc")] == [
        "https://help.example.test/sitemap.xml", "https://help.example.test/sl/sitemap.xml",
        "https://help.example.test/ru/sitemap.xml",
    ]


def test_switcher_goes_to_the_same_page_in_each_language(site):
    for lang in LANGS:
        html = _page(site, "public", lang, "faq/shipping/delivery/index.html")
        links = dict(re.findall(r'<a href="([^"]+)" target="_self" (?:hreflang="[^"]+" )?lang="([^"]+)" class="md-select__link', html))
        here = posixpath.dirname(f"public/{'' if lang == 'en' else lang + '/'}faq/shipping/delivery/index.html")
        targets = {code: posixpath.normpath(posixpath.join(here, href)) for href, code in links.items()}
        assert targets == {
            "en": "public/faq/shipping/delivery",
            "sl": "public/sl/faq/shipping/delivery",
            "ru": "public/ru/faq/shipping/delivery",
        }
        for target in targets.values():
            assert (site.root / "site" / target / "index.html").is_file()


def test_fallback_page_says_its_real_language_everywhere(site):
    html = _page(site, "public", "ru", "faq/shipping/returns/index.html")
    assert '<html lang="en"' in html
    assert 'class="cx-untranslated" lang="ru"' in html and "Показан оригинал (English)" in html
    assert '<link rel="canonical" href="https://help.example.test/faq/shipping/returns/">' in html
    assert _sitemap_alternates(site, "en")["https://help.example.test/faq/shipping/returns/"] == {
        "en": "https://help.example.test/faq/shipping/returns/",
        "x-default": "https://help.example.test/faq/shipping/returns/",
    }
    assert '"inLanguage": "en"' in html
    assert 'hreflang="ru"' not in html  # the switcher does not claim a Russian version either
    sitemap = site.site_files("public")["ru/sitemap.xml"]
    assert "ru/faq/shipping/delivery/" in sitemap and "ru/faq/shipping/returns/" not in sitemap
    assert "ru/faq/shipping/returns/" not in site.site_files("public")["ru/sitemap.xml.gz"]


def test_search_has_one_index_per_language_with_its_text(site):
    public = site.root / "site" / "public"
    sl, ru, en = (pagefind_pages(public / lang / "pagefind") for lang in ("sl", "ru", ""))
    # Each in its language's stemmer (Serbian's for Slovenian, which Pagefind has none for).
    assert json.loads((public / "ru" / "pagefind" / "pagefind-entry.json").read_text())["languages"].keys() == {"ru"}
    assert json.loads((public / "sl" / "pagefind" / "pagefind-entry.json").read_text())["languages"].keys() == {"sr"}
    assert "Sledenje pošiljki" in sl["/faq/shipping/delivery/"]["content"]
    assert "Отслеживание бесплатно" in ru["/faq/shipping/delivery/"]["content"]
    assert not any("Sledenje" in page["content"] for page in [*en.values(), *ru.values()])


def test_per_language_variables(site):
    assert "3–5 delovnih dneh" in _page(site, "public", "sl", "faq/shipping/delivery/index.html")
    assert "3–5 дней" in _page(site, "public", "ru", "faq/shipping/delivery/index.html")


def test_handbook_falls_back_and_omit_policy_drops_untranslated_public_pages(tmp_path):
    site = _make(tmp_path, untranslated="omit")
    public = site.site_files("public")
    assert "sl/faq/shipping/delivery/index.html" in public
    assert "sl/faq/shipping/returns/index.html" not in public
    assert "faq/shipping/returns/index.html" in public
    assert "sl/faq/shipping/returns/index.html" in site.site_files("internal")
    assert "sl/sop/billing/refund/index.html" in site.site_files("internal")
    # The switcher on the English page sends Slovenian readers to their home page, not to a 404.
    html = site.html("public/faq/shipping/returns/index.html")
    assert re.search(r'<a href="\.\./\.\./\.\./sl/" target="_self" lang="sl"', html)


def test_status_reports_missing_untracked_and_outdated_translations(tmp_path):
    site = Project(tmp_path)
    site.config(languages=["en", "sl"])
    site.write("content/faq/shipping/delivery.md", "---\ntitle: Delivery\n---\n\n## When?\n\nSoon.\n")
    site.write("content/faq/shipping/delivery.sl.md", "---\ntitle: Dostava\n---\n\n## Kdaj?\n\nKmalu.\n")
    site.write("content/faq/shipping/returns.md", UNTRANSLATED)

    report = json.loads(site.run("status", "--json").stdout)["languages"]["sl"]
    assert report["untracked"] == ["faq/shipping/delivery.md"]
    assert report["missing"] == ["faq/shipping/returns.md"]

    assert site.run("status", "--mark", "content/faq/shipping/delivery.sl.md").exit_code == 0
    report = json.loads(site.run("status", "--json").stdout)["languages"]["sl"]
    assert report["up_to_date"] == ["faq/shipping/delivery.md"] and report["coverage"] == 0.5
    assert site.run("check", "--strict").exit_code == 0

    # A review date or owner change does not outdate translations; a changed answer does.
    source = site.root / "content/faq/shipping/delivery.md"
    source.write_text(source.read_text().replace("Soon.", "Within three days."))
    report = json.loads(site.run("status", "--json").stdout)["languages"]["sl"]
    assert report["outdated"] == ["faq/shipping/delivery.md"]
    table = site.run("status").stdout
    assert re.search(r"^sl\s+0\s+1\s+0\s+1\s+0%$", table, re.M), table
    assert "sl: outdated: faq/shipping/delivery.md" in table
    check = site.run("check", "--strict")
    assert check.exit_code == 1
    assert "content/faq/shipping/delivery.sl.md:2: warning: translation into 'sl' is outdated" in check.output
    assert site.run("check").exit_code == 0  # a warning, unless --strict

    # One language's rows: a translator of Slovenian does not wade through every other language.
    site.config(languages=["en", "sl", "hr"])
    only = site.run("status", "--lang", "sl").stdout
    assert re.search(r"^sl\s+0\s+1\s+0\s+1\s+0%$", only, re.M) and not re.search(r"^hr\s", only, re.M), only
    assert "hr: missing" not in only and "hr: missing: faq/shipping/returns.md" in site.run("status").stdout
    assert list(json.loads(site.run("status", "--json", "--lang", "hr").stdout)["languages"]) == ["hr"]
    unknown = site.run("status", "--lang", "de")
    assert unknown.exit_code == 1 and "--lang de: the languages translated into are sl, hr" in unknown.output


def test_translated_snippets_are_included_in_translated_pages(tmp_path):
    site = Project(tmp_path)
    site.config(languages=["en", "sl"])
    site.write("content/snippets/hours.md", "We answer from 8 to 18.\n")
    site.write("content/snippets/hours.sl.md", "Odgovarjamo od 8. do 18. ure.\n")
    site.write("content/faq/shipping/contact.md", '---\ntitle: Contact\n---\n\n## When?\n\n--8<-- "snippets/hours.md"\n')
    site.write("content/faq/shipping/contact.sl.md", '---\ntitle: Kontakt\n---\n\n## Kdaj?\n\n--8<-- "snippets/hours.md"\n')
    assert site.build().exit_code == 0
    assert "Odgovarjamo od 8. do 18. ure." in site.html("public/sl/faq/shipping/contact/index.html")
    assert "We answer from 8 to 18." in site.html("public/faq/shipping/contact/index.html")


def test_fallback_page_marks_the_readers_values_with_their_language(tmp_path):
    site = Project(tmp_path)
    site.config(
        languages=["en", "ru"],
        variables={"shipping": {"days": "3-5 days", "carrier": "DPD"}},
        language_variables={"ru": {"shipping": {"days": "3–5 дней"}}},
    )
    site.write(
        "content/faq/shipping/delivery.md",
        "---\ntitle: Delivery\n---\n\n## When?\n\nWithin {{ shipping.days }} by {{ shipping.carrier }}.\n\n"
        "```\ncode: {{ shipping.days }}\n```\n",
    )
    assert site.build().exit_code == 0
    html = site.html("public/ru/faq/shipping/delivery/index.html")
    assert '<html lang="en"' in html
    # The market's value applies, marked as Russian inside the English page; a shared value is not marked.
    assert 'Within <span lang="ru">3–5 дней</span> by DPD.' in html
    assert "code: 3–5 дней" in html  # in code the value is plain text
    assert "Within 3-5 days by DPD." in site.html("public/faq/shipping/delivery/index.html")


def test_a_translation_not_started_yet_is_published_as_the_source_not_as_its_language(project):
    """cxdocs translate start copies the source: until it is translated, no page claims its language."""
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    source = (project.root / "content/faq/shipping/delivery.md").read_text(encoding="utf-8")
    project.write("content/faq/shipping/delivery.sl.md", "---\ntranslated_from: 000000000000\n" + source[4:])
    started = project.run("translate", "start", "faq/shipping/delivery.md", "sl")
    assert started.exit_code == 1  # it exists already: the copy above stands for what start wrote
    assert project.build("--target", "public:sl").exit_code == 0
    page = project.html("public/sl/faq/shipping/delivery/index.html")
    assert '<html lang="en"' in page and "cx-untranslated" in page
    assert "faq/shipping/delivery.md" in json.loads(project.run("status", "--json").stdout)["languages"]["sl"]["missing"]
