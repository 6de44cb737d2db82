"""A team with macros already in its helpdesk moves them into the repository with `cxdocs import`,
builds, exports, and pushes again without duplicating anything.

The input files are what each helpdesk's API lists, in the shapes of its documentation
(helpdesk_schemas.py validates them before they are used).
"""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

import helpdesk_schemas as hs
from fake_helpdesks import FAKES

REFUND_HTML = (
    "<p>Hi {{ticket.requester.first_name}},</p>\n"
    "<p>Your refund for ticket {{ticket.id}} is <strong>approved</strong>. "
    "See <a href=\"https://shop.example/refunds\">our refund page</a>.</p>\n"
    "<ul>\n<li>Card: 5 days</li>\n<li>PayPal: 1 day</li>\n</ul>"
)
MACROS = {
    "count": 4, "next_page": None, "previous_page": None,
    "macros": [
        {"id": 501, "title": "Returns::Refund approved", "active": True, "description": None,
         "actions": [{"field": "comment_value_html", "value": REFUND_HTML}, {"field": "comment_mode_is_public", "value": "true"}]},
        {"id": 502, "title": "Returns::Close as solved", "active": True,
         "actions": [{"field": "comment_value", "value": "Closing this."}, {"field": "status", "value": "solved"}]},
        {"id": 503, "title": "Orders::Company order", "active": True,
         "actions": [{"field": "comment_value_html", "value": "<p>For {{ticket.organization.name}}.</p>"}]},
        {"id": 504, "title": "Shipping::Delay note", "active": True,
         "actions": [{"field": "comment_value", "value": ["channel:all", "Courier is late."]},
                     {"field": "comment_mode_is_public", "value": False}]},
    ],
}


def normalized(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


@pytest.fixture
def team(project):
    (project.root / "content/responses/refunds/refund-confirmed.md").unlink()
    return project


def test_zendesk_macros_become_responses_that_build_export_and_push_back(team, monkeypatch):
    jsonschema.validate(MACROS, hs.ZENDESK_MACROS_LIST_RESPONSE)
    listing = team.write("macros.json", json.dumps(MACROS))
    result = team.run("import", "zendesk", str(listing))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "zendesk: 1 imported, 3 skipped"
    assert "skipped   'Returns::Close as solved' (id 502): also sets status: not only a reply" in result.stderr
    assert "skipped   'Company order' (id 503): uses {{ticket.organization.name}}, which has no cxdocs placeholder" in result.stderr
    assert "skipped   'Shipping::Delay note' (id 504): an internal note, not a reply to the customer" in result.stderr

    written = (team.root / "content/responses/returns/refund-approved.md").read_text(encoding="utf-8")
    assert written.startswith("---\ntitle: Refund approved\n---\n\nHi {{ customer.first_name }},\n")
    assert "Your refund for ticket {{ ticket.id }} is **approved**." in written
    assert "[our refund page](https://shop.example/refunds)" in written
    state = json.loads((team.root / ".cxdocs/push-zendesk.json").read_text(encoding="utf-8"))
    assert state["items"] == [{"id": "returns/refund-approved", "lang": "en", "remote_id": 501, "hash": None,
                               "origin": "import", "title": "Refund approved"}]

    # Round trip: what the repository exports is what came in.
    assert team.run("check").exit_code == 0
    assert team.run("export", "--format", "zendesk").exit_code == 0
    macro = json.loads((team.root / "site/responses/zendesk/macros.en.json").read_text(encoding="utf-8"))["items"][0]
    assert macro["request"]["macro"]["title"] == "Returns::Refund approved"
    assert normalized(macro["request"]["macro"]["actions"][0]["value"]) == normalized(REFUND_HTML)

    # The next push updates the macro it came from; nothing is created twice.
    fake = FAKES["zendesk"](rate_limit_at=None, fail_at=None)
    try:
        fake.items[501] = {**MACROS["macros"][0]}
        for key, value in {**fake.env(), "CXDOCS_PUSH_BASE_URL": fake.url}.items():
            monkeypatch.setenv(key, value)
        result = team.run("push", "zendesk")
        assert result.exit_code == 0, result.output
        assert "plan: 0 to create, 1 to update, 0 unchanged, 0 to delete" in result.stdout
        assert list(fake.items) == [501]
        # Imported items are the team's own: removing the file never deletes the macro.
        (team.root / "content/responses/returns/refund-approved.md").unlink()
        result = team.run("push", "zendesk", "--delete")
        assert "imported, so never deleted by cxdocs" in result.stdout
        assert list(fake.items) == [501]
    finally:
        fake.stop()


def test_import_never_overwrites_and_writes_all_or_nothing(team):
    listing = team.write("macros.json", json.dumps(MACROS))
    assert team.run("import", "zendesk", str(listing)).exit_code == 0
    path = team.root / "content/responses/returns/refund-approved.md"
    path.write_text("---\ntitle: Refund approved\n---\n\nOur own words.\n", encoding="utf-8")
    result = team.run("import", "zendesk", str(listing))
    assert result.exit_code == 0
    assert "refund-approved.md exists; not overwritten" in result.stderr
    assert path.read_text(encoding="utf-8").endswith("Our own words.\n")

    broken = team.write("broken.json", "{\"macros\": [")
    result = team.run("import", "zendesk", str(broken))
    assert result.exit_code == 1
    assert result.stderr.startswith("broken.json: not a JSON file")


def test_freshdesk_folders_and_responses_round_trip(team):
    folders = [{"id": 7, "name": "Billing", "personal": False, "responses_count": 1}]
    responses = [{"id": 70, "title": "Double charge", "folder_id": 7, "content": "x",
                  "content_html": "<p>Hello {{ticket.requester.firstname}},</p>\n<p>We refunded the <em>second</em> charge.</p>"}]
    jsonschema.validate(folders, hs.FRESHDESK_FOLDERS_LIST_RESPONSE)
    jsonschema.validate(responses, hs.FRESHDESK_CANNED_RESPONSES_LIST_RESPONSE)
    a, b = team.write("folders.json", json.dumps(folders)), team.write("responses.json", json.dumps(responses))
    result = team.run("import", "freshdesk", str(b), str(a))
    assert result.exit_code == 0, result.output
    assert team.run("export", "--format", "freshdesk").exit_code == 0
    item = json.loads((team.root / "site/responses/freshdesk/canned_responses.en.json").read_text(encoding="utf-8"))["items"][0]
    assert (item["folder"], item["request"]["title"]) == ("Billing", "Double charge")
    assert normalized(item["request"]["content_html"]) == normalized(responses[0]["content_html"])

    result = team.run("import", "freshdesk", str(b))
    assert result.exit_code == 1
    assert "is in folder 7, which none of the files lists" in result.stderr


def test_help_scout_needs_each_reply_and_liveagent_text_answers_become_paragraphs(team):
    listing = team.write("list.json", json.dumps([{"id": 9, "name": "Giving back", "preview": "Hi there"}]))
    result = team.run("import", "helpscout", str(listing))
    assert "the list gives only a preview: save GET /v2/mailboxes/{mailbox}/saved-replies/9" in result.stderr
    reply = team.write("reply.json", json.dumps({"id": 9, "name": "Giving back", "text": "<p>Hi {%customer.firstName%},</p><p>Thanks!</p>"}))
    jsonschema.validate(json.loads(reply.read_text()), hs.HELPSCOUT_SAVED_REPLY)
    result = team.run("import", "helpscout", str(reply), "--folder", "thanks")
    assert result.exit_code == 0, result.output
    assert (team.root / "content/responses/thanks/giving-back.md").read_text(encoding="utf-8").endswith(
        "Hi {{ customer.first_name }},\n\nThanks!\n")

    answers = [{"id": "pa1", "name": "Opening hours", "body": "Hello,\n\nwe open at 8.\nAnd close at 18.", "format": "T",
                "subject": "Our hours"}]
    jsonschema.validate(answers, hs.LIVEAGENT_PREDEFINED_ANSWERS_LIST_RESPONSE)
    result = team.run("import", "liveagent", str(team.write("answers.json", json.dumps(answers))))
    assert result.exit_code == 0, result.output
    text = (team.root / "content/responses/imported/opening-hours.md").read_text(encoding="utf-8")
    assert text == "---\ntitle: Opening hours\nsubject: Our hours\n---\n\nHello,\n\nwe open at 8.  \nAnd close at 18.\n"
