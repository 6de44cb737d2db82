"""A writer makes a mistake: cxdocs names the file and line, exits 1, and the published site stays as it was.

Every story starts from a project whose site/ was built successfully. The writer then breaks one
file and runs ``cxdocs build`` again: the error is one ``path:line: message`` line (no traceback),
and every byte of the previous site/ is still there, unchanged.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import Project

FAQ = "content/faq/shipping/delivery.md"
SOP = "content/sop/billing/refund.md"
RESPONSE = "content/responses/refunds/refund-confirmed.md"
VARIABLES = {"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}}


def site_bytes(project) -> dict[str, bytes]:
    site = project.root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def first_site(tmp_path_factory) -> Path:
    """The site of the first successful build of the standard project, reused so each story starts fast."""
    return tmp_path_factory.mktemp("first-build") / "site"


@pytest.fixture
def built(project, first_site):
    """The standard project with a successfully built site/ (the standard project always builds alike)."""
    if first_site.exists():
        shutil.copytree(first_site, project.root / "site", symlinks=True)
    else:
        result = project.build()
        assert result.exit_code == 0, result.output
        shutil.copytree(project.root / "site", first_site, symlinks=True)
    project.before = site_bytes(project)
    assert "public/faq/shipping/delivery/index.html" in project.before
    return project


def rejected(project, *args: str) -> list[str]:
    """Run ``cxdocs build`` on the broken project; assert it failed cleanly; return its error lines."""
    result = project.build(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert site_bytes(project) == project.before, "the previous site/ changed"
    leftovers = [p.name for p in project.root.iterdir() if p.name.startswith(".site")]
    assert leftovers == [], leftovers
    return result.stderr.splitlines()


def assert_reported(lines: list[str], where: str, message: str) -> str:
    """One of the lines is ``where: ...message...``; returns it."""
    hits = [line for line in lines if line.startswith(f"{where}: ") and message in line]
    assert hits, f"expected {where}: ...{message}... in:\n" + "\n".join(lines)
    return hits[0]


def faq(body: str, front: str = "title: Shipping\n") -> str:
    """A FAQ page: front matter on lines 1-3 (one key), a blank line 4, the body from line 5."""
    return f"---\n{front}---\n\n{body}"


# --- Front matter --------------------------------------------------------------------------------


def test_broken_yaml_names_the_line_of_the_yaml_problem(built):
    built.write(FAQ, "---\ntitle: Shipping\ndescription: Delivery: times and tracking\n---\n\n## Q?\n\nA.\n")
    lines = rejected(built)
    line = assert_reported(lines, f"{FAQ}:3", "front matter is not valid YAML: mapping values are not allowed here")
    # The usual fix, spelled out on the writer's own line.
    assert line.endswith("; a value with ': ' in it must be quoted: description: \"Delivery: times and tracking\"")
    assert "1 error(s); nothing was written" in lines


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        ("title: a\n  description: b\n", 3,
         "mapping values are not allowed here; the keys of one level must line up: check the indentation"),
        ("title: a\n\tdescription: b\n", 3,
         "found character '\\t' that cannot start any token; indent with spaces, not tabs"),
        ("title: 'It's here'\n", 2,
         "text after the start of a value in quotes or brackets must be inside quotes: title: \"It's here\""),
        ("title: [Draft] Shipping\n", 2,
         "must be inside quotes: title: \"[Draft] Shipping\""),
        ("title: @home delivery\n", 2,
         "found character '@' that cannot start any token; put the value in quotes: title: \"@home delivery\""),
        ('title: "C:\\path"\n', 2,
         "found unknown escape character 'p'; in double quotes a backslash starts an escape: use single quotes: title: 'C:\\path'"),
        ('title: "Shipping\n', 2,
         "found unexpected end of stream; a quoted value is never closed: end it with the same quote"),
    ],
    ids=["indented-key", "tab", "apostrophe", "brackets", "at-sign", "backslash", "unclosed-quote"],
)
def test_yaml_errors_say_the_usual_fix(built, front, line, message):
    built.write(FAQ, f"---\n{front}---\n\n## Q?\n\nA.\n")
    found = assert_reported(rejected(built), f"{FAQ}:{line}", message)
    assert f"{FAQ}:{line}: front matter is not valid YAML: " in found


def test_front_matter_that_is_a_list_is_refused(built):
    built.write(FAQ, "---\n- title: Shipping\n- description: Delivery\n---\n\n## Q?\n\nA.\n")
    assert_reported(rejected(built), f"{FAQ}:2", "front matter must be a mapping of 'key: value' lines")


def test_front_matter_never_closed_points_at_its_opening(built):
    built.write(FAQ, "---\ntitle: Shipping\n\n## How long does delivery take?\n\nThree days.\n")
    assert_reported(rejected(built), f"{FAQ}:1", "front matter opened with '---' is never closed with '---'")


def test_unknown_audience_points_at_the_audience_key(built):
    built.write(FAQ, faq("## Q?\n\nA.\n", front="title: Shipping\ndescription: Delivery.\naudience: customers\n"))
    line = assert_reported(rejected(built), f"{FAQ}:4", "unknown audience 'customers'")
    assert "use one of: public, internal" in line


def test_a_response_cannot_be_made_public(built):
    built.write(RESPONSE, "---\ntitle: Refund confirmed\naudience: public\n---\n\nHi.\n")
    assert_reported(rejected(built), f"{RESPONSE}:3", "a response cannot be public")


def test_non_utf8_file_is_refused_with_the_offending_byte(built):
    # Saved as UTF-16 by a Windows editor: starts with the bytes FF FE.
    (built.root / FAQ).write_bytes(b"\xff\xfe" + "## Q?\n\nA.\n".encode("utf-16-le"))
    assert_reported(rejected(built), f"{FAQ}:1", "not valid UTF-8 (byte 0xff); save the file as UTF-8")


def test_latin1_text_is_refused_on_the_line_it_is_on(built):
    (built.root / FAQ).write_bytes(b"---\ntitle: Shipping\n---\n\n## Q?\n\nCaf\xe9 opening hours.\n")
    assert_reported(rejected(built), f"{FAQ}:7", "not valid UTF-8 (byte 0xe9)")


def test_translation_into_a_language_that_is_not_configured(built):
    built.write("content/faq/shipping/delivery.de.md", faq("## Wie lange dauert die Lieferung?\n\nDrei Tage.\n"))
    line = assert_reported(
        rejected(built), "content/faq/shipping/delivery.de.md:1", "translation into 'de', which is not a configured language"
    )
    assert "(en)" in line


def test_translation_with_no_source_page(built):
    built.config(languages=["en", "sl"], variables=VARIABLES)
    built.write("content/faq/shipping/returns.sl.md", faq("## Kako vrnem izdelek?\n\nZ obrazcem.\n"))
    assert_reported(
        rejected(built), "content/faq/shipping/returns.sl.md:1", "translation into 'sl' has no source page returns.md"
    )


# --- Variables and placeholders -----------------------------------------------------------------


def test_unknown_variable_names_its_line_and_never_suggests_a_group(built):
    built.write(FAQ, faq("## How long does delivery take?\n\nUp to {{ limits.nope }}.\n"))
    line = assert_reported(rejected(built), f"{FAQ}:7", "unknown variable {{ limits.nope }}")
    # {{ limits }} is a group, itself an error to use; a hint must name something usable.
    assert "did you mean {{ limits }}" not in line


def test_misspelt_variable_gets_a_did_you_mean_hint(built):
    built.write(FAQ, faq("## How long does delivery take?\n\nIt takes\n{{ shipping.dayz }} in total.\n"))
    line = assert_reported(rejected(built), f"{FAQ}:8", "unknown variable {{ shipping.dayz }}")
    assert line.endswith("did you mean {{ shipping.days }}?")


def test_unknown_variable_far_from_any_name_gets_no_hint(built):
    built.write(FAQ, faq("## Warranty?\n\n{{ warranty_years_total }} years.\n"))
    line = assert_reported(rejected(built), f"{FAQ}:7", "unknown variable {{ warranty_years_total }}")
    assert "did you mean" not in line


def test_a_group_of_variables_used_as_a_value(built):
    built.write(FAQ, faq("## Refunds?\n\nUp to {{ limits }}.\n"))
    assert_reported(rejected(built), f"{FAQ}:7", "{{ limits }} is a group of variables; use one of: limits.refund")


def test_unknown_variable_in_the_title_points_at_the_title_key(built):
    built.write(FAQ, faq("## Q?\n\nA.\n", front='description: Delivery.\ntitle: "Shipping with {{ company }}"\n'))
    assert_reported(rejected(built), f"{FAQ}:3", "unknown variable {{ company }}")


def test_unknown_helpdesk_placeholder(built):
    built.write(FAQ, faq("## What size?\n\nWe have {{ customer.shoe_size }} on file.\n"))
    line = assert_reported(rejected(built), f"{FAQ}:7", "unknown helpdesk placeholder {{ customer.shoe_size }}")
    assert "did you mean" not in line


@pytest.mark.parametrize(
    ("written", "hint"),
    [("customer.phone", ""), ("customer.frist_name", "; did you mean {{ customer.first_name }}?"), ("agent.email", "")],
    ids=["no-such-field", "typo", "other-namespace"],
)
def test_unknown_placeholder_lists_the_valid_names(built, written, hint):
    # customer.phone once got "did you mean customer.name?": a phone number is not a name.
    built.write(FAQ, faq(f"## Can you call me?\n\nWe call {{{{ {written} }}}}.\n"))
    assert_reported(
        rejected(built), f"{FAQ}:7",
        f"unknown helpdesk placeholder {{{{ {written} }}}}{hint}; the placeholders are: customer.first_name, "
        "customer.last_name, customer.name, customer.email, agent.first_name, agent.name, ticket.id, ticket.subject",
    )


def test_unknown_placeholder_in_a_response(built):
    built.write(RESPONSE, "---\ntitle: Refund confirmed\n---\n\nHi {{ customer.nickname }},\n")
    assert_reported(rejected(built), f"{RESPONSE}:5", "unknown helpdesk placeholder {{ customer.nickname }}")


def test_malformed_expression_is_not_a_variable_name(built):
    built.write(FAQ, faq("## Q?\n\nSee {{ not a name }} here.\n"))
    assert_reported(rejected(built), f"{FAQ}:7", "{{ not a name }} is not a variable name")


def test_code_fence_never_closed(built):
    # Markdown shows an unclosed fence as text and the questions after it as questions, while a
    # fence-aware reader would take the rest of the page for code: refused, at the opening fence.
    built.write(FAQ, faq("## Q?\n\nRun this:\n\n```\nreset --all\n\n## Another question?\n\nA.\n"))
    assert_reported(rejected(built), f"{FAQ}:9", "code fence ``` is never closed: end the code block with a line of ```")


# --- Internal blocks -----------------------------------------------------------------------------


def test_internal_block_with_no_body(built):
    built.write(FAQ, faq('## Q?\n\nPublic answer.\n\n!!! internal "Agent note"\n\nMore public text.\n'))
    assert_reported(
        rejected(built), f"{FAQ}:9", "internal block is empty or not closed: indent its text by 4 spaces under the marker"
    )


def test_internal_block_body_indented_two_spaces(built):
    built.write(FAQ, faq('## Q?\n\nPublic answer.\n\n!!! internal "Agent note"\n  Refund without asking.\n'))
    assert_reported(rejected(built), f"{FAQ}:10", "the body of an internal block must be indented by 4 spaces (found 2)")


def test_internal_block_with_another_admonition_type(built):
    built.write(FAQ, faq('## Q?\n\nPublic answer.\n\n!!! note internal "Agent note"\n    Refund without asking.\n'))
    assert_reported(rejected(built), f"{FAQ}:9", "an internal block takes no other admonition type")


def test_marker_without_a_space_is_still_an_internal_block(built):
    # Python-Markdown renders `!!!internal` as an internal callout; the filter must see it too,
    # so a body with a bad indent is reported instead of slipping through to the public page.
    built.write(FAQ, faq('## Q?\n\nPublic answer.\n\n!!!internal "Agent note"\n  Refund without asking.\n'))
    assert_reported(rejected(built), f"{FAQ}:10", "must be indented by 4 spaces (found 2)")


def test_marker_with_quotes_in_its_title_is_still_an_internal_block(built):
    built.write(FAQ, faq('## Q?\n\nPublic answer.\n\n!!! internal "Call "Bob" first"\n  Refund without asking.\n'))
    assert_reported(rejected(built), f"{FAQ}:10", "must be indented by 4 spaces (found 2)")


# --- Snippets ------------------------------------------------------------------------------------


def test_unknown_variable_inside_a_snippet_names_the_snippet_and_its_line(built):
    built.write("content/snippets/returns-window.md", "You can return items.\n\nWithin {{ limits.return_days }} days.\n")
    built.write(FAQ, faq('## Can I return it?\n\n--8<-- "snippets/returns-window.md"\n'))
    assert_reported(rejected(built), "content/snippets/returns-window.md:3", "unknown variable {{ limits.return_days }}")


def test_non_utf8_snippet_names_the_snippet(built):
    (built.root / "content/snippets").mkdir()
    (built.root / "content/snippets/cafe.md").write_bytes(b"Our caf\xe9.\n")
    built.write(FAQ, faq('## Where?\n\n--8<-- "snippets/cafe.md"\n'))
    assert_reported(rejected(built), "content/snippets/cafe.md:1", "not valid UTF-8")


@pytest.mark.parametrize(
    ("include", "message"),
    [
        ("../outside.md", "include '../outside.md' reaches outside the content folder"),
        ("snippets/../../outside.md", "reaches outside the content folder"),
        ("snippets/missing.md", "include 'snippets/missing.md' not found in the content folder"),
    ],
    ids=["dot-dot", "dot-dot-inside", "missing"],
)
def test_bad_include_path(built, include, message):
    built.write("outside.md", "Secret text outside the content folder.\n")
    built.write(FAQ, faq(f'## Q?\n\nSee below.\n\n--8<-- "{include}"\n'))
    assert_reported(rejected(built), f"{FAQ}:9", message)


def test_include_of_an_absolute_path(built):
    outside = built.write("outside.md", "Secret text outside the content folder.\n")
    built.write(FAQ, faq(f'## Q?\n\n--8<-- "{outside}"\n'))
    line = assert_reported(rejected(built), f"{FAQ}:7", "is an absolute path; give a path relative to the content folder")
    assert str(outside) in line


def test_include_of_a_symlink_pointing_outside(built):
    outside = built.write("outside.md", "Secret text outside the content folder.\n")
    (built.root / "content/snippets").mkdir()
    os.symlink(outside, built.root / "content/snippets/link.md")
    built.write(FAQ, faq('## Q?\n\n--8<-- "snippets/link.md"\n'))
    assert_reported(rejected(built), f"{FAQ}:7", "resolves outside the content folder (a symbolic link?)")


def test_include_line_that_is_not_quoted(built):
    built.write(FAQ, faq("## Q?\n\n--8<-- snippets/a.md\n"))
    assert_reported(rejected(built), f"{FAQ}:7", 'an include must be one line of the form --8<-- "snippets/name.md"')


def test_circular_include_names_the_cycle_once(built):
    built.write("content/snippets/a.md", 'Part A.\n--8<-- "snippets/b.md"\n')
    built.write("content/snippets/b.md", 'Part B.\n\n--8<-- "snippets/a.md"\n')
    built.write(FAQ, faq('## Q?\n\n--8<-- "snippets/a.md"\n'))
    line = assert_reported(rejected(built), "content/snippets/b.md:3", "circular include: ")
    assert line.endswith("circular include: delivery.md -> a.md -> b.md -> a.md")


def test_snippet_including_itself(built):
    built.write("content/snippets/a.md", 'Part A.\n--8<-- "snippets/a.md"\n')
    built.write(FAQ, faq('## Q?\n\n--8<-- "snippets/a.md"\n'))
    assert_reported(rejected(built), "content/snippets/a.md:2", "circular include")


# --- Responses -----------------------------------------------------------------------------------


def test_duplicate_response_ids(built):
    built.write("content/responses/returns/rma-issued.md", "---\ntitle: RMA issued\nid: rma\n---\n\nHi.\n")
    built.write("content/responses/returns/rma-reminder.md", "---\ntitle: RMA reminder\ntags: [returns]\nid: rma\n---\n\nHi.\n")
    line = assert_reported(
        rejected(built), "content/responses/returns/rma-reminder.md:4", "duplicate response id 'rma'"
    )
    # The other file is named as the writer would type it, not as an absolute path.
    assert line.endswith("also used by content/responses/returns/rma-issued.md")


def test_explicit_id_clashing_with_another_responses_default_id(built):
    built.write("content/responses/returns/rma.md", "---\ntitle: RMA\nid: refunds/refund-confirmed\n---\n\nHi.\n")
    lines = rejected(built)
    assert any("duplicate response id 'refunds/refund-confirmed'" in line for line in lines), lines


def test_response_with_no_title(built):
    built.write(RESPONSE, "---\ntags: [refunds]\n---\n\nHi {{ customer.first_name }},\n")
    assert_reported(rejected(built), f"{RESPONSE}:1", "response is missing required front matter 'title'")


# --- FAQ pages -----------------------------------------------------------------------------------


def test_question_with_no_answer(built):
    built.write(FAQ, faq("## How long does delivery take?\n\n## Can I track my parcel?\n\nYes.\n"))
    lines = rejected(built)
    assert_reported(lines, f"{FAQ}:5", "question 'How long does delivery take?' has no answer")
    assert not any("Can I track" in line for line in lines)


def test_question_whose_only_answer_is_internal(built):
    # Agents would see an answer; customers would see a bare question.
    built.write(
        FAQ,
        faq(
            "## Can I get a refund without a receipt?\n\n"
            '!!! internal "Agent note"\n    Up to {{ limits.refund }}, yes.\n\n'
            "## Can I track my parcel?\n\nYes.\n"
        ),
    )
    assert_reported(rejected(built), f"{FAQ}:5", "question 'Can I get a refund without a receipt?' has no answer")


def test_duplicate_questions_on_one_page(built):
    built.write(FAQ, faq("## Can I track my parcel?\n\nYes.\n\n## Can I track my PARCEL?\n\nStill yes.\n"))
    lines = rejected(built)
    assert_reported(lines, f"{FAQ}:5", "question 'Can I track my parcel?' appears more than once on the page")
    assert_reported(lines, f"{FAQ}:9", "question 'Can I track my PARCEL?' appears more than once on the page")


def test_faq_page_with_no_question(built):
    built.write(FAQ, faq("Delivery takes three days.\n\n### A subheading is not a question\n\nText.\n"))
    assert_reported(rejected(built), f"{FAQ}:1", "FAQ page has no questions: write each question as a '## ' heading")


# --- SOPs ----------------------------------------------------------------------------------------


def test_sop_missing_purpose(built):
    built.write(SOP, "---\ntitle: Refund a customer\ndepartment: Billing\n---\n\n1. Check the order.\n")
    lines = rejected(built)
    assert_reported(lines, f"{SOP}:1", "SOP is missing required front matter 'purpose'")
    assert not any("'title'" in line or "'department'" in line for line in lines)


def test_sop_review_by_that_is_not_a_date(built):
    built.write(SOP, "---\ntitle: T\ndepartment: Billing\npurpose: P.\nreview_by: next spring\n---\n\n1. Step.\n")
    assert_reported(rejected(built), f"{SOP}:5", "'review_by' must be a date like 2027-01-31")


# --- Many problems at once -----------------------------------------------------------------------


def test_check_reports_every_broken_file_in_one_run(project):
    project.write(FAQ, faq("## How long?\n\nUp to {{ shipping.dayz }}.\n"))
    project.write("content/faq/orders/cancel.md", faq("## Can I cancel?\n\n## Can I change my address?\n\nYes.\n"))
    project.write(SOP, "---\ntitle: Refund\ndepartment: Billing\n---\n\n1. Refund.\n")
    result = project.run("check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert_reported(lines, "content/faq/orders/cancel.md:5", "question 'Can I cancel?' has no answer")
    assert_reported(lines, f"{FAQ}:7", "unknown variable {{ shipping.dayz }}")
    assert_reported(lines, f"{SOP}:1", "SOP is missing required front matter 'purpose'")
    assert sum(line.startswith("content/") for line in lines) == 3
    assert "4 pages checked: 3 error(s), 0 warning(s)" in lines


def test_check_reports_every_unreadable_file_in_one_run(project):
    project.write(FAQ, "---\ntitle: Shipping: fast\n---\n\n## Q?\n\nA.\n")
    project.write(SOP, "---\ntitle: Refund\ndepartment: Billing\npurpose: P.\naudience: agents\n---\n\n1. Refund.\n")
    project.write("content/faq/shipping/delivery.fr.md", faq("## Q?\n\nR.\n"))
    result = project.run("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert_reported(lines, f"{FAQ}:2", "front matter is not valid YAML")
    assert_reported(lines, f"{SOP}:5", "unknown audience 'agents'")
    assert_reported(lines, "content/faq/shipping/delivery.fr.md:1", "translation into 'fr'")
    assert sum(line.startswith("content/") for line in lines) == 3


def test_check_reports_unreadable_and_invalid_files_together(project):
    # One unreadable file does not hide the problems of the files that can be read.
    project.write(FAQ, "---\ntitle: Shipping: fast\n---\n\n## Q?\n\nA.\n")
    project.write("content/faq/orders/cancel.md", faq("## Can I cancel?\n\nUp to {{ nope }}.\n"))
    project.write(SOP, "---\ntitle: Refund\ndepartment: Billing\n---\n\n1. Refund.\n")
    result = project.run("check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert sum(line.startswith("content/") for line in lines) == 3
    assert_reported(lines, f"{FAQ}:2", "front matter is not valid YAML")
    assert_reported(lines, "content/faq/orders/cancel.md:7", "unknown variable {{ nope }}")
    assert_reported(lines, f"{SOP}:1", "missing required front matter 'purpose'")


# --- Empty and oversized files ---------------------------------------------------------------------


def test_empty_file_is_refused(built):
    built.write("content/faq/shipping/empty.md", "\n\n")
    lines = rejected(built)
    assert_reported(lines, "content/faq/shipping/empty.md:1", "file is empty: write the page, or delete the file")


def test_oversized_file_is_refused_before_it_is_read(built):
    path = built.root / "content/faq/shipping/huge.md"
    path.write_text("---\ntitle: Huge\n---\n\n## Why?\n\n" + "x" * (3 * 1024 * 1024) + "\n")
    lines = rejected(built)
    assert_reported(lines, "content/faq/shipping/huge.md:1", "over the 2,097,152-byte limit for a page; split it")


# --- Configuration (mkdocs.yml) ------------------------------------------------------------------

CONFIG = """\
site_name: Test Help
site_url: https://help.example.test/
docs_dir: content
theme:
  name: material
plugins:
  - search
  - cxdocs:
      languages: [en, sl]
      variables: {shipping: {days: 3-5 days}, limits: {refund: 30 EUR}}
"""
"""The standard project's configuration, written by hand so its lines are known: languages on line 9."""


def configured(project, text: str) -> None:
    (project.root / "mkdocs.yml").write_text(text, encoding="utf-8")


def same_from_check_and_build(project) -> list[str]:
    """``cxdocs check`` and ``cxdocs build`` both refuse, with the same lines; returns them."""
    check = project.run("check")
    assert check.exit_code == 1, check.output
    assert "Traceback" not in check.output
    lines = rejected(project)
    problems = [line for line in lines if line.startswith("mkdocs.yml")]
    assert problems and problems == [line for line in check.stderr.splitlines() if line.startswith("mkdocs.yml")]
    return lines


def test_configuration_without_a_theme(built):
    # With two languages this was MkDocs' plain theme and an AttributeError ('pipeline') from build.
    configured(built, CONFIG.replace("theme:\n  name: material\n", ""))
    lines = same_from_check_and_build(built)
    assert_reported(lines, "mkdocs.yml:1", "no theme: cxdocs pages need mkdocs-material; add the line  theme: material")


def test_configuration_with_another_theme(built):
    configured(built, CONFIG.replace("name: material", "name: readthedocs"))
    lines = same_from_check_and_build(built)
    assert_reported(lines, "mkdocs.yml:5", "theme 'readthedocs': cxdocs pages need mkdocs-material; set  theme: material")


def test_configuration_without_docs_dir_points_at_the_content_folder(built):
    configured(built, CONFIG.replace("docs_dir: content\n", ""))
    lines = same_from_check_and_build(built)
    assert_reported(
        lines, "mkdocs.yml:1",
        "docs_dir 'docs' is not a folder (MkDocs' default; set docs_dir to the folder that holds sop/, faq/ "
        "and responses/: docs_dir: content)",
    )


def test_configuration_with_docs_dir_that_is_the_project(built):
    configured(built, CONFIG.replace("docs_dir: content", "docs_dir: ."))
    assert_reported(same_from_check_and_build(built), "mkdocs.yml:3", "docs_dir '.' is the project folder or above it")


def test_unknown_plugin_option_gets_did_you_mean(built):
    configured(built, CONFIG.replace("      languages:", "      langauges:"))
    line = assert_reported(same_from_check_and_build(built), "mkdocs.yml:9", "unknown cxdocs option 'langauges'")
    assert "did you mean 'languages'? the options are: languages, variables" in line


def test_option_of_the_wrong_kind(built):
    configured(built, CONFIG.replace("plugins:\n", "plugins:\n").replace("      variables:", "      untranslated: hide\n      variables:"))
    assert_reported(same_from_check_and_build(built), "mkdocs.yml:10", "untranslated: 'hide' is not one of: fallback, omit")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("xx", "languages: unknown language code 'xx': CLDR has no such language; write a code like en, sl or pt-BR"),
        ("slo", "languages: 'slo' is not the code of a language: CLDR reads it as an alias of sk-SK (Slovak (Slovakia)); "
                "did you mean 'sk' (Slovak) or 'sl' (Slovenian)?"),
        ("cz", "languages: unknown language code 'cz': CLDR has no such language; did you mean 'cs' (Czech)?"),
        ('\'sl"><script>\'', "languages: 'sl\"><script>' is not a language code: write letters, like en, sl or pt-BR"),
        ("en", "languages: 'en' is listed twice"),
    ],
    ids=["unknown", "alias", "country-code", "markup", "twice"],
)
def test_language_code_is_checked_against_cldr_and_blames_mkdocs_yml(built, code, message):
    configured(built, CONFIG.replace("[en, sl]", f"[en, sl, {code}]"))
    assert_reported(same_from_check_and_build(built), "mkdocs.yml:9", message)


def test_real_language_code_whose_pages_are_in_another_script(built):
    # si is Sinhala; a team writing Slovenian as "si" (Slovenia's country code) would publish a
    # Sinhala interface with lang="si" over Slovenian text.
    configured(built, CONFIG.replace("[en, sl]", "[en, si]"))
    built.write("content/faq/shipping/delivery.si.md", faq(
        "## Kako dolgo traja dostava?\n\nDostava traja od tri do pet delovnih dni, odvisno od kraja.\n"
    ))
    lines = rejected(built)
    assert_reported(
        lines, "mkdocs.yml:9",
        "'si' is Sinhala, written in Sinhala script, but its pages (like content/faq/shipping/delivery.si.md) are in "
        "Latin script; SI is also the country code of Slovenian-speaking Slovenia: for Slovenian write 'sl'",
    )


def test_configuration_that_is_not_valid_yaml(built):
    configured(built, CONFIG.replace("site_name: Test Help", "site_name: Help: returns and refunds"))
    assert_reported(
        same_from_check_and_build(built), "mkdocs.yml:1",
        "not valid YAML: mapping values are not allowed here; a value with ': ' in it must be quoted: "
        'site_name: "Help: returns and refunds"',
    )


def test_mkdocs_build_says_what_cxdocs_check_says(project):
    configured(project, CONFIG.replace("[en, sl]", "[en, xx]"))
    check = project.run("check")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project.root, capture_output=True,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = [line for line in check.stderr.splitlines() if line.startswith("mkdocs.yml:")]
    assert expected == ["mkdocs.yml:9: languages: unknown language code 'xx': CLDR has no such language; write a code like en, sl or pt-BR"]
    assert expected[0] in result.stderr.splitlines()


def test_mkdocs_build_without_a_theme_is_the_same_error_not_a_traceback(project):
    configured(project, CONFIG.replace("theme:\n  name: material\n", ""))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project.root, capture_output=True,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "AttributeError" not in result.stderr
    assert "mkdocs.yml:1: no theme: cxdocs pages need mkdocs-material" in result.stderr
    assert not (project.root / "site").exists()


def test_mkdocs_tags_in_the_configuration_are_read_as_mkdocs_reads_them(project, monkeypatch):
    # !ENV, !!python/name (the emoji extension's usual setup), !relative and INHERIT are MkDocs'
    # own; the core reads them without running any of it.
    (project.root / "base.yml").write_text("site_name: Base Help\ntheme:\n  name: material\n", encoding="utf-8")
    configured(project, CONFIG.replace("site_name: Test Help\n", "INHERIT: base.yml\n").replace("theme:\n  name: material\n", "")
               .replace("site_url: https://help.example.test/", "site_url: !ENV [CX_TEST_SITE_URL, https://help.example.test/]")
               + "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
               "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
               "  - pymdownx.pathconverter:\n      base_path: !relative $config_dir\n")
    monkeypatch.setenv("CX_TEST_SITE_URL", "https://env.example.test/help")
    check = project.run("check", "--strict")
    assert check.exit_code == 0, check.output
    result = project.build("--target", "public:en")
    assert result.exit_code == 0, result.output
    page = project.html("public/faq/shipping/delivery/index.html")
    assert "https://env.example.test/help/faq/shipping/delivery/" in page
    assert "Base Help" in page


# --- Without MkDocs ------------------------------------------------------------------------------

BLOCKER = """
import sys


class BlockRenderers:
    # An environment where MkDocs, mkdocs-material and Jinja cannot be imported.
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("mkdocs", "material", "jinja2"):
            raise ImportError(f"{name} is not installed here")
        return None


sys.meta_path.insert(0, BlockRenderers())
"""


def test_check_status_and_export_work_without_mkdocs(project, tmp_path_factory):
    """The core reads mkdocs.yml itself: the same output where MkDocs and its theme cannot be imported."""
    blocker = tmp_path_factory.mktemp("blocker")
    (blocker / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    configured(project, CONFIG)
    project.write("content/faq/shipping/delivery.sl.md", faq("## Kako dolgo traja dostava?\n\n{{ shipping.days }}.\n"))
    project.write("content/faq/shipping/tracking.md", faq("## Can I track it?\n\nUp to {{ nope }}.\n"))

    def run(blocked: bool, *args: str):
        paths = [str(blocker)] if blocked else []
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths + [os.environ.get("PYTHONPATH", "")])}
        return subprocess.run([sys.executable, "-m", "cxdocs.app.cli", *args], cwd=project.root, env=env,
                              capture_output=True, text=True, timeout=120)

    proof = subprocess.run([sys.executable, "-c", "import mkdocs"], env={**os.environ, "PYTHONPATH": str(blocker)},
                           capture_output=True, text=True)
    assert proof.returncode == 1 and "ImportError: mkdocs is not installed here" in proof.stderr

    def seconds(text: str) -> str:
        return re.sub(r"in \d+\.\d s", "in _ s", text)

    for args in (["check"], ["status"], ["status", "--json"]):
        with_mkdocs, without = run(False, *args), run(True, *args)
        assert "Traceback" not in without.stderr, without.stderr
        assert (without.returncode, without.stdout, without.stderr) == (with_mkdocs.returncode, with_mkdocs.stdout, with_mkdocs.stderr)
    check = run(True, "check")
    assert check.returncode == 1 and "content/faq/shipping/tracking.md:7: unknown variable {{ nope }}" in check.stderr
    for blocked, page in ((False, "orders/cancel"), (True, "orders/change")):
        result = run(blocked, "new", "faq", page)
        assert (result.returncode, result.stdout) == (0, f"created content/faq/{page}.md\n"), result.stderr
    scaffolds = [(project.root / f"content/faq/orders/{name}.md").read_text(encoding="utf-8") for name in ("cancel", "change")]
    assert scaffolds[0] == scaffolds[1].replace("Change", "Cancel")
    for name in ("shipping/tracking", "orders/cancel", "orders/change"):  # export needs a tree that passes check
        (project.root / f"content/faq/{name}.md").unlink()
    outputs = {}
    for blocked in (False, True):
        out = f"packs-{blocked}"
        result = run(blocked, "export", "--out", out)
        assert result.returncode == 0, result.stderr
        outputs[blocked] = (seconds(result.stdout), seconds(result.stderr).replace(out, "OUT"), site_files(project.root / out))
    assert outputs[True] == outputs[False]
    assert "cxdocs.en.json" in outputs[True][2]


def site_files(base: Path) -> dict[str, bytes]:
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}

# --- Links ---------------------------------------------------------------------------------------


def checked(project, *args: str) -> tuple[int, list[str]]:
    """Run ``cxdocs check``; return its exit code and its lines, after asserting there is no traceback."""
    result = project.run("check", *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines()


def test_link_to_a_missing_page_names_its_line_and_a_close_page(built):
    built.write(FAQ, faq("## How long does delivery take?\n\nSee [returns](../shipping/delivry.md).\n"))
    lines = rejected(built)
    line = assert_reported(lines, f"{FAQ}:7", "broken link '../shipping/delivry.md': there is no page faq/shipping/delivry.md")
    assert line.endswith("did you mean 'delivery.md'?")


def test_misspelt_question_anchor_gets_the_right_one(built):
    built.write("content/faq/shipping/tracking.md", faq("## Can I track it?\n\nSee [delivery](delivery.md#how-long-does-delivery-tak).\n"))
    line = assert_reported(
        rejected(built), "content/faq/shipping/tracking.md:7",
        "broken link 'delivery.md#how-long-does-delivery-tak': faq/shipping/delivery.md has no heading or question "
        "with the anchor '#how-long-does-delivery-tak'",
    )
    assert line.endswith("did you mean '#how-long-does-delivery-take'?")


def test_links_to_questions_headings_and_files_that_exist_pass(project):
    project.write("content/faq/shipping/tracking.md", faq(
        "## Can I track it?\n\nSee [delivery](delivery.md#how-long-does-delivery-take), [this](#can-i-track-it),"
        " [the topic](index.md), [the form](form.pdf) and [mail](mailto:help@example.test).\n\n"
        "## Where? {#where}\n\n[Here](#where) and `[not a link](nowhere.md)`.\n\n```\n[nor this](gone.md)\n```\n"
    ))
    (project.root / "content/faq/shipping/form.pdf").write_bytes(b"%PDF-1.4\n")
    code, lines = checked(project)
    assert code == 0, lines
    assert lines[-1] == "4 pages checked: 0 error(s), 0 warning(s)"


def test_public_page_linking_an_sop_is_refused_but_an_agent_note_may(built):
    built.write(FAQ, faq(
        "## How long does delivery take?\n\nAsk us, see [refunds](../../sop/billing/refund.md).\n\n"
        '!!! internal "Agent note"\n    Follow [the SOP](../../sop/billing/refund.md).\n'
    ))
    lines = rejected(built)
    assert_reported(
        lines, f"{FAQ}:7",
        "public page links to sop/billing/refund.md (an SOP): customers cannot open it, and the link tells them it "
        "exists; remove the link or put it in an '!!! internal' block",
    )
    assert not [line for line in lines if line.startswith(f"{FAQ}:10")], lines


def test_public_page_linking_a_response_or_an_internal_page_by_its_address(built):
    built.write("content/faq/shipping/secret.md", faq("## Why?\n\nBecause.\n", front="title: Secret\naudience: internal\n"))
    built.write(FAQ, faq(
        "## How long does delivery take?\n\n[Reply](https://help.example.test/responses/refunds/refund-confirmed/)\n"
        "and <a href=\"/faq/shipping/secret/\">why</a>.\n"
    ))
    lines = rejected(built)
    assert_reported(lines, f"{FAQ}:7", "public page links to responses/refunds/refund-confirmed.md (a response)")
    assert_reported(lines, f"{FAQ}:8", "public page links to faq/shipping/secret.md (an internal page)")


def test_snippet_links_are_followed_from_the_page_that_includes_it(built):
    built.write("content/snippets/see-also.md", "See [delivery](delivery.md).\n")
    built.write("content/faq/shipping/tracking.md", faq('## Can I track it?\n\nYes.\n\n--8<-- "snippets/see-also.md"\n'))
    assert built.build().exit_code == 0  # faq/shipping/delivery.md is beside the including page
    built.before = site_bytes(built)
    built.write("content/faq/orders/cancel.md", faq('## Can I cancel?\n\nYes.\n\n--8<-- "snippets/see-also.md"\n'))
    assert_reported(
        rejected(built), "content/snippets/see-also.md:1",
        "broken link 'delivery.md': there is no page faq/orders/delivery.md; did you mean '../shipping/delivery.md'? "
        "(in a snippet, as content/faq/orders/cancel.md includes it)",
    )


def test_a_broken_link_is_reported_once_and_counted(project):
    project.config(languages=["en", "sl"], variables=VARIABLES)
    project.write("content/faq/shipping/tracking.md", faq("## Can I track it?\n\nSee [it](nowhere.md).\n"))
    code, lines = checked(project)
    assert code == 1
    hits = [line for line in lines if "nowhere.md" in line]
    assert hits == ["content/faq/shipping/tracking.md:7: broken link 'nowhere.md': there is no page faq/shipping/nowhere.md"]
    assert lines[-1] == "4 pages checked: 1 error(s), 0 warning(s)"


def test_build_reports_a_broken_link_once_with_its_line_not_as_mkdocs_warnings(built):
    built.write(FAQ, faq("## How long does delivery take?\n\nSee [it](nowhere.md).\n"))
    result = built.build()
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if "nowhere" in line] == [
        f"{FAQ}:7: broken link 'nowhere.md': there is no page faq/shipping/nowhere.md"
    ]
    assert "contains a link" not in result.stderr


def test_plain_mkdocs_build_reports_links_with_their_line(project):
    import subprocess
    import sys

    project.write(FAQ, faq("## How long does delivery take?\n\nSee [it](nowhere.md#x).\n"))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project.root, capture_output=True, text=True)
    assert [line for line in result.stderr.splitlines() if "nowhere" in line] == [
        f"WARNING -  {FAQ}:7: broken link 'nowhere.md#x': there is no page faq/shipping/nowhere.md"
    ]


def test_link_omitted_in_a_language_and_link_to_a_translation_file(project):
    project.config(languages=["en", "sl"], variables=VARIABLES, untranslated="omit")
    project.write("content/faq/shipping/delivery.sl.md", faq("## Kako dolgo?\n\nGlej [vračila](returns.md) in [to](delivery.sl.md).\n"))
    project.write("content/faq/shipping/returns.md", faq("## Can I return it?\n\nYes.\n"))
    code, lines = checked(project)
    assert code == 1
    where = "content/faq/shipping/delivery.sl.md:7"
    assert_reported(lines, where, "broken link 'returns.md' on the sl public site: faq/shipping/returns.md has no sl translation and 'untranslated: omit' leaves it out there")
    assert_reported(lines, where, "broken link 'delivery.sl.md': link to 'delivery.md', which each language's site shows in its own language")


def test_external_links_are_fetched_only_with_external(project):
    import http.server
    import threading
    import time

    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            requests.append(self.path)
            if self.path == "/slow":
                time.sleep(2)
            self.send_response({"/ok": 200, "/slow": 200, "/teapot": 418}.get(self.path, 404))
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_HEAD = do_GET = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        project.write("content/faq/shipping/tracking.md", faq(
            f"## Can I track it?\n\n[Carrier]({base}/ok), [old]({base}/gone),\n[slow]({base}/slow) and <{base}/teapot>.\n"
        ))
        code, lines = checked(project)
        assert code == 0 and requests == [], lines
        assert project.build().exit_code == 0 and requests == []
        code, lines = checked(project, "--external", "--timeout", "0.5")
        where = "content/faq/shipping/tracking.md"
        assert code == 1, lines
        assert_reported(lines, f"{where}:7", f"external link '{base}/gone' is broken: the server answers HTTP 404")
        assert_reported(lines, f"{where}:8", f"warning: external link '{base}/slow' did not answer within 0.5 s")
        assert_reported(lines, f"{where}:8", f"warning: external link '{base}/teapot' answers HTTP 418")
        assert not [line for line in lines if f"{base}/ok'" in line]
        assert lines[-1] == "4 pages checked: 1 error(s), 2 warning(s)"
    finally:
        server.shutdown()


# --- Stray braces ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("Hi {{ customer.first_name },", "'{{ customer.first_name }' is missing a brace: write {{ customer.first_name }}"),
        ("Hi { customer.first_name }},", "'{ customer.first_name }}' is missing a brace: write {{ customer.first_name }}"),
        ("Within {{ shipping.days", "'{{ shipping.days' is never closed: write {{ shipping.days }}"),
        ("Braces {{ } here", "'{{' opens no variable: write {{ name }} for a variable, or \\{{ for literal braces"),
        ("A stray }} here", "'}}' closes no variable: write {{ name }} for a variable, or put literal braces in `code`"),
        ("{% if vip %}Free{% endif %}", "'{% if vip %}' is template syntax, which cxdocs does not run: write {{ name }} for a variable, or \\{% for the literal text"),
    ],
)
def test_braces_that_are_no_variable_never_reach_a_reader(built, text, message):
    built.write(FAQ, faq(f"## How long does delivery take?\n\n{text}\n"))
    assert_reported(rejected(built), f"{FAQ}:7", message)


def test_stray_braces_in_a_response_subject_and_an_agent_note(built):
    built.write(RESPONSE, '---\ntitle: Refund confirmed\nsubject: "Re: {{ ticket.subject }"\n---\n\nHi.\n\n'
                '!!! internal\n    Call {{ customer.name }.\n')
    lines = rejected(built)
    assert_reported(lines, f"{RESPONSE}:3", "'{{ ticket.subject }' is missing a brace: write {{ ticket.subject }}")
    assert_reported(lines, f"{RESPONSE}:9", "'{{ customer.name }' is missing a brace: write {{ customer.name }}")


def test_braces_in_code_escaped_braces_and_json_ld_pass(project):
    project.write("content/faq/shipping/tracking.md", faq(
        "## Can I track it?\n\nType `{{ order }` or `{% raw %}`; we show \\{{ ticket.id }} and \\{% this %}.\n\n"
        "```\n{{ not checked }\n```\n\n"
        '<script type="application/ld+json">\n{"@context": "https://schema.org", "@type": "Organization",\n'
        ' "logo": {"@type": "ImageObject", "url": "https://help.example.test/logo.png"}}\n</script>\n'
    ))
    code, lines = checked(project)
    assert code == 0, lines
    assert project.build().exit_code == 0
    page = project.html("public/faq/shipping/tracking/index.html")
    assert "we show {{ ticket.id }} and {% this %}." in page


# --- Front matter: keys, text, departments ---------------------------------------------------------


def test_misspelt_front_matter_keys_get_did_you_mean(built):
    built.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n", front="titel: Shipping\nDescription: Times.\n"))
    lines = rejected(built)
    assert_reported(lines, f"{FAQ}:2", "unknown front matter key 'titel'; did you mean 'title'?")
    assert_reported(lines, f"{FAQ}:3", "unknown front matter key 'Description'; did you mean 'description'? (keys are lower case)")


def test_sop_key_with_a_capital_is_an_error(built):
    built.write(SOP, "---\ntitle: Refund\nDepartment: Billing\ndepartment: Billing\npurpose: P.\n---\n\n1. Step.\n")
    assert_reported(rejected(built), f"{SOP}:3", "unknown front matter key 'Department'; did you mean 'department'? (keys are lower case)")


def test_unknown_or_misplaced_front_matter_keys_warn(project):
    project.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n", front="title: Shipping\nicon: truck\ndepartment: Logistics\n"))
    code, lines = checked(project)
    assert code == 0, lines
    assert_reported(lines, f"{FAQ}:3", "warning: unknown front matter key 'icon': cxdocs ignores it (a FAQ page takes title, description, audience, translated_from)")
    assert_reported(lines, f"{FAQ}:4", "warning: front matter key 'department' is for SOPs; a FAQ page ignores it")
    assert checked(project, "--strict")[0] == 1


@pytest.mark.parametrize(
    "front, message",
    [
        ("title: [a, b]", "'title' must be text, not a list: write title: \"a, b\""),
        ("title: Shipping\ndescription: {a: b}", "'description' must be text, not a mapping (a ': ' inside it?): put the value in quotes"),
        ("title: No", "'title' must be text, and YAML read a yes/no value: put it in quotes, title: \"...\""),
    ],
)
def test_a_title_must_be_text(built, front, message):
    built.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n", front=front + "\n"))
    line = front.count("\n") + 2
    assert_reported(rejected(built), f"{FAQ}:{line}", message)


def test_sop_department_differs_from_its_folder(built):
    built.write("content/sop/billing/chargeback.md", "---\ntitle: Chargebacks\ndepartment: Billling\npurpose: P.\n---\n\n1. Step.\n")
    built.write("content/sop/billing/invoice.md", "---\ntitle: Invoices\ndepartment: Billing\npurpose: P.\n---\n\n1. Step.\n")
    assert_reported(
        rejected(built), "content/sop/billing/chargeback.md:3",
        "department 'Billling' is not its folder's: the other SOPs in sop/billing/ say 'Billing'; write department: Billing, "
        "or move the SOP to the folder of 'Billling'",
    )


def test_sop_department_differs_from_the_folder_index(built):
    built.write("content/sop/billing/index.md", "---\ntitle: Payments\n---\n\nHow we handle money.\n")
    assert_reported(
        rejected(built), f"{SOP}:3",
        "department 'Billing' is not its folder's: content/sop/billing/index.md names it 'Payments'; write department: Payments",
    )


def test_two_sop_folders_of_one_department(built):
    built.write("content/sop/payments/invoice.md", "---\ntitle: Invoices\ndepartment: Billing\npurpose: P.\n---\n\n1. Step.\n")
    assert_reported(
        rejected(built), "content/sop/payments/invoice.md:3",
        "two SOP folders have the department 'Billing': sop/billing/ and sop/payments/; move the SOPs into one folder, "
        "or give the departments different names",
    )


# --- Front matter reaches HTML escaped ---------------------------------------------------------------

NASTY_TITLE = 'Returns "fast" & <script>alert(1)</script> </title><b>x'
NASTY_DESCRIPTION = 'Say "hi" <script>alert(2)</script> & go'


def test_title_and_description_reach_every_page_as_text(project):
    """A title is text wherever the theme writes it: <title>, the description's attribute, <h1>,
    the navigation, the topic's landing page; in a real browser no script of it runs."""
    from html.parser import HTMLParser

    title = NASTY_TITLE.replace('"', '\\"')
    project.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n", front=f'title: "{title}"\ndescription: \'{NASTY_DESCRIPTION}\'\n'))
    assert project.build().exit_code == 0

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack, self.texts, self.scripts, self.description = [], {}, [], None

        def handle_starttag(self, tag, attrs):
            self.stack.append(tag)
            if tag == "meta" and dict(attrs).get("name") == "description":
                self.description = dict(attrs)["content"]
            if tag == "script":  # JSON (structured data, the theme's settings) is no script that runs
                self.scripts.append(None if dict(attrs).get("type", "").endswith("json") else "")

        def handle_endtag(self, tag):
            while self.stack and self.stack.pop() != tag:
                pass

        def handle_data(self, data):
            if self.stack:
                self.texts.setdefault(self.stack[-1], []).append(data)
                if self.stack[-1] == "script" and self.scripts[-1] is not None:
                    self.scripts[-1] += data

    for rel in ("public/faq/shipping/delivery/index.html", "public/faq/shipping/index.html", "public/index.html", "public/404.html"):
        reader = Reader()
        reader.feed(project.html(rel))
        assert not [s for s in reader.scripts if s and "alert" in s], rel
        assert "<b>" not in "".join(reader.texts.get("b", [])) and not reader.texts.get("b"), rel
        if rel.endswith("delivery/index.html"):
            assert "".join(reader.texts["title"]).strip() == f"{NASTY_TITLE} - Test Help"
            assert reader.description == NASTY_DESCRIPTION
            assert NASTY_TITLE in "".join(reader.texts["h1"])
        if "shipping" in rel:  # the page and its topic name it (the home page and 404 name only topics)
            assert NASTY_TITLE in " ".join(t.strip() for t in sum(reader.texts.values(), [])), rel

    from browser import browser, serve

    with serve(project.root / "site" / "public") as base, browser() as chromium:
        page = chromium.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}/faq/shipping/delivery/")
        assert page.title() == f"{NASTY_TITLE} - Test Help"
        assert page.locator("h1").inner_text() == NASTY_TITLE
        assert page.locator('meta[name="description"]').get_attribute("content") == NASTY_DESCRIPTION
        page.goto(f"{base}/faq/shipping/")
        assert page.get_by_role("link", name=NASTY_TITLE).count() >= 1
        assert dialogs == []


# --- Hand-written structured data ---------------------------------------------------------------------


def jsonld(text: str) -> str:
    return f'<script type="application/ld+json">\n{text}\n</script>\n'


def test_json_ld_with_typographic_quotes(built):
    built.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n\n" + jsonld(
        '{\n  \u201c@context\u201d: \u201chttps://schema.org\u201d,\n  \u201c@type\u201d: \u201cOrganization\u201d\n}'
    )))
    assert_reported(rejected(built), f"{FAQ}:11", "JSON-LD is not valid JSON: typographic quotes: use straight quotes (\")")


def test_json_ld_that_is_not_json(built):
    built.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n\n" + jsonld('{"@type": "Organization",}')))
    assert_reported(rejected(built), f"{FAQ}:10", "JSON-LD is not valid JSON: Expecting property name enclosed in double quotes (column 26)")


def test_json_ld_with_translated_types(built):
    built.write("content/faq/shipping/howto.md", faq("Ordering, step by step.\n\n## How do I order?\n\nOnline.\n\n" + jsonld(
        '{"@context": "https://schema.org", "@type": "HowTo", "step": [{"@type": "Korak", "text": "Odpri"}]}'
    )))
    built.write("content/faq/shipping/org.md", faq("## Who are we?\n\nUs.\n\n" + jsonld(
        '{"@context": "https://schema.org", "@type": "organization"}'
    )))
    built.write("content/responses/refunds/qa.md", "---\ntitle: QA\n---\n\nHi.\n\n" + jsonld(
        '{"@context": "https://schema.org", "@type": "FAQPage",\n "mainEntity": [{"@type": "Vprašanje", "name": "Kdaj?",\n'
        '   "acceptedAnswer": {"@type": "Odgovor", "text": "Jutri."}}]}'
    ))
    lines = rejected(built)
    assert_reported(lines, "content/faq/shipping/howto.md:12", "@type 'Korak' is not a schema.org type")
    assert_reported(lines, "content/faq/shipping/org.md:10", "@type 'organization' is not a schema.org type; did you mean 'Organization'?")
    assert_reported(lines, "content/responses/refunds/qa.md:9", "@type 'Vprašanje' is not a schema.org type; did you mean 'Question'?")
    assert_reported(lines, "content/responses/refunds/qa.md:10", "@type 'Odgovor' is not a schema.org type; did you mean 'Answer'?")


def test_a_second_faq_page_on_a_page_with_questions(built):
    built.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n\n" + jsonld(
        '{"@context": "https://schema.org",\n "@type": "FAQPage", "mainEntity": []}'
    )))
    assert_reported(
        rejected(built), f"{FAQ}:11",
        "this page's questions already make its FAQPage: a second FAQPage makes search engines ignore both; remove "
        "this block (put its questions on the page as '## ' headings)",
    )


def test_valid_hand_written_json_ld_passes(project):
    project.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n\n" + jsonld(
        '{"@context": "https://schema.org", "@type": ["Organization", "https://schema.org/Corporation"],\n'
        ' "name": "Larkspur \u201cHome\u201d", "contactPoint": {"@type": "ContactPoint", "telephone": "+31"},\n'
        ' "additionalType": {"@type": "ex:Thing"}}'
    )))
    code, lines = checked(project)
    assert code == 0, lines


# --- Names and addresses ------------------------------------------------------------------------------


def test_two_pages_at_one_address(built):
    built.write("content/faq/shipping/basics.md", faq("## What is it?\n\nThis.\n"))
    built.write("content/faq/shipping/basics/index.md", faq("## What else?\n\nThat.\n"))
    lines = rejected(built)
    message = "faq/shipping/basics.md and faq/shipping/basics/index.md are both published at /faq/shipping/basics/: one would overwrite the other; rename or remove one"
    assert_reported(lines, "content/faq/shipping/basics.md:1", message)
    assert_reported(lines, "content/faq/shipping/basics/index.md:1", message)


def test_a_page_where_the_site_puts_a_topic_landing_page(built):
    built.write("content/faq/shipping.md", faq("## What is shipping?\n\nThis.\n"))
    assert_reported(rejected(built), "content/faq/shipping.md:1", "faq/shipping.md and faq/shipping/index.md are both published at /faq/shipping/")


def test_names_that_differ_only_in_case(built):
    built.write("content/faq/shipping/Delivery.md", faq("## When?\n\nSoon.\n"))
    built.write("content/faq/Shipping/returns.md", faq("## How?\n\nSo.\n"))
    lines = rejected(built)
    assert_reported(lines, "content/faq/shipping/Delivery.md:1", "'faq/shipping/Delivery' and 'faq/shipping/delivery' differ only in case: on Windows and macOS one would overwrite the other; rename one")
    assert_reported(lines, "content/faq/Shipping/returns.md:1", "'faq/Shipping' and 'faq/shipping' differ only in case")


@pytest.mark.parametrize("name, char", [("refund#2.md", "'#'"), ("why?.md", "'?'"), ("100%.md", "'%'"), ("my page.md", "a space"), ('b.sl"><script>.md', "'\"'")])
def test_file_names_that_break_links(built, name, char):
    built.write(f"content/faq/shipping/{name}", faq("## Why?\n\nBecause.\n"))
    assert_reported(
        rejected(built), f"content/faq/shipping/{name}:1",
        f"the name '{name}' has {char}, which breaks links to it: rename it with letters, digits, '-' and '_'",
    )


def test_snippet_symlink_loop_is_a_located_error(built):
    (built.root / "content/snippets").mkdir(parents=True, exist_ok=True)
    (built.root / "content/snippets/a.md").symlink_to("b.md")
    (built.root / "content/snippets/b.md").symlink_to("a.md")
    built.write(FAQ, faq('## How long does delivery take?\n\nThree days.\n\n--8<-- "snippets/a.md"\n'))
    assert_reported(
        rejected(built), f"{FAQ}:9",
        "include 'snippets/a.md' is a symbolic link that leads round in a loop; link to the file itself",
    )

# --- Output folders: cxdocs never deletes what it did not write ----------------------------------


def every_file(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def around(root: Path) -> tuple:
    """The project folder's files, the notes folder's beside it, and the names in the folder
    holding both: the folder above holds every earlier test's folders too (gigabytes of sites
    in a full run), which a refused build does not reach into."""
    parent = root.parent
    return every_file(root), every_file(parent / "notes"), sorted(p.name for p in parent.iterdir())


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("content", "content: is the content folder; cxdocs never replaces it: choose another --site-dir"),
        (".", ".: is the project folder (it holds mkdocs.yml); cxdocs never replaces it: choose another --site-dir"),
        ("..", "..: holds the project folder (it holds mkdocs.yml); cxdocs never replaces it: choose another --site-dir"),
        ("content/faq", "content/faq: is inside the content folder, where the output would be read back as pages; "
                        "cxdocs never replaces it: choose another --site-dir"),
        ("../notes", "../notes: is not empty and holds nothing cxdocs wrote (no .cxdocs-output file); cxdocs replaces "
                     "only its own output: choose another --site-dir, or empty the folder yourself"),
        ("mkdocs.yml", "mkdocs.yml: is a file, not a folder; cxdocs never replaces it: choose another --site-dir"),
    ],
    ids=["content", "project", "above-project", "inside-content", "unrelated-folder", "a-file"],
)
def test_build_refuses_to_replace_a_folder_it_did_not_write(project, where, message):
    notes = project.root.parent / "notes"
    notes.mkdir(exist_ok=True)
    (notes / "meeting.txt").write_text("Agenda: refunds.\n", encoding="utf-8")
    before = around(project.root)
    result = project.build("-d", where)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == message
    assert around(project.root) == before


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("content", "content: is the content folder; cxdocs never replaces it: choose another --out"),
        ("../notes", "../notes: is not empty and holds nothing cxdocs wrote (no .cxdocs-output file); cxdocs replaces "
                     "only its own output: choose another --out, or empty the folder yourself"),
        ("site", "site: holds the site cxdocs build made, not the response packs cxdocs made: choose another --out"),
    ],
    ids=["content", "unrelated-folder", "the-whole-site"],
)
def test_export_refuses_to_replace_a_folder_it_did_not_write(built, where, message):
    notes = built.root.parent / "notes"
    notes.mkdir(exist_ok=True)
    (notes / "meeting.txt").write_text("Agenda: refunds.\n", encoding="utf-8")
    before = around(built.root)
    result = built.run("export", "--out", where)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[0] == message
    assert around(built.root) == before


def test_export_replaces_the_packs_a_build_wrote(built):
    result = built.run("export", "--out", "site/responses")
    assert result.exit_code == 0, result.output
    assert (built.root / "site/responses/.cxdocs-output").is_file()
    assert [p.name for p in built.root.iterdir() if p.name.startswith(".site")] == []


def test_build_replaces_a_site_folder_that_holds_only_packs_export_wrote(project):
    assert project.run("export").exit_code == 0  # site/responses/ before any site/
    result = project.build()
    assert result.exit_code == 0, result.output
    assert (project.root / "site/public/faq/shipping/delivery/index.html").is_file()


def mkdocs(project, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", *args], cwd=project.root, capture_output=True,
                          text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=120)


def test_mkdocs_build_refuses_to_replace_the_site_cxdocs_built(built):
    result = mkdocs(built)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "site: holds the site cxdocs build made (every audience and language); mkdocs build writes one target and "
        "would replace it: run cxdocs build (or cxdocs build --target public:en for one target), or give mkdocs "
        "build another folder with -d DIR"
    ) in result.stderr
    assert site_bytes(built) == built.before


def test_mkdocs_build_replaces_its_own_target_but_no_folder_it_did_not_write(project):
    assert mkdocs(project).returncode == 0
    again = mkdocs(project)
    assert again.returncode == 0, again.stderr
    assert (project.root / "site/faq/shipping/delivery/index.html").is_file()
    project.write("notes/meeting.txt", "Agenda: refunds.\n")
    refused = mkdocs(project, "-d", "notes")
    assert refused.returncode == 1
    assert "notes: is not empty and holds nothing cxdocs wrote (no .cxdocs-output file)" in refused.stderr
    assert (project.root / "notes/meeting.txt").read_text(encoding="utf-8") == "Agenda: refunds.\n"
    # cxdocs build replaces what mkdocs build wrote: both are cxdocs' output.
    assert project.build().exit_code == 0
    assert (project.root / "site/public/faq/shipping/delivery/index.html").is_file()


def test_a_leaking_build_removes_only_a_folder_cxdocs_wrote(project):
    """What a public build stopped by the leak guard removes (its own output): never a folder of
    someone else's files, the content or project folder, or a folder reached through a link."""
    from cxdocs.outputs.folders import STAGING_MARKER, TARGET, mark_output, remove_own

    root, content = project.root, project.root / "content"

    def remove(folder):
        return remove_own(folder, (TARGET,), content, root)

    project.write("notes/meeting.txt", "Agenda: refunds.\n")
    assert not remove(root / "notes")
    assert (root / "notes/meeting.txt").read_text(encoding="utf-8") == "Agenda: refunds.\n"
    # A marker where someone put one by hand does not make the content or project folder cxdocs'.
    for folder in (content, root, root.parent):
        mark_output(folder, TARGET)
        assert not remove(folder)
        (folder / ".cxdocs-output").unlink()
    assert (content / "faq/shipping/delivery.md").is_file()
    # A folder another kind of cxdocs output holds (the packs), and a link to a target: left alone.
    packs = root / "packs"
    packs.mkdir()
    mark_output(packs, "packs")
    assert not remove(packs) and packs.is_dir()
    ours = root / "out"
    ours.mkdir()
    mark_output(ours, TARGET)
    (ours / "index.html").write_text("<p>leaked</p>", encoding="utf-8")
    (root / "link").symlink_to(ours, target_is_directory=True)
    assert not remove(root / "link") and (ours / "index.html").is_file()
    assert remove(ours) and not ours.exists()
    # A target inside a cxdocs run's staging folder (cxdocs build, cxdocs serve) is that run's.
    staged = root / ".site-build-x" / "targets" / "public-en"
    staged.mkdir(parents=True)
    (root / ".site-build-x" / STAGING_MARKER).write_text("{}", encoding="utf-8")
    (staged / "index.html").write_text("<p>leaked</p>", encoding="utf-8")
    assert remove(staged) and not staged.exists()


# --- Swapped in whole; an interrupted build leaves nothing behind --------------------------------

KILLER = """
import json, os, sys

site = os.path.abspath("site")
root = os.path.dirname(site)
cache = os.path.join(root, ".cxdocs", "")
kill_at = int(os.environ["CX_KILL_AT"])
seen = []
swapping = False


def hook(event, args):
    # From the moment the site is swapped in, count every change cxdocs makes to the project's
    # folder, and end the process at once (as kill -9 would) before change number CX_KILL_AT.
    global swapping
    if os.getpid() != MAIN:
        return
    if event == "ctypes.dlsym" and args[-1] in ("renameat2", "renamex_np"):
        swapping = True
    elif event == "os.rename" and site in (os.fsdecode(args[0]), os.fsdecode(args[1])):
        swapping = True
    if not swapping or event not in ("os.rename", "shutil.rmtree", "os.remove", "os.rmdir", "ctypes.dlsym"):
        return
    if event != "ctypes.dlsym" and not any(root in os.fsdecode(a) for a in args if isinstance(a, (str, bytes))):
        return
    if any(cache in os.fsdecode(a) for a in args if isinstance(a, (str, bytes))):
        return  # the build cache's upkeep, beside the removal of the old site: as many entries as it finds old
    if len(seen) == kill_at:
        os._exit(137)
    seen.append(event)


def report():
    with open(os.environ["CX_EVENTS"], "w") as out:
        json.dump(seen, out)


MAIN = os.getpid()
sys.addaudithook(hook)
import atexit

atexit.register(report)
from cxdocs.app.cli import main

main(["build"])
"""


def test_the_site_swapped_out_is_removed_without_reaching_through_its_links(project, tmp_path_factory):
    """The old site goes once the new one is in place, its folders removed two at a time: links
    someone put in it, at any depth, are removed as links; the folders of someone else's files
    they point at stay whole, and so does a folder beside the site named like a staging folder
    but not marked as one."""
    assert project.build().exit_code == 0
    theirs = tmp_path_factory.mktemp("theirs")
    (theirs / "notes.txt").write_text("their notes\n", encoding="utf-8")
    (theirs / "drafts").mkdir()
    (theirs / "drafts" / "draft.md").write_text("their draft\n", encoding="utf-8")
    site = project.root / "site"
    links = [site / "theirs", site / "public" / "theirs", site / "public" / "faq" / "theirs",
             site / "public" / "faq" / "shipping" / "theirs"]
    for link in links:
        link.symlink_to(theirs, target_is_directory=True)
    unmarked = project.root / ".site-build-theirs"
    unmarked.mkdir()
    (unmarked / "keep.txt").write_text("not cxdocs'\n", encoding="utf-8")
    before = every_file(theirs)
    assert project.build().exit_code == 0
    assert every_file(theirs) == before
    assert not any(link.is_symlink() for link in links)
    assert (unmarked / "keep.txt").read_text(encoding="utf-8") == "not cxdocs'\n"
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site")) == [".site-build-theirs"]


def test_site_is_the_old_or_the_new_one_whenever_the_build_is_killed(project, tmp_path_factory):
    """Killed at each step of the swap, the build leaves site/ whole: the old site or the new one."""
    assert project.build().exit_code == 0
    old = every_file(project.root / "site")
    saved = tmp_path_factory.mktemp("old") / "site"
    shutil.copytree(project.root / "site", saved)
    script = tmp_path_factory.mktemp("killer") / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    events = script.parent / "events.json"
    page = project.root / "content/faq/shipping/delivery.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Yes, with the link", "Yes, with the tracking link"))

    def build_killed_at(step: int) -> int:
        env = {**os.environ, "CX_KILL_AT": str(step), "CX_EVENTS": str(events), "CI": "true"}
        return subprocess.run([sys.executable, str(script)], cwd=project.root, env=env, capture_output=True,
                              text=True, timeout=120).returncode

    assert build_killed_at(-1) == 0
    new = every_file(project.root / "site")
    steps = json.loads(events.read_text())
    assert new != old and len(steps) >= 2, steps
    for step in range(len(steps)):
        shutil.rmtree(project.root / "site")
        shutil.copytree(saved, project.root / "site")
        assert build_killed_at(step) == 137
        site = project.root / "site"
        assert site.is_dir() and not site.is_symlink(), f"no site/ after a kill before {steps[step]} (step {step})"
        assert every_file(site) in (old, new), f"site/ is neither the old nor the new one after step {step}"
    # The next run removes what the killed one left, and nothing else.
    (project.root / ".site-build-mine").mkdir()
    (project.root / ".site-build-mine/keep.txt").write_text("not cxdocs'\n", encoding="utf-8")
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".site-build-") and p.name != ".site-build-mine"]
    assert project.build().exit_code == 0
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site")) == [".site-build-mine"]
    assert every_file(project.root / "site") == new


def test_a_killed_build_leaves_no_worker_and_the_next_run_no_staging_folder(project):
    project.config(languages=["en", "sl", "hr"], variables=VARIABLES)
    for lang in ("sl", "hr"):
        for rel in (FAQ, SOP, RESPONSE):
            source = (project.root / rel).read_text(encoding="utf-8")
            (project.root / rel.replace(".md", f".{lang}.md")).write_text(source, encoding="utf-8")
    env = {**os.environ, "CXDOCS_JOBS": "2", "CI": "true"}
    build = subprocess.Popen([sys.executable, "-m", "cxdocs.app.cli", "build"], cwd=project.root, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: set[int] = set()
    deadline = time.monotonic() + 60
    while len(children) < 2:
        assert build.poll() is None, "the build ended before its workers could be seen"
        assert time.monotonic() < deadline
        children |= _children(build.pid)
        time.sleep(0.01)
    build.kill()
    build.wait()
    deadline = time.monotonic() + 10
    try:
        while alive := {pid for pid in children if _running(pid)}:
            assert time.monotonic() < deadline, f"workers still running after the build was killed: {alive}"
            time.sleep(0.05)
    finally:
        for pid in children:  # a failed test must not leave them running either
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    assert [p for p in project.root.iterdir() if p.name.startswith(".site-build-")], "nothing to clean up: killed too late?"
    assert project.build().exit_code == 0
    assert [p.name for p in project.root.iterdir() if p.name.startswith(".site")] == []


def test_a_staging_folder_of_a_live_run_is_left_alone(project):
    import fcntl

    live = project.root / ".site-build-live"
    live.mkdir()
    (live / "page.html").write_text("being written\n", encoding="utf-8")
    marker = os.open(live / ".cxdocs-staging", os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(marker, fcntl.LOCK_EX)
        assert project.build().exit_code == 0
        assert (live / "page.html").is_file()
    finally:
        os.close(marker)
    assert project.build().exit_code == 0
    assert not live.exists()


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_serve_on_a_busy_port_names_the_address_and_the_option(project, tmp_path_factory):
    temp = tmp_path_factory.mktemp("temp")
    dead = temp / "cxdocs-serve-dead"  # left by a preview that was killed outright
    dead.mkdir()
    (dead / ".cxdocs-staging").write_text("{}\n", encoding="utf-8")
    (dead / "site-a").mkdir()
    foreign = temp / "cxdocs-serve-not-ours"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("kept\n", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "cxdocs.app.cli", "serve", "-a", f"127.0.0.1:{port}"], cwd=project.root,
            env={**os.environ, "TMPDIR": str(temp)}, capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        f"cannot serve on 127.0.0.1:{port}: the address is already in use (another cxdocs serve or mkdocs serve?); "
        f"stop that server, or choose another port: cxdocs serve --dev-addr 127.0.0.1:{port + 1}"
    ) in result.stderr.splitlines()
    assert sorted(p.name for p in temp.iterdir()) == ["cxdocs-serve-not-ours"]


# --- Starting a project ----------------------------------------------------------------------------


def test_init_makes_a_project_that_builds_and_passes_check_at_once(tmp_path):
    start = Project(tmp_path)
    result = start.run("init", "help")
    assert result.exit_code == 0, result.output
    assert "created help/mkdocs.yml" in result.stdout
    kb = Project(tmp_path / "help")
    check = kb.run("check", "--strict")
    assert check.exit_code == 0, check.output
    assert "3 pages checked: 0 error(s), 0 warning(s)" in check.stderr
    config = (kb.root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "docs_dir: content" in config and "name: material" in config and config.count("\n#") + config.count("  #") > 10
    ignored = (kb.root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/site/", "/.cxdocs/cache/", "/.site-*/"} <= set(ignored)

    # The CI workflow: valid for GitHub Actions (the schema check-jsonschema ships), and its steps
    # after the install are the commands that pass here.
    workflow = kb.root / ".github/workflows/cxdocs.yml"
    valid = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                            str(workflow)], capture_output=True, text=True)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    commands = [step["run"] for step in steps if "run" in step]
    assert commands[0] == "python -m pip install -r requirements.txt"
    assert (kb.root / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1].startswith("cxdocs==")
    assert [step["uses"] for step in steps if "uses" in step][-1].startswith("actions/upload-artifact@")
    for command in commands[1:]:
        words = command.split("#")[0].split()
        assert words[0] == "cxdocs"
        ran = kb.run(*words[1:])
        assert ran.exit_code == 0, (command, ran.output)
    site = kb.site_files()
    assert "public/faq/getting-started/how-this-help-centre-works/index.html" in site
    assert "internal/sop/support/write-an-sop/index.html" in site
    faq_page = site["public/faq/getting-started/how-this-help-centre-works/index.html"]
    assert "support@example.com" in faq_page and "{{ company.support_email }}" in faq_page
    assert "Agent note" not in faq_page and "Agent note" in site["internal/faq/getting-started/how-this-help-centre-works/index.html"]
    # The reply reaches every helpdesk format, its sign-off on two lines.
    for path in ("responses/zendesk/macros.en.json", "responses/freshdesk/canned_responses.en.json",
                 "responses/helpscout/saved_replies.en.json", "responses/liveagent/predefined_answers.en.json",
                 "responses/django-helpdesk/presetreplies.en.json"):
        assert path in site, sorted(site)
    pack = json.loads(site["responses/cxdocs.en.json"])
    assert "Kind regards,\nThe Help Centre support team" in pack["responses"][0]["body_text"]


@pytest.mark.parametrize("existing", ["mkdocs.yml", ".gitignore", "content/faq/getting-started/how-this-help-centre-works.md"])
def test_init_writes_nothing_over_a_file(tmp_path, existing):
    start = Project(tmp_path)
    start.write(existing, "mine\n")
    before = every_file(tmp_path)
    result = start.run("init")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.splitlines()[0] == (
        f". already has {existing}; cxdocs init writes nothing over a file: start in an empty folder, or move these away"
    )
    assert every_file(tmp_path) == before


# --- Counts and warnings that agree with what was built ---------------------------------------------


def test_progress_line_and_summary_count_the_same_pages(project):
    from test_progress import run_on_a_terminal

    project.config(languages=["en", "sl"], variables=VARIABLES)
    project.write("content/faq/shipping/delivery.sl.md", faq("## Kako dolgo traja dostava?\n\n{{ shipping.days }}.\n"))
    output = run_on_a_terminal(project, "build")
    done, total = re.findall(r"(\d+)/(\d+) pages", output)[-1]
    summary = re.search(r"built 4 target\(s\), (\d+) pages \(and (\d+) home, topic and health pages\)", output)
    assert summary, output
    assert done == total == summary[1]


def test_a_build_of_one_target_warns_only_about_what_it_builds(project):
    project.config(languages=["en", "sl"], variables=VARIABLES)
    project.write("content/faq/shipping/delivery.sl.md", faq("## Kako?\n\nTako.\n", "title: Dostava\ntranslated_from: '0000'\n"))
    sop = project.root / SOP
    sop.write_text(sop.read_text(encoding="utf-8").replace("2099-01-31", "2001-01-31"), encoding="utf-8")
    everything = project.run("check")
    assert "translation into 'sl' is outdated" in everything.stderr and "due for review" in everything.stderr
    public_en = project.build("--target", "public:en", "--strict")
    assert public_en.exit_code == 0, public_en.output
    assert "warning" not in public_en.stderr
    public_sl = project.build("--target", "public:sl")
    assert "translation into 'sl' is outdated" in public_sl.stderr and "due for review" not in public_sl.stderr

# --- Bounds: every input has a limit, and a path:line past it -------------------------------------


def test_front_matter_over_its_size_limit(built):
    built.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n", front=f"title: Shipping\ndescription: {'x' * 70_000}\n"))
    assert_reported(rejected(built), f"{FAQ}:1", "front matter is 70,029 characters, over the 65,536-character limit: put long text in the page's body")


def test_front_matter_aliases_that_repeat_into_millions_of_values(built):
    """A 0.6 KB front matter of nested aliases once took minutes: it is refused at once."""
    import time

    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)
    ]
    built.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n", front="title: Shipping\n" + "\n".join(levels) + "\n"))
    started = time.monotonic()
    lines = rejected(built)
    assert time.monotonic() - started < 30
    assert_reported(lines, f"{FAQ}:2", "front matter holds more than 10,000 values once its aliases (*name) are repeated: write the values out, or move them to the page's body")


def test_front_matter_alias_inside_itself(built):
    built.write(FAQ, faq("## How long does delivery take?\n\nThree days.\n", front="title: Shipping\nloop: &loop [*loop]\n"))
    assert_reported(rejected(built), f"{FAQ}:2", "front matter is not valid YAML: an alias (*name) refers to the value that holds it")


@pytest.mark.parametrize("nested", ["list", "quote"])
def test_a_list_or_quote_nested_1800_deep(built, nested):
    """Python-Markdown parses each level again: 1,800 levels ran for minutes into a RecursionError."""
    import time

    if nested == "list":
        body = "\n".join("\t" * depth + f"- level {depth}" for depth in range(1800))  # tabs: under the size limit
    else:
        body = ">" * 1800 + " deep"
    built.write(FAQ, faq(f"## How long does delivery take?\n\n{body}\n"))
    started = time.monotonic()
    lines = rejected(built)
    assert time.monotonic() - started < 30
    line = 7 + 21 if nested == "list" else 7
    depth = 21 if nested == "list" else 1800
    assert_reported(lines, f"{FAQ}:{line}", f"this line is nested {depth} levels deep (lists, quotes or indentation), over the limit of 20: flatten the list or quote")


def test_faq_page_with_too_many_questions(built):
    questions = "".join(f"## Question number {n}?\n\nAnswer {n}.\n\n" for n in range(20_000))
    built.write(FAQ, faq(questions))
    assert_reported(
        rejected(built), f"{FAQ}:{5 + 4 * 1000}",
        "FAQ page has 20,000 questions, over the limit of 1,000 a page: split it into pages by subject",
    )


def test_a_long_variable_used_thousands_of_times(built):
    """A 100 KB variable used 20,000 times once filled a worker's memory (17.5 GB) and ended in a traceback."""
    built.config(variables={**VARIABLES, "legal": {"text": "x" * 100_000}})
    built.write(FAQ, faq("## How long does delivery take?\n\n" + "{{ legal.text }} " * 20_000 + "\n"))
    assert_reported(
        rejected(built), f"{FAQ}:7",
        "variables make this page too long: {{ legal.text }} (100,000 characters) takes it past 4,194,304 characters "
        "of variable text; shorten the variable or use it less",
    )
