"""A helpdesk admin keeps a helpdesk up to date with `cxdocs push`, against strict local stand-ins of
each helpdesk's API (fake_helpdesks.py, built from the vendors' documentation)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from fake_helpdesks import FAKES

APIS = sorted(FAKES)
TITLES = {"Order shipped", "Refund issued", "Exchange offered",
          "Naročilo odposlano [sl]", "Refund issued [sl]", "Exchange offered [sl]"}


@pytest.fixture
def shop(project):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    (project.root / "content/responses/refunds/refund-confirmed.md").unlink()
    project.write("content/responses/orders/order-shipped.md",
                  "---\ntitle: Order shipped\nsubject: Your order is on its way\n---\n\nHello,\n\nyour order left our warehouse today.\n")
    project.write("content/responses/orders/order-shipped.sl.md",
                  "---\ntitle: Naročilo odposlano\nsubject: Vaše naročilo je na poti\n---\n\nPozdravljeni,\n\nvaše naročilo je danes odšlo.\n")
    project.write("content/responses/returns/refund-issued.md", "---\ntitle: Refund issued\n---\n\nHello,\n\nyour refund is on its way.\n")
    project.write("content/responses/returns/exchange-offered.md", "---\ntitle: Exchange offered\n---\n\nHello,\n\nwe can **exchange** it.\n")
    return project


@pytest.fixture(params=APIS)
def helpdesk(request, monkeypatch):
    fake = FAKES[request.param]()
    for key, value in {**fake.env(), "CXDOCS_PUSH_BASE_URL": fake.url}.items():
        monkeypatch.setenv(key, value)
    yield fake
    fake.stop()


def titles(fake) -> list[str]:
    out = []
    for item in fake.items.values():
        title = item.get("macro", item).get("title") or item.get("name")
        out.append(title.split("::")[-1])
    return sorted(out)


def state(project, fmt) -> dict:
    return json.loads((project.root / ".cxdocs" / f"push-{fmt}.json").read_text(encoding="utf-8"))


def test_push_plans_creates_then_keeps_the_helpdesk_in_step(shop, helpdesk):
    fmt = helpdesk.name
    result = shop.run("push", fmt, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "plan: 6 to create, 0 to update, 0 unchanged, 0 to delete" in result.stdout
    assert "  create    orders/order-shipped (sl)" in result.stdout
    assert result.stdout.splitlines()[-1] == "dry run: nothing was sent"
    assert helpdesk.log == [] and not (shop.root / ".cxdocs").exists()

    result = shop.run("push", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"{fmt}: 6 created, 0 updated, 0 unchanged, 0 deleted"
    assert titles(helpdesk) == sorted(TITLES)
    assert [status for _, _, status in helpdesk.log].count(429) == 1  # waited as the helpdesk asked
    assert [status for _, _, status in helpdesk.log].count(500) == 1  # and tried again
    assert "asked to slow down (429): waiting" in result.stderr
    recorded = state(shop, fmt)
    assert sorted((i["id"], i["lang"]) for i in recorded["items"]) == [
        (rid, lang) for rid in ("orders/order-shipped", "returns/exchange-offered", "returns/refund-issued") for lang in ("en", "sl")
    ]
    assert sorted(i["remote_id"] for i in recorded["items"]) == sorted(helpdesk.items)
    assert all(i["origin"] == "cxdocs" and i["hash"].startswith("sha256:") for i in recorded["items"])

    # Nothing changed: nothing is sent.
    requests, writes = len(helpdesk.log), len(helpdesk.writes())
    result = shop.run("push", fmt)
    assert result.exit_code == 0, result.output
    assert "plan: 0 to create, 0 to update, 6 unchanged, 0 to delete" in result.stdout
    assert result.stdout.splitlines()[-1].endswith("is up to date; nothing was sent")
    assert len(helpdesk.log) == requests

    # One response changes: one update, to the item created before.
    shop.write("content/responses/returns/refund-issued.md", "---\ntitle: Refund issued\n---\n\nHello,\n\nyour refund left today.\n")
    result = shop.run("push", fmt)
    assert result.exit_code == 0, result.output
    assert "plan: 0 to create, 2 to update, 4 unchanged, 0 to delete" in result.stdout  # its en and its sl item
    assert [m for m, _, _ in helpdesk.writes()[writes:]] == ["PUT", "PUT"]
    assert len(helpdesk.items) == 6
    assert any("your refund left today" in json.dumps(i) for i in helpdesk.items.values())

    # A response is removed: kept without --delete, deleted (where the API can) with it.
    (shop.root / "content/responses/returns/exchange-offered.md").unlink()
    result = shop.run("push", fmt)
    assert "  keep      returns/exchange-offered (en)  'Exchange offered': no longer in the content; " \
           "cxdocs push --delete deletes it" in result.stdout
    assert len(helpdesk.items) == 6
    result = shop.run("push", fmt, "--delete")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == f"{fmt}: 0 created, 0 updated, 4 unchanged, 2 deleted"
    if fmt == "freshdesk":  # no DELETE is documented: the admin is told, nothing is sent
        assert "Freshdesk documents no way to delete it: delete it by hand" in result.stdout
        assert len(helpdesk.items) == 6
    else:
        assert sorted(titles(helpdesk)) == sorted(TITLES - {"Exchange offered", "Exchange offered [sl]"})
    assert len(state(shop, fmt)["items"]) == 4


def test_a_push_killed_midway_resumes_without_duplicates(shop, helpdesk):
    helpdesk.hold_after_creates = 3  # the helpdesk stores the third item, then the push dies before hearing back
    env = {**os.environ, **helpdesk.env(), "CXDOCS_PUSH_BASE_URL": helpdesk.url, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen([sys.executable, "-m", "cxdocs.app.cli", "push", helpdesk.name], cwd=shop.root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(600):
        if helpdesk.holding.wait(0.1) or process.poll() is not None:
            break
    assert helpdesk.holding.is_set(), process.communicate(timeout=5)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    helpdesk.release.set()
    assert len(helpdesk.items) == 3

    result = shop.run("push", helpdesk.name)
    assert result.exit_code == 0, result.output
    assert "created before the interruption" in result.stdout
    assert titles(helpdesk) == sorted(TITLES)  # six items, none twice
    assert len(state(shop, helpdesk.name)["items"]) == 6


def test_one_language_per_helpdesk_keeps_titles_as_written(shop, helpdesk):
    result = shop.run("push", helpdesk.name, "--lang", "sl", "--state", ".cxdocs/push-sl.json")
    assert result.exit_code == 0, result.output
    assert titles(helpdesk) == ["Exchange offered", "Naročilo odposlano", "Refund issued"]


def test_a_refusal_names_the_response_and_quotes_the_helpdesk(shop, helpdesk, monkeypatch):
    shop.write("content/responses/returns/store-credit.md",
               "---\ntitle: Store credit instead of a refund, as the customer asked\n---\n\nHello,\n\nhere is your credit.\n")
    helpdesk.max_title = 40
    helpdesk.rate_limit_at = helpdesk.fail_at = None
    result = shop.run("push", helpdesk.name, "--lang", "en")
    assert result.exit_code == 1
    message = result.stderr.strip().splitlines()[-1]
    assert "refused creating" in message and "(content/responses/returns/store-credit.md, response 'returns/store-credit' in en)" in message, message
    assert "too long (maximum is 40 characters)" in message
    assert "Traceback" not in result.output
    created = len(helpdesk.items)
    assert len(state(shop, helpdesk.name)["items"]) >= created  # what was created is recorded

    for key, value in helpdesk.env().items():
        if "KEY" in key or "SECRET" in key or "TOKEN" in key:
            monkeypatch.setenv(key, "wrong")
    result = shop.run("push", helpdesk.name)
    assert result.exit_code == 1
    assert any(word in result.stderr for word in ("401 Unauthorized", "403 Forbidden")), result.stderr
    assert "Traceback" not in result.output


def test_only_https_or_an_explicit_local_test_server(shop, monkeypatch):
    monkeypatch.setenv("LIVEAGENT_URL", "http://larkspur.ladesk.com")
    monkeypatch.setenv("LIVEAGENT_API_KEY", "k")
    result = shop.run("push", "liveagent")
    assert result.exit_code == 1
    assert "LiveAgent's address must be an https:// URL, not 'http://larkspur.ladesk.com'" in result.stderr
    monkeypatch.setenv("LIVEAGENT_URL", "https://larkspur.ladesk.com")
    monkeypatch.setenv("CXDOCS_PUSH_BASE_URL", "http://10.0.0.8:8080")
    result = shop.run("push", "liveagent")
    assert result.exit_code == 1
    assert "only a local test server (http://127.0.0.1:PORT) may replace LiveAgent's address" in result.stderr


def test_what_push_needs_is_said_plainly(shop, monkeypatch):
    for name in ("ZENDESK_SUBDOMAIN", "ZENDESK_OAUTH_TOKEN", "ZENDESK_EMAIL", "ZENDESK_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    result = shop.run("push", "zendesk")
    assert result.exit_code == 1
    assert "cxdocs push needs ZENDESK_SUBDOMAIN in the environment to reach Zendesk" in result.stderr
    result = shop.run("push", "django-helpdesk")
    assert result.exit_code == 1
    assert "django-helpdesk has no API cxdocs can push to" in result.stderr and "loaddata" in result.stderr


def test_a_state_file_belongs_to_one_helpdesk_account(shop, monkeypatch):
    fake = FAKES["zendesk"]()
    try:
        for key, value in {**fake.env(), "CXDOCS_PUSH_BASE_URL": fake.url}.items():
            monkeypatch.setenv(key, value)
        assert shop.run("push", "zendesk").exit_code == 0
        monkeypatch.setenv("ZENDESK_SUBDOMAIN", "another")
        result = shop.run("push", "zendesk")
        assert result.exit_code == 1
        assert "this state is for https://larkspur.zendesk.com, and the push would go to https://another.zendesk.com" in result.stderr
    finally:
        fake.stop()


def test_a_refusal_in_any_shape_is_told_in_the_helpdesk_s_words_never_a_traceback():
    import httpx

    from cxdocs.builtins.exporters.freshdesk import freshdesk_message
    from cxdocs.builtins.exporters.helpscout import helpscout_message
    from cxdocs.builtins.exporters.zendesk import zendesk_message

    zendesk = httpx.Response(422, json={"error": "RecordInvalid", "description": "Record validation errors",
                                        "details": {"title": [{"description": "Title: cannot be blank"}]}})
    assert zendesk_message(zendesk) == "RecordInvalid; Record validation errors; title: Title: cannot be blank"
    freshdesk = httpx.Response(400, json={"description": "Validation failed",
                                          "errors": [{"field": "folder_id", "message": "It should be a/an Integer", "code": "datatype_mismatch"}]})
    assert freshdesk_message(freshdesk) == "Validation failed; folder_id: It should be a/an Integer (datatype_mismatch)"
    helpscout = httpx.Response(400, json={"message": "Bad request", "_embedded": {"errors": [{"path": "name", "message": "may not be empty"}]}})
    assert helpscout_message(helpscout) == "Bad request; name: may not be empty"
    # What a proxy or a gateway in front of the helpdesk may answer instead.
    for message in (zendesk_message, freshdesk_message, helpscout_message):
        assert message(httpx.Response(502, text="<html>Bad gateway</html>")) == "<html>Bad gateway</html>"
        assert message(httpx.Response(400, json=["not", "an", "object"])) == "['not', 'an', 'object']"
        assert message(httpx.Response(400, json={"details": "x", "errors": "y", "_embedded": "z"})).startswith("{")
        assert message(httpx.Response(500, content=b"")) == "(no message)"
