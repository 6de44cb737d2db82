"""A page the public site and the handbook show alike is converted from Markdown once per build."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections import Counter

import yaml

from conftest import site_bytes
from mkdocs.structure.pages import Page

import cxdocs.adapters.mkdocs.speedups.conversions
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


def test_a_target_built_alone_reads_pages_the_second_core_converted_ahead(project, monkeypatch, tmp_path_factory):
    """A second process converts pages from the last one back; the site and the warnings are those
    of one process converting every page (a warning is said once, by the building process)."""
    # Links cxdocs accepts and MkDocs, told to in mkdocs.yml, warns about while converting.
    config = yaml.safe_load((project.root / "mkdocs.yml").read_text())
    config["validation"] = {"links": {"absolute_links": "warn"}}
    (project.root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    for n in range(30):
        project.write(
            f"content/faq/shipping/q{n:02}.md",
            f"---\ntitle: Question {n}\n---\n\n## Is {n} fine?\n\nYes: see [delivery](/faq/shipping/delivery/).\n",
        )
    project.write("content/faq/shipping/zz-broken.md", "---\ntitle: Broken\n---\n\n## Where?\n\nIn [the policy](/faq/shipping/policy/).\n")
    project.write("content/faq/shipping/policy.md", "---\ntitle: Policy\n---\n\n## Which?\n\nThis.\n")
    alone = tmp_path_factory.mktemp("alone")
    shutil.copytree(project.root, alone, dirs_exist_ok=True)

    building, real = os.getpid(), Page.render

    def slow_in_the_building_process(page, config, files):
        if os.getpid() == building:  # so the second process surely gets ahead
            time.sleep(0.05)
        return real(page, config, files)

    monkeypatch.setattr(Page, "render", slow_in_the_building_process)
    read_ahead: list[str] = []
    restore = cxdocs.adapters.mkdocs.speedups.conversions._restore
    monkeypatch.setattr(
        cxdocs.adapters.mkdocs.speedups.conversions, "_restore", lambda page, *state: (read_ahead.append(page.file.src_uri), restore(page, *state))
    )
    ahead = project.build("--target", "public:en")
    assert ahead.exit_code == 0, ahead.output
    assert read_ahead, "no page was converted ahead"
    assert ahead.output.count("'/faq/shipping/policy/'") == 1, ahead.output

    monkeypatch.setenv("CXDOCS_JOBS", "1")  # one process converts every page
    full = project.root
    project.root = alone
    one = project.build("--target", "public:en")
    assert _timeless(one.output) == _timeless(ahead.output)
    assert site_bytes(alone / "site") == site_bytes(full / "site")


def _timeless(output: str) -> str:
    return re.sub(r"in [\d.]+ s\b", "in N s", output)
