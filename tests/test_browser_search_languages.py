"""Search speaks the reader's language: an inflected form finds the page in English, Slovenian,
Croatian, Russian and Greek with Pagefind (the default), in Chromium, through the search box. The
theme's lunr search (search: lunr) finds words by how they start, not other forms of them: the
README says so, and these tests hold both to it."""

from __future__ import annotations

import pytest
from browser import browser, search, serve
from conftest import Project

PAGES = {
    # language: (returns page: title, answer), (tracking page: title, answer)
    "en": (("Returns", "Refunds are processed within five days of receiving the parcel."),
           ("Tracking", "Use the link in your confirmation email to follow the courier.")),
    "sl": (("Vračilo kupnine", "Vračilo kupnine obdelamo v petih dneh. Dostava paketov traja tri dni."),
           ("Sledenje", "Uporabite povezavo v potrditvenem sporočilu in sledite kurirju.")),
    "hr": (("Povrat novca", "Povrat novca obrađujemo u pet dana. Dostava paketa traje tri dana."),
           ("Praćenje", "Upotrijebite poveznicu u potvrdnoj poruci i pratite kurira.")),
    "ru": (("Возврат денег", "Возврат денег оформляется за пять дней. Доставка посылки занимает три дня."),
           ("Отслеживание", "Используйте ссылку в письме с подтверждением, чтобы следить за курьером.")),
    "el": (("Επιστροφή χρημάτων", "Η επιστροφή χρημάτων γίνεται σε πέντε ημέρες. Η αποστολή του δέματος διαρκεί τρεις ημέρες."),
           ("Παρακολούθηση", "Χρησιμοποιήστε τον σύνδεσμο στο μήνυμα επιβεβαίωσης για να ακολουθήσετε τον κούριερ.")),
}

INFLECTED = {
    # language: (a form the returns page does not hold, nor any word starting with it; a start of a word it holds)
    "en": ("refunding", "refun"),  # Refunds
    "sl": ("dostavo", "dostav"),  # Dostava (accusative); "vračilu" would find the preposition "v" without stemming
    "hr": ("dostavu", "dostav"),  # Dostava (accusative)
    "ru": ("доставкой", "доставк"),  # Доставка (instrumental)
    "el": ("αποστολής", "αποστολ"),  # αποστολή (genitive)
}


def _project(root, engine: str) -> Project:
    project = Project(root)
    project.config(languages=list(PAGES), search=engine)
    for lang, pages in PAGES.items():
        suffix = "" if lang == "en" else f".{lang}"
        for slug, (title, answer) in zip(("returns", "tracking"), pages):
            project.write(f"content/faq/orders/{slug}{suffix}.md", f"---\ntitle: {title}\n---\n\n## {title}?\n\n{answer}\n")
    result = project.build(*[arg for lang in PAGES for arg in ("--target", f"public:{lang}")])
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture(scope="module", params=["pagefind", "lunr"])
def site(request, tmp_path_factory):
    engine = request.param
    project = _project(tmp_path_factory.mktemp(engine), engine)
    with serve(project.root / "site" / "public") as base, browser() as chromium:
        yield engine, base, chromium.new_page()


def _titles(results: list[str]) -> list[str]:
    return [r.strip().split("\n")[0] for r in results]


@pytest.mark.parametrize("lang", list(PAGES))
def test_an_inflected_form_finds_the_page_with_pagefind_not_with_lunr(site, lang):
    engine, base, page = site
    path = "" if lang == "en" else f"{lang}/"
    (returns, _), (tracking, _) = PAGES[lang]
    inflected, start = INFLECTED[lang]

    # Both engines find a page by the start of a word it holds, in each language's own index.
    assert returns in _titles(search(page, base, path, start))

    found = _titles(search(page, base, path, inflected))
    if engine == "pagefind":
        assert returns in found, found
    else:
        assert returns not in found, found
    # Never the other page, which shares no word with the query (nor a short word it starts with).
    assert tracking not in found


@pytest.mark.parametrize("lang", ["sl", "ru"])
def test_each_language_searches_its_own_pages(site, lang):
    _, base, page = site
    other = "el" if lang == "sl" else "sl"
    word = INFLECTED[other][1]
    assert PAGES[other][0][0] not in _titles(search(page, base, f"{lang}/", word))

