"""Pagefind reads a target's pages cut to what it indexes: the bundle must be, byte for byte, the
one Pagefind makes from the whole pages, for cxdocs' own pages and for pages a theme override or
a writer's HTML shape otherwise."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import pagefind_pages, returns_in_english_and_slovenian
from cxdocs.adapters.mkdocs import pagefind_index, pagefind_input
from cxdocs.core.errors import CxdocsError


@pytest.fixture(autouse=True)
def _staged_beside_the_site(tmp_path, monkeypatch):
    """Pagefind's bundle follows the order in which the file system lists the pages it reads (a
    folder in memory lists them in another order than a disk): the cut pages are staged on the
    file system of the pages read whole, so that the two bundles can be compared byte for byte."""
    memory = tmp_path / "memory"
    memory.mkdir()
    monkeypatch.setattr(pagefind_index, "MEMORY", memory)


def _bundle_from_whole_pages(site: Path, out: Path, language: str) -> dict[str, bytes]:
    """Pagefind run on the pages as written, as cxdocs ran it before it cut them."""
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(out),
         "--exclude-selectors", ", ".join(pagefind_index.EXCLUDED), "--force-language", language, "--silent"],
        check=True, capture_output=True,
    )
    return _files(out, leave_out=pagefind_index.UNUSED)


def _files(bundle: Path, leave_out=()) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*"))
            if p.is_file() and p.name not in leave_out}


def _same_bundle(site: Path, tmp_path: Path, language: str = "en") -> dict[str, bytes]:
    whole = _bundle_from_whole_pages(site, tmp_path / "whole", language)
    cut = _files(pagefind_index.index_target(site, language, bundle=tmp_path / "cut"))
    assert cut.keys() == whole.keys()
    assert [name for name in cut if cut[name] != whole[name]] == []
    return cut


def _target_pages(built: Path, tmp_path: Path, name: str) -> Path:
    """One target's pages alone (the default language's site holds the others' folders)."""
    pages = tmp_path / name
    shutil.copytree(built, pages, ignore=shutil.ignore_patterns("pagefind", "sl"))
    return pages


def test_a_built_site_s_index_is_the_one_pagefind_makes_of_the_whole_pages(project, tmp_path):
    returns_in_english_and_slovenian(project, english_note="Waive the restocking fee for loyalty members.")
    project.write("content/sop/returns/damaged.md", """
        ---
        title: Handle a damaged return
        department: Returns
        purpose: Refund or replace a parcel that arrived broken.
        ---

        1. Photograph the parcel before opening it.
        2. Open a claim with the carrier.
        """)
    result = project.build()
    assert result.exit_code == 0, result.output
    site = project.root / "site"
    for name, built, language in [("public-en", site / "public", "en"), ("public-sl", site / "public" / "sl", "sr"),
                                  ("internal-en", site / "internal", "en")]:
        pages = _target_pages(built, tmp_path, name)
        bundle = _same_bundle(pages, tmp_path / f"{name}-bundles", language)
        assert any(n.startswith("fragment/") for n in bundle)
    indexed = pagefind_pages(tmp_path / "internal-en-bundles" / "cut")
    assert "Photograph the parcel" in indexed["/sop/returns/damaged/"]["content"]


PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>{title}</title>{head}<link rel="stylesheet" href="/a.css"></head>
<body class="page">
<header><nav>{nav}<a href="/">Home</a> <a href="/faq/">FAQ</a></nav></header>
<main>{article}</main>
<footer>{footer}Copyright</footer>
</body>
</html>
"""


def _page(folder: Path, name: str, article: str, title: str = "A page", head: str = "", nav: str = "",
          footer: str = "") -> None:
    path = folder / name / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(title=title, head=head, nav=nav, article=article, footer=footer), encoding="utf-8")


@pytest.mark.parametrize("case", [
    "plain", "filter in the navigation", "metadata in the head", "ignored outside", "nested article",
    "marked division", "upper case", "unclosed article", "second body", "article end in a script",
    "article tag in a comment", "a script that names nothing", "body tag in a head script",
    "marked article in a navigation script", "head end in a head script",
])
def test_pages_shaped_otherwise_are_indexed_as_pagefind_reads_them_whole(tmp_path, case):
    site = tmp_path / "site"
    body = '<article class="md-content__inner" data-pagefind-body><h1>Returns</h1><p>Send the parcel back.</p></article>'
    _page(site, "other", '<article data-pagefind-body><h1>Other</h1><p>Delivery takes three days.</p></article>')
    _page(site, "unmarked", "<article><h1>Print all</h1><p>Every answer on one page.</p></article>")
    shapes = {
        "plain": {"article": body},
        "filter in the navigation": {"article": body, "nav": '<span data-pagefind-filter="topic">Shipping</span>'},
        "metadata in the head": {"article": body, "head": '<meta data-pagefind-meta="image[content]" content="/i.png">'},
        "ignored outside": {"article": body, "footer": '<div data-pagefind-ignore>Footer words</div>'},
        "nested article": {"article": '<article data-pagefind-body><h1>Returns</h1><article><p>Inner story.</p>'
                                       '</article><p>After the inner one.</p></article>'},
        "marked division": {"article": '<div data-pagefind-body><h1>Returns</h1><p>In a division.</p></div>'},
        "upper case": {"article": '<ARTICLE DATA-PAGEFIND-BODY><H1>Returns</H1><P>Shouted words.</P></ARTICLE>'},
        "unclosed article": {"article": '<article data-pagefind-body><h1>Returns</h1><article><p>Never closed.</p>'},
        "second body": {"article": body, "footer": '<p data-pagefind-body>Footer also indexed.</p>'},
        "article end in a script": {"article": '<article data-pagefind-body><h1>Returns</h1><script>var x = "</article>";'
                                               '</script><p>After the script.</p></article>'},
        "article tag in a comment": {"article": '<article data-pagefind-body><h1>Returns</h1><!-- <article> -->'
                                                '<p>After the comment.</p></article>'},
        "body tag in a head script": {"article": body, "head": '<script>document.write("<body>")</script>'},
        "marked article in a navigation script": {"article": body,
                                                  "nav": '<script>var t = "<article data-pagefind-body>";</script>'},
        "head end in a head script": {"article": body, "head": '<script>var h = "</head>";</script>'},
        "a script that names nothing": {"article": '<article data-pagefind-body><h1>Returns</h1><script>var y = 1;</script>'
                                                   '<p>After a plain script.</p></article>'},
    }
    _page(site, "page", **shapes[case])
    bundle = _same_bundle(site, tmp_path)
    assert pagefind_pages(tmp_path / "cut")["/page/"]["content"]
    assert any(n.startswith("fragment/") for n in bundle)


def test_without_any_marked_page_every_page_is_indexed_whole(tmp_path):
    site = tmp_path / "site"
    _page(site, "one", "<article><h1>One</h1><p>First page.</p></article>")
    _page(site, "two", "<article><h1>Two</h1><p>Second page.</p></article>")
    _same_bundle(site, tmp_path)
    indexed = pagefind_pages(tmp_path / "cut")
    assert set(indexed) == {"/one/", "/two/"} and "Second page" in indexed["/two/"]["content"]


def test_what_pagefind_is_given_is_the_head_s_title_and_the_article(tmp_path):
    site, staged = tmp_path / "site", tmp_path / "staged"
    _page(site, "page", '<article data-pagefind-body><h1>Returns</h1><p>Send it back.</p></article>',
          title="Returns - Help", nav="<a href='/x/'>Many links</a>" * 200)
    _page(site, "print", "<article><h1>Everything</h1></article>")
    pagefind_input.stage(site, staged, "pagefind")
    given = (staged / "page" / "index.html").read_text(encoding="utf-8")
    assert "<title>Returns - Help</title>" in given and "Send it back." in given
    assert "Many links" not in given and "a.css" not in given
    assert len(given) < len((site / "page" / "index.html").read_text(encoding="utf-8")) / 10
    assert not (staged / "print").exists()


def test_without_a_temporary_folder_pagefind_reads_the_pages_as_written(tmp_path, monkeypatch):
    site = tmp_path / "site"
    _page(site, "page", '<article data-pagefind-body><h1>Returns</h1><p>Send it back.</p></article>')
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    monkeypatch.setattr(pagefind_index, "MEMORY", tmp_path / "no-such-folder")
    _same_bundle(site, tmp_path)
    assert "Send it back" in pagefind_pages(tmp_path / "cut")["/page/"]["content"]


def test_a_folder_of_someone_else_s_files_is_never_written_into_or_emptied(tmp_path):
    site, theirs = tmp_path / "site", tmp_path / "theirs"
    _page(site, "page", '<article data-pagefind-body><h1>Returns</h1><p>Send it back.</p></article>')
    theirs.mkdir()
    own = {"pagefind-ui.js": b"their own script", "notes.txt": b"their notes", "pagefind-entry.json": b"{}"}
    for name, data in own.items():
        (theirs / name).write_bytes(data)
    with pytest.raises(CxdocsError, match="not cxdocs' to write into"):
        pagefind_index.index_target(site, "en", bundle=theirs)
    assert {p.name: p.read_bytes() for p in theirs.iterdir()} == own
    # The same below the site: a folder the content put where the index goes.
    (site / "pagefind").mkdir()
    (site / "pagefind" / "pagefind-ui.js").write_bytes(b"a writer's file")
    with pytest.raises(CxdocsError):
        pagefind_index.index_target(site, "en")
    assert [p.name for p in (site / "pagefind").iterdir()] == ["pagefind-ui.js"]


def test_a_content_folder_named_like_the_index_stops_the_build_and_stays_as_it_is(project):
    returns_in_english_and_slovenian(project)
    theirs = project.write_bytes("content/pagefind/pagefind-ui.js", b"a writer's own script")
    result = project.build()
    assert result.exit_code == 1
    assert "not cxdocs' to write into" in result.output and "rename a 'pagefind' folder" in result.output
    assert theirs.read_bytes() == b"a writer's own script"
    assert not (project.root / "site").exists()
