"""The translators' loop: start a translation, or export it to a translation tool and import it back.

Files are "translated" the way translation tools do it: through translate-toolkit (the library under
Weblate and Pootle) and polib, never by editing our own output with our own code.
"""

from __future__ import annotations

import json
import re
import subprocess

import polib
import pytest
from conftest import Project
from translate.storage import factory
from translate.storage.placeables import StringElem

FAQ = """\
---
title: Returns
description: How to send an item back.
---

## How do I return an item?

Start a return in *My account* within {{ limits.days }} days. Use the code `RETURN-10` at the post office.

!!! internal "Agent note"
    Approve returns up to {{ limits.refund }} without a manager.

## Who pays for the return label?

We do. See [our policy](https://shop.example/policy).

--8<-- "snippets/hours.md"
"""
SNIPPET = "We answer from 8 to 18.\n"

# What a translator types, per script: Latin with diacritics, Cyrillic and Greek.
WORDS = {
    "sl": {
        "Returns": "Vračila",
        "How to send an item back.": "Kako izdelek vrnete.",
        "How do I return an item?": "Kako vrnem izdelek?",
        "Start a return in *My account* within {{ limits.days }} days. Use the code `RETURN-10` at the post office.":
            "Vračilo začnete v razdelku *Moj račun* v {{ limits.days }} dneh. Na pošti povejte kodo `RETURN-10`.",
        "Agent note": "Opomba za zastopnike",
        "Approve returns up to {{ limits.refund }} without a manager.": "Vračila do {{ limits.refund }} odobrite brez vodje.",
        "Who pays for the return label?": "Kdo plača nalepko za vračilo?",
        "We do. See [our policy](https://shop.example/policy).": "Mi. Preberite [naše pogoje](https://shop.example/policy).",
        "We answer from 8 to 18.": "Odgovarjamo od 8. do 18. ure.",
    },
    "hr": {
        "Returns": "Povrati",
        "How to send an item back.": "Kako vratiti proizvod.",
        "How do I return an item?": "Kako mogu vratiti proizvod?",
        "Start a return in *My account* within {{ limits.days }} days. Use the code `RETURN-10` at the post office.":
            "Povrat započnite u odjeljku *Moj račun* u roku od {{ limits.days }} dana. Na pošti navedite šifru `RETURN-10`.",
        "Agent note": "Napomena za agente",
        "Approve returns up to {{ limits.refund }} without a manager.": "Povrate do {{ limits.refund }} odobrite bez voditelja.",
        "Who pays for the return label?": "Tko plaća naljepnicu za povrat?",
        "We do. See [our policy](https://shop.example/policy).": "Mi. Pogledajte [naša pravila](https://shop.example/policy).",
        "We answer from 8 to 18.": "Odgovaramo od 8 do 18 sati.",
    },
    "ru": {
        "Returns": "Возврат товара",
        "How to send an item back.": "Как отправить товар обратно.",
        "How do I return an item?": "Как вернуть товар?",
        "Start a return in *My account* within {{ limits.days }} days. Use the code `RETURN-10` at the post office.":
            "Оформите возврат в разделе *Мой аккаунт* в течение {{ limits.days }} дней. На почте назовите код `RETURN-10`.",
        "Agent note": "Заметка для агентов",
        "Approve returns up to {{ limits.refund }} without a manager.": "Одобряйте возвраты до {{ limits.refund }} без руководителя.",
        "Who pays for the return label?": "Кто оплачивает этикетку для возврата?",
        "We do. See [our policy](https://shop.example/policy).": "Мы. См. [наши правила](https://shop.example/policy).",
        "We answer from 8 to 18.": "Мы отвечаем с 8 до 18 часов.",
    },
    "el": {
        "Returns": "Επιστροφές",
        "How to send an item back.": "Πώς να στείλετε πίσω ένα προϊόν.",
        "How do I return an item?": "Πώς επιστρέφω ένα προϊόν;",
        "Start a return in *My account* within {{ limits.days }} days. Use the code `RETURN-10` at the post office.":
            "Ξεκινήστε την επιστροφή στο *Ο λογαριασμός μου* μέσα σε {{ limits.days }} ημέρες. Στο ταχυδρομείο δώστε τον κωδικό `RETURN-10`.",
        "Agent note": "Σημείωση για τους εκπροσώπους",
        "Approve returns up to {{ limits.refund }} without a manager.": "Εγκρίνετε επιστροφές έως {{ limits.refund }} χωρίς προϊστάμενο.",
        "Who pays for the return label?": "Ποιος πληρώνει την ετικέτα επιστροφής;",
        "We do. See [our policy](https://shop.example/policy).": "Εμείς. Δείτε [την πολιτική μας](https://shop.example/policy).",
        "We answer from 8 to 18.": "Απαντάμε από τις 8 έως τις 18.",
    },
}
FILLED = {"sl": "v 14 dneh", "hr": "u roku od 14 dana", "ru": "в течение 14 дней", "el": "μέσα σε 14 ημέρες"}


@pytest.fixture
def site(tmp_path) -> Project:
    p = Project(tmp_path)
    p.config(
        languages=["en", "sl", "hr", "ru", "el"],
        variables={"limits": {"days": "14", "refund": "30 EUR"}},
    )
    p.write("content/faq/returns/returning.md", FAQ)
    p.write("content/snippets/hours.md", SNIPPET)
    return p


def tool_translate(path, words, *, change=None):
    """Fill every unit as a translator does in a tool built on translate-toolkit, keeping its inline tags."""
    store = factory.getobject(str(path))
    for unit in store.getunits():
        target = words[unit.source]
        if change:
            target = change(unit.source, target)
        placeables = {str(e): e for e in unit.rich_source[0].sub if type(e).__name__ != "StringElem"}
        if placeables:
            pattern = "(" + "|".join(map(re.escape, placeables)) + ")"
            parts = [placeables.get(piece) or StringElem(piece) for piece in re.split(pattern, target) if piece]
            unit.rich_target = [StringElem(parts)]
        else:
            unit.target = target
        unit.marktranslated()
    store.savefile(str(path))
    return store


@pytest.mark.parametrize("lang", ["sl", "hr", "ru", "el"])
def test_a_page_translated_in_a_tool_through_xliff_is_published_in_that_language(site, lang):
    export = site.run("translate", "export", "--lang", lang, "--out", "xliff")
    assert export.exit_code == 0, export.output
    page_file = site.root / f"xliff/{lang}/faq/returns/returning.xlf"
    snippet_file = site.root / f"xliff/{lang}/snippets/hours.xlf"
    store = factory.getobject(str(page_file))
    assert type(store).__name__ == "Xliff1File"
    assert {u.source for u in store.getunits()} == set(WORDS[lang]) - {"We answer from 8 to 18."}
    assert not any(u.istranslated() for u in store.getunits())

    tool_translate(page_file, WORDS[lang])
    tool_translate(snippet_file, WORDS[lang])
    imported = site.run("translate", "import", "xliff")
    assert imported.exit_code == 0, imported.output
    assert f"wrote content/faq/returns/returning.{lang}.md (up to date)" in imported.stdout
    text = (site.root / f"content/faq/returns/returning.{lang}.md").read_text(encoding="utf-8")
    # Everything that is not a segment comes from the source, as it is there.
    assert '    ' + WORDS[lang]["Approve returns up to {{ limits.refund }} without a manager."] in text
    assert f'!!! internal "{WORDS[lang]["Agent note"]}"' in text
    assert '--8<-- "snippets/hours.md"' in text

    status = json.loads(site.run("status", "--json").stdout)
    assert status["languages"][lang]["up_to_date"] == ["faq/returns/returning.md"]
    assert status["snippets"][lang]["up_to_date"] == ["snippets/hours.md"]

    assert site.build().exit_code == 0
    public = site.html(f"public/{lang}/faq/returns/returning/index.html")
    internal = site.html(f"internal/{lang}/faq/returns/returning/index.html")
    assert f'<html lang="{lang}"' in public
    assert WORDS[lang]["How do I return an item?"] in public
    assert FILLED[lang] in public and "<code>RETURN-10</code>" in public
    assert WORDS[lang]["We answer from 8 to 18."] in public
    assert 'href="https://shop.example/policy"' in public
    # The agent note is still an agent note: in the handbook, nowhere on the public site.
    note = WORDS[lang]["Agent note"]
    assert note in internal and note not in public
    assert "30 EUR" in internal and "30 EUR" not in public


def test_a_lost_or_altered_placeholder_or_code_span_is_refused_with_the_segment_named(site):
    assert site.run("translate", "export", "--lang", "sl", "--out", "x").exit_code == 0
    file = site.root / "x/sl/faq/returns/returning.xlf"
    key = "Start a return in *My account* within {{ limits.days }} days. Use the code `RETURN-10` at the post office."

    def lose_code(source, target):  # a translator "translated" the code
        return target.replace("`RETURN-10`", "`VRACILO-10`") if source == key else target

    tool_translate(file, WORDS["sl"], change=lose_code)
    result = site.run("translate", "import", "x")
    assert result.exit_code == 1
    segment_id = re.search(r'<trans-unit id="(p-[0-9a-f]{8})"[^>]*>\s*<source>Start a return', file.read_text())[1]
    line = re.search(rf"x/sl/faq/returns/returning\.xlf:(\d+): segment {segment_id} \(content/faq/returns/returning\.md:8, ", result.stderr)
    assert line, result.stderr
    assert "code '`RETURN-10`' is missing" in result.stderr
    assert "code '`VRACILO-10`' is not in the source" in result.stderr
    assert not (site.root / "content/faq/returns/returning.sl.md").exists()

    # An inline tag whose text a tool let the translator edit.
    data = file.read_text(encoding="utf-8").replace(">{{ limits.days }}</ph> dneh", ">{{ limits.day }}</ph> dneh")
    file.write_text(data, encoding="utf-8")
    result = site.run("translate", "import", "x")
    assert result.exit_code == 1
    assert "protected text '{{ limits.days }}' was changed to '{{ limits.day }}'" in result.stderr
    assert not (site.root / "content/faq/returns/returning.sl.md").exists()


def test_po_edited_in_polib_and_in_translate_toolkit_imports(site):
    assert site.run("translate", "export", "--lang", "ru", "--format", "po", "--out", "po").exit_code == 0
    page = site.root / "po/ru/faq/returns/returning.po"
    text = page.read_text(encoding="utf-8")
    assert "#, md-text, angularjs-format\n" in text and "python-format" not in text
    check = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(page)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert "0 translated messages, 8 untranslated messages." in check.stderr

    catalog = polib.pofile(str(page))  # a translator in Poedit or a script
    for entry in catalog:
        entry.msgstr = WORDS["ru"][entry.msgid]
    catalog.save()
    store = factory.getobject(str(site.root / "po/ru/snippets/hours.po"))  # Weblate's library
    for unit in store.getunits():
        if not unit.isheader():
            unit.target = WORDS["ru"][unit.source]
    store.savefile(str(site.root / "po/ru/snippets/hours.po"))

    result = site.run("translate", "import", "po")
    assert result.exit_code == 0, result.output
    assert "Как вернуть товар?" in (site.root / "content/faq/returns/returning.ru.md").read_text(encoding="utf-8")
    assert (site.root / "content/snippets/hours.ru.md").read_text(encoding="utf-8") == "Мы отвечаем с 8 до 18 часов.\n"

    # A dropped variable in PO, where placeholders are plain text.
    for entry in catalog:
        entry.msgstr = entry.msgstr.replace("{{ limits.days }}", "14")
    catalog.save()
    (site.root / "po/ru/snippets/hours.po").unlink()
    result = site.run("translate", "import", "po", "--force")
    assert result.exit_code == 1
    assert "variable '{{ limits.days }}' is missing" in result.stderr


def test_a_file_whose_source_changed_since_the_export_is_refused_naming_the_segments(site):
    assert site.run("translate", "export", "--lang", "hr", "--out", "x").exit_code == 0
    file = site.root / "x/hr/faq/returns/returning.xlf"
    tool_translate(file, WORDS["hr"])
    source = site.root / "content/faq/returns/returning.md"
    source.write_text(source.read_text().replace("We do. See", "We always do. See"), encoding="utf-8")
    result = site.run("translate", "import", "x")
    assert result.exit_code == 1
    assert "is no longer in content/faq/returns/returning.md: its text changed or was removed since the export" in result.stderr
    assert re.search(r"segment p-\w+ \(content/faq/returns/returning\.md:15, 'We always do\. See [^)]*…'\) "
                     r"is new in the source and not in this file; export again", result.stderr), result.stderr
    assert not (site.root / "content/faq/returns/returning.hr.md").exists()


@pytest.mark.parametrize(("smuggled", "refusal"), [
    ("\n\n## Skrivnost?\n\nInterno besedilo.", "holds an empty line: a segment is one paragraph"),
    ("\n## Skrivnost?", "a translation changed the page's structure"),
    ("\nInterno besedilo.", None),  # a line break is kept: inside the agent note
])
def test_a_translation_cannot_move_text_out_of_an_agent_note(site, smuggled, refusal):
    assert site.run("translate", "export", "--lang", "sl", "--out", "x").exit_code == 0
    file = site.root / "x/sl/faq/returns/returning.xlf"
    key = "Approve returns up to {{ limits.refund }} without a manager."
    tool_translate(file, {**WORDS["sl"], key: WORDS["sl"][key] + smuggled})
    result = site.run("translate", "import", "x")
    if refusal is None:
        assert result.exit_code == 0, result.output
        assert site.build().exit_code == 0
        assert "Interno besedilo" in site.html("internal/sl/faq/returns/returning/index.html")
        assert "Interno besedilo" not in site.html("public/sl/faq/returns/returning/index.html")
    else:
        assert result.exit_code == 1
        assert refusal in result.stderr
        assert not (site.root / "content/faq/returns/returning.sl.md").exists()


def test_public_export_leaves_agent_notes_out_and_import_keeps_them_internal(site):
    site.write("content/sop/billing/refund.md", "---\ntitle: Refund\ndepartment: Billing\npurpose: Refund well.\n---\n\n1. Refund.\n")
    result = site.run("translate", "export", "--lang", "el", "--audience", "public", "--out", "out")
    assert result.exit_code == 0, result.output
    files = {p.relative_to(site.root / "out").as_posix() for p in (site.root / "out").rglob("*.xlf")}
    assert files == {"el/faq/returns/returning.xlf", "el/snippets/hours.xlf"}  # no SOP: it is internal
    data = (site.root / "out/el/faq/returns/returning.xlf").read_text(encoding="utf-8")
    assert "Agent note" not in data and "without a manager" not in data and "limits.refund" not in data

    store = tool_translate(site.root / "out/el/faq/returns/returning.xlf", WORDS["el"])
    assert len(store.getunits()) == 6
    result = site.run("translate", "import", "out")
    assert result.exit_code == 0, result.output
    assert "2 agent-note segment(s) left in the source language" in result.stdout
    text = (site.root / "content/faq/returns/returning.el.md").read_text(encoding="utf-8")
    assert '!!! internal "Agent note"\n    Approve returns up to {{ limits.refund }} without a manager.' in text
    assert "translated_from" not in text  # not every segment is translated: not marked up to date
    assert site.build().exit_code == 0
    public = site.html("public/el/faq/returns/returning/index.html")
    assert "Πώς επιστρέφω ένα προϊόν;" in public and "without a manager" not in public


def test_import_does_not_overwrite_a_translation_edited_since_the_export(site):
    assert site.run("translate", "start", "faq/returns/returning.md", "sl").exit_code == 0
    assert site.run("translate", "export", "--lang", "sl", "--out", "x").exit_code == 0
    tool_translate(site.root / "x/sl/faq/returns/returning.xlf", WORDS["sl"])
    started = site.root / "content/faq/returns/returning.sl.md"
    started.write_text(started.read_text().replace("title: Returns", "title: Vračila blaga"), encoding="utf-8")
    result = site.run("translate", "import", "x/sl/faq/returns/returning.xlf")
    assert result.exit_code == 1
    assert "content/faq/returns/returning.sl.md changed since this file was exported" in result.stderr
    assert "Vračila blaga" in started.read_text()
    assert site.run("translate", "import", "--force", "x/sl/faq/returns/returning.xlf").exit_code == 0
    assert "title: Vračila\n" in started.read_text()
    again = site.run("translate", "import", "x/sl/faq/returns/returning.xlf")  # the same file twice: nothing to overwrite
    assert again.exit_code == 0 and again.stdout == "content/faq/returns/returning.sl.md: unchanged\n"


def test_export_never_writes_over_a_file_it_did_not_write(site):
    site.write("x/sl/faq/returns/returning.xlf", "my notes\n")
    result = site.run("translate", "export", "--lang", "sl", "--out", "x")
    assert result.exit_code == 1
    assert "x/sl/faq/returns/returning.xlf: exists and was not written by cxdocs; not overwriting it" in result.stderr
    assert (site.root / "x/sl/faq/returns/returning.xlf").read_text() == "my notes\n"
    assert site.run("translate", "export", "--lang", "sl", "--out", "content/xx").exit_code == 1


@pytest.mark.parametrize(("page", "lang"), [
    ("faq/returns/returning.md", "hr"), ("content/sop/billing/refund.md", "sl"),
    ("responses/refunds/refund-confirmed", "ru"), ("snippets/hours.md", "el"),
])
def test_start_writes_the_source_to_translate_beside_it(site, page, lang):
    from conftest import MINIMAL_RESPONSE, MINIMAL_SOP

    site.write("content/sop/billing/refund.md", MINIMAL_SOP)
    site.write("content/responses/refunds/refund-confirmed.md", MINIMAL_RESPONSE)
    result = site.run("translate", "start", page, lang)
    assert result.exit_code == 0, result.output
    rel = re.sub(r"^content/", "", page)
    rel = rel if rel.endswith(".md") else rel + ".md"
    written = f"content/{rel[:-3]}.{lang}.md"
    assert result.stdout == f"created {written}\n"
    source = (site.root / "content" / rel).read_text(encoding="utf-8")
    text = (site.root / written).read_text(encoding="utf-8")
    if rel.startswith("snippets/"):
        assert text == source  # a snippet has no front matter: its version is recorded beside it
        assert f"hours.{lang}.md: " in (site.root / "content/snippets/translated_from.yml").read_text()
    else:
        assert re.fullmatch(r"---\ntranslated_from: [0-9a-f]{12}\n" + re.escape(source[4:]), text)
    report = json.loads(site.run("status", "--json").stdout)
    if rel.startswith("snippets/"):
        assert rel in report["snippets"][lang]["up_to_date"]
    else:  # still the source's words: readers get the source, and status counts it as to do
        assert rel in report["languages"][lang]["missing"]

    again = site.run("translate", "start", page, lang)
    assert again.exit_code == 1
    assert "exists already; not overwriting it" in again.stderr
    if not rel.startswith("snippets/"):  # until it is translated, check says so
        check = site.run("check")
        assert f"{written}:1: warning: translation into '{lang}' is still the text of its source" in check.stderr


def test_new_refuses_a_translation_and_points_to_translate_start(site):
    result = site.run("new", "faq", "orders/delivery.sl")
    assert result.exit_code == 1
    assert "delivery.sl.md would be a translation into 'sl'; start it from its source page: " \
           "cxdocs translate start faq/orders/delivery.md sl" in result.stderr
    assert not (site.root / "content/faq/orders").exists()
