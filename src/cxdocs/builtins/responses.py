"""Responses in the handbook: id, subject, tags and the placeholders a reply uses, above its text."""

from __future__ import annotations

import html

from cxdocs.builtins.facts import facts_html
from cxdocs.core.content import RESPONSE, Page
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.labels import label
from cxdocs.core.responses import placeholders_used, response_id
from cxdocs.outputs.packs import default_renderer, response_entry


@hookimpl
def cxdocs_page_header(page: Page, target, render, project):
    if page.kind != RESPONSE:
        return None
    lang = target.lang
    subject = render(page.meta.get("subject"), "subject")
    tags = page.meta.get("tags") or []
    facts = [
        (label("response_id", lang), response_id(page)),
        (label("subject", lang), subject),
        (label("tags", lang), ", ".join(str(t) for t in tags) if isinstance(tags, list) else str(tags)),
        (label("placeholders", lang), " ".join(placeholders_used(page, subject))),
    ]
    return facts_html(facts, "response") + copy_button(project, page, lang)


def copy_button(project, page: Page, lang: str) -> str:
    """A button that copies the reply as plain text, placeholders as ``{{ customer.first_name }}``.

    The text is the response pack's: internal blocks removed, variables filled in. The button is
    hidden until ``copy.js`` runs, so a page without JavaScript shows no dead button.
    """
    text = response_entry(project, page, lang, default_renderer())["body_text"]
    data = html.escape(text, quote=True).replace("\n", "&#10;")
    return (
        f'<div class="cx-copy"><button type="button" class="md-button cx-copy__button" hidden '
        f'data-cx-copy="{data}" data-cx-copied="{html.escape(label("copied", lang))}">'
        f"{html.escape(label('copy_reply', lang))}</button></div>"
    )
