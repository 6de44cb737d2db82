"""Zendesk macros (default plugin).

Follows the Zendesk Support REST API v2, Macros, read 2026-12-03:
https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/ (``POST /api/v2/macros``,
``PUT /api/v2/macros/{macro_id}``, ``DELETE /api/v2/macros/{macro_id}``, ``GET /api/v2/macros``; body
``{"macro": {"title", "actions", "active", "description", "restriction"}}``, ``title`` and ``actions``
required) and Zendesk's OpenAPI description of it (``MacroInput``). Actions follow the actions
reference, https://developer.zendesk.com/documentation/ticketing/reference-guides/actions-reference/:
the reply is a ``comment_value_html`` action and ``comment_mode_is_public`` makes it public. The
``subject`` action is not sent: it replaces the *ticket's* subject, and a reply must not rename the
customer's ticket. A ``::`` in a macro title is Zendesk's category separator ("nested macros"), so
the response folder becomes the macro's category. Macros have no language field.

Placeholders are Zendesk's (Liquid) placeholders, Zendesk placeholders reference,
https://support.zendesk.com/hc/en-us/articles/4408886858138 (read 2026-12-03): the requester is the
customer, ``current_user`` the agent applying the macro, ``ticket.title`` the ticket's subject.
A writer's ``{{`` and ``{%`` are escaped with Liquid's ``{% raw %}`` (standard Liquid; that
Zendesk's Liquid keeps ``raw`` is not confirmed by a Zendesk page).

Writes ``zendesk/macros.<lang>.json``. The macro's description carries ``cxdocs:<id> (<lang>)``,
so a macro created earlier is found again after an interrupted push.
"""

from __future__ import annotations

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


class Zendesk(ApiExporter):
    name = "zendesk"
    helpdesk = "Zendesk"
    docs = "https://developer.zendesk.com/api-reference/ticketing/business-rules/macros/"
    api = "POST /api/v2/macros"
    file = "macros"
    sends_subject = False
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

    def literal(self, text: str) -> str:
        return liquid_literal(text)

    def client(self, environ, report):
        return ZendeskClient(environ, report)

    def unescape(self, text):
        return liquid_unescape(text)

    def parse(self, documents, languages):
        """Macros from ``GET /api/v2/macros`` pages (``{"macros": [...]}``): those that only post a public reply."""
        items, skipped = [], []
        for macro in each(documents, "macros", "a Zendesk macros listing (GET /api/v2/macros)"):
            title = str(macro.get("title", ""))
            label = f"{title!r} (id {macro.get('id')})"
            *categories, name = title.split("::")
            if language_copy(name, languages):
                skipped.append((label, LANGUAGE_COPY))
                continue
            body, is_html, public, others = None, True, True, []
            for action in macro.get("actions") or []:
                field, value = action.get("field"), action.get("value")
                if field == "comment_value_html":
                    body = value
                elif field == "comment_value":
                    body, is_html = (value[-1] if isinstance(value, list) else value), False
                elif field == "comment_mode_is_public":
                    public = value not in (False, "false")
                else:
                    others.append(str(field))
            if others:
                skipped.append((label, f"also sets {', '.join(others)}: not only a reply"))
            elif not public:
                skipped.append((label, "an internal note, not a reply to the customer"))
            elif not isinstance(body, str) or not body.strip():
                skipped.append((label, "posts no reply"))
            else:
                items.append(Imported(macro.get("id"), name.strip(), body, is_html, "-".join(c.strip() for c in categories)))
        return items, skipped

    def request(self, response, title, lang):
        tags = f" [{', '.join(response['tags'])}]" if response["tags"] else ""
        return {"macro": {
            "title": f"{folder_title(response['folder'])}::{title}" if response["folder"] else title,
            "active": True,
            "description": f"{marker(response['id'], lang)}{tags}",
            "actions": [
                {"field": "comment_value_html", "value": self.fill(response["body_html"], response)},
                {"field": "comment_mode_is_public", "value": "true"},
            ],
            "restriction": None,
        }}


def marker(response_id: str, lang: str) -> str:
    """What a macro's description starts with: the response it was made from."""
    return f"cxdocs:{response_id} ({lang})"


class ZendeskClient(Client):
    """Zendesk's macros API. ``ZENDESK_SUBDOMAIN`` names the account; an OAuth access token
    (``ZENDESK_OAUTH_TOKEN``, sent as ``Authorization: Bearer``) is preferred, because Zendesk is
    retiring API tokens (none can be created since 2026-10-27; all stop working on 2027-04-30,
    https://developer.zendesk.com/api-reference/introduction/security-and-auth/); ``ZENDESK_EMAIL``
    with ``ZENDESK_API_TOKEN`` (``email/token:TOKEN``, Basic) works until then. A 429 says how long
    to wait in ``Retry-After`` (https://developer.zendesk.com/api-reference/introduction/rate-limits).
    """

    helpdesk = "Zendesk"
    kind = "macro"

    def __init__(self, environ, report):
        (subdomain,) = require(environ, self.helpdesk, "ZENDESK_SUBDOMAIN")
        token = environ.get("ZENDESK_OAUTH_TOKEN", "").strip()
        auth = None
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        else:
            email, api_token = require(environ, self.helpdesk, "ZENDESK_EMAIL", "ZENDESK_API_TOKEN")
            auth = (f"{email}/token", api_token)
            report("note: Zendesk API tokens stop working on 2027-04-30; set ZENDESK_OAUTH_TOKEN instead")
        self.account = f"https://{subdomain}.zendesk.com"
        self.http = Http(self.helpdesk, base_url(self.account, self.helpdesk, environ), headers, auth,
                         message=zendesk_message, report=report)

    def create(self, item, state):
        response = self.http.request("POST", "/api/v2/macros", f"creating {_what(item)}", json=item.request)
        return response.json()["macro"]["id"]

    def update(self, remote, item, state):
        response = self.http.request("PUT", f"/api/v2/macros/{remote}", f"updating {_what(item)}", json=item.request, allow=(404,))
        return response.status_code != 404

    def delete(self, remote):
        self.http.request("DELETE", f"/api/v2/macros/{remote}", f"deleting macro {remote}", allow=(404,))

    def find(self, item, state):
        wanted = marker(item.id, item.lang)
        for macro in self.macros():
            if (macro.get("description") or "").startswith(wanted + " ") or macro.get("description") == wanted:
                return macro["id"]
        return None

    def macros(self):
        """Every macro, page by page (``GET /api/v2/macros``, offset or cursor pagination)."""
        url = "/api/v2/macros"
        while url:
            page = self.http.request("GET", url, "listing macros").json()
            yield from page.get("macros", [])
            if "meta" in page and not page["meta"].get("has_more"):
                break
            url = page.get("next_page") or (page.get("links") or {}).get("next")

    def close(self):
        self.http.close()


def zendesk_message(response) -> str:
    """Zendesk's words: ``{"error", "description", "details": {field: [{"description"}]}}``, or plain text."""
    return helpdesk_message(response, lambda body: [
        *(str(body[k]) for k in ("error", "description") if isinstance(body.get(k), str)),
        *(f"{field}: {p.get('description', p)}" for field, problems in _mapping(body.get("details")).items()
          for p in problems if isinstance(p, dict)),
    ])


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _what(item) -> str:
    return f"macro {item.title!r} ({item.source}, response {item.id!r} in {item.lang})"


@hookimpl
def cxdocs_register_exporters(register):
    register("zendesk", Zendesk())
