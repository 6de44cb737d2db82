"""Search indexes on disk: Pagefind by default, one per language and audience, lunr on request; the
leak guard reads Pagefind's index as it reads pages."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import pagefind_pages

import cxdocs.core.audience
import cxdocs.core.render
from cxdocs.adapters.mkdocs import indexing, pagefind_index, pagefind_input
from cxdocs.core.audience import INTERNAL
from cxdocs.outputs import guard_cache

NOTE = "Waive the restocking fee for loyalty members who order twice a year."


def _languages_project(project, **options):
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}},
                   **options)
    project.write(
        "content/faq/shipping/returns.md",
        f"""
        ---
        title: Returns
        ---

        ## How do I send an item back?

        Print the prepaid label and drop the parcel off.

        !!! internal "Agent note"
            {NOTE}
        """,
    )
    project.write(
        "content/faq/shipping/returns.sl.md",
        """
        ---
        title: Vračila
        ---

        ## Kako vrnem izdelek?

        Natisnite plačano nalepko in oddajte paket na pošti.

        !!! internal "Opomba za agente"
            Stalnim strankam odpišite strošek vračila.
        """,
    )
    return project


def _temporary_folders(monkeypatch, tmp_path) -> tuple[Path, Path]:
    """The system's folder in memory and its temporary folder, as folders of the test's own."""
    memory, temporary = tmp_path / "memory", tmp_path / "tmp"
    memory.mkdir()
    temporary.mkdir()
    monkeypatch.setattr(pagefind_index, "MEMORY", memory)
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    return memory, temporary


def _languages(bundle: Path) -> set[str]:
    return set(json.loads((bundle / "pagefind-entry.json").read_text())["languages"])


def test_pagefind_is_the_default_with_one_index_per_language_and_audience(project):
    _languages_project(project)
    assert project.build().exit_code == 0
    site = project.root / "site"

    en, sl = pagefind_pages(site / "public" / "pagefind"), pagefind_pages(site / "public" / "sl" / "pagefind")
    assert "Print the prepaid label" in en["/faq/shipping/returns/"]["content"]
    assert "Natisnite plačano nalepko" in sl["/faq/shipping/returns/"]["content"]
    # The untranslated FAQ page falls back to English on the sl site, and is found by sl readers there.
    assert "Standard delivery takes" in sl["/faq/shipping/delivery/"]["content"]
    # Slovenian is stemmed with Pagefind's Serbian stemmer, English with its own.
    assert _languages(site / "public" / "pagefind") == {"en"}
    assert _languages(site / "public" / "sl" / "pagefind") == {"sr"}
    # The handbook has its own index, with the SOP and the agent notes; the public one has neither.
    handbook = pagefind_pages(site / "internal" / "pagefind")
    assert "loyalty members" in handbook["/faq/shipping/returns/"]["content"]
    assert "/sop/billing/refund/" in handbook
    assert "/sop/billing/refund/" not in en
    assert not any("loyalty" in page["content"] for page in [*en.values(), *sl.values()])
    # Only the page's article is indexed: no navigation, no permalink signs, no error page.
    assert en["/faq/shipping/returns/"]["content"].startswith("Returns. How do I send an item back?")
    assert "¶" not in json.dumps(en, ensure_ascii=False)
    assert not any("404" in url for url in en)
    # The theme's lunr index is not written, and no page loads the theme's search worker.
    assert not (site / "public" / "search").exists()
    page = project.html("public/faq/shipping/returns/index.html")
    assert "search_index.json" not in page and 'data-md-component="search"' not in page
    assert 'data-cx-search="../../../pagefind/"' in page
    # Pagefind's own interface files are not shipped: the theme's search box is used.
    assert not list((site / "public" / "pagefind").glob("pagefind-ui*"))


def test_lunr_is_the_option_with_one_index_per_language(project):
    _languages_project(project, search="lunr")
    assert project.build().exit_code == 0
    site = project.root / "site"
    assert not (site / "public" / "pagefind").exists()
    en = json.loads((site / "public" / "search" / "search_index.json").read_text(encoding="utf-8"))
    sl = json.loads((site / "public" / "sl" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("prepaid label" in doc["text"] for doc in en["docs"])
    assert any("plačano nalepko" in doc["text"] for doc in sl["docs"])
    assert not any("plačano" in doc["text"] for doc in en["docs"])
    # The handbook's index holds its pages, but neither its health page nor its printable ones.
    handbook = {doc["location"].split("#")[0] for doc in json.loads(
        (site / "internal" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]}
    assert "sop/billing/refund/" in handbook and (site / "internal" / "health" / "index.html").is_file()
    assert not {"health/", "sop/billing/print-all/"} & handbook
    # lunr has no Slovenian support: words as written, no English stemmer or stop words.
    assert sl["config"]["lang"] == ["en"] and sl["config"]["pipeline"] == []
    page = project.html("public/faq/shipping/returns/index.html")
    assert 'data-md-component="search"' in page and "data-cx-search" not in page


def test_the_search_option_takes_only_the_two_engines(project):
    project.config(search="elasticsearch")
    result = project.run("check")
    assert result.exit_code != 0
    assert "mkdocs.yml:" in result.output
    assert "search: 'elasticsearch' is not one of: pagefind, lunr" in result.output


def test_without_the_search_plugin_there_is_no_search(project):
    config = (project.root / "mkdocs.yml").read_text().replace("- search\n", "")
    (project.root / "mkdocs.yml").write_text(config)
    assert project.build().exit_code == 0
    assert not (project.root / "site" / "public" / "pagefind").exists()
    assert "md-search" not in project.html("public/index.html")


def test_the_guard_reads_pagefindpagefind_pages(project):
    _languages_project(project)
    assert project.build().exit_code == 0
    assert project.run("guard", "site").exit_code == 0
    bundle = project.root / "site" / "public" / "sl" / "pagefind"
    fragment = next(p for p in (bundle / "fragment").glob("*.pf_fragment")
                    if b"/faq/shipping/returns/" in gzip.decompress(p.read_bytes()))
    data = gzip.decompress(fragment.read_bytes())
    page = json.loads(data[len(b"pagefind_dcd"):])

    # An agent note's words planted in the text a public page is found by: the guard names the file
    # and the line the words were written on.
    leaked = dict(page, content=page["content"] + " Stalnim strankam odpišite strošek vračila.")
    fragment.write_bytes(gzip.compress(b"pagefind_dcd" + json.dumps(leaked, ensure_ascii=False).encode()))
    result = project.run("guard", "site")
    assert result.exit_code == 1
    shown = fragment.relative_to(project.root / "site").as_posix()
    assert shown in result.output
    assert "internal text reached the public output" in result.output
    assert "content/faq/shipping/returns.sl.md:10" in result.output

    # An entry for an SOP is found by its address, even when the host stored the file unpacked.
    sop = dict(page, url="/sop/billing/refund/", content="Refunds.")
    fragment.write_bytes(b"pagefind_dcd" + json.dumps(sop).encode())
    result = project.run("guard", "site")
    assert result.exit_code == 1
    assert ("content/sop/billing/refund.md: indexes the internal page sop/billing/refund for search, "
            f"in site/{shown}") in result.output


def test_the_build_stops_when_internal_text_reaches_the_index(project, monkeypatch):
    _languages_project(project)
    real = cxdocs.core.audience.filter_audience
    monkeypatch.setattr(cxdocs.core.render, "filter_audience", lambda lines, audience: real(lines, INTERNAL))
    result = project.build("--target", "public:en")
    assert result.exit_code == 1
    assert "faq/shipping/returns/index.html" in result.output  # found in the page: not indexed, stopped
    assert not (project.root / "site").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_index_is_guarded_on_its_own(project, monkeypatch, jobs, tmp_path):
    """The index is guarded on its own: internal text that only the index holds (here the pages'
    own guard is switched off, and the English pages let their notes through) stops the build
    too, while the other targets are built and indexed; nothing of any Pagefind's input is left
    behind."""
    _languages_project(project)
    monkeypatch.setenv("CXDOCS_JOBS", jobs)
    temporary = _temporary_folders(monkeypatch, tmp_path)
    real_filter, real_scan = cxdocs.core.audience.filter_audience, guard_cache.scan

    def english_notes_through(lines, audience):
        # Only English text leaks: two public targets indexed side by side would otherwise race
        # to be the one the build stops with.
        english = not any(".sl." in str(line.path) for line in lines)
        return real_filter(lines, INTERNAL if english else audience)

    monkeypatch.setattr(cxdocs.core.render, "filter_audience", english_notes_through)
    monkeypatch.setattr(guard_cache, "scan", lambda *a, under="", **k: real_scan(*a, under=under, **k) if under else [])
    result = project.build()
    assert result.exit_code == 1
    assert "public build of public:en stopped" in result.output
    assert "pagefind/fragment/" in result.output
    assert "faq/shipping/returns/index.html" not in result.output
    assert not (project.root / "site").exists()
    assert [list(folder.iterdir()) for folder in temporary] == [[], []]


def test_an_unchanged_target_gets_its_index_from_the_build_cache(project):
    _languages_project(project)
    assert project.build().exit_code == 0
    site, entries = project.root / "site", project.root / ".cxdocs" / "cache" / "pagefind"
    first = {path: path.read_bytes() for path in site.rglob("pagefind/**/*") if path.is_file()}
    kept = {entry.name for entry in entries.iterdir()}
    assert len(kept) == 4  # public and internal, en and sl
    long_ago = time.time() - 3600
    for entry in entries.iterdir():  # an entry the next build reads is touched; one it leaves, pruned
        os.utime(entry, (long_ago, long_ago))

    project.write("content/faq/shipping/returns.sl.md", (project.root / "content/faq/shipping/returns.sl.md").read_text()
                  .replace("oddajte paket na pošti", "oddajte paket v paketomatu"))
    assert project.build().exit_code == 0
    sl = pagefind_pages(site / "public" / "sl" / "pagefind")
    assert "paketomatu" in sl["/faq/shipping/returns/"]["content"]
    again = {path: path.read_bytes() for path in site.rglob("pagefind/**/*") if path.is_file()}
    changed = {path.relative_to(site).parts[:2] for path in set(first) ^ set(again)}
    assert changed == {("public", "sl"), ("internal", "sl")}
    # The English targets' bundles came from the cache (their entries were read); the Slovenian ones
    # were made again, and the entries they replace pruned.
    now = {entry.name: entry.stat().st_mtime for entry in entries.iterdir()}
    assert len(now) == 4 and len(set(now) & kept) == 2
    assert all(mtime > long_ago + 60 for mtime in now.values())
    cold = project.root / "cold"
    assert project.build("--no-cache", "--site-dir", "cold").exit_code == 0
    assert again == {site / path.relative_to(cold): path.read_bytes() for path in cold.rglob("pagefind/**/*") if path.is_file()}


def _pagefind_runs_logged(monkeypatch, runs: Path) -> None:
    """Each Pagefind run, once it has ended, is a line of ``runs``: when it started and ended (one
    clock for every process of the machine) and the targets whose pages were all written as it
    started (their sitemap is the last file a target's build writes). It starts a second late, as
    a big site's index would: a worker still running would write meanwhile."""
    real, real_stage, staged = subprocess.Popen, pagefind_input.stage, []

    def stage(site_dir, *args):  # Pagefind reads a copy of the target's pages: which target's
        staged.append(site_dir)
        return real_stage(site_dir, *args)

    class SlowPagefind(real):
        def __init__(self, command, *args, **kwargs):
            self.pagefind = "pagefind" in command
            if self.pagefind:
                self.started = time.monotonic()
                targets = Path(staged[-1]).parent
                self.written = sorted(p.parent.name for p in targets.glob("*/sitemap.xml"))
                time.sleep(1)
            super().__init__(command, *args, **kwargs)

        def communicate(self, *args, **kwargs):
            done = super().communicate(*args, **kwargs)
            if self.pagefind:
                with runs.open("a") as log:
                    log.write(f"{self.started} {time.monotonic()} {','.join(self.written) or '-'}\n")
            return done

    monkeypatch.setattr(subprocess, "Popen", SlowPagefind)
    monkeypatch.setattr(pagefind_input, "stage", stage)


def test_a_large_target_s_pagefind_runs_alone_once_every_target_s_pages_are_written(project, monkeypatch, tmp_path):
    """Pagefind holds all of a target's pages in memory while it indexes them (2 GiB for a handbook
    of 10,000 pages): a target larger than ``BESIDE_WORKERS`` pages is never indexed beside a
    worker writing another target, nor beside another Pagefind, even when the targets built side by
    side are written at the same moment."""
    _languages_project(project)
    monkeypatch.setenv("CXDOCS_JOBS", "2")
    monkeypatch.setattr(indexing, "BESIDE_WORKERS", 0)  # every target counts as large
    runs = tmp_path / "runs"
    _pagefind_runs_logged(monkeypatch, runs)
    assert project.build("--no-cache").exit_code == 0
    spans = sorted(line.split() for line in runs.read_text().splitlines())
    assert len(spans) == 4  # public and internal, en and sl
    for span in spans:
        assert span[2] == "internal-en,internal-sl,public-en,public-sl"
    for (_, ended, _), (started, _, _) in zip(spans, spans[1:]):
        assert float(started) >= float(ended)
    sl = pagefind_pages(project.root / "site" / "public" / "sl" / "pagefind")
    assert "oddajte paket na pošti" in sl["/faq/shipping/returns/"]["content"]


def test_a_small_target_is_indexed_by_its_worker_while_the_other_builds_with_the_same_index(project, monkeypatch, tmp_path):
    """A target of no more than ``BESIDE_WORKERS`` pages is indexed as soon as its pages are
    written, while the other worker is still building: no core waits for an index phase. The
    site is the one the index phase makes, byte for byte."""
    _languages_project(project)
    monkeypatch.setenv("CXDOCS_JOBS", "2")
    runs = tmp_path / "runs"
    _pagefind_runs_logged(monkeypatch, runs)
    assert project.build("--no-cache").exit_code == 0
    spans = sorted(line.split() for line in runs.read_text().splitlines())
    assert len(spans) == 4
    # The first index began while targets were still to be written (two of four at most were).
    assert len(spans[0][2].split(",")) <= 2, spans

    monkeypatch.setattr(indexing, "BESIDE_WORKERS", 0)
    assert project.build("--no-cache", "--site-dir", "later").exit_code == 0
    site, later = project.root / "site", project.root / "later"
    files = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert any(path.parts[2:3] == ("pagefind",) for path in files)
    assert files == {p.relative_to(later): p.read_bytes() for p in later.rglob("*") if p.is_file()}


@pytest.mark.parametrize("large", [True, False], ids=["index phase", "in the worker"])
def test_a_search_index_that_fails_stops_the_build_and_leaves_none_of_pagefind_s_input(project, monkeypatch, tmp_path,
                                                                                       large):
    """While Pagefind indexes one large site, the build cuts the next site's pages for it; a small
    site is indexed by its worker. Pagefind failing stops the build with its words, and the pages
    cut meanwhile are removed with the rest: nothing is left in the temporary folder, and no site
    is written."""
    import sys

    _languages_project(project)
    if large:
        monkeypatch.setattr(indexing, "BESIDE_WORKERS", 0)
    temporary = _temporary_folders(monkeypatch, tmp_path)
    real, prepared = pagefind_index.prepare_index, []

    def failing_first(*args, **kwargs):
        made = real(*args, **kwargs)
        prepared.append(made)
        if len(prepared) == 1:
            made.command = [sys.executable, "-c", "import sys; sys.exit('Pagefind ran out of disk space')"]
        return made

    monkeypatch.setattr(pagefind_index, "prepare_index", failing_first)
    result = project.build("--no-cache")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "search index: Pagefind failed" in result.output
    assert "ran out of disk space" in result.output
    if large:
        assert len(prepared) == 2, "the next site's pages are cut while Pagefind runs"
        assert prepared[1].staging is None
    assert [list(folder.iterdir()) for folder in temporary] == [[], []]
    assert not (project.root / "site").exists()


@pytest.mark.parametrize("room", ["room in memory", "no room in memory", "memory filled meanwhile"])
def test_pagefind_s_input_is_written_in_memory_where_there_is_room_and_in_the_temporary_folder_else(
        project, monkeypatch, tmp_path, room):
    """Pagefind's input, a target's pages cut to what it reads (thousands of small files, written
    once, read once), goes to the system's folder in memory when it has room for the target's pages
    as written, else to the temporary folder, as it does when the folder in memory fills up while
    the pages are written. Nothing of it is left in either folder (someone else's files there
    stay), and the bundles are the same wherever Pagefind read its input (byte for byte: the test's
    two folders are on one file system, and a bundle follows the order in which a file system
    lists the pages)."""
    import errno

    _languages_project(project)
    monkeypatch.setenv("CXDOCS_JOBS", "1")
    memory, temporary = _temporary_folders(monkeypatch, tmp_path)
    theirs = {folder / name: f"{name} of someone else's\n" for folder in (memory, temporary)
              for name in ("notes.txt", "cxdocs-pagefind-notes.txt")}
    for path, text in theirs.items():
        path.write_text(text, encoding="utf-8")
    real_statvfs, real_stage, staged = os.statvfs, pagefind_input.stage, tmp_path / "staged"
    if room == "no room in memory":
        full = os.statvfs_result((4096, 4096, 1000, 1, 1, 1000, 10, 10, 0, 255))  # one block of 4 KiB free
        monkeypatch.setattr(os, "statvfs", lambda path: full if Path(path) == memory else real_statvfs(path))

    def stage(site_dir, folder, skip):
        in_memory = Path(folder).parent == memory
        with staged.open("a") as log:
            log.write(f"{'memory' if in_memory else 'temporary'}\n")
        if in_memory and room == "memory filled meanwhile":
            (Path(folder) / "half-written.html").write_text("<html>")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_stage(site_dir, folder, skip)

    monkeypatch.setattr(pagefind_input, "stage", stage)
    assert project.build("--no-cache").exit_code == 0
    expected = {"room in memory": ["memory"] * 4, "no room in memory": ["temporary"] * 4,
                "memory filled meanwhile": ["memory", "temporary"] * 4}[room]
    assert staged.read_text().split() == expected
    # Nothing left of the pages cut for Pagefind; someone else's files in both folders as they were.
    assert sorted(p for folder in (memory, temporary) for p in folder.iterdir()) == sorted(theirs)
    assert {path: path.read_text(encoding="utf-8") for path in theirs} == theirs

    monkeypatch.setattr(pagefind_index, "MEMORY", tmp_path / "no such folder")
    monkeypatch.setattr(pagefind_input, "stage", real_stage)
    assert project.build("--no-cache", "--site-dir", "on-disk").exit_code == 0
    site, on_disk = project.root / "site", project.root / "on-disk"
    bundles = {p.relative_to(site): p.read_bytes() for p in site.rglob("pagefind/**/*") if p.is_file()}
    assert len(bundles) > 20
    assert bundles == {p.relative_to(on_disk): p.read_bytes() for p in on_disk.rglob("pagefind/**/*") if p.is_file()}
    sl = pagefind_pages(site / "public" / "sl" / "pagefind")
    assert "oddajte paket na pošti" in sl["/faq/shipping/returns/"]["content"]
