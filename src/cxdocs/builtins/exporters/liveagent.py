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
from cxdocs.outputs.exporter import ApiExporter

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

    def request(self, response, title, lang):
        body = {"name": title, "body": self.fill(response["body_html"], response), "format": "H"}
        if response["subject"]:
            body["subject"] = self.fill(response["subject"], response)
        return body


@hookimpl
def cxdocs_register_exporters(register):
    register("liveagent", LiveAgent())
