"""django-helpdesk pre-set replies, as a fixture ``manage.py loaddata`` accepts (default plugin).

django-helpdesk's ``PreSetReply`` model (``helpdesk/models.py``) has ``name``, ``body`` and
``queues`` (none: every queue); its body is "a Django template with a limited context". When an
agent picks a pre-set reply its body becomes the follow-up's comment, which
``helpdesk.update_ticket.update_ticket`` renders with ``engines["django"].from_string(...)`` and
``helpdesk.lib.safe_template_context(ticket)``: ``ticket`` (``title``, ``submitter_email``,
``ticket`` - the ``[queue-id]`` reference its emails use - ...) and ``queue``. That context has no
customer name and no user, and its ``assigned_to`` renders "None" in django-helpdesk 2.6 (it reads
``_get_assigned_to``, which the model no longer has), so the name and ``agent`` placeholders have
no equivalent here. See https://django-helpdesk.readthedocs.io/ and Django's fixture format
(https://docs.djangoproject.com/en/stable/topics/db/fixtures/).

Each reply's primary key is derived from its stable id and language, so loading a newer fixture
updates the replies loaded before instead of adding duplicates. The body is the plain-text reply
(django-helpdesk's reply box is plain text). Writes ``django-helpdesk/presetreplies.<lang>.json``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from cxdocs.core.errors import CxdocsError
from cxdocs.core.hookspecs import hookimpl
from cxdocs.outputs.exporter import Exporter, write_json

NAME_MAX = 100  # PreSetReply.name max_length
PK_SPACE = 2**31 - 1  # the model's AutoField is a 32-bit integer on most databases


def django_literal(text: str) -> str:
    """Keep a writer's literal ``{{`` and ``{#`` out of Django's template syntax.

    ``{%`` needs nothing: django-helpdesk wraps every ``{%`` of a comment in ``{% verbatim %}`` itself.
    """
    return text.replace("{{", '{{ "{{" }}').replace("{#", '{{ "{#" }}')


def preset_pk(response_id: str, lang: str) -> int:
    digest = hashlib.sha256(f"{response_id}\0{lang}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % PK_SPACE + 1


class DjangoHelpdesk(Exporter):
    name = "django-helpdesk"
    helpdesk = "django-helpdesk"
    docs = "https://django-helpdesk.readthedocs.io/"
    placeholders = {
        "customer.email": "{{ ticket.submitter_email }}",
        "ticket.id": "{{ ticket.ticket }}",
        "ticket.subject": "{{ ticket.title }}",
    }

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
                    "fields": {"name": name, "body": self.fill(r["body_text"], r, django_literal), "queues": []},
                })
            write_json(folder / f"presetreplies.{lang}.json", fixture)


@hookimpl
def cxdocs_register_exporters(register):
    register("django-helpdesk", DjangoHelpdesk())
