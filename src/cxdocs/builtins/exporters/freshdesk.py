"""Freshdesk canned responses (default plugin).

Follows the Freshdesk API v2, Canned Responses: ``POST /api/v2/canned_responses`` with
``title``, ``content_html``, ``folder_id`` and ``visibility`` (0: all agents), and
``PUT /api/v2/canned_responses/{id}`` to update (https://developers.freshdesk.com/api/#canned-responses).
Folders are created with ``POST /api/v2/canned_response_folders`` (``name``); their ids belong to
the account, so each item names its ``folder`` and the import sets ``folder_id``.

Placeholders are Freshdesk's (Liquid) placeholders, as offered by "Insert placeholder" in a canned
response: ``{{ticket.requester.firstname}}``, ``{{ticket.agent.name}}`` (the agent the ticket is
assigned to), ``{{ticket.id}}``, ``{{ticket.subject}}``. We found no documented placeholder for the
replying agent's first name, so ``agent.first_name`` has no equivalent here: a response using it
fails this format instead of reaching a customer as literal braces.

Freshdesk canned responses have no subject of their own; the reply body is exported.
Writes ``freshdesk/canned_responses.<lang>.json``.
"""

from __future__ import annotations

from pathlib import Path

from cxdocs.core.hookspecs import hookimpl
from cxdocs.outputs.exporter import Exporter, envelope, folder_title, liquid_literal, write_json


class Freshdesk(Exporter):
    name = "freshdesk"
    helpdesk = "Freshdesk"
    docs = "https://developers.freshdesk.com/api/#canned-responses"
    placeholders = {
        "customer.first_name": "{{ticket.requester.firstname}}",
        "customer.last_name": "{{ticket.requester.lastname}}",
        "customer.name": "{{ticket.requester.name}}",
        "customer.email": "{{ticket.requester.email}}",
        "agent.name": "{{ticket.agent.name}}",
        "ticket.id": "{{ticket.id}}",
        "ticket.subject": "{{ticket.subject}}",
    }

    def write(self, packs, folder: Path) -> None:
        for lang, pack in packs.items():
            items = [
                {
                    "id": r["id"],
                    "hash": r["hash"],
                    "folder": folder_title(r["folder"]) or "General",
                    "request": {
                        "title": r["title"],
                        "content_html": self.fill(r["body_html"], r, liquid_literal),
                        "visibility": 0,
                    },
                }
                for r in pack["responses"]
            ]
            write_json(folder / f"canned_responses.{lang}.json", envelope(self, pack, "POST /api/v2/canned_responses", items))


@hookimpl
def cxdocs_register_exporters(register):
    register("freshdesk", Freshdesk())
