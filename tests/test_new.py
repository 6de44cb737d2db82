"""``cxdocs new``: a writer scaffolds a page, and it is valid and published where it belongs at once."""

from __future__ import annotations

import json
import re

import pytest


def all_files(project) -> dict[str, bytes]:
    return {p.relative_to(project.root).as_posix(): p.read_bytes() for p in project.root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("kind", "path", "written", "page", "title", "public"),
    [
        ("sop", "billing/refund-request", "content/sop/billing/refund-request.md",
         "sop/billing/refund-request/index.html", "Refund request", False),
        ("faq", "shipping/delivery-times", "content/faq/shipping/delivery-times.md",
         "faq/shipping/delivery-times/index.html", "Delivery times", True),
        ("response", "returns/rma-issued", "content/responses/returns/rma-issued.md",
         "responses/returns/rma-issued/index.html", "Rma issued", False),
    ],
    ids=["sop", "faq", "response"],
)
def test_new_page_is_valid_and_published_to_its_audience(project, kind, path, written, page, title, public):
    result = project.run("new", kind, path)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"created {written}\n"
    assert (project.root / written).is_file()

    # Every sentence the scaffold wrote is marked: check fails until the writer replaces it.
    check = project.run("check")
    assert check.exit_code == 1, check.output
    prompts = [line for line in (project.root / written).read_text(encoding="utf-8").splitlines() if "TODO:" in line]
    unfinished = [line for line in check.stderr.splitlines() if "unfinished text from cxdocs new" in line]
    assert prompts and len(unfinished) == len(prompts), (prompts, unfinished)
    assert all(line.startswith(f"{written}:") and line.endswith("; replace it with your own words") for line in unfinished)
    assert build_fails(project)

    write_own_words(project.root / written)
    check = project.run("check", "--strict")
    assert check.exit_code == 0, check.output
    assert "4 pages checked: 0 error(s), 0 warning(s)" in check.stderr

    build = project.build()
    assert build.exit_code == 0, build.output
    internal = project.site_files("internal")
    public_site = project.site_files("public")
    assert page in internal
    assert f"<h1>{title}</h1>" in internal[page]
    assert (page in public_site) is public


def build_fails(project) -> bool:
    result = project.build()
    return result.exit_code == 1 and not (project.root / "site").exists()


def write_own_words(path) -> None:
    """What a writer does with a scaffold: replace each marked sentence with one of their own."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    count = iter(range(1000))

    def own(match: re.Match) -> str:
        return f"Our own words number {next(count)}" + ("?" if match[0].endswith("?") else ".")

    front = re.sub(r"TODO: (?:[^'\n]|'')*", own, front)  # inside YAML's single quotes
    text = "---\n" + front + "---\n" + re.sub(r"TODO: [^\n]*", own, body)
    path.write_text(text, encoding="utf-8")


def test_new_response_keeps_the_sign_off_on_its_own_line_and_reaches_every_helpdesk(project):
    (project.root / "content/responses/refunds/refund-confirmed.md").unlink()  # the fixture's reply greets by name
    project.run("new", "response", "returns/rma-issued")
    write_own_words(project.root / "content/responses/returns/rma-issued.md")
    result = project.run("export", "--out", "packs")
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr  # no format left out
    assert "for django-helpdesk, freshdesk, helpscout, liveagent, zendesk" in result.stderr
    pack = json.loads((project.root / "packs/cxdocs.en.json").read_text(encoding="utf-8"))
    reply = next(r for r in pack["responses"] if r["id"] == "returns/rma-issued")
    assert reply["placeholders"] == []
    assert reply["body_text"].endswith("Kind regards,\nOur own words number 2.")


def test_new_sop_comes_with_the_header_an_agent_expects(project):
    project.run("new", "sop", "billing/refund-request")
    text = (project.root / "content/sop/billing/refund-request.md").read_text(encoding="utf-8")
    for key in ("title: Refund request", "department: Billing", "purpose:", "owner:", "review_by:", "terms:"):
        assert key in text
    assert "\n1. " in text


def test_new_accepts_the_path_as_seen_from_the_project(project):
    # Typed with tab completion from the project folder.
    result = project.run("new", "sop", "content/sop/billing/refund-request.md")
    assert result.exit_code == 0, result.output
    assert (project.root / "content/sop/billing/refund-request.md").is_file()
    assert not (project.root / "content/sop/content").exists()


def test_new_accepts_the_kind_folder_in_the_path(project):
    result = project.run("new", "faq", "faq/shipping/delivery-times")
    assert result.exit_code == 0, result.output
    assert (project.root / "content/faq/shipping/delivery-times.md").is_file()
    assert not (project.root / "content/faq/faq").exists()


def test_new_refuses_to_overwrite_an_existing_page(project):
    before = all_files(project)
    result = project.run("new", "faq", "shipping/delivery")
    assert result.exit_code == 1
    assert "content/faq/shipping/delivery.md: file already exists; not overwriting it" in result.stderr
    assert all_files(project) == before


def test_new_refuses_to_overwrite_a_page_it_created_and_the_writer_edited(project):
    project.run("new", "response", "returns/rma-issued")
    edited = project.write("content/responses/returns/rma-issued.md", "---\ntitle: RMA issued\n---\n\nMy words.\n")
    result = project.run("new", "response", "returns/rma-issued")
    assert result.exit_code == 1
    assert edited.read_text(encoding="utf-8") == "---\ntitle: RMA issued\n---\n\nMy words.\n"


@pytest.mark.parametrize("path", ["../evil", "billing/../../../evil", "billing/../../evil"])
def test_new_refuses_a_path_that_climbs_out(project, path):
    before = all_files(project)
    result = project.run("new", "sop", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{path!r}: give a path inside the content folder" in result.stderr
    assert all_files(project) == before
    assert not (project.root.parent / "evil.md").exists()


def test_new_faq_needs_a_topic_folder(project):
    before = all_files(project)
    result = project.run("new", "faq", "delivery-times")
    assert result.exit_code == 1
    assert "put the page in a topic folder" in result.stderr
    assert all_files(project) == before
