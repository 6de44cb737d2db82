"""LiveAgent predefined answers (default plugin).

Follows LiveAgent's REST API v3 (3.0.0), predefined answers, as its published OpenAPI description
is encoded in LiveAgent's own generated client, QualityUnit/LiveAgent-api-python at 4196a87
(``docs/PredefinedAnswer.md``, ``docs/PredefinedAnswersApi.md``, read 2026-12-03):
``POST /api/v3/predefined_answers`` with the ``PredefinedAnswer`` model, ``name`` and ``body``
required (at least one character each), ``format`` ``"T"`` (text, the default) or ``"H"`` (HTML),
``subject``, ``departmentid`` and ``userid``; ``PUT``/``DELETE /api/v3/predefined_answers/{id}``;
``GET /api/v3/predefined_answers`` lists them. There is no tags, folder or language field. The API
key goes in an ``apikey`` header (https://support.liveagent.com/741982-API-key/). The body is sent
as HTML with ``"format": "H"`` (a ``"T"`` body would show the markup to the customer).

Placeholders: we found no LiveAgent page that lists the ``{$...}`` variables of predefined
answers, so none is mapped: a response using a placeholder (in its body or subject) fails this
format instead of reaching a customer as literal braces. LiveAgent documents no escape for its
``{$``, so a writer's ``{$`` is refused at its line.

Writes ``liveagent/predefined_answers.<lang>.json``.
"""

from __future__ import annotations

import re

from cxdocs.core.hookspecs import hookimpl
from cxdocs.outputs.exporter import LANGUAGE_COPY, ApiExporter, each, language_copy
from cxdocs.outputs.importing import Imported
from cxdocs.outputs.push import Client
from cxdocs.outputs.transport import Http, base_url, require

VARIABLE_START = re.compile(r"\{\$(?:[^\s{}]{0,40}\})?")


class LiveAgent(ApiExporter):
    name = "liveagent"
    helpdesk = "LiveAgent"
    docs = "https://github.com/QualityUnit/LiveAgent-api-python/blob/master/docs/PredefinedAnswer.md"
    api = "POST /api/v3/predefined_answers"
    file = "predefined_answers"
    sends_subject = True
    placeholders: dict[str, str] = {}

    def unescapable(self, text: str) -> list[str]:
        return [m.group() for m in VARIABLE_START.finditer(text)]

    template = re.compile(r"\{\$[^{}\s]*\}")

    def client(self, environ, report):
        return LiveAgentClient(environ, report)

    def parse(self, documents, languages):
        """Predefined answers from ``GET /api/v3/predefined_answers`` pages (arrays)."""
        items, skipped = [], []
        for answer in each(documents, "predefined_answers", "a LiveAgent list of predefined answers"):
            name = str(answer.get("name", ""))
            label = f"{name!r} (id {answer.get('id')})"
            if language_copy(name, languages):
                skipped.append((label, LANGUAGE_COPY))
            elif not str(answer.get("body", "")).strip():
                skipped.append((label, "has no body"))
            else:
                items.append(Imported(answer.get("id"), name, answer["body"], answer.get("format") == "H",
                                      subject=str(answer.get("subject") or "")))
        return items, skipped

    def request(self, response, title, lang):
        body = {"name": title, "body": self.fill(response["body_html"], response), "format": "H"}
        if response["subject"]:
            body["subject"] = self.fill(response["subject"], response)
        return body


class LiveAgentClient(Client):
    """LiveAgent's API v3. ``LIVEAGENT_URL`` is the account's address (``https://acme.ladesk.com``),
    ``LIVEAGENT_API_KEY`` a v3 API key, sent in the ``apikey`` header. LiveAgent limits a key to 180
    requests a minute (https://support.liveagent.com/217359-Request-rate-limits); what it answers past
    that is not documented, so a 429 is waited out (``Retry-After`` when sent, else a growing pause).
    """

    helpdesk = "LiveAgent"
    kind = "predefined answer"

    def __init__(self, environ, report):
        url, key = require(environ, self.helpdesk, "LIVEAGENT_URL", "LIVEAGENT_API_KEY")
        self.account = url.rstrip("/")
        self.http = Http(self.helpdesk, base_url(self.account, self.helpdesk, environ), {"apikey": key}, report=report)

    def create(self, item, state):
        response = self.http.request("POST", "/api/v3/predefined_answers", f"creating {_what(item)}", json=item.request)
        return response.json()["id"]

    def update(self, remote, item, state):
        response = self.http.request("PUT", f"/api/v3/predefined_answers/{remote}", f"updating {_what(item)}",
                                     json=item.request, allow=(404,))
        return response.status_code != 404

    def delete(self, remote):
        self.http.request("DELETE", f"/api/v3/predefined_answers/{remote}", f"deleting predefined answer {remote}", allow=(404,))

    def find(self, item, state):
        found, page = [], 1
        while True:
            listing = self.http.request("GET", "/api/v3/predefined_answers", "listing predefined answers",
                                        params={"_page": page, "_perPage": 100}).json()
            found += [a["id"] for a in listing if a.get("name") == item.request["name"]]
            if len(listing) < 100:
                break
            page += 1
        return found[0] if len(found) == 1 else None

    def close(self):
        self.http.close()


def _what(item) -> str:
    return f"predefined answer {item.title!r} ({item.source}, response {item.id!r} in {item.lang})"


@hookimpl
def cxdocs_register_exporters(register):
    register("liveagent", LiveAgent())
