"""A helpdesk admin exports the packs for their helpdesk, and every request body is one its API takes.

Each body is checked against the helpdesk's published schema (helpdesk_schemas.py, written from the
vendors' documentation and clients, not from the exporters).
"""

from __future__ import annotations

import json

import jsonschema

import helpdesk_schemas as hs

RESPONSE = "content/responses/refunds/refund-confirmed.md"

# Placeholders every built-in helpdesk but LiveAgent can carry in a body (none in the subject).
ORDER = """
---
title: Order received
tags: [orders]
---

Thank you! Your order is in, and we'll **write** as soon as it ships.

Our template syntax is \\{{ like this }}.
"""

FILES = {
    "zendesk": "zendesk/macros.{lang}.json",
    "freshdesk": "freshdesk/canned_responses.{lang}.json",
    "helpscout": "helpscout/saved_replies.{lang}.json",
    "liveagent": "liveagent/predefined_answers.{lang}.json",
    "django-helpdesk": "django-helpdesk/presetreplies.{lang}.json",
}
CREATE = {
    "zendesk": ("zendesk", "create_macro"),
    "freshdesk": ("freshdesk", "create_canned_response"),
    "helpscout": ("helpscout", "create_saved_reply"),
    "liveagent": ("liveagent", "create_predefined_answer"),
}
UPDATE = {
    "zendesk": ("zendesk", "update_macro"),
    "freshdesk": ("freshdesk", "update_canned_response"),
    "helpscout": ("helpscout", "update_saved_reply"),
    "liveagent": ("liveagent", "update_predefined_answer"),
}


def read(project, rel: str):
    return json.loads((project.root / "site" / "responses" / rel).read_text(encoding="utf-8"))


def shop(project):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    (project.root / RESPONSE).unlink()
    project.write("content/responses/orders/order-received.md", ORDER)
    project.write("content/responses/orders/order-shipped.md", "---\ntitle: Order shipped\nsubject: Your order\n---\n\nIt ships today.\n")
    project.write("content/responses/orders/order-shipped.sl.md", "---\ntitle: Naročilo odposlano\nsubject: Vaše naročilo\n---\n\nOdpošljemo danes.\n")
    return project


def validate(schema, body):
    jsonschema.Draft202012Validator(schema).validate(body)


def test_every_request_body_is_one_the_helpdesks_api_takes(project):
    shop(project)
    result = project.run("export", *[f"--format={name}" for name in FILES])
    assert result.exit_code == 0, result.output
    for name, operation in CREATE.items():
        for lang in ("en", "sl"):
            document = read(project, FILES[name].format(lang=lang))
            assert document["count"] == len(document["items"]) == 2
            for item in document["items"]:
                request = dict(item["request"])
                if name == "freshdesk":
                    request["folder_id"] = 7  # push fills in the id of the folder the item names
                validate(hs.SCHEMAS[operation]["request"], request)
                validate(hs.SCHEMAS[UPDATE[name]]["request"], request)
    fixture = read(project, FILES["django-helpdesk"].format(lang="en"))
    validate(hs.DJANGO_HELPDESK_PRESETREPLY_FIXTURE, fixture)

    macros = {i["id"]: i for i in read(project, "zendesk/macros.en.json")["items"]}
    macro = macros["orders/order-shipped"]["request"]
    validate(hs.CXDOCS_POLICIES["zendesk_reply_macro"], macro)  # a reply never renames the ticket
    assert macro["macro"]["title"] == "Orders::Order shipped"
    assert [a["field"] for a in macro["macro"]["actions"]] == ["comment_value_html", "comment_mode_is_public"]

    answer = read(project, "liveagent/predefined_answers.en.json")["items"][1]["request"]
    validate(hs.CXDOCS_POLICIES["liveagent_html_answer"], answer)
    assert answer == {"name": "Order shipped", "body": "<p>It ships today.</p>", "format": "H", "subject": "Your order"}

    canned = read(project, "freshdesk/canned_responses.en.json")["items"][0]
    assert canned["folder"] == "Orders" and canned["request"]["visibility"] == 0

    saved = read(project, "helpscout/saved_replies.en.json")
    assert saved["api"] == "POST /v2/mailboxes/{mailbox_id}/saved-replies"
    assert saved["items"][1]["request"] == {"name": "Order shipped", "text": "<p>It ships today.</p>"}


def test_each_language_is_its_own_item_with_its_own_title_and_hash(project):
    shop(project)
    assert project.run("export", "--format", "zendesk", "--format", "django-helpdesk").exit_code == 0
    en = {i["id"]: i for i in read(project, "zendesk/macros.en.json")["items"]}
    sl = {i["id"]: i for i in read(project, "zendesk/macros.sl.json")["items"]}
    assert (en["orders/order-received"]["lang"], sl["orders/order-received"]["lang"]) == ("en", "sl")
    # Untranslated: the same text, told apart in a helpdesk without languages by its title.
    assert sl["orders/order-received"]["request"]["macro"]["title"] == "Orders::Order received [sl]"
    assert sl["orders/order-shipped"]["request"]["macro"]["title"] == "Orders::Naročilo odposlano [sl]"
    assert "cxdocs:orders/order-received (sl)" in sl["orders/order-received"]["request"]["macro"]["description"]
    hashes = {i["hash"] for i in [*en.values(), *sl.values()]}
    assert len(hashes) == 4  # the key of an item is (id, lang), and its hash covers what is sent
    pack = {r["id"]: r for r in read(project, "cxdocs.sl.json")["responses"]}
    assert en["orders/order-received"]["hash"] != pack["orders/order-received"]["hash"]

    en_fixture, sl_fixture = read(project, "django-helpdesk/presetreplies.en.json"), read(project, "django-helpdesk/presetreplies.sl.json")
    assert sl_fixture[0]["fields"]["name"] == "Order received [sl]"
    assert en_fixture[0]["pk"] != sl_fixture[0]["pk"]  # both languages can live in one helpdesk


def test_placeholders_in_each_helpdesks_syntax(project):
    project.write(RESPONSE, """
        ---
        title: Refund confirmed
        ---

        Hi {{ customer.first_name }}, refund for ticket {{ ticket.id }}.
        """)
    result = project.run("export", "--format", "zendesk", "--format", "freshdesk")
    assert result.exit_code == 0, result.output
    zendesk = read(project, "zendesk/macros.en.json")["items"][0]["request"]["macro"]["actions"][0]["value"]
    assert zendesk == "<p>Hi {{ticket.requester.first_name}}, refund for ticket {{ticket.id}}.</p>"
    freshdesk = read(project, "freshdesk/canned_responses.en.json")["items"][0]["request"]["content_html"]
    assert freshdesk == "<p>Hi {{ticket.requester.firstname}}, refund for ticket {{ticket.id}}.</p>"

    result = project.run("export", "--format", "helpscout", "--format", "liveagent")
    assert result.exit_code == 1
    assert f"{RESPONSE}:5: {{{{ ticket.id }}}} has no equivalent in helpscout (Help Scout)" in result.stderr
    assert f"{RESPONSE}:5: {{{{ customer.first_name }}}} has no equivalent in liveagent (LiveAgent)" in result.stderr


def test_a_placeholder_a_helpdesk_lacks_fails_the_export_naming_response_placeholder_and_format(project):
    result = project.run("export", "--format", "zendesk", "--format", "django-helpdesk")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        f"{RESPONSE}:7: {{{{ customer.first_name }}}} has no equivalent in django-helpdesk: "
        "response 'refunds/refund-confirmed' cannot be exported to django-helpdesk"
    ) in lines
    assert any(line.startswith(f"{RESPONSE}:11: {{{{ agent.first_name }}}} has no equivalent in django-helpdesk") for line in lines)
    assert lines[-1] == "2 error(s); nothing was written"
    assert "Traceback" not in result.output
    assert not (project.root / "site").exists()


def test_a_subject_only_matters_to_a_helpdesk_that_receives_it(project):
    # "Re: {{ ticket.subject }}": Help Scout has no such variable, but saved replies have no subject either.
    project.write(RESPONSE, "---\ntitle: Refund confirmed\nsubject: \"Re: {{ ticket.subject }}\"\n---\n\nHi {{ customer.first_name }}.\n")
    assert project.run("export", "--format", "helpscout").exit_code == 0
    result = project.run("export", "--format", "liveagent")
    assert result.exit_code == 1
    assert f"{RESPONSE}:3: {{{{ ticket.subject }}}} has no equivalent in liveagent (LiveAgent)" in result.stderr


def test_formats_chosen_in_mkdocs_yml_that_cannot_carry_a_response_fail_the_build_and_keep_the_site(project):
    assert project.build().exit_code == 0
    before = (project.root / "site" / "public" / "index.html").read_bytes()
    project.config(variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}}, export_formats=["freshdesk"])
    result = project.build()
    assert result.exit_code == 1
    assert f"{RESPONSE}:11: {{{{ agent.first_name }}}} has no equivalent in freshdesk (Freshdesk)" in result.stderr
    assert (project.root / "site" / "public" / "index.html").read_bytes() == before
    assert (project.root / "site" / "responses" / "zendesk").is_dir()  # the previous packs stay too


def test_formats_not_asked_for_are_left_out_and_named(project):
    result = project.build()
    assert result.exit_code == 0, result.output
    assert "response packs for 1 helpdesk format(s) (4 left out: see cxdocs export)" in result.stderr
    written = sorted(p.name for p in (project.root / "site" / "responses").iterdir() if p.is_dir())
    result = project.run("export")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    tail = "(cxdocs export --format {0} lists the responses; export_formats chooses the formats)"
    assert notes == [
        "note: response packs not exported to django-helpdesk: it has no equivalent for agent.first_name, "
        "customer.first_name " + tail.format("django-helpdesk"),
        "note: response packs not exported to freshdesk: it has no equivalent for agent.first_name " + tail.format("freshdesk"),
        "note: response packs not exported to helpscout: it has no equivalent for agent.first_name " + tail.format("helpscout"),
        "note: response packs not exported to liveagent: it has no equivalent for agent.first_name, "
        "customer.first_name, ticket.subject " + tail.format("liveagent"),
    ]
    assert written == ["zendesk"]


def test_since_reports_added_changed_and_removed_and_can_write_only_those(project, tmp_path):
    project.write("content/responses/refunds/refund-delayed.md", "---\ntitle: Refund delayed\n---\n\nSorry, {{ customer.name }}.\n")
    assert project.run("export").exit_code == 0
    old = tmp_path / "old.en.json"
    old.write_bytes((project.root / "site/responses/cxdocs.en.json").read_bytes())

    project.write(RESPONSE, (project.root / RESPONSE).read_text().replace("on its way", "on its way today"))
    (project.root / "content/responses/refunds/refund-delayed.md").unlink()
    project.write("content/responses/orders/order-shipped.md", "---\ntitle: Order shipped\n---\n\nIt ships, {{ customer.name }}.\n")
    result = project.run("export", "--since", str(old), "--only-changed", "--format", "zendesk")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"en: 1 added, 1 changed, 1 removed since {old.as_posix()}",
        "  added   orders/order-shipped",
        "  changed refunds/refund-confirmed",
        "  removed refunds/refund-delayed",
    ]
    changes = read(project, "changes.en.json")
    assert (changes["added"], changes["changed"], changes["removed"]) == (
        ["orders/order-shipped"], ["refunds/refund-confirmed"], ["refunds/refund-delayed"]
    )
    # The helpdesk file holds only what to create or update; the canonical pack stays whole.
    assert [i["id"] for i in read(project, "zendesk/macros.en.json")["items"]] == ["orders/order-shipped", "refunds/refund-confirmed"]
    assert read(project, "cxdocs.en.json")["count"] == 2

    # Nothing changed since the new pack: nothing to report, stable ids and hashes.
    again = tmp_path / "new.en.json"
    again.write_bytes((project.root / "site/responses/cxdocs.en.json").read_bytes())
    result = project.run("export", "--since", str(again))
    assert result.stdout.splitlines() == [f"en: 0 added, 0 changed, 0 removed since {again.as_posix()}"]


def test_a_project_plugin_adds_a_helpdesk_format(project):
    project.write(
        "plugins/acme.py",
        '''
        from cxdocs import hookimpl
        from cxdocs.outputs.exporter import Exporter, write_json


        class Acme(Exporter):
            helpdesk = "Acme Desk"
            placeholders = {"customer.first_name": "[[first]]", "agent.first_name": "[[me]]", "ticket.subject": "[[subj]]"}

            def write(self, packs, folder):
                for lang, pack in packs.items():
                    write_json(folder / f"{lang}.json", [self.fill(r["body_text"], r) for r in pack["responses"]])


        @hookimpl
        def cxdocs_register_exporters(register):
            register("acme", Acme())
        ''',
    )
    result = project.run("export", "--format", "acme")
    assert result.exit_code == 0, result.output
    body = read(project, "acme/en.json")[0]
    assert body.startswith("Hi [[first]],") and body.endswith("[[me]]")

    project.write("content/responses/refunds/by-email.md", "---\ntitle: By email\n---\n\nWe wrote to {{ customer.email }}.\n")
    result = project.run("export", "--format", "acme")
    assert result.exit_code == 1
    assert "content/responses/refunds/by-email.md:5: {{ customer.email }} has no equivalent in acme (Acme Desk)" in result.stderr


def test_an_unknown_format_is_named_with_the_ones_there_are(project):
    result = project.run("export", "--format", "zendesc")
    assert result.exit_code == 1
    assert "unknown export format 'zendesc'; the formats are: django-helpdesk, freshdesk, helpscout, liveagent, zendesk" in result.stderr


def test_export_never_replaces_a_folder_it_did_not_write(project):
    project.write("notes/todo.txt", "keep me")
    result = project.run("export", "--out", "notes")
    assert result.exit_code == 1
    assert "notes: is not empty and holds nothing cxdocs wrote" in result.stderr
    assert (project.root / "notes" / "todo.txt").read_text() == "keep me"
    # A folder of packs it wrote before is replaced whole.
    assert project.run("export", "--out", "packs").exit_code == 0
    (project.root / "packs" / "stale.json").write_text("{}")
    assert project.run("export", "--out", "packs").exit_code == 0
    assert not (project.root / "packs" / "stale.json").exists()
