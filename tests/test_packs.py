"""A helpdesk admin takes the canonical response packs from ``site/responses/`` after a build."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from cxdocs.outputs.packs import SCHEMA_PATH

RESPONSE = "content/responses/refunds/refund-confirmed.md"

DELIVERY = """
---
title: Where is my parcel
id: shipping-status
tags: [shipping, tracking]
subject: "Your parcel ({{ ticket.id }})"
---

Hi {{ customer.first_name }},

Your parcel left our warehouse. Track it [on the courier's site](https://track.example/?q={{ ticket.id }}):

1. Open the link.
2. Enter your postcode.

!!! internal "Agent note"
    Qzxsecret: couriers lose parcels over {{ limits.refund }}; escalate those.

Delivery takes {{ shipping.days }}.
"""

DELIVERY_SL = """
---
title: Kje je moja pošiljka
subject: "Vaša pošiljka ({{ ticket.id }})"
---

Pozdravljeni, {{ customer.first_name }},

dostava traja {{ shipping.days }}.
"""


def packs(site: Path) -> dict[str, dict]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted((site / "responses").glob("cxdocs.*.json"))}


def validate_all(site: Path) -> None:
    """Every pack validates against the schema written beside it, which is the one the package ships."""
    schema_file = site / "responses" / "pack.schema.json"
    assert schema_file.read_bytes() == SCHEMA_PATH.read_bytes()
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    found = packs(site)
    assert found
    for name, pack in found.items():
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(pack)


@pytest.fixture
def shop(project):
    """The minimal project in two languages, with a second response, translated, holding an agent note."""
    project.config(
        languages=["en", "sl"],
        variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}},
        language_variables={"sl": {"shipping": {"days": "3-5 dni"}}},
    )
    project.write("content/responses/shipping/where-is-my-parcel.md", DELIVERY)
    project.write("content/responses/shipping/where-is-my-parcel.sl.md", DELIVERY_SL)
    return project


def test_build_writes_one_valid_pack_per_language_with_its_schema(shop):
    result = shop.build()
    assert result.exit_code == 0, result.output
    site = shop.root / "site"
    validate_all(site)
    assert set(packs(site)) == {"cxdocs.en.json", "cxdocs.sl.json"}
    assert "response packs for" in result.stderr.splitlines()[-1]


def test_counting_in_equals_counting_out(shop):
    for n in range(7):
        shop.write(f"content/responses/bulk/reply-{n}.md", f"---\ntitle: Reply {n}\n---\n\nHello {{{{ customer.name }}}}.\n")
    assert shop.run("export").exit_code == 0
    sources = sorted((shop.root / "content" / "responses").rglob("*.md"))
    written = [s for s in sources if not s.name.endswith(".sl.md")]
    for pack in packs(shop.root / "site").values():
        assert pack["count"] == len(pack["responses"]) == len(written) == 9
        assert [r["id"] for r in pack["responses"]] == sorted(r["id"] for r in pack["responses"])


def test_a_response_as_the_pack_holds_it(shop):
    assert shop.run("export").exit_code == 0
    en = {r["id"]: r for r in packs(shop.root / "site")["cxdocs.en.json"]["responses"]}
    reply = en["shipping-status"]
    assert reply["title"] == "Where is my parcel"
    assert reply["folder"] == "shipping"
    assert reply["tags"] == ["shipping", "tracking"]
    assert reply["subject"] == "Your parcel ({{ ticket.id }})"
    assert reply["placeholders"] == ["customer.first_name", "ticket.id"]
    assert reply["source"] == "content/responses/shipping/where-is-my-parcel.md"
    assert reply["lang"] == "en" and reply["translated"] is True
    assert reply["hash"].startswith("sha256:")
    # Variables are filled in; placeholders stay canonical, as text, in both bodies.
    assert "<p>Hi {{ customer.first_name }},</p>" in reply["body_html"]
    assert "<li>Enter your postcode.</li>" in reply["body_html"]
    assert reply["body_text"] == (
        "Hi {{ customer.first_name }},\n\n"
        "Your parcel left our warehouse. Track it on the courier's site (https://track.example/?q={{ ticket.id }}):\n\n"
        "1. Open the link.\n2. Enter your postcode.\n\n"
        "Delivery takes 3-5 days."
    )
    # The default id is the path below responses/, without .md.
    assert en["refunds/refund-confirmed"]["subject"] == "Your refund for {{ ticket.subject }}"


def test_internal_blocks_never_reach_a_pack(shop):
    assert shop.build().exit_code == 0
    for path in (shop.root / "site" / "responses").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "Qzxsecret" not in text and "Agent note" not in text, path
    # ...while the handbook shows the note to agents.
    assert "Qzxsecret" in shop.html("internal/responses/shipping/where-is-my-parcel/index.html")


def test_each_language_says_which_language_its_text_is_in(shop):
    assert shop.run("export").exit_code == 0
    sl = {r["id"]: r for r in packs(shop.root / "site")["cxdocs.sl.json"]["responses"]}
    translated, fallback = sl["shipping-status"], sl["refunds/refund-confirmed"]
    assert translated["lang"] == "sl" and translated["translated"] is True
    assert translated["title"] == "Kje je moja pošiljka"
    assert "dostava traja 3-5 dni." in translated["body_text"]
    assert translated["source"] == "content/responses/shipping/where-is-my-parcel.sl.md"
    # No Slovenian text: the English text, said to be English, under the same stable id.
    assert fallback["lang"] == "en" and fallback["translated"] is False
    assert fallback["title"] == "Refund confirmed"
    assert packs(shop.root / "site")["cxdocs.sl.json"]["lang"] == "sl"


def test_the_same_content_gives_byte_identical_packs(shop, tmp_path):
    assert shop.build().exit_code == 0
    first = {p.relative_to(shop.root / "site"): p.read_bytes() for p in (shop.root / "site" / "responses").rglob("*") if p.is_file()}
    assert shop.build().exit_code == 0
    second = {p.relative_to(shop.root / "site"): p.read_bytes() for p in (shop.root / "site" / "responses").rglob("*") if p.is_file()}
    assert first == second
    # cxdocs export writes the very same files.
    assert shop.run("export", "--out", str(tmp_path / "export")).exit_code == 0
    exported = {Path("responses") / p.relative_to(tmp_path / "export"): p.read_bytes() for p in (tmp_path / "export").rglob("*") if p.is_file()}
    assert exported == first


def test_a_targeted_build_keeps_the_packs_it_did_not_rebuild(shop):
    assert shop.build().exit_code == 0
    before = (shop.root / "site" / "responses" / "cxdocs.en.json").read_bytes()
    assert shop.build("--target", "public:sl").exit_code == 0
    assert (shop.root / "site" / "responses" / "cxdocs.en.json").read_bytes() == before


def test_the_handbook_offers_the_reply_text_to_copy(shop):
    assert shop.build().exit_code == 0
    page = shop.html("internal/responses/shipping/where-is-my-parcel/index.html")
    assert 'class="md-button cx-copy__button" hidden data-cx-copy="Hi {{ customer.first_name }},&#10;&#10;Your parcel' in page
    assert "Qzxsecret" not in page.split('data-cx-copy="', 1)[1].split('"', 1)[0]
    assert "/cxdocs/copy.js" in page
    # Placeholders are visible tokens in the page itself.
    assert '<span class="cx-placeholder"' in page
    sl = shop.html("internal/sl/responses/shipping/where-is-my-parcel/index.html")
    assert "Kopiraj besedilo odgovora" in sl and "dostava traja 3-5 dni." in sl
