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

import base64

from cxdocs.core.errors import CxdocsError
from cxdocs.core.hookspecs import hookimpl
from cxdocs.outputs.exporter import (
    LANGUAGE_COPY,
    ApiExporter,
    each,
    folder_title,
    language_copy,
    liquid_literal,
    liquid_unescape,
)
from cxdocs.outputs.importing import Imported
from cxdocs.outputs.push import Client
from cxdocs.outputs.transport import Http, base_url, helpdesk_message, require

GENERAL = "General"
"""The folder of responses at the top of ``responses/``."""


class Freshdesk(ApiExporter):
    name = "freshdesk"
    helpdesk = "Freshdesk"
    docs = "https://developers.freshdesk.com/api/#canned-responses"
    api = "POST /api/v2/canned_responses"
    file = "canned_responses"
    can_delete = False
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

    def client(self, environ, report):
        return FreshdeskClient(environ, report)

    def unescape(self, text):
        return liquid_unescape(text)

    def parse(self, documents, languages):
        """``GET /api/v2/canned_response_folders`` (for the folders' names) and each folder's
        ``GET /api/v2/canned_response_folders/{id}/responses``, in any order."""
        listed = each(documents, "canned_responses", "a Freshdesk listing of canned responses or their folders")
        folders = {f["id"]: f["name"] for f in listed if "content_html" not in f and "name" in f}
        items, skipped = [], []
        for response in (r for r in listed if "content_html" in r):
            title = str(response.get("title", ""))
            label = f"{title!r} (id {response.get('id')})"
            if response.get("folder_id") not in folders:
                raise CxdocsError(
                    f"canned response {label} is in folder {response.get('folder_id')}, which none of the files lists: "
                    "add the saved GET /api/v2/canned_response_folders"
                )
            if language_copy(title, languages):
                skipped.append((label, LANGUAGE_COPY))
                continue
            folder = folders[response["folder_id"]]
            items.append(Imported(response.get("id"), title, response["content_html"], True, "" if folder == GENERAL else folder))
        return items, skipped

    def request(self, response, title, lang):
        return {"title": title, "content_html": self.fill(response["body_html"], response), "visibility": 0}


class FreshdeskClient(Client):
    """Freshdesk's canned responses API. ``FRESHDESK_DOMAIN`` (``acme`` or ``acme.freshdesk.com``)
    names the account and ``FRESHDESK_API_KEY`` authenticates (HTTP Basic, the key as user name, ``X``
    as password). Folders are looked up by name and created when missing, their ids kept in the
    state. Freshdesk documents no way to delete a canned response: ``--delete`` says which to delete
    by hand and forgets them.
    """

    helpdesk = "Freshdesk"
    kind = "canned response"
    can_delete = False

    def __init__(self, environ, report):
        domain, key = require(environ, self.helpdesk, "FRESHDESK_DOMAIN", "FRESHDESK_API_KEY")
        host = domain.removeprefix("https://").strip("/")
        host = host if "." in host else f"{host}.freshdesk.com"
        self.account = f"https://{host}"
        token = base64.b64encode(f"{key}:X".encode()).decode()
        self.http = Http(self.helpdesk, base_url(self.account, self.helpdesk, environ), {"Authorization": f"Basic {token}"},
                         message=freshdesk_message, report=report)
        self.report = report
        self.known: dict[str, int] | None = None

    def folder_id(self, name, state):
        if name in state.folders:
            return state.folders[name]
        if self.known is None:
            listing = self.http.request("GET", "/api/v2/canned_response_folders", "listing canned response folders").json()
            self.known = {f["name"]: f["id"] for f in listing}
        if name not in self.known:
            made = self.http.request("POST", "/api/v2/canned_response_folders", f"creating the folder {name!r}", json={"name": name})
            self.known[name] = made.json()["id"]
            self.report(f"created   folder {name!r}: {self.known[name]}")
        state.folders[name] = self.known[name]
        state.save()
        return state.folders[name]

    def body(self, item, state):
        return {**item.request, "folder_id": self.folder_id(item.folder, state)}

    def create(self, item, state):
        body = self.body(item, state)
        return self.http.request("POST", "/api/v2/canned_responses", f"creating {_what(item)}", json=body).json()["id"]

    def update(self, remote, item, state):
        body = self.body(item, state)
        response = self.http.request("PUT", f"/api/v2/canned_responses/{remote}", f"updating {_what(item)}", json=body, allow=(404,))
        return response.status_code != 404

    def find(self, item, state):
        folder = self.folder_id(item.folder, state)
        listing = self.http.request("GET", f"/api/v2/canned_response_folders/{folder}/responses", f"listing folder {item.folder!r}").json()
        found = [r["id"] for r in listing if r.get("title") == item.request["title"]]
        return found[0] if len(found) == 1 else None

    def close(self):
        self.http.close()


def freshdesk_message(response) -> str:
    """Freshdesk's words: ``{"description", "errors": [{"field", "message", "code"}]}`` or ``{"code", "message"}``."""
    return helpdesk_message(response, lambda body: [
        *(body[k] for k in ("description", "message") if isinstance(body.get(k), str)),
        *(f"{e.get('field', '')}: {e.get('message', '')} ({e.get('code', '')})".lstrip(": ")
          for e in body.get("errors") or [] if isinstance(e, dict)),
    ])


def _what(item) -> str:
    return f"canned response {item.title!r} ({item.source}, response {item.id!r} in {item.lang})"


@hookimpl
def cxdocs_register_exporters(register):
    register("freshdesk", Freshdesk())
