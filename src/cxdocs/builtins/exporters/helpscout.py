"""Help Scout saved replies (default plugin).

Follows the Help Scout Mailbox API 2.0, Saved Replies, read 2026-12-03:
https://developer.helpscout.com/mailbox-api/endpoints/mailboxes/saved_Replies/saved-replies-create
(``POST /v2/mailboxes/{mailbox_id}/saved-replies`` with ``name`` (required), ``text`` (the email
reply, HTML) and ``chatText``; ``201`` with the new id in the ``Resource-ID`` header, no body),
``.../saved-replies-update`` (``PUT .../saved-replies/{id}``, ``204``), ``.../saved-replies-delete/``
and ``.../saved-replies-list`` (previews only) and ``.../saved-replies-get/`` (the full text).
Saved replies belong to a mailbox and have no folder, subject, tags or language.

Placeholders: Help Scout's variables are written ``{%name%}`` (or ``{%name,fallback=...%}``). Help
Scout's own code (its design system, helpscout/hsds-react, ``MessageCard.utils``) uses
``{%customer.firstName%}`` and ``{%customer.lastName%}``; those two are mapped. The other names in
circulation (``{%customer.fullName%}``, ``{%user.firstName%}``, ``{%conversation.number%}``...) come
from FreeScout, an open-source clone, not from a Help Scout source, so they are not mapped. Help
Scout documents no escape for its ``{%``: a writer's ``{%`` is refused at its line.

Writes ``helpscout/saved_replies.<lang>.json``.
"""

from __future__ import annotations

import re

from cxdocs.core.hookspecs import hookimpl
from cxdocs.outputs.exporter import ApiExporter

VARIABLE_START = re.compile(r"\{%(?:[^%\n]{0,40}%\})?")


class HelpScout(ApiExporter):
    name = "helpscout"
    helpdesk = "Help Scout"
    docs = "https://developer.helpscout.com/mailbox-api/endpoints/mailboxes/saved_Replies/saved-replies-create"
    api = "POST /v2/mailboxes/{mailbox_id}/saved-replies"
    file = "saved_replies"
    sends_subject = False
    placeholders = {
        "customer.first_name": "{%customer.firstName%}",
        "customer.last_name": "{%customer.lastName%}",
    }

    def unescapable(self, text: str) -> list[str]:
        return [m.group() for m in VARIABLE_START.finditer(text)]

    def request(self, response, title, lang):
        return {"name": title, "text": self.fill(response["body_html"], response)}


@hookimpl
def cxdocs_register_exporters(register):
    register("helpscout", HelpScout())
