"""Zendesk macros (default plugin).

Follows the Zendesk Support API, Macros: ``POST /api/v2/macros`` to create and
``PUT /api/v2/macros/{macro_id}`` to update, with a body ``{"macro": {...}}``
(https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/), and the actions
reference (https://developer.zendesk.com/documentation/ticketing/reference-guides/actions-reference/):
the reply is a ``comment_value_html`` action, the email subject a ``subject`` action, and
``comment_mode_is_public`` makes it a public reply. A ``::`` in a macro title is Zendesk's
category separator, so the response folder becomes the macro's category.

Placeholders are Zendesk's Liquid placeholders (Zendesk placeholders reference,
https://support.zendesk.com/hc/en-us/articles/4408886858138): the requester is the customer,
``current_user`` the agent applying the macro, ``ticket.title`` the ticket's subject.

Writes ``zendesk/macros.<lang>.json``. Zendesk assigns macro ids itself, so the stable cxdocs id
is in each item (and in the macro's description, to find a macro created earlier by hand).
"""

from __future__ import annotations

from pathlib import Path

from cxdocs.core.hookspecs import hookimpl
from cxdocs.outputs.exporter import Exporter, envelope, folder_title, liquid_literal, write_json


class Zendesk(Exporter):
    name = "zendesk"
    helpdesk = "Zendesk"
    docs = "https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/"
    placeholders = {
        "customer.first_name": "{{ticket.requester.first_name}}",
        "customer.last_name": "{{ticket.requester.last_name}}",
        "customer.name": "{{ticket.requester.name}}",
        "customer.email": "{{ticket.requester.email}}",
        "agent.first_name": "{{current_user.first_name}}",
        "agent.name": "{{current_user.name}}",
        "ticket.id": "{{ticket.id}}",
        "ticket.subject": "{{ticket.title}}",
    }

    def write(self, packs, folder: Path) -> None:
        for lang, pack in packs.items():
            items = []
            for r in pack["responses"]:
                actions = []
                if r["subject"]:
                    actions.append({"field": "subject", "value": self.fill(r["subject"], r, liquid_literal)})
                actions.append({"field": "comment_value_html", "value": self.fill(r["body_html"], r, liquid_literal)})
                actions.append({"field": "comment_mode_is_public", "value": "true"})
                title = f"{folder_title(r['folder'])}::{r['title']}" if r["folder"] else r["title"]
                macro = {
                    "title": title,
                    "active": True,
                    "description": f"cxdocs:{r['id']} ({r['lang']})" + (f" [{', '.join(r['tags'])}]" if r["tags"] else ""),
                    "actions": actions,
                    "restriction": None,
                }
                items.append({"id": r["id"], "hash": r["hash"], "request": {"macro": macro}})
            write_json(folder / f"macros.{lang}.json", envelope(self, pack, "POST /api/v2/macros", items))


@hookimpl
def cxdocs_register_exporters(register):
    register("zendesk", Zendesk())
