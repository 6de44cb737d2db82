"""The build itself refuses a public target holding internal text, proven by breaking the filter."""

from __future__ import annotations

import json

import cxdocs.adapters.mkdocs.plugin
import cxdocs.adapters.mkdocs.speedups.second_core
import cxdocs.app.build
import cxdocs.core.audience
import cxdocs.core.render
from cxdocs.core.audience import INTERNAL
from cxdocs.outputs.guard import Fragment, LeakGuard, SiteScan


def _snapshot(project):
    return project.site_files() if (project.root / "site").exists() else {}


def _faq_with_note(project, note="Escalate refunds above the limit to Dana Whitfield on extension 4471."):
    project.write(
        "content/faq/shipping/returns.md",
        f"""
        ---
        title: Returns
        ---

        ## How do I return an item?

        Use the returns form.

        !!! internal "Agent note"
            {note}
        """,
    )


def test_guard_stops_the_build_when_the_block_filter_is_disabled(project, monkeypatch):
    _faq_with_note(project)
    assert project.build().exit_code == 0
    before = _snapshot(project)

    real = cxdocs.core.audience.filter_audience
    monkeypatch.setattr(cxdocs.core.render, "filter_audience", lambda lines, audience: real(lines, INTERNAL))
    result = project.build()

    assert result.exit_code == 1
    assert "public build of public:en stopped: internal content reached the output" in result.output
    assert "faq/shipping/returns/index.html" in result.output
    assert _snapshot(project) == before, "a failed build must leave the previous site untouched"


def test_guard_catches_leaked_text_even_without_the_callout_markup(project, monkeypatch):
    """A filter bug that drops only the marker line would publish the note as a plain paragraph."""
    _faq_with_note(project)

    def drop_marker_only(lines, audience):
        kept, blocks = cxdocs.core.audience.filter_audience(lines, INTERNAL)
        markers = {b.marker for b in blocks}
        return [line._replace(text=line.text.strip()) for line in kept if line not in markers], blocks

    monkeypatch.setattr(cxdocs.core.render, "filter_audience", drop_marker_only)
    result = project.build()
    assert result.exit_code == 1
    assert "contains internal text from" in result.output
    assert "faq/shipping/returns.md:9" in result.output  # the internal block, where it was written
    assert "escalate refunds above the limit" in result.output.casefold()
    assert not (project.root / "site").exists()


def test_guard_stops_the_build_when_internal_pages_are_not_filtered(project, monkeypatch):
    monkeypatch.setattr(cxdocs.adapters.mkdocs.plugin, "pages_for", lambda proj, target: list(proj.pages))
    result = project.build()
    assert result.exit_code == 1
    assert "internal content reached the output" in result.output


def test_shared_snippet_in_sop_and_faq_is_not_a_false_alarm(project):
    project.write("content/snippets/window.md", "You can return any item within thirty days of delivery for a full refund.\n")
    project.write(
        "content/sop/billing/returns.md",
        "---\ntitle: Returns desk\ndepartment: Billing\npurpose: Returns.\n---\n\n1. Tell the customer:\n\n--8<-- \"snippets/window.md\"\n",
    )
    project.write(
        "content/faq/shipping/returns.md",
        "---\ntitle: Returns\n---\n\n## Can I return an item?\n\n--8<-- \"snippets/window.md\"\n",
    )
    result = project.build()
    assert result.exit_code == 0, result.output
    assert "within thirty days of delivery" in project.html("public/faq/shipping/returns/index.html")


def test_a_title_next_to_a_sentence_shared_with_an_sop_is_not_a_false_alarm(project):
    """The page title and its first paragraph are separate blocks: no leak is made of their junction."""
    project.write(
        "content/faq/shipping/kettles.md",
        "---\ntitle: Your account and kettles\n---\n\nYou can change your email address under My account.\n\n"
        "## Can I change my email?\n\nYes.\n",
    )
    project.write(
        "content/sop/billing/merge.md",
        "---\ntitle: Merge accounts\ndepartment: Billing\npurpose: Merge.\n---\n\n"
        "1. Merge accounts with orders that include kettles. You can change your email address under My account, so ask.\n",
    )
    result = project.build()
    assert result.exit_code == 0, result.output


def test_placeholder_tooltip_is_no_leak(project):
    """The public token for ``{{ customer.first_name }}`` carries a tooltip whose words, next to the
    token's, once formed a run the guard's public reference lacked and an internal note held (found by
    the property tests)."""
    project.write(
        "content/faq/shipping/delivery.md",
        "---\ntitle: Names\n---\n\n## Do you use my name?\n\nYes, {{ customer.first_name }}\nthanks for asking.\n\n"
        "!!! internal\n    Ask {{ agent.first_name }} {{ customer.first_name }} thanks for asking again\n",
    )
    result = project.build()
    assert result.exit_code == 0, result.output


class _WatchedWorker(cxdocs.adapters.mkdocs.speedups.second_core.GuardBeside):
    """The real worker, remembering what it reported."""

    reports: list = []

    def leaks(self):
        leaks = super().leaks()
        self.reports.append(leaks)
        return leaks


def _leaky_filter(monkeypatch):
    real = cxdocs.core.audience.filter_audience
    monkeypatch.setattr(cxdocs.core.render, "filter_audience", lambda lines, audience: real(lines, INTERNAL))


def test_one_target_is_guarded_beside_the_build_with_the_same_findings(project, monkeypatch):
    """A target built alone is guarded by a second process reading pages as they are written; it
    stops the build exactly as the guard run after the build does."""
    _faq_with_note(project)
    _leaky_filter(monkeypatch)
    monkeypatch.setattr(cxdocs.app.build, "GuardBeside", _WatchedWorker)
    _WatchedWorker.reports = []

    beside = project.build("--target", "public:en")
    assert beside.exit_code == 1
    assert len(_WatchedWorker.reports) == 1 and _WatchedWorker.reports[0], "the worker found the leak"
    assert "public build of public:en stopped" in beside.output
    assert "faq/shipping/returns/index.html" in beside.output

    monkeypatch.setenv("CXDOCS_JOBS", "1")  # one process: the guard runs after the build
    after = project.build("--target", "public:en")
    assert len(_WatchedWorker.reports) == 1
    assert after.exit_code == 1 and after.output == beside.output
    assert not (project.root / "site").exists()


def test_a_guard_worker_that_fails_leaves_the_guarding_to_the_build(project, monkeypatch):
    _faq_with_note(project)
    _leaky_filter(monkeypatch)

    def broken(*args):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(cxdocs.adapters.mkdocs.speedups.second_core, "SiteScan", broken)
    result = project.build("--target", "public:en")
    assert result.exit_code == 1
    assert "internal content reached the output" in result.output
    assert "worker lost" not in result.output


def test_a_file_changed_after_it_was_read_is_read_again(tmp_path):
    guard = LeakGuard([Fragment("escalate refunds above the limit to dana", None, 1)], [], [])
    page = tmp_path / "faq" / "index.html"
    page.parent.mkdir()
    page.write_text("<p>Use the returns form.</p>", encoding="utf-8")
    scan = SiteScan(guard, tmp_path)
    scan.read_file(page)
    assert scan.finish() == []

    page.write_text("<p>Escalate refunds above the limit to Dana, then reply.</p>", encoding="utf-8")
    leaks = scan.finish()
    assert [str(leak.file) for leak in leaks] == ["faq/index.html"]
    assert "escalate refunds above the limit" in leaks[0].reason


def test_ctrl_c_during_a_target_built_alone_stops_the_second_core_and_keeps_the_site(project, monkeypatch):
    for n in range(12):
        project.write(f"content/faq/shipping/q{n:02}.md", f"---\ntitle: Question {n}\n---\n\n## Is {n} fine?\n\nYes.\n")
    assert project.build().exit_code == 0
    before, names = _snapshot(project), sorted(p.name for p in project.root.iterdir())
    started: list = []
    real_nav, real_post_page = cxdocs.adapters.mkdocs.plugin.CxdocsPlugin.on_nav, cxdocs.adapters.mkdocs.plugin.CxdocsPlugin.on_post_page

    def nav(self, *args, **kwargs):
        result = real_nav(self, *args, **kwargs)
        started.extend([self.guard_beside.process, self.converting_ahead.process])
        return result

    def interrupted(self, output, page, config):
        if page.file.src_uri.endswith("q05.md"):
            raise KeyboardInterrupt
        return real_post_page(self, output, page, config)

    monkeypatch.setattr(cxdocs.adapters.mkdocs.plugin.CxdocsPlugin, "on_nav", nav)
    monkeypatch.setattr(cxdocs.adapters.mkdocs.plugin.CxdocsPlugin, "on_post_page", interrupted)
    result = project.build("--target", "public:en")
    assert result.exit_code == 130
    assert "interrupted; the previous site/ is unchanged" in result.stderr
    assert len(started) == 2 and not any(process.is_alive() for process in started)
    assert _snapshot(project) == before
    assert sorted(p.name for p in project.root.iterdir()) == names  # no staging folder left behind


def test_blocks_repeated_across_pages_are_read_once_and_leaks_in_them_reported_everywhere(tmp_path):
    guard = LeakGuard([Fragment("escalate refunds above the limit to dana", None, 1)], [], [])
    header = "<header><p>Larkspur help centre: search the answers</p></header>"
    for name, body in [("a", "<p>Use the returns form.</p>"),
                       ("b", "<p>Escalate refunds above the limit to Dana.</p>"),
                       ("c", "<p>Escalate refunds above the limit to Dana.</p>"),
                       ("d", "<p>Track your parcel.</p><p>Escalate refunds above the limit to Dana today.</p>")]:
        (tmp_path / f"{name}.html").write_text(f"<html><body>{header}{body}</body></html>", encoding="utf-8")
    scan = SiteScan(guard, tmp_path)
    leaks = scan.finish()
    assert [str(leak.file) for leak in leaks] == ["b.html", "c.html", "d.html"]
    assert "larkspur help centre: search the answers" in scan.seen_blocks  # read once, found clean


def test_an_internal_callout_is_found_however_its_class_is_cased(tmp_path):
    # The callout search skips pages that cannot hold the word; ignoring case, U+0130 and U+0131 are "i" too.
    guard = LeakGuard([], [], [])
    for cased in ("internal", "INTERNAL", "Internal", "\u0130nternal", "\u0131nternal"):
        page = f'<div class="admonition {cased}"><p>Call the duty manager.</p></div>'
        assert [leak.reason for leak in guard.scan_text("faq/index.html", page, ".html")] == [
            "contains an internal callout"
        ], cased
    assert guard.scan_text("faq/index.html", '<div class="admonition note"><p>Intern hours.</p></div>', ".html") == []


def test_words_only_a_generated_page_shows_are_public_for_the_guard_beside_the_build(project, monkeypatch):
    """A topic's name comes from its folder: the generated landing pages are the only public text
    holding it. An SOP paragraph of those words is no leak, whether the guard runs beside the build
    (it gets the generated text once MkDocs has the pages) or after it."""
    project.write(
        "content/faq/warranty-and-repairs/claims.md",
        "---\ntitle: Claims\n---\n\n## Who pays for shipping?\n\nWe send a prepaid label.\n",
    )
    project.write(
        "content/sop/billing/claims.md",
        "---\ntitle: Claims desk\ndepartment: Billing\npurpose: Claims.\n---\n\nWarranty and repairs\n\n"
        "1. Check the serial number.\n",
    )
    monkeypatch.setattr(cxdocs.app.build, "GuardBeside", _WatchedWorker)
    _WatchedWorker.reports = []
    beside = project.build("--target", "public:en")
    assert beside.exit_code == 0, beside.output
    assert _WatchedWorker.reports == [[]], "the guard beside the build read the target"
    assert "Warranty and repairs" in project.html("public/faq/warranty-and-repairs/index.html")

    monkeypatch.setenv("CXDOCS_JOBS", "1")
    assert project.build("--target", "public:en").exit_code == 0


def test_internal_words_in_structured_data_are_found_through_its_escapes(tmp_path):
    # JSON-LD escapes an answer's markup (\u003cp\u003e): read raw, the escapes glue onto the words around them.
    guard = LeakGuard([Fragment("escalate refunds above the limit to dana", None, 7)], [], [])
    answer = "\\u003cp\\u003eEscalate refunds above the \\u003cem\\u003elimit\\u003c/em\\u003e to Dana.\\u003c/p\\u003e"
    page = (
        '<html><head><script type="application/ld+json">\n'
        f'{{"@type": "FAQPage", "mainEntity": [{{"@type": "Question", "name": "Refunds?", '
        f'"acceptedAnswer": {{"@type": "Answer", "text": "{answer}"}}}}]}}\n'
        "</script></head><body><h2>Refunds?</h2><p>Use the returns form.</p></body></html>"
    )
    leaks = guard.scan_text("faq/refunds/index.html", page, ".html")
    assert len(leaks) == 1 and "'escalate refunds above the limit'" in leaks[0].reason


def _site_with_leaky_index(tmp_path):
    guard = LeakGuard([Fragment("escalate refunds above the limit to dana", None, 1)], [], [])
    (tmp_path / "faq").mkdir()
    (tmp_path / "faq" / "index.html").write_text("<p>Use the returns form.</p>", encoding="utf-8")
    (tmp_path / "search").mkdir()
    index = {"docs": [{"location": "faq/", "title": "FAQ", "text": "<p>Escalate refunds above the limit to Dana.</p>"}]}
    (tmp_path / "search" / "search_index.json").write_text(json.dumps(index), encoding="utf-8")
    return SiteScan(guard, tmp_path)


def test_files_read_by_a_forked_process_at_the_end_are_reported_like_the_others(tmp_path):
    scan = _site_with_leaky_index(tmp_path)
    scan.read_file(tmp_path / "faq" / "index.html")
    others = cxdocs.adapters.mkdocs.speedups.second_core.ReadBeside(scan, scan.unread_but_pages())
    assert others.paths == [tmp_path / "search" / "search_index.json"]
    handed_back: dict = {}

    def results():
        handed_back.update(others.results())
        return handed_back

    leaks = scan.finish(others.paths, results)
    assert [str(leak.file) for leak in leaks] == ["search/search_index.json"]
    assert "escalate refunds above the limit" in leaks[0].reason
    assert handed_back[others.paths[0]][1] == leaks, "the forked process found it"


def test_files_a_forked_process_did_not_hand_back_are_read_at_the_end(tmp_path):
    scan = _site_with_leaky_index(tmp_path)
    taken = scan.unread_but_pages()
    leaks = scan.finish(taken, dict)  # the fork failed: it found nothing
    assert [str(leak.file) for leak in leaks] == ["search/search_index.json"]
