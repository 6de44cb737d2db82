"""`cxdocs serve` shows an edit by rendering only what it changed, exactly as a full build would.

Each test runs the real command on a free port and reads the preview over HTTP, as a browser does.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from browser import browser
from browser import search as search_box
from conftest import Project

WAIT = 90  # seconds; a deadline against hanging, not a performance requirement
LIVERELOAD = re.compile(r"<script>\s*var livereload.*?</script>", re.S)

RETURNS = """
---
title: Returns
description: Sending things back.
---

## How do I return an item?

Use the returns form within {{ shipping.days }} of delivery.

## Who pays for return shipping?

We do, for faulty items.
"""


class Server:
    """`cxdocs serve` in a child process; its terminal output is collected line by line."""

    def __init__(self, root, *args: str):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.tmp = root / "tmp"  # the server's working folder goes here (TMPDIR)
        self.tmp.mkdir(exist_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cxdocs.app.cli", "serve", "-a", f"127.0.0.1:{port}", *args],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "CI": "1", "TMPDIR": str(self.tmp)},
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for_log("Serving on")

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_for_log(self, text: str, count: int = 1) -> None:
        deadline = time.monotonic() + WAIT
        while sum(text in line for line in self.lines) < count:
            assert self.proc.poll() is None, f"the server stopped:\n{self.log}"
            assert time.monotonic() < deadline, f"never logged {text!r}:\n{self.log}"
            time.sleep(0.05)

    def get(self, path: str) -> str:
        """A page as served, without the live-reload script (which differs on every request)."""
        with urllib.request.urlopen(f"{self.base}/{path}", timeout=WAIT) as response:
            return LIVERELOAD.sub("", response.read().decode("utf-8"))

    def wait_until(self, path: str, predicate) -> str:
        deadline = time.monotonic() + WAIT
        while True:
            page = self.get(path)
            if predicate(page):
                return page
            assert self.proc.poll() is None, f"the server stopped:\n{self.log}"
            assert time.monotonic() < deadline, f"{path} never showed the change:\n{self.log}"
            time.sleep(0.05)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=30)


@pytest.fixture
def serve(project):
    project.write("content/faq/shipping/returns.md", RETURNS)
    servers = []

    def start(*args):
        servers.append(Server(project.root, *args))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def _edit(project, rel: str, old: str, new: str) -> None:
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _lunr(project) -> None:
    """The theme's search (``search: lunr``), whose one index file the preview keeps up to date page by page."""
    project.config(variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}}, search="lunr")


def _wait_for_the_search_index(server) -> None:
    """Pagefind indexes the target again after the pages an update shows: wait until it followed the last one."""
    deadline = time.monotonic() + WAIT
    # The page can be served before the server has said it updated it (on a loaded machine).
    while not ([""] + [line for line in server.lines if "updated" in line])[-1].startswith("search index updated"):
        assert time.monotonic() < deadline, f"the search index was not updated:\n{server.log}"
        time.sleep(0.05)


def _search_text(index: str) -> str:
    return " ".join(doc["text"] for doc in json.loads(index)["docs"])


def _full_rebuild(project, server, builds_before: int) -> None:
    """Make the server build everything again (a configuration change) and wait for it.

    Saved the way many editors save: a new file renamed over the old one.
    """
    config = project.root / "mkdocs.yml"
    saved = config.with_name("mkdocs.yml.new")
    saved.write_text(config.read_text() + "\n# rebuild\n")
    os.replace(saved, config)
    server.wait_for_log("pages in", builds_before + 1)


@pytest.mark.parametrize("watching", [[], ["--poll"]], ids=["inotify", "polling"])
def test_an_edit_shows_with_its_search_entries_and_leaves_other_pages_alone(project, serve, watching):
    _lunr(project)
    server = serve("--audience", "public", *watching)
    other_before = server.get("faq/shipping/returns/")
    _edit(project, "content/faq/shipping/delivery.md", "with the link", "with the tracking link")
    page = server.wait_until("faq/shipping/delivery/", lambda p: "with the tracking link" in p)
    assert "How long does delivery take?" in page
    # The index is written right after the pages, in the same update (browsers reload after both).
    server.wait_until("search/search_index.json", lambda index: "with the tracking link" in _search_text(index))
    assert server.get("faq/shipping/returns/") == other_before
    assert "full rebuild" not in server.log
    assert "content/faq/shipping/delivery.md: " in server.log


@pytest.mark.parametrize("audience,engine", [("public", "pagefind"), ("internal", "pagefind"), ("public", "lunr")])
def test_updated_pages_are_what_a_full_build_writes(project, serve, audience, engine):
    if engine == "lunr":
        _lunr(project)
    server = serve("--audience", audience)
    # A new question changes the topic's listing and the home page's card too.
    _edit(project, "content/faq/shipping/delivery.md", "## Can I track my parcel?",
          "## Do you deliver on Saturdays?\n\nIn most cities.\n\n## Can I track my parcel?")
    # Pagefind's entry file names the index's current version (a hash of all of it).
    index = "search/search_index.json" if engine == "lunr" else "pagefind/pagefind-entry.json"
    paths = ["faq/shipping/delivery/", "faq/shipping/", "", index, "faq/shipping/returns/"]
    if audience == "internal":
        _edit(project, "content/sop/billing/refund.md", "1. Check the order.", "1. Check the order and its invoice.")
        paths += ["sop/billing/refund/", "sop/billing/print-all/"]
        server.wait_until("sop/billing/print-all/", lambda p: "and its invoice" in p)
    server.wait_until("faq/shipping/", lambda p: "Do you deliver on Saturdays?" in p)
    if engine == "pagefind":
        _wait_for_the_search_index(server)
    updated = {path: server.get(path) for path in paths}
    assert "full rebuild" not in server.log
    assert "Do you deliver on Saturdays?" in updated[""]
    _full_rebuild(project, server, server.log.count("pages in"))
    for path in paths:
        assert server.get(path) == updated[path], f"{path} differs from a full build"


def test_a_title_change_or_a_new_page_rebuilds_the_navigation_of_every_page(project, serve):
    server = serve("--audience", "public")
    assert "Returns" in server.get("faq/shipping/delivery/")
    _edit(project, "content/faq/shipping/returns.md", "title: Returns", "title: Returns and refunds")
    server.wait_until("faq/shipping/delivery/", lambda p: "Returns and refunds" in p)
    assert "full rebuild: " in server.log and "its title changed" in server.log
    project.write("content/faq/shipping/customs.md", "---\ntitle: Customs fees\n---\n\n## Do I pay customs?\n\nNo.\n")
    page = server.wait_until("faq/shipping/delivery/", lambda p: "Customs fees" in p)
    assert 'href="../customs/"' in page
    assert "customs.md was added" in server.log


def test_a_broken_edit_is_reported_at_its_line_and_the_last_good_page_stays(project, serve):
    server = serve("--audience", "public")
    before = server.get("faq/shipping/delivery/")
    _edit(project, "content/faq/shipping/delivery.md", "Yes, with the link", "Yes, with {{ no.such.variable }}")
    server.wait_for_log("content/faq/shipping/delivery.md:12: unknown variable {{ no.such.variable }}")
    assert server.get("faq/shipping/delivery/") == before
    # Another page can still be edited meanwhile, and fixing the broken one shows it.
    _edit(project, "content/faq/shipping/returns.md", "for faulty items", "for faulty or damaged items")
    server.wait_until("faq/shipping/returns/", lambda p: "faulty or damaged" in p)
    _edit(project, "content/faq/shipping/delivery.md", "{{ no.such.variable }}", "the tracking link")
    server.wait_until("faq/shipping/delivery/", lambda p: "with the tracking link" in p)
    assert "Traceback" not in server.log


def test_public_preview_never_serves_an_internal_block_added_in_an_edit(project, serve):
    _lunr(project)
    server = serve("--audience", "public")
    _edit(project, "content/faq/shipping/delivery.md", "Yes, with the link in your confirmation email.",
          "Yes, with the link in your confirmation email or the app.\n\n"
          '!!! internal "Agent note"\n    Carrier portal password rotates every Monday morning.\n')
    page = server.wait_until("faq/shipping/delivery/", lambda p: "or the app" in p)
    assert "Carrier portal" not in page and "rotates every Monday" not in page
    assert "Carrier portal" not in server.get("search/search_index.json")
    assert "full rebuild" not in server.log


LEAKY_PLUGIN = '''
from cxdocs import hookimpl


@hookimpl
def cxdocs_page_markdown(page, target, text):
    # A buggy plugin: pastes an SOP's step into public pages that ask for it.
    text.markdown = text.markdown.replace("PASTE-HERE", "Refund up to 30 EUR without approval from the team lead.")
'''


def test_public_preview_guard_refuses_an_update_that_leaks(project, serve):
    _lunr(project)
    project.write("plugins/leaky.py", LEAKY_PLUGIN)
    _edit(project, "content/sop/billing/refund.md", "2. Refund up to {{ limits.refund }} without approval.",
          "2. Refund up to {{ limits.refund }} without approval from the team lead.")
    server = serve("--audience", "public")
    before = server.get("faq/shipping/delivery/")
    _edit(project, "content/faq/shipping/delivery.md", "Yes, with the link", "PASTE-HERE Yes, with the link")
    server.wait_for_log("internal content reached the public preview")
    assert "sop/billing/refund.md" in server.log
    assert server.get("faq/shipping/delivery/") == before
    assert "without approval" not in server.get("search/search_index.json")


def test_a_configuration_saved_by_renaming_is_seen_every_time(project, serve):
    server = serve("--audience", "public")
    _full_rebuild(project, server, 0)
    _full_rebuild(project, server, 1)
    assert server.log.count("full rebuild: mkdocs.yml changed") == 2


def test_stopping_the_server_removes_its_working_folder(project, serve):
    server = serve("--audience", "public")
    assert list(server.tmp.iterdir()), "the server keeps its builds in TMPDIR"
    server.stop()
    assert server.proc.returncode == 143
    assert not list(server.tmp.iterdir())


def test_a_snippet_change_means_a_full_rebuild(project, serve):
    project.write("content/snippets/hours.md", "We answer within a day.\n")
    _edit(project, "content/faq/shipping/returns.md", "We do, for faulty items.",
          'We do, for faulty items.\n\n--8<-- "snippets/hours.md"')
    server = serve("--audience", "internal")
    _edit(project, "content/snippets/hours.md", "within a day", "within two hours")
    server.wait_until("faq/shipping/returns/", lambda p: "within two hours" in p)
    assert "full rebuild: content/snippets/hours.md: a snippet changed" in server.log


def _settled(server, paths: list[str]) -> dict[str, str]:
    """The files once a preview's update has written its last one (the same bytes twice in a row)."""
    deadline = time.monotonic() + WAIT
    before = {path: server.get(path) for path in paths}
    while True:
        time.sleep(0.5)
        now = {path: server.get(path) for path in paths}
        if now == before:
            return now
        assert time.monotonic() < deadline, f"{paths} kept changing:\n{server.log}"
        before = now


def test_a_translation_edit_shows_with_its_switcher_and_hreflang_as_a_full_build_has_them(tmp_path):
    from test_languages import FAQ, LANGS, UNTRANSLATED

    project = Project(tmp_path)
    project.config(languages=LANGS, variables={"shipping": {"days": "3-5 days"}},
                   language_variables={"sl": {"shipping": {"days": "3–5 delovnih dneh"}}}, search="lunr")
    for lang, text in FAQ.items():
        project.write(f"content/faq/shipping/delivery{'' if lang == 'en' else '.' + lang}.md", text)
    project.write("content/faq/shipping/returns.md", UNTRANSLATED)
    server = Server(project.root, "--audience", "public", "--lang", "sl")
    try:
        # Another language's translation changes nothing this preview shows: no page is written.
        _edit(project, "content/faq/shipping/delivery.ru.md", "Отслеживание бесплатно", "Отслеживание всегда бесплатно")
        server.wait_for_log("delivery.ru.md: no page of public:sl changed")
        _edit(project, "content/faq/shipping/delivery.sl.md", "Sledenje pošiljki je brezplačno.",
              "Sledenje pošiljki je vedno brezplačno.")
        paths = ["faq/shipping/delivery/", "faq/shipping/returns/", "search/search_index.json"]
        page = server.wait_until(paths[0], lambda p: "vedno brezplačno" in p)
        assert '<html lang="sl"' in page and 'hreflang="en"' in page
        # The edited page is shown first; the pages that gather it and the search index follow.
        server.wait_until(paths[2], lambda p: "vedno" in p)
        updated = _settled(server, paths)
        _full_rebuild(project, server, 0)
        for path in paths:
            assert server.get(path) == updated[path], f"{path} differs from a full build"
        assert "full rebuild: mkdocs.yml changed" in server.log and server.log.count("full rebuild") == 1
    finally:
        server.stop()


def test_without_speedups_the_preview_rebuilds_in_full_and_still_shows_an_edit(project, serve):
    """MkDocs' own live-reload server, as it is: every change is a full build."""
    project.config(variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}}, speedups=False)
    server = serve("--audience", "public")
    _edit(project, "content/faq/shipping/delivery.md", "with the link", "with the tracking link")
    page = server.wait_until("faq/shipping/delivery/", lambda p: "with the tracking link" in p)
    assert "How long does delivery take?" in page
    assert "speed-up off" not in server.log  # turned off by the project: nothing to warn about
    assert server.log.count("built public:en") >= 2


def test_with_pagefind_an_edit_is_found_by_search_once_the_target_is_indexed_again(project, serve):
    server = serve("--audience", "public")
    _edit(project, "content/faq/shipping/delivery.md", "Yes, with the link in your confirmation email.",
          "Yes, with the link in your confirmation email or the courier's parcel locker app.\n\n"
          '!!! internal "Agent note"\n    Carrier portal password rotates every Monday morning.\n')
    server.wait_until("faq/shipping/delivery/", lambda p: "parcel locker app" in p)
    _wait_for_the_search_index(server)
    assert "full rebuild" not in server.log
    with browser() as chromium:
        page = chromium.new_page()
        # "lockers": Pagefind's English stemmer finds the page by another form of the new word.
        found = search_box(page, server.base, "", "lockers")
        assert any("Can I track my parcel?" in r for r in found), found
        assert search_box(page, server.base, "", "carrier portal password") == []
