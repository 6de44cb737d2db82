"""The build itself refuses a public target holding internal text, proven by breaking the filter."""

from __future__ import annotations

import re

import pytest

import cxdocs.adapters.mkdocs.plugin
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


def _drop_marker_only(lines, audience):
    """A filter bug that drops only a note's marker line: the note is published as a plain paragraph."""
    kept, blocks = cxdocs.core.audience.filter_audience(lines, INTERNAL)
    markers = {b.marker for b in blocks}
    return [line._replace(text=line.text.strip()) for line in kept if line not in markers], blocks


def test_guard_stops_the_build_when_the_block_filter_is_disabled(project, monkeypatch):
    _faq_with_note(project)
    assert project.build().exit_code == 0
    before = _snapshot(project)

    real = cxdocs.core.audience.filter_audience
    monkeypatch.setattr(cxdocs.core.render, "filter_audience", lambda lines, audience: real(lines, INTERNAL))
    # Without the build cache: the pages it holds were rendered by the unbroken filter.
    result = project.build("--no-cache")

    assert result.exit_code == 1
    assert "public build of public:en stopped: internal content reached the output" in result.output
    assert "faq/shipping/returns/index.html" in result.output
    assert _snapshot(project) == before, "a failed build must leave the previous site untouched"


def test_guard_catches_leaked_text_even_without_the_callout_markup(project, monkeypatch):
    """A filter bug that drops only the marker line would publish the note as a plain paragraph."""
    _faq_with_note(project)
    monkeypatch.setattr(cxdocs.core.render, "filter_audience", _drop_marker_only)
    result = project.build()
    assert result.exit_code == 1
    assert "internal text reached the public output" in result.output
    assert "content/faq/shipping/returns.md:10: " in result.output  # the line the leaked words were written on
    assert "escalate refunds above the limit" in result.output.casefold()
    assert not (project.root / "site").exists()


@pytest.mark.parametrize("marker, note", [
    ('!!! internal', "Refund limit 500 EUR."),
    ('!!! internal "Agent note"', "Call Dana first."),
    ('??? internal "Before you answer"', "Check the carrier portal."),
])
def test_a_short_note_published_without_its_markup_is_caught(project, monkeypatch, marker, note):
    """A note of a few words, published as a plain paragraph: no run of five words crosses from its
    title into it, and the guard still knows it."""
    project.write("content/faq/shipping/returns.md", f"""
        ---
        title: Returns
        ---

        ## How do I return an item?

        Use the returns form.

        {marker}
            {note}
        """)
    monkeypatch.setattr(cxdocs.core.render, "filter_audience", _drop_marker_only)
    result = project.build()
    assert result.exit_code == 1
    assert "internal text reached the public output" in result.output
    assert "content/faq/shipping/returns.md:10: " in result.output
    assert note.casefold().rstrip(".") in result.output.casefold()


@pytest.mark.parametrize("body, shown", [
    (["Escalation contacts:", "", "- Dana 4471 mobile", "- Tomas 5512 desk"], "dana 4471 mobile"),
    (["1. Open the claim form", "2. Tick goodwill refund"], "tick goodwill refund"),
    (["#### Vault code", "Door 7781 east"], "door 7781 east"),
    (["1. Call Dana now"], "call dana now"),
])
def test_a_note_s_short_items_published_without_its_markup_are_caught(project, monkeypatch, body, shown):
    """A note's list items, numbered steps or heading of a few words each: the page shows each as a
    block of its own, where no run of five words crosses from one item into the next."""
    note = "\n".join(f"    {line}" if line else "" for line in body)
    project.write("content/faq/shipping/returns.md",
                  f"---\ntitle: Returns\n---\n\n## How do I return an item?\n\nUse the returns form.\n\n!!! internal\n{note}\n")

    def unwrap_notes(lines, audience):
        """A filter that drops the marker line and keeps the note's lines as the page's own."""
        kept, blocks = cxdocs.core.audience.filter_audience(lines, INTERNAL)
        markers = re.compile(r"\s*(?:!!!|\?\?\?)\+? internal")
        return [line._replace(text=line.text.removeprefix("    ")) for line in kept if not markers.match(line.text)], blocks

    monkeypatch.setattr(cxdocs.core.render, "filter_audience", unwrap_notes)
    result = project.build()
    assert result.exit_code == 1
    assert f"internal text reached the public output: {shown!r}" in result.output


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


def _leaky_filter(monkeypatch):
    real = cxdocs.core.audience.filter_audience
    monkeypatch.setattr(cxdocs.core.render, "filter_audience", lambda lines, audience: real(lines, INTERNAL))


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
        reasons = [leak.reason for leak in guard.scan_text("faq/index.html", page, ".html")]
        assert len(reasons) == 1 and reasons[0].startswith(f"holds an element of class 'admonition {cased}'"), cased
    assert guard.scan_text("faq/index.html", '<div class="admonition note"><p>Intern hours.</p></div>', ".html") == []


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


def test_a_link_s_address_next_to_its_words_is_not_a_false_alarm(project):
    """A link's address is read apart from its words: "…/cast-iron-pan-payment-options/" followed by
    "Cast-iron pan payment options" held "payment options cast iron pan", an internal reply's title
    (found at 10,000 pages in five languages)."""
    project.write(
        "content/faq/payments/cast-iron-pan-payment-options.md",
        "---\ntitle: Cast-iron pan payment options\n---\n\n## Can I pay in parts?\n\nYes.\n",
    )
    project.write(
        "content/faq/returns/pan-returns.md",
        "---\ntitle: Pan returns\n---\n\n## Can I return a pan?\n\nYes. See also "
        "[Cast-iron pan payment options](../payments/cast-iron-pan-payment-options.md).\n",
    )
    project.write(
        "content/responses/billing/instalments.md",
        "---\ntitle: \"Instalment payment options: cast iron pan\"\nsubject: Your instalments\n---\n\n"
        "Hello,\n\nYou can pay for the pan in three parts.\n",
    )
    result = project.build()
    assert result.exit_code == 0, result.output


def test_internal_words_around_a_link_are_one_run():
    """The reader reads "Refund up to thirty euros without approval" whatever the middle words link
    to: the link's address does not break the run."""
    guard = LeakGuard([Fragment("refund up to thirty euros without approval", None, 3)], [], [])
    page = '<p>Refund up to <a href="../limits/">thirty euros</a> without approval.</p>'
    leaks = guard.scan_text("faq/refunds/index.html", page, ".html")
    assert len(leaks) == 1 and "internal text reached the public output" in leaks[0].reason


def test_internal_words_in_an_attribute_are_found():
    guard = LeakGuard([Fragment("escalate refunds above the limit to dana", None, 7)], [], [])
    page = '<p>Our refunds.</p><img src="a.png" alt="Escalate refunds above the limit to Dana">'
    leaks = guard.scan_text("faq/refunds/index.html", page, ".html")
    assert len(leaks) == 1 and "'escalate refunds above the limit'" in leaks[0].reason


def test_a_text_read_for_several_languages_names_where_it_was_first_written(tmp_path):
    """A page not translated is read once for every language; the guard reads its text once, and
    a finding still names the first place the text was written, as when each copy was read."""
    from pathlib import Path

    text = "Refund the courier fee when the parcel arrives crushed at the depot."
    other = "Escalate to the warehouse lead before offering a replacement."
    first, second, copy = (Fragment(text, Path("content/sop/refunds.md"), 4),
                           Fragment(other, Path("content/sop/escalate.md"), 7),
                           Fragment(text, Path("content/sop/refunds.sl.md"), 9))
    public = ["Parcels arrive in three to five days.", "Parcels arrive in three to five days."]
    guard = LeakGuard([first, second, copy], public, ())
    alone = LeakGuard([first, second], public[:1], ())
    assert guard.by_length == alone.by_length
    assert guard.fingerprints == alone.fingerprints
    page = tmp_path / "index.html"
    page.write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
    leaks = guard.scan(tmp_path)
    assert leaks and all("content/sop/refunds.md:4" in str(leak) for leak in leaks)
