"""Responses as content: their stable id and the helpdesk placeholders a reply uses."""

from __future__ import annotations

import re

from cxdocs.core.content import Page

PLACEHOLDER = re.compile(r"\{\{\s*((?:customer|agent|ticket)\.[\w-]+)\s*\}\}")


def response_id(page: Page) -> str:
    """The stable id of a response: front matter ``id``, else its path without the language suffix."""
    explicit = page.meta.get("id")
    if explicit is not None and str(explicit).strip():
        return str(explicit).strip()
    return page.uri[len("responses/") : -len(".md")]


def placeholders_used(page: Page, subject: str = "") -> list[str]:
    text = subject + "\n" + "\n".join(line.text for line in page.source.body)
    return sorted(set(PLACEHOLDER.findall(text)))
