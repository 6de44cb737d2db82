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
from cxdocs.outputs.exporter import ApiExporter, folder_title, liquid_literal


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


@hookimpl
def cxdocs_register_exporters(register):
    register("zendesk", Zendesk())
