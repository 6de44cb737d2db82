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
from cxdocs.outputs.exporter import LANGUAGE_COPY, ApiExporter, each, language_copy
from cxdocs.outputs.importing import Imported
from cxdocs.outputs.push import Client
from cxdocs.outputs.transport import Http, PushError, base_url, helpdesk_message, require

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

    template = re.compile(r"\{%.*?%\}", re.S)

    def client(self, environ, report):
        return HelpScoutClient(environ, report)

    def parse(self, documents, languages):
        """Saved replies as ``GET /v2/mailboxes/{id}/saved-replies/{reply_id}`` returns them, one per
        reply (the list gives only a preview of each)."""
        items, skipped = [], []
        for reply in each(documents, "savedReplies", "Help Scout saved replies (GET .../saved-replies/{id})"):
            name = str(reply.get("name", ""))
            label = f"{name!r} (id {reply.get('id')})"
            if "text" not in reply:
                skipped.append((label, "the list gives only a preview: save GET /v2/mailboxes/{mailbox}/saved-replies/"
                                       f"{reply.get('id')} and import that"))
            elif language_copy(name, languages):
                skipped.append((label, LANGUAGE_COPY))
            else:
                items.append(Imported(reply.get("id"), name, reply["text"], True))
        return items, skipped

    def request(self, response, title, lang):
        return {"name": title, "text": self.fill(response["body_html"], response)}


class HelpScoutClient(Client):
    """Help Scout's saved replies API (https://api.helpscout.net). ``HELPSCOUT_MAILBOX_ID`` names the
    mailbox; ``HELPSCOUT_ACCESS_TOKEN``, or ``HELPSCOUT_CLIENT_ID`` and ``HELPSCOUT_CLIENT_SECRET`` of
    an app for the client-credentials grant (``POST /v2/oauth2/token``,
    https://developer.helpscout.com/mailbox-api/overview/authentication/), authenticate. A created
    reply's id comes in the ``Resource-ID`` header (Help Scout's own PHP client reads it there); a
    429 says how long to wait in ``X-RateLimit-Retry-After``
    (https://developer.helpscout.com/mailbox-api/overview/rate-limiting/).
    """

    helpdesk = "Help Scout"
    kind = "saved reply"

    def __init__(self, environ, report):
        (mailbox,) = require(environ, self.helpdesk, "HELPSCOUT_MAILBOX_ID")
        self.base = base_url("https://api.helpscout.net", self.helpdesk, environ)
        self.token = environ.get("HELPSCOUT_ACCESS_TOKEN", "").strip()
        if not self.token:
            self.credentials = require(environ, self.helpdesk, "HELPSCOUT_CLIENT_ID", "HELPSCOUT_CLIENT_SECRET")
        self.report = report
        self.path = f"/v2/mailboxes/{mailbox}/saved-replies"
        self.account = f"https://api.helpscout.net/v2/mailboxes/{mailbox}"
        self._http = None

    @property
    def http(self) -> Http:
        """The API, with an access token asked for on first use (a push with nothing to send asks none)."""
        if self._http is None:
            if not self.token:
                client_id, secret = self.credentials
                grant = Http(self.helpdesk, self.base, message=helpscout_message, report=self.report)
                try:
                    self.token = grant.request("POST", "/v2/oauth2/token", "an access token", data={
                        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret,
                    }).json()["access_token"]
                finally:
                    grant.close()
            self._http = Http(self.helpdesk, self.base, {"Authorization": f"Bearer {self.token}"},
                              retry_header="X-RateLimit-Retry-After", message=helpscout_message, report=self.report)
        return self._http

    def create(self, item, state):
        response = self.http.request("POST", self.path, f"creating {_what(item)}", json=item.request)
        created = response.headers.get("Resource-ID", "")
        if not created.isdigit():
            raise PushError(f"Help Scout created {_what(item)} but sent no Resource-ID header")
        return int(created)

    def update(self, remote, item, state):
        response = self.http.request("PUT", f"{self.path}/{remote}", f"updating {_what(item)}", json=item.request, allow=(404,))
        return response.status_code != 404

    def delete(self, remote):
        self.http.request("DELETE", f"{self.path}/{remote}", f"deleting saved reply {remote}", allow=(404,))

    def find(self, item, state):
        listing = self.http.request("GET", self.path, "listing saved replies").json()
        found = [r["id"] for r in listing if r.get("name") == item.request["name"]]
        return found[0] if len(found) == 1 else None

    def close(self):
        if self._http is not None:
            self._http.close()


def helpscout_message(response) -> str:
    """Help Scout's words: ``{"message", "_embedded": {"errors": [{"path", "message"}]}}``."""
    return helpdesk_message(response, lambda body: [
        *([body["message"]] if isinstance(body.get("message"), str) else []),
        *(f"{e.get('path', '')}: {e.get('message', '')}"
          for e in _errors(body.get("_embedded")) if isinstance(e, dict)),
    ])


def _what(item) -> str:
    return f"saved reply {item.title!r} ({item.source}, response {item.id!r} in {item.lang})"


@hookimpl
def cxdocs_register_exporters(register):
    register("helpscout", HelpScout())


def _errors(embedded) -> list:
    errors = embedded.get("errors") if isinstance(embedded, dict) else None
    return errors if isinstance(errors, list) else []
