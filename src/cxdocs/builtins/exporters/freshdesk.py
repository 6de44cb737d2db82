"""Freshdesk canned responses (default plugin).

Follows the Freshdesk API v2, Canned Responses, https://developers.freshdesk.com/api/#canned-responses
(read 2026-12-03, through reproductions of that page's field tables, Airbyte's maintained Freshdesk
connector and Freshdesk support article 225440): ``POST /api/v2/canned_responses`` with ``title``,
``content_html``, ``folder_id`` and ``visibility`` (0: all agents) all required, and
``PUT /api/v2/canned_responses/{id}`` to update. Folders are created with
``POST /api/v2/canned_response_folders`` (``name``) and listed with ``GET`` on the same path; their ids
belong to the account, so each item names its ``folder`` and ``cxdocs push`` sets ``folder_id``.
No ``DELETE`` for canned responses is documented. Canned responses have no subject, tags or language.

Placeholders are Freshdesk's (Liquid) placeholders. Freshdesk's article "Understanding dynamic
content and placeholders" (https://support.freshdesk.com, read as a reseller's reprint,
https://support.lionice.jp/ja-JP/support/solutions/articles/73000535240) names
``{{ticket.requester.firstname}}`` and ``{{ticket.id}}``; the API's own canned-response example has
``{{ticket.agent.name}}``, the agent the ticket is assigned to. The other names we found
(``{{ticket.requester.lastname}}``, ``{{ticket.subject}}``, ``{{ticket.requester.email}}``...) are on
Freshservice's list, not Freshdesk's, so they are not mapped: a response using them fails this format
instead of reaching a customer as literal braces. A writer's ``{{``/``{%`` is escaped with ``{% raw %}``.

Writes ``freshdesk/canned_responses.<lang>.json``.
"""

from __future__ import annotations

from cxdocs.core.hookspecs import hookimpl
from cxdocs.outputs.exporter import ApiExporter, folder_title, liquid_literal

GENERAL = "General"
"""The folder of responses at the top of ``responses/``."""


class Freshdesk(ApiExporter):
    name = "freshdesk"
    helpdesk = "Freshdesk"
    docs = "https://developers.freshdesk.com/api/#canned-responses"
    api = "POST /api/v2/canned_responses"
    file = "canned_responses"
    sends_subject = False
    placeholders = {
        "customer.first_name": "{{ticket.requester.firstname}}",
        "agent.name": "{{ticket.agent.name}}",
        "ticket.id": "{{ticket.id}}",
    }

    def literal(self, text: str) -> str:
        return liquid_literal(text)

    def folder_of(self, response):
        return folder_title(response["folder"]) or GENERAL

    def request(self, response, title, lang):
        return {"title": title, "content_html": self.fill(response["body_html"], response), "visibility": 0}


@hookimpl
def cxdocs_register_exporters(register):
    register("freshdesk", Freshdesk())
