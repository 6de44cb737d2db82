"""The helpdesk schemas the fake servers and format tests use are valid, and agree with the vendors' own examples.

The examples below are the ones printed in each vendor's documentation (cited in helpdesk_schemas.py),
so a schema written too strictly or too loosely fails here before it misjudges an exporter.
"""

from __future__ import annotations

import jsonschema
import pytest

import helpdesk_schemas as hs


def valid(schema, instance) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(instance)


@pytest.mark.parametrize("key", sorted(hs.SCHEMAS))
def test_every_schema_is_valid_json_schema(key):
    entry = hs.SCHEMAS[key]
    for part in ("request", "response"):
        if entry[part] is not None:
            jsonschema.Draft202012Validator.check_schema(entry[part])


def test_error_bodies_match_their_schemas():
    for profile in hs.ERRORS.values():
        for body in profile["examples"].values():
            assert valid(profile["schema"], body)


def test_documented_examples_pass_and_known_mistakes_fail():
    # Zendesk's create-macro example, and a macro without actions.
    assert valid(hs.ZENDESK_CREATE_MACRO_REQUEST, {"macro": {"actions": [{"field": "status", "value": "solved"}], "title": "Roger Wilco"}})
    assert valid(hs.ZENDESK_CREATE_MACRO_REQUEST, {"macro": {"title": "x", "actions": [{"field": "comment_value", "value": ["channel:all", "hi"]}]}})
    assert not valid(hs.ZENDESK_CREATE_MACRO_REQUEST, {"macro": {"title": "x"}})
    assert valid(hs.ZENDESK_MACROS_LIST_RESPONSE, {"macros": [], "next_page": None, "previous_page": None, "count": 0})
    assert not valid(hs.CXDOCS_POLICIES["zendesk_reply_macro"], {"macro": {"title": "t", "actions": [
        {"field": "subject", "value": "x"}, {"field": "comment_value_html", "value": "<p>x</p>"}]}})
    # Freshdesk: a canned response without its folder is refused; the documented one passes.
    assert not valid(hs.FRESHDESK_CREATE_CANNED_RESPONSE_REQUEST, {"title": "t", "content_html": "<p>x</p>", "visibility": 0})
    assert valid(hs.FRESHDESK_CREATE_CANNED_RESPONSE_REQUEST, {"title": "t", "content_html": "<p>x</p>", "visibility": 0, "folder_id": 4})
    assert valid(hs.FRESHDESK_CREATE_CANNED_RESPONSE_REQUEST, {"title": "t", "content_html": "x", "visibility": 1})
    assert not valid(hs.FRESHDESK_CREATE_CANNED_RESPONSE_REQUEST, {"title": "t", "content_html": "x", "visibility": 2, "folder_id": 4})
    assert valid(hs.FRESHDESK_CANNED_RESPONSE, {
        "id": 35000093982, "title": "Sample canned response", "folder_id": 4,
        "content": "This is a sample canned response", "content_html": "<div>This is a sample canned response</div>",
        "attachments": [], "created_at": "2020-08-24T06:53:36Z", "updated_at": "2020-08-24T06:53:36Z",
    })
    # Help Scout's create example and list example.
    assert valid(hs.HELPSCOUT_SAVED_REPLY_REQUEST, {"name": "Sale: Now On", "text": "Hi, thanks for reaching out.<br /><br />...", "chatText": "Hi"})
    assert valid(hs.HELPSCOUT_SAVED_REPLIES_LIST_RESPONSE, [{"id": 123456, "name": "Giving back", "preview": "Hi there"}])
    # LiveAgent: the fields of the generated client's model, and what cxdocs used to send.
    assert not valid(hs.LIVEAGENT_CREATE_PREDEFINED_ANSWER_REQUEST, {"title": "t", "answer": "<p>x</p>", "tags": []})
    assert valid(hs.LIVEAGENT_CREATE_PREDEFINED_ANSWER_REQUEST, {"name": "t", "body": "<p>x</p>", "format": "H"})
    assert not valid(hs.LIVEAGENT_CREATE_PREDEFINED_ANSWER_REQUEST, {"name": "t", "body": "x", "format": "html"})
    assert not valid(hs.LIVEAGENT_CREATE_PREDEFINED_ANSWER_REQUEST, {"name": "", "body": "x"})
    # django-helpdesk's fixture: the key must fit the model's 32-bit AutoField.
    assert valid(hs.DJANGO_HELPDESK_PRESETREPLY_FIXTURE, [{"model": "helpdesk.presetreply", "pk": 7, "fields": {"name": "n", "body": "b", "queues": []}}])
    assert not valid(hs.DJANGO_HELPDESK_PRESETREPLY_FIXTURE, [{"model": "helpdesk.presetreply", "pk": 2**31, "fields": {"name": "n", "body": "b"}}])
