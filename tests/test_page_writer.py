"""Pages are written as MkDocs writes them, byte for byte, though cxdocs encodes them faster."""

from __future__ import annotations

import shutil

from conftest import site_bytes

import cxdocs.adapters.mkdocs.speedups.page_split as page_split
from cxdocs.adapters.mkdocs.speedups.page_writer import SLICE, encoded, write_page


def test_a_page_s_text_encodes_to_the_bytes_of_the_whole():
    page = list("<li>a</li>\n" * 30_000)
    for at, char in ((SLICE - 1, "→"), (SLICE, "😀"), (SLICE + 1, "–"), (2 * SLICE, "\ud800"), (len(page) - 1, "Ω")):
        page[at] = char
    text = "".join(page)
    assert encoded(text) == text.encode("utf-8", "xmlcharrefreplace")
    assert encoded("ascii only " * 10_000) == ("ascii only " * 10_000).encode()
    assert encoded("Ω") == "Ω".encode()


def test_the_installed_mkdocs_writes_pages_the_way_cxdocs_follows():
    # Fails when MkDocs changes how it writes a page: compare the new _build_page with write_page,
    # then update page_writer.FOLLOWED.
    assert page_split._write_page is write_page


def test_the_site_is_the_one_mkdocs_own_page_writer_makes(project, monkeypatch, tmp_path_factory):
    long_answer = "\n\n".join(f"Paragraph {n}: delivery takes 3–5 days → then it arrives. Ωμέγα." for n in range(2000))
    project.write("content/faq/shipping/long.md", f"---\ntitle: Long — answers\n---\n\n## How long?\n\n{long_answer}\n")
    for n in range(70):
        project.write(f"content/faq/topic{n % 3}/q{n:02}.md", f"---\ntitle: Question {n} ✓\n---\n\n## Is {n} asked?\n\nYes.\n")

    def built(name):
        copy = tmp_path_factory.mktemp(name)
        shutil.copytree(project.root, copy, dirs_exist_ok=True)
        original, project.root = project.root, copy
        result = project.build()
        project.root = original
        assert result.exit_code == 0, result.output
        return site_bytes(copy / "site")

    ours = built("ours")
    monkeypatch.setattr(page_split, "_write_page", page_split._mkdocs_build_page)
    theirs = built("theirs")
    assert len(ours["public/faq/shipping/long/index.html"]) > 2 * SLICE
    assert ours == theirs


def test_a_head_edited_as_the_page_is_joined_is_the_head_edited_after():
    from cxdocs.adapters.mkdocs.html_head import edit_head, joined_with_head

    def edit(head):
        return head.replace("<title>", '<link rel="canonical" href="x"><title>')

    page = ["<html><head>", "<title>", "Ω", "</title></head><body>", "→ text", "</body></html>"]
    split_end = ["<html><head><title>a</title></he", "ad><body>b</he", "ad></body>"]
    for chunks in (page, split_end, ["<head></head>"]):
        assert joined_with_head(iter(chunks), edit) == (edit_head("".join(chunks), edit), True)
    for chunks in (["<p>a partial</p>", "<title>"], []):
        assert joined_with_head(iter(chunks), edit) == ("".join(chunks), False), "not a page: only joined"
