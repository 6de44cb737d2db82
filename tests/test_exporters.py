"""A helpdesk admin exports the packs for their helpdesk, re-imports newer ones, and trusts the placeholders."""

from __future__ import annotations

import json

RESPONSE = "content/responses/refunds/refund-confirmed.md"

# Placeholders every built-in helpdesk can carry.
PORTABLE = """
---
title: Order received
tags: [orders]
---

Thank you! We'll write to {{ customer.email }} about ticket {{ ticket.id }}.

Our template syntax is \\{{ like this }}.
"""

FILES = {
    "zendesk": "zendesk/macros.{lang}.json",
    "freshdesk": "freshdesk/canned_responses.{lang}.json",
    "helpscout": "helpscout/saved_replies.{lang}.json",
    "liveagent": "liveagent/predefined_answers.{lang}.json",
    "django-helpdesk": "django-helpdesk/presetreplies.{lang}.json",
}


def read(project, rel: str):
    return json.loads((project.root / "site" / "responses" / rel).read_text(encoding="utf-8"))


def portable(project):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    project.write(RESPONSE, PORTABLE)
    return project


def test_every_format_writes_each_language_in_its_helpdesks_syntax(project):
    portable(project)
    result = project.run("export", *[f"--format={name}" for name in FILES])
    assert result.exit_code == 0, result.output
    for lang in ("en", "sl"):
        for name, rel in FILES.items():
            assert (project.root / "site/responses" / rel.format(lang=lang)).is_file(), (name, lang)

    macro = read(project, "zendesk/macros.en.json")["items"][0]
    assert macro["id"] == "refunds/refund-confirmed" and macro["hash"].startswith("sha256:")
    actions = {a["field"]: a["value"] for a in macro["request"]["macro"]["actions"]}
    assert macro["request"]["macro"]["title"] == "Refunds::Order received"
    assert "{{ticket.requester.email}} about ticket {{ticket.id}}." in actions["comment_value_html"]
    assert "{% raw %}{{ like this }}{% endraw %}" in actions["comment_value_html"]  # Liquid shows it as written

    canned = read(project, "freshdesk/canned_responses.en.json")["items"][0]
    assert canned["folder"] == "Refunds"
    assert canned["request"]["visibility"] == 0
    assert "{{ticket.requester.email}} about ticket {{ticket.id}}." in canned["request"]["content_html"]

    saved = read(project, "helpscout/saved_replies.en.json")
    assert saved["api"] == "POST /v2/mailboxes/{mailbox_id}/saved-replies"
    assert "{%customer.email%} about ticket {%conversation.number%}." in saved["items"][0]["request"]["text"]

    answer = read(project, "liveagent/predefined_answers.en.json")["items"][0]["request"]
    assert "{$contactEmail} about ticket {$conversationCode}." in answer["answer"]
    assert answer["tags"] == ["orders"]

    en, sl = read(project, "django-helpdesk/presetreplies.en.json"), read(project, "django-helpdesk/presetreplies.sl.json")
    assert en[0]["model"] == "helpdesk.presetreply"
    assert en[0]["fields"]["body"].startswith("Thank you! We'll write to {{ ticket.submitter_email }} about ticket {{ ticket.ticket }}.")
    assert sl[0]["fields"]["name"] == "Order received [sl]"
    assert en[0]["pk"] != sl[0]["pk"]  # both languages can live in one helpdesk

    # Nothing canonical is left for a customer to see as braces.
    for rel in FILES.values():
        assert "{{ customer." not in (project.root / "site/responses" / rel.format(lang="en")).read_text(encoding="utf-8")


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
    assert "response packs for 2 helpdesk format(s) (3 left out: see cxdocs export)" in result.stderr
    written = sorted(p.name for p in (project.root / "site" / "responses").iterdir() if p.is_dir())
    result = project.run("export")
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert notes == [
        "note: response packs not exported to django-helpdesk: it has no equivalent for agent.first_name, "
        "customer.first_name (cxdocs export --format django-helpdesk lists the responses; "
        "export_formats chooses the formats)",
        "note: response packs not exported to freshdesk: it has no equivalent for agent.first_name "
        "(cxdocs export --format freshdesk lists the responses; export_formats chooses the formats)",
        "note: response packs not exported to helpscout: it has no equivalent for ticket.subject "
        "(cxdocs export --format helpscout lists the responses; export_formats chooses the formats)",
    ]
    assert written == ["liveagent", "zendesk"]


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
    assert "refusing to replace it" in result.stderr
    assert (project.root / "notes" / "todo.txt").read_text() == "keep me"
    # A folder of packs it wrote before is replaced whole.
    assert project.run("export", "--out", "packs").exit_code == 0
    (project.root / "packs" / "stale.json").write_text("{}")
    assert project.run("export", "--out", "packs").exit_code == 0
    assert not (project.root / "packs" / "stale.json").exists()
