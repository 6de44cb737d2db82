"""A writer's text that looks like a helpdesk's own template syntax reaches the customer as written,
or is refused at its line where the helpdesk documents no way to escape it.

Zendesk and Freshdesk fill in macros with Liquid: the exported bodies are rendered here with
python-liquid (standard Liquid, as Shopify defines it) and must give back the writer's text with only
the placeholders filled in. django-helpdesk's own rendering is exercised in test_django_helpdesk.py.
"""

from __future__ import annotations

import json

from liquid import Template

RESPONSE = "content/responses/help/templates.md"

TEMPLATES = """
---
title: Template help
---

Hello {{ customer.first_name }}, our order form prints `\\{{ order.number }}` and `{% if paid %}`.

Even `{% endraw %}`, `{%raw%}` and `{#` stay as they are, and so does 100%} of ticket {{ ticket.id }}.
"""

VALUES = {"customer.first_name": "Mia", "ticket.id": "4411"}
CONTEXT = {"ticket": {"id": 4411, "requester": {"first_name": "Mia", "firstname": "Mia"}}}


def export(project, *formats):
    return project.run("export", *[f"--format={f}" for f in formats])


def pack_html(project, rid: str) -> str:
    """The reply as the canonical pack holds it, with the placeholders filled in as a helpdesk would."""
    pack = json.loads((project.root / "site/responses/cxdocs.en.json").read_text(encoding="utf-8"))
    html = next(r["body_html"] for r in pack["responses"] if r["id"] == rid)
    for name, value in VALUES.items():
        html = html.replace("{{ " + name + " }}", value)
    return html


def test_liquid_helpdesks_show_a_writers_braces_and_tags_as_written(project):
    (project.root / "content/responses/refunds/refund-confirmed.md").unlink()
    project.write(RESPONSE, TEMPLATES)
    result = export(project, "zendesk", "freshdesk")
    assert result.exit_code == 0, result.output
    expected = pack_html(project, "help/templates")
    assert "<code>{{ order.number }}</code>" in expected and "<code>{% endraw %}</code>" in expected
    macro = json.loads((project.root / "site/responses/zendesk/macros.en.json").read_text(encoding="utf-8"))
    zendesk = macro["items"][0]["request"]["macro"]["actions"][0]["value"]
    assert Template(zendesk).render(**CONTEXT) == expected
    canned = json.loads((project.root / "site/responses/freshdesk/canned_responses.en.json").read_text(encoding="utf-8"))
    freshdesk = canned["items"][0]["request"]["content_html"]
    assert Template(freshdesk).render(**CONTEXT) == expected


def test_a_placeholder_written_as_literal_text_is_refused_at_its_line(project):
    # In a helpdesk, "\{{ ticket.id }}" would become the live placeholder: the ticket's number.
    project.write(RESPONSE, "---\ntitle: Template help\n---\n\nQuote \\{{ ticket.id }} in the subject line.\n")
    result = export(project, "zendesk")
    assert result.exit_code == 1
    assert (
        f"{RESPONSE}:5: \\{{{{ ticket.id }}}} in a response would reach every helpdesk as the placeholder "
        "{{ ticket.id }}, filled in: a reply cannot show a placeholder's own syntax; reword it"
    ) in result.stderr
    assert "Traceback" not in result.output
    assert not (project.root / "site").exists()


def test_help_scout_variables_a_writer_types_are_refused_at_their_line(project):
    project.write(RESPONSE, "---\ntitle: Mailbox\n---\n\nHello.\n\nWrite `{%mailbox.email%}` in your signature.\n")
    result = export(project, "helpscout")
    assert result.exit_code == 1
    assert (
        f"{RESPONSE}:7: {{%mailbox.email%}} is Help Scout's own template syntax, which Help Scout would fill in "
        "and documents no way to escape: response 'help/templates' cannot be exported to helpscout; reword it"
    ) in result.stderr
    # Zendesk can escape it: the same reply exports there.
    assert export(project, "zendesk").exit_code == 0


def test_liveagent_variables_a_writer_types_are_refused_at_their_line(project):
    (project.root / "content/responses/refunds/refund-confirmed.md").unlink()  # its placeholders have no LiveAgent equivalent
    project.write(RESPONSE, "---\ntitle: Phone\n---\n\nHello.\n\nCall us; agents see {$contactPhone} on screen.\n")
    result = export(project, "liveagent")
    assert result.exit_code == 1
    assert f"{RESPONSE}:7: {{$contactPhone}} is LiveAgent's own template syntax" in result.stderr


def test_without_export_formats_a_helpdesk_that_cannot_escape_is_left_out_and_said_why(project):
    (project.root / "content/responses/refunds/refund-confirmed.md").unlink()
    project.write(RESPONSE, "---\ntitle: Mailbox\n---\n\nWrite `{%mailbox.email%}` in your signature.\n")
    result = project.run("export")
    assert result.exit_code == 0, result.output
    assert (
        "note: response packs not exported to helpscout: 1 response(s) hold text it would read as its own "
        "template syntax (cxdocs export --format helpscout lists the responses; export_formats chooses the formats)"
    ) in result.stderr
    assert (project.root / "site/responses/zendesk").is_dir()


def test_a_django_helpdesk_reply_that_would_fail_when_used_fails_the_export(project):
    # A format that forgets django-helpdesk's escaping: the export compiles each reply as
    # django-helpdesk will, so the broken one is caught now, not when an agent picks it.
    project.write(
        "plugins/careless.py",
        '''
        from cxdocs import hookimpl
        from cxdocs.builtins.exporters.django_helpdesk import DjangoHelpdesk


        class Careless(DjangoHelpdesk):
            name = "careless"

            def literal(self, text):
                return text


        @hookimpl
        def cxdocs_register_exporters(register):
            register("careless", Careless())
        ''',
    )
    (project.root / "content/responses/refunds/refund-confirmed.md").unlink()
    project.write(RESPONSE, "---\ntitle: Discount\n---\n\nHello,\n\nyou save 100%} today.\n")
    result = export(project, "careless")
    assert result.exit_code == 1
    assert f"{RESPONSE}:7: django-helpdesk could not render this reply when an agent uses it (Invalid block tag" in result.stderr
    assert export(project, "django-helpdesk").exit_code == 0  # the built-in format escapes it
