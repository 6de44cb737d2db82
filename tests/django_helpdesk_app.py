"""A real django-helpdesk on SQLite, driven from a subprocess so Django's settings stay out of the test run.

Usage: python django_helpdesk_app.py WORKDIR FIXTURE [FIXTURE ...]

Migrates a fresh database in WORKDIR, loads each fixture in turn with ``loaddata`` (a newer pack
after an older one, as a helpdesk admin would), opens a ticket, and replies to it with each
pre-set reply the way an agent does in django-helpdesk: the reply's body becomes the comment that
``helpdesk.update_ticket.update_ticket`` renders with the ticket's template context. Prints JSON.
"""

import json
import sys
import types
from pathlib import Path

workdir, fixtures = Path(sys.argv[1]), sys.argv[2:]
sys.modules["cx_urls"] = types.ModuleType("cx_urls")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    SECRET_KEY="cxdocs-test",
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(workdir / "helpdesk.sqlite3")}},
    # As django-helpdesk's installation guide lists them, without the optional teams app.
    INSTALLED_APPS=[
        "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
        "django.contrib.sessions", "django.contrib.messages", "django.contrib.sites",
        "django.contrib.humanize", "rest_framework", "helpdesk",
    ],
    HELPDESK_TEAMS_MODE_ENABLED=False,
    SITE_ID=1,
    ROOT_URLCONF="cx_urls",
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
    EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    MEDIA_ROOT=str(workdir / "media"),
    USE_TZ=True,
)
django.setup()

from django.core.management import call_command  # noqa: E402
from django.urls import include, path  # noqa: E402

sys.modules["cx_urls"].urlpatterns = [path("helpdesk/", include("helpdesk.urls"))]
call_command("migrate", verbosity=0)

from django.contrib.auth import get_user_model  # noqa: E402
from helpdesk.models import FollowUp, PreSetReply, Queue, Ticket  # noqa: E402
from helpdesk.update_ticket import update_ticket  # noqa: E402

loaded = []
for fixture in fixtures:
    call_command("loaddata", fixture, verbosity=0)
    loaded.append(PreSetReply.objects.count())

agent = get_user_model().objects.create_user(
    "ana", "ana@larkspur.example", "secret", first_name="Ana", last_name="Novak", is_staff=True
)
queue = Queue.objects.create(title="Returns", slug="returns", email_address="returns@larkspur.example")
ticket = Ticket.objects.create(
    title="Order 4411 arrived damaged & can't be used",
    queue=queue,
    submitter_email="mia.kovac@example.com",
    assigned_to=agent,
    description="The box was crushed.",
)
replies = {}
for preset in PreSetReply.objects.order_by("name"):
    update_ticket(agent, ticket, comment=preset.body, public=True)
    replies[preset.name] = FollowUp.objects.filter(ticket=ticket).order_by("id").last().comment

print(json.dumps({
    "loaded": loaded,
    "ticket": {"id": ticket.id, "reference": ticket.ticket, "title": ticket.title, "email": ticket.submitter_email},
    "presets": {p.name: p.body for p in PreSetReply.objects.all()},
    "replies": replies,
}))
