"""``cxdocs new``: a writer scaffolds a page, and it is valid and published where it belongs at once."""

from __future__ import annotations

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


def test_new_sop_comes_with_the_header_an_agent_expects(project):
    project.run("new", "sop", "billing/refund-request")
    text = (project.root / "content/sop/billing/refund-request.md").read_text(encoding="utf-8")
    for key in ("title: Refund request", "department: Billing", "purpose:", "owner:", "review_by:", "terms:"):
        assert key in text
    assert "\n1. " in text


def test_new_response_uses_placeholders_not_variables(project):
    project.run("new", "response", "returns/rma-issued")
    text = (project.root / "content/responses/returns/rma-issued.md").read_text(encoding="utf-8")
    assert "{{ customer.first_name }}" in text
    assert "{{ agent.first_name }}" in text


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
