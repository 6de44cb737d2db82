"""A helpdesk admin imports the pack into a real django-helpdesk and an agent replies with it.

django-helpdesk (from PyPI) runs on SQLite in a temporary folder, in a subprocess so Django's
settings do not leak into other tests. Its own ``loaddata`` imports the fixture cxdocs wrote, and
its own ``update_ticket`` renders the pre-set reply for a real ticket with its template engine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("helpdesk", reason="django-helpdesk is in the test extra: pip install -e '.[test]'")

APP = Path(__file__).parent / "django_helpdesk_app.py"
FIXTURE = "site/responses/django-helpdesk/presetreplies.en.json"

DAMAGED = """
---
title: Damaged order
tags: [shipping]
subject: "Re: {{ ticket.subject }}"
---

Hello,

Sorry that "{{ ticket.subject }}" (ticket {{ ticket.id }}) went wrong. A replacement ships
within {{ shipping.days }} to {{ customer.email }}.

!!! internal "Agent note"
    Check the courier's damage report first.

Larkspur Customer Care
"""

LITERAL = """
---
title: Template help
---

Our order form shows \\{{ braces }} literally, and so does this reply: `{% endraw %}`, `50{% off`,
`{# note #}` and a 100%} discount.
"""


def helpdesk(workdir: Path, *fixtures: Path) -> dict:
    result = subprocess.run(
        [sys.executable, str(APP), str(workdir), *map(str, fixtures)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_pre_set_reply_from_the_pack_greets_the_real_ticket(project, tmp_path):
    project.config(variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}},
                   export_formats=["django-helpdesk"])
    project.write("content/responses/refunds/refund-confirmed.md", DAMAGED)  # no customer name: django-helpdesk has none
    project.write("content/responses/help/literal.md", LITERAL)
    result = project.run("export")
    assert result.exit_code == 0, result.output
    first = tmp_path / "first.json"
    first.write_bytes((project.root / FIXTURE).read_bytes())

    # The writer fixes a typo; the admin imports the newer pack over the old one.
    project.write("content/responses/refunds/refund-confirmed.md", DAMAGED.replace("Sorry that", "We're sorry that"))
    assert project.run("export").exit_code == 0

    workdir = tmp_path / "helpdesk"
    workdir.mkdir()
    out = helpdesk(workdir, first, project.root / FIXTURE)

    assert out["loaded"] == [2, 2], "re-importing the newer pack must update, not duplicate"
    ticket = out["ticket"]
    reply = out["replies"]["Damaged order"]
    assert reply.startswith("Hello,\n\nWe're sorry that"), reply  # the newer text won
    assert f'"{ticket["title"]}" (ticket {ticket["reference"]})' in reply  # the title as typed, not HTML-escaped
    assert "&" in ticket["title"] and "'" in ticket["title"]
    assert ticket["reference"] == f"[returns-{ticket['id']}]"
    assert f"within 3-5 days to {ticket['email']}." in reply
    assert "{{" not in reply and "}}" not in reply and "None" not in reply
    assert "courier" not in reply  # the agent note stays in the handbook
    # django-helpdesk turns every "{%" and "%}" of a comment into a tag: unescaped, "100%}" would break the reply.
    assert out["replies"]["Template help"] == (
        "Our order form shows {{ braces }} literally, and so does this reply: {% endraw %}, 50{% off, "
        "{# note #} and a 100%} discount."
    )
