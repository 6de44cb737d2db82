"""``cxdocs status``: what changed since a translation was made, translated snippets, and a status
that still shows when some file of the tree is broken."""

from __future__ import annotations

import json
import re
import subprocess

from conftest import Project

SOURCE = "---\ntitle: Delivery\n---\n\n## When will it arrive?\n\nSoon.\n\n## Can I track it?\n\nYes, with the link we email you.\n"
TRANSLATION = "---\ntitle: Dostava\n---\n\n## Kdaj bo prispelo?\n\nKmalu.\n\n## Ali ga lahko spremljam?\n\nDa, s povezavo, ki vam jo pošljemo.\n"


def git(root, *args) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True,
                          env={"GIT_AUTHOR_NAME": "W", "GIT_AUTHOR_EMAIL": "w@example.test", "GIT_COMMITTER_NAME": "W",
                               "GIT_COMMITTER_EMAIL": "w@example.test", "PATH": "/usr/bin:/bin",
                               "GIT_AUTHOR_DATE": "2026-11-20T10:00:00", "GIT_COMMITTER_DATE": "2026-11-20T10:00:00"}).stdout


def _site(tmp_path) -> Project:
    site = Project(tmp_path)
    site.config(languages=["en", "sl", "hr"])
    site.write("content/faq/shipping/delivery.md", SOURCE)
    site.write("content/faq/shipping/delivery.sl.md", TRANSLATION)
    assert site.run("status", "--mark", "content/faq/shipping/delivery.sl.md").exit_code == 0
    return site


def test_diff_shows_how_the_source_changed_since_the_translation_and_where_the_translation_needs_work(tmp_path):
    site = _site(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Delivery, in Slovenian")
    made = git(tmp_path, "rev-parse", "HEAD").strip()
    source = tmp_path / "content/faq/shipping/delivery.md"
    source.write_text(SOURCE.replace("Soon.", "Within three working days."), encoding="utf-8")  # not committed yet

    result = site.run("status", "--diff")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith(
        "content/faq/shipping/delivery.sl.md is outdated: content/faq/shipping/delivery.md changed since "
        f"{made[:10]} (2026-11-20), the version it was translated from:\n"
        f"--- content/faq/shipping/delivery.md @ {made[:10]}\n"
        "+++ content/faq/shipping/delivery.md now\n"
    ), out
    assert "\n-Soon.\n+Within three working days.\n" in out
    assert "In content/faq/shipping/delivery.sl.md, the text that translates what changed:\n  line 8: Kmalu.\n" in out
    assert "Ali ga lahko" not in out  # unchanged text is not listed

    # The same for one page and one language; a renamed source is followed through its history.
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "Sooner")
    git(tmp_path, "mv", "content/faq/shipping/delivery.md", "content/faq/shipping/arrival.md")
    git(tmp_path, "mv", "content/faq/shipping/delivery.sl.md", "content/faq/shipping/arrival.sl.md")
    git(tmp_path, "commit", "-q", "-m", "Renamed")
    one = site.run("status", "--diff", "content/faq/shipping/arrival.sl.md")
    assert f"@ {made[:10]}\n" in one.stdout and "\n-Soon.\n+Within three working days.\n" in one.stdout
    assert site.run("status", "--diff", "faq/shipping/arrival.md", "--lang", "hr").stdout == \
        "no outdated translation of faq/shipping/arrival.md into hr\n"


def test_diff_without_git_history_says_so_and_shows_the_source(tmp_path):
    site = _site(tmp_path)
    source = tmp_path / "content/faq/shipping/delivery.md"
    source.write_text(SOURCE.replace("Soon.", "Within three working days."), encoding="utf-8")
    result = site.run("status", "--diff", "--lang", "sl")
    assert result.exit_code == 0
    assert result.stdout.startswith("content/faq/shipping/delivery.sl.md is outdated; no git history: ")
    assert "so what changed cannot be shown. The source as it is now:\n\n    ---\n    title: Delivery\n" in result.stdout
    assert "    Within three working days.\n" in result.stdout


def test_translated_snippets_are_tracked_like_pages(tmp_path):
    site = Project(tmp_path)
    site.config(languages=["en", "sl", "hr"])
    site.write("content/snippets/hours.md", "We answer from 8 to 18.\n")
    site.write("content/snippets/hours.sl.md", "Odgovarjamo od 8. do 18. ure.\n")
    site.write("content/faq/shipping/contact.md", '---\ntitle: Contact\n---\n\n## When?\n\n--8<-- "snippets/hours.md"\n')

    report = json.loads(site.run("status", "--json").stdout)["snippets"]
    assert report["sl"]["untracked"] == ["snippets/hours.md"] and report["hr"]["missing"] == ["snippets/hours.md"]
    mark = site.run("status", "--mark", "content/snippets/hours.sl.md")
    assert mark.exit_code == 0, mark.output
    assert (tmp_path / "content/snippets/hours.sl.md").read_text() == "Odgovarjamo od 8. do 18. ure.\n"  # untouched
    assert re.search(r"^hours\.sl\.md: [0-9a-f]{12}$", (tmp_path / "content/snippets/translated_from.yml").read_text(), re.M)
    assert json.loads(site.run("status", "--json").stdout)["snippets"]["sl"]["up_to_date"] == ["snippets/hours.md"]

    (tmp_path / "content/snippets/hours.md").write_text("We answer from 8 to 20.\n", encoding="utf-8")
    table = site.run("status").stdout
    assert re.search(r"^snippets\s+up to date\s+outdated\s+untracked\s+missing\s+coverage$", table, re.M), table
    assert re.search(r"^sl\s+0\s+1\s+0\s+0\s+0%$", table.split("snippets", 1)[1], re.M), table
    assert "  sl: outdated: snippets/hours.md" in table
    check = site.run("check", "--strict")
    assert "content/snippets/hours.sl.md:1: warning: translation into 'sl' is outdated" in check.stderr
    diff = site.run("status", "--diff", "snippets/hours.md")
    assert diff.stdout.startswith("content/snippets/hours.sl.md is outdated; no git history")
    assert site.build().exit_code == 0
    assert "translated_from" not in json.dumps(site.site_files())  # the record is never published


def test_status_reports_content_errors_and_still_shows_the_table(tmp_path):
    site = _site(tmp_path)
    site.write("content/faq/shipping/broken.md", "---\ntitle: [unclosed\n---\n\n## Q?\n\nA.\n")
    result = site.run("status")
    assert result.exit_code == 0
    assert "content/faq/shipping/broken.md:2: front matter is not valid YAML" in result.stderr
    assert "1 content error(s): those files are left out of the status" in result.stderr
    assert re.search(r"^sl\s+1\s+0\s+0\s+0\s+100%$", result.stdout, re.M), result.stdout
    report = json.loads(site.run("status", "--json").stdout)
    assert report["errors"] and report["errors"][0].startswith("content/faq/shipping/broken.md:2: ")


def test_a_hash_of_digits_only_is_recorded_as_text():
    from pathlib import Path

    from cxdocs.core.source import parse_document
    from cxdocs.core.translations import with_key

    for digest in ("012345670123", "123456789012", "0a1b2c3d4e5f"):
        text = with_key("---\ntitle: Dostava\n---\n\nKmalu.\n", digest)
        assert parse_document(Path("x.sl.md"), text).meta["translated_from"] == digest
