"""A page the public site and the handbook show alike is converted from Markdown once per build (the
build cache keeps the conversion for the other targets); without the cache each target converts it."""

from __future__ import annotations

import shutil
from collections import Counter

from mkdocs.structure.pages import Page

from cxdocs.adapters.mkdocs.speedups.conversions import qualifies


def test_identical_pages_are_converted_once_and_the_handbook_looks_the_same(project, monkeypatch, tmp_path_factory):
    project.write("content/faq/shipping/customs.md", "---\ntitle: Customs\n---\n\n## Do I pay duty?\n\nNo.\n\n!!! internal\n    Check the invoice.\n")
    project.write("content/faq/shipping/links.md", "---\ntitle: Links\n---\n\n## Where is the policy?\n\nSee [delivery](delivery.md).\n")
    alone = tmp_path_factory.mktemp("alone")
    shutil.copytree(project.root, alone, dirs_exist_ok=True)

    converted: Counter = Counter()
    real = Page.render

    def counting(page, config, files):
        converted[page.file.src_uri] += 1
        return real(page, config, files)

    monkeypatch.setattr(Page, "render", counting)
    monkeypatch.setenv("CXDOCS_JOBS", "1")  # in this process, so the counter sees every conversion
    result = project.build()
    assert result.exit_code == 0, result.output
    assert converted["faq/shipping/delivery.md"] == 1, "the same page was converted for both audiences"
    assert converted["faq/shipping/customs.md"] == 2, "a page with an agent note differs between audiences"
    assert converted["faq/shipping/links.md"] == 2, "links resolve against each target's own pages"

    converted.clear()
    assert project.build("--no-cache").exit_code == 0
    assert converted["faq/shipping/delivery.md"] == 2, "without the cache, each target converts its pages, as MkDocs does"

    # The handbook built on its own, with nothing to reuse, is byte for byte the same.
    full = project.root
    project.root = alone
    result = project.build("--target", "internal:en")
    assert result.exit_code == 0, result.output
    for page in ("delivery", "customs", "links"):
        rel = f"internal/faq/shipping/{page}/index.html"
        assert (alone / "site" / rel).read_bytes() == (full / "site" / rel).read_bytes(), rel


def test_pages_with_links_mkdocs_resolves_do_not_qualify():
    assert qualifies("## Q?\n\nText with `code` and **bold**.\n")
    assert qualifies("See [our shop](https://shop.example/) or [mail](mailto:help@example.test).\n")
    assert not qualifies("See [delivery](delivery.md).\n")
    assert not qualifies("See [the answer](#can-i-track).\n")
    assert not qualifies("![diagram](img/flow.png)\n")
    assert not qualifies("[policy]: ../policy.md\n\nSee [policy].\n")
    assert not qualifies('<a href="../sop/x/">x</a>\n')
