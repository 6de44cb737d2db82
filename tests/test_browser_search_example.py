"""Search on the shipped example, in each of its languages, in Chromium: a form of a word a page does
not hold finds it first, no page loads the search index until the box is used, then only its own
language's, and no request leaves the site. (A module of its own: the browser of
test_browser_search_languages.py stays open for its whole module.)"""

from __future__ import annotations

from browser import RequestLog, browser, search, serve
from conftest import example_project


def _titles(results: list[str]) -> list[str]:
    return [r.strip().split("\n")[0] for r in results]


EXAMPLE = {
    # language folder: (the delivery page's title, a form of one of its words the page does not hold)
    "": ("Delivery and tracking", "signatures"),  # signature
    "sl/": ("Dostava in sledenje pošiljki", "pošiljkami"),  # pošiljki, pošiljke
    "hr/": ("Dostava i praćenje pošiljke", "potpisom"),  # potpis
    "ru/": ("Доставка и отслеживание", "подписью"),  # подпись
    "el/": ("Παράδοση και παρακολούθηση αποστολής", "υπογραφές"),  # υπογραφή
}


def test_the_example_is_searched_in_each_of_its_languages_without_leaving_the_site(tmp_path):
    project = example_project(tmp_path)
    result = project.build(*[arg for lang in ("en", "sl", "hr", "ru", "el") for arg in ("--target", f"public:{lang}")])
    assert result.exit_code == 0, result.output
    site = project.root / "site" / "public"
    with serve(site) as base, browser() as chromium:
        context = chromium.new_context()
        log = RequestLog(context, base)
        page = context.new_page()
        for folder, (title, inflected) in EXAMPLE.items():
            delivery = (site / folder / "faq/orders-and-shipping/delivery-and-tracking/index.html").read_text(encoding="utf-8")
            assert title in delivery and inflected.lower() not in delivery.lower()

            # A page loads no part of the search index; the first search loads this language's.
            page.goto(f"{base}/{folder}faq/orders-and-shipping/delivery-and-tracking/")
            page.wait_for_load_state("networkidle")
            assert not [url for _, url in log.requests if "/pagefind/" in url]
            found = _titles(search(page, base, folder, inflected))
            # First: a search that splits the word or matches a short start of it ranks other pages higher.
            assert found[:1] == [title], (folder, inflected, found)
            loaded = {url.split("/pagefind/")[0] for _, url in log.requests if "/pagefind/" in url}
            assert loaded == {f"{base}/{folder}".rstrip("/")}
            log.requests.clear()
        assert not log.problems
