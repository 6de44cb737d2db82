"""Help Scout saved replies (default plugin).

Follows the Help Scout Mailbox API 2.0, Saved Replies: ``POST /v2/mailboxes/{mailbox_id}/saved-replies``
with ``name`` and ``text`` (HTML), ``PUT /v2/mailboxes/{mailbox_id}/saved-replies/{id}`` to update
(https://developer.helpscout.com/mailbox-api/endpoints/saved-replies/). Saved replies belong to a
mailbox, whose id the import supplies.

Placeholders are Help Scout's variables (``{%customer.firstName%}``, ``{%user.firstName%}`` for
the replying user, ``{%conversation.number%}``), as listed in Help Scout's "Variables" help
article. We found no variable for the conversation's subject, so ``ticket.subject`` has no
equivalent here and fails this format rather than reaching a customer as literal text.

Writes ``helpscout/saved_replies.<lang>.json``.
"""

from __future__ import annotations

from pathlib import Path

from cxdocs.core.hookspecs import hookimpl
from cxdocs.outputs.exporter import Exporter, envelope, write_json


class HelpScout(Exporter):
    name = "helpscout"
    helpdesk = "Help Scout"
    docs = "https://developer.helpscout.com/mailbox-api/endpoints/saved-replies/"
    placeholders = {
        "customer.first_name": "{%customer.firstName%}",
        "customer.last_name": "{%customer.lastName%}",
        "customer.name": "{%customer.fullName%}",
        "customer.email": "{%customer.email%}",
        "agent.first_name": "{%user.firstName%}",
        "agent.name": "{%user.fullName%}",
        "ticket.id": "{%conversation.number%}",
    }

    def write(self, packs, folder: Path) -> None:
        for lang, pack in packs.items():
            items = [
                {
                    "id": r["id"],
                    "hash": r["hash"],
                    "request": {"name": r["title"], "text": self.fill(r["body_html"], r)},
                }
                for r in pack["responses"]
            ]
            api = "POST /v2/mailboxes/{mailbox_id}/saved-replies"
            write_json(folder / f"saved_replies.{lang}.json", envelope(self, pack, api, items))


@hookimpl
def cxdocs_register_exporters(register):
    register("helpscout", HelpScout())
