"""Responses in the handbook: id, subject, tags and the placeholders a reply uses, above its text."""

from __future__ import annotations

import html

from cxdocs.builtins.facts import facts_html
from cxdocs.core.content import RESPONSE, Page
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.labels import label
from cxdocs.core.responses import placeholders_used, response_id
from cxdocs.outputs.export import registered_exporters
from cxdocs.outputs.packs import PLACEHOLDER, default_renderer, response_entry


@hookimpl(tryfirst=True)  # cxdocs' own comes first: see hookspecs
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
    """Buttons that copy the reply, and its subject, as plain text in the team's helpdesk syntax.

    The team's helpdesk is the first of ``export_formats``: placeholders come out as it writes them
    (``{{ticket.requester.first_name}}`` for Zendesk) and a writer's braces escaped for it. Without
    ``export_formats``, or for a reply that helpdesk cannot carry, placeholders stay as
    ``{{ customer.first_name }}``. The text is the response pack's: internal blocks removed,
    variables filled in. The buttons are hidden until ``copy.js`` runs, so a page without
    JavaScript shows no dead button.
    """
    response = response_entry(project, page, lang, default_renderer())
    exporter = team_helpdesk(project)
    body, subject, name = response["body_text"], response["subject"], ""
    if exporter is not None and not exporter.problems({**response, "subject": ""}):
        body, name = exporter.fill(body, response), exporter.helpdesk
        if {m["name"] for m in PLACEHOLDER.finditer(subject)} <= set(exporter.placeholders):
            subject = exporter.fill(subject, response)
    suffix = f" ({name})" if name else ""
    buttons = [_button(body, label("copy_reply", lang) + suffix, lang)]
    if subject:
        buttons.append(_button(subject, label("copy_subject", lang) + suffix, lang))
    return '<div class="cx-copy">' + "".join(buttons) + "</div>"


def team_helpdesk(project):
    """The exporter of the first of ``export_formats``, or None."""
    formats = project.settings.export_formats or []
    if not formats or getattr(project, "plugins", None) is None:
        return None
    return registered_exporters(project.plugins).get(formats[0])


def _button(text: str, name: str, lang: str) -> str:
    data = html.escape(text, quote=True).replace("\n", "&#10;")
    return (
        f'<button type="button" class="md-button cx-copy__button" hidden '
        f'data-cx-copy="{data}" data-cx-copied="{html.escape(label("copied", lang))}">'
        f"{html.escape(name)}</button>"
    )
