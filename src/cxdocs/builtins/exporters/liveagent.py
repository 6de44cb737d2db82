"""LiveAgent predefined answers (default plugin).

LiveAgent keeps canned replies as predefined answers (Configuration > Predefined answers), with
``{$variable}`` placeholders for the contact, the agent and the conversation. Its REST API v3
reference is served by each account (``https://<account>.ladesk.com/docs/api/v3/``), so the request
body here (``title``, ``answer`` as HTML, ``tags``) and the variable names follow LiveAgent's public
knowledge base as we understood it; unlike the other formats they were not checked against the
published reference from this project. Check them against your account's API reference before a
first import. Departments belong to the account, so each item names its ``folder`` and the
import assigns the department.

Writes ``liveagent/predefined_answers.<lang>.json``.
"""

from __future__ import annotations

from pathlib import Path

from cxdocs.core.hookspecs import hookimpl
from cxdocs.outputs.exporter import Exporter, envelope, folder_title, write_json


class LiveAgent(Exporter):
    name = "liveagent"
    helpdesk = "LiveAgent"
    docs = "https://support.liveagent.com/"
    placeholders = {
        "customer.first_name": "{$contactFirstName}",
        "customer.last_name": "{$contactLastName}",
        "customer.name": "{$contactName}",
        "customer.email": "{$contactEmail}",
        "agent.first_name": "{$agentFirstName}",
        "agent.name": "{$agentName}",
        "ticket.id": "{$conversationCode}",
        "ticket.subject": "{$conversationSubject}",
    }

    def write(self, packs, folder: Path) -> None:
        for lang, pack in packs.items():
            items = [
                {
                    "id": r["id"],
                    "hash": r["hash"],
                    "folder": folder_title(r["folder"]),
                    "request": {
                        "title": r["title"],
                        "answer": self.fill(r["body_html"], r),
                        "tags": r["tags"],
                    },
                }
                for r in pack["responses"]
            ]
            api = "POST /api/v3/predefined_answers"
            write_json(folder / f"predefined_answers.{lang}.json", envelope(self, pack, api, items))


@hookimpl
def cxdocs_register_exporters(register):
    register("liveagent", LiveAgent())
