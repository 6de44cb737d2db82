"""django-helpdesk pre-set replies, as a fixture ``manage.py loaddata`` accepts (default plugin).

Follows django-helpdesk 2.6.1 (the release on PyPI, read 2026-12-03; https://django-helpdesk.readthedocs.io/):
its ``PreSetReply`` model (``helpdesk/models.py``) has ``name`` (at most 100 characters), ``body``
and ``queues`` (none: every queue), and an ``AutoField`` key; Django's fixture format is
https://docs.djangoproject.com/en/stable/topics/db/fixtures/. django-helpdesk has no API for pre-set
replies. When an agent picks one, its body becomes the follow-up's comment, which
``helpdesk.update_ticket.update_ticket`` renders with Django's template engine and
``helpdesk.lib.safe_template_context(ticket)``: ``ticket`` (``title``, ``submitter_email``,
``ticket`` - the ``[queue-id]`` reference its emails use - ...) and ``queue``. That context has no
customer name and no user, and its ``assigned_to`` renders "None" in 2.6 (it reads
``_get_assigned_to``, which the model no longer has), so the name and ``agent`` placeholders have
no equivalent here. Values are HTML-escaped by Django, so the mapped ones carry ``|safe``: the
comment is plain text, escaped where django-helpdesk shows it.

Before rendering, django-helpdesk rewrites every ``{%`` and ``%}`` of a comment (to keep its tags
from running), so an unpaired ``%}`` a writer typed would break the reply when an agent uses it.
A writer's ``{{``, ``{#``, ``{%`` and ``%}`` are therefore written as Django expressions that print
them, and every reply is compiled and rendered the way django-helpdesk does at export: one that would
fail when an agent uses it fails the export, at its file.

Each reply's primary key is derived from its stable id and language, so loading a newer fixture
updates the replies loaded before instead of adding duplicates. The body is the plain-text reply
(django-helpdesk's reply box is plain text). Writes ``django-helpdesk/presetreplies.<lang>.json``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from django.template import Context, Engine, TemplateSyntaxError

from cxdocs.core.errors import CxdocsError
from cxdocs.core.hookspecs import hookimpl
from cxdocs.outputs.exporter import LANGUAGE_COPY, Exporter, Problem, each, language_copy, write_json
from cxdocs.outputs.importing import Imported

NAME_MAX = 100  # PreSetReply.name max_length
PK_SPACE = 2**31 - 1  # the model's AutoField is a 32-bit integer on most databases
SPECIAL = re.compile(r"\{(?=[{%#]|\Z)|%(?=\})")
"""A ``{`` that would open a Django tag, variable or comment (or meet a placeholder's ``{{``), and
the ``%`` of a ``%}``, which django-helpdesk would turn into a tag."""
ENGINE = Engine(autoescape=True)
SAMPLE = {
    "ticket": {"title": "Order 4411 arrived damaged", "submitter_email": "customer@example.com",
               "ticket": "[returns-1]", "ticket_for_url": "returns-1"},
    "queue": {"title": "Returns", "slug": "returns"},
}


def django_literal(text: str) -> str:
    """A writer's text, printed as written by django-helpdesk's template rendering."""
    return SPECIAL.sub(lambda m: '{{ "{" }}' if m.group() == "{" else '%{{ "" }}', text)


def as_helpdesk_renders(body: str) -> str:
    """The comment django-helpdesk renders for a reply body: its ``{%`` and ``%}`` neutralised first."""
    body = body.replace("{%", "\0open\0").replace("%}", "\0close\0")
    body = body.replace("\0open\0", "{% verbatim %}{%").replace("\0close\0", "%}{% endverbatim %}")
    return ENGINE.from_string(body).render(Context(SAMPLE))


def preset_pk(response_id: str, lang: str) -> int:
    digest = hashlib.sha256(f"{response_id}\0{lang}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % PK_SPACE + 1


class DjangoHelpdesk(Exporter):
    name = "django-helpdesk"
    helpdesk = "django-helpdesk"
    docs = "https://django-helpdesk.readthedocs.io/"
    body = "body_text"
    sends_subject = False
    placeholders = {
        "customer.email": "{{ ticket.submitter_email|safe }}",
        "ticket.id": "{{ ticket.ticket }}",
        "ticket.subject": "{{ ticket.title|safe }}",
    }

    template = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
    aliases = {"{{ ticket.submitter_email }}": "customer.email", "{{ ticket.title }}": "ticket.subject"}

    def literal(self, text: str) -> str:
        return django_literal(text)

    def unescape(self, text: str) -> str:
        return text.replace('{{ "{" }}', "\x00{\x00").replace('%{{ "" }}', "%").replace('{{ "{{" }}', "\x00{{\x00")

    def parse(self, documents, languages):
        """Pre-set replies as ``manage.py dumpdata helpdesk.presetreply`` writes them."""
        items, skipped = [], []
        for row in each(documents, "", "a django-helpdesk fixture (manage.py dumpdata helpdesk.presetreply)"):
            if row.get("model") != "helpdesk.presetreply":
                continue
            fields = row.get("fields") or {}
            name = str(fields.get("name", ""))
            label = f"{name!r} (pk {row.get('pk')})"
            if language_copy(name, languages):
                skipped.append((label, LANGUAGE_COPY))
            elif not str(fields.get("body", "")).strip():
                skipped.append((label, "has no body"))
            else:
                items.append(Imported(row.get("pk"), name, fields["body"], False))
        return items, skipped

    def problems(self, response):
        found = super().problems(response)
        if found:
            return found
        try:
            as_helpdesk_renders(self.fill(response["body_text"], response))
        except TemplateSyntaxError as exc:
            return [Problem(
                f"django-helpdesk could not render this reply when an agent uses it ({exc}): "
                f"response {response['id']!r} cannot be exported to {self.name}",
                r"[{%#]{2}|%\}",
            )]
        return []

    def write(self, packs, folder: Path) -> None:
        seen: dict[int, str] = {}
        for lang, pack in packs.items():
            fixture = []
            for r in pack["responses"]:
                pk = preset_pk(r["id"], lang)
                key = f"{r['id']} ({lang})"
                if seen.setdefault(pk, key) != key:
                    raise CxdocsError(
                        f"django-helpdesk: responses {seen[pk]} and {key} map to the same pre-set reply key {pk}; "
                        "give one of them another id",
                        r["source"],
                    )
                name = r["title"] if lang == pack["default_language"] else f"{r['title']} [{lang}]"
                if len(name) > NAME_MAX:
                    name = name[: NAME_MAX - 1] + "…"
                fixture.append({
                    "model": "helpdesk.presetreply",
                    "pk": pk,
                    "fields": {"name": name, "body": self.fill(r["body_text"], r), "queues": []},
                })
            write_json(folder / f"presetreplies.{lang}.json", fixture)


@hookimpl
def cxdocs_register_exporters(register):
    register("django-helpdesk", DjangoHelpdesk())
