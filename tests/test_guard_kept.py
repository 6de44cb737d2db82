"""A leak guard taken from the build cache is the one its sources give now: internal text written
since the last build (in a page, in a snippet, through a variable) is known to it, and stops a
build that lets that text through."""

from __future__ import annotations

import pytest

import cxdocs.core.audience
import cxdocs.core.render
import cxdocs.outputs.guard
from cxdocs.outputs import guard_cache
from conftest import returns_in_english_and_slovenian
from cxdocs.core.audience import PUBLIC

NEW = "Offer velvet courier pickup for heirloom armchairs"


def _project(project):
    project.config(variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"},
                              "courier": {"name": "Larkspur Express"}})
    project.write("content/snippets/returns-tip.md", "Keep the box until the refund arrives.\n")
    project.write("content/faq/shipping/returns.md", """
        ---
        title: Returns
        ---

        ## How do I send an item back?

        Print the prepaid label and drop the parcel off.

        --8<-- "snippets/returns-tip.md"
        """)
    return project


def _let_through_blocks_holding(word: str, monkeypatch) -> None:
    """A renderer that publishes the text of the internal blocks holding ``word`` as a plain
    paragraph, without the block's markup: what only a guard knowing that text can stop."""
    real = cxdocs.core.audience.filter_audience

    def leaky(lines, audience):
        kept, blocks = real(lines, audience)
        leaked = [line._replace(text=line.text.strip()) for block in blocks for line in block.body if word in line.text]
        if audience == PUBLIC and leaked:
            return [*kept, leaked[0]._replace(text=""), *leaked], blocks
        return kept, blocks

    monkeypatch.setattr(cxdocs.core.render, "filter_audience", leaky)


CHANGES = {
    "a note in the page": ("content/faq/shipping/returns.md",
                           lambda text: text + f'\n!!! internal "Agent note"\n    {NEW}.\n'),
    "a note in a snippet": ("content/snippets/returns-tip.md",
                            lambda text: text + f'\n!!! internal\n    {NEW}.\n'),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_kept_guard_knows_internal_text_written_since(project, monkeypatch, change):
    _project(project)
    monkeypatch.setenv("CXDOCS_JOBS", "1")
    first = project.build()
    assert first.exit_code == 0, first.output
    assert list((project.root / ".cxdocs" / "cache" / "guard-reference").iterdir())
    rel, edit = CHANGES[change]
    path = project.root / rel
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    _let_through_blocks_holding("velvet", monkeypatch)
    result = project.build()
    assert result.exit_code == 1
    assert "public build of public:en stopped" in result.output
    assert "internal text reached the public output" in result.output
    assert "velvet" in result.output.casefold()


def test_a_kept_guard_knows_a_variable_s_new_value(project, monkeypatch):
    _project(project)
    monkeypatch.setenv("CXDOCS_JOBS", "1")
    path = project.root / "content/faq/shipping/returns.md"
    path.write_text(path.read_text(encoding="utf-8") + '\n!!! internal\n    Book {{ courier.name }} for the heirloom pickup.\n', encoding="utf-8")
    assert project.build().exit_code == 0
    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    (project.root / "mkdocs.yml").write_text(config.replace("Larkspur Express", "Velvet Van Lines"), encoding="utf-8")
    _let_through_blocks_holding("courier.name", monkeypatch)
    result = project.build()
    assert result.exit_code == 1
    assert "internal text reached the public output: 'book velvet van lines for'" in result.output


def test_an_unchanged_project_takes_every_guard_from_the_cache(project, monkeypatch):
    """The second build of the same sources derives no guard: each is read from the cache."""
    _project(project)
    assert project.build().exit_code == 0
    derived = []
    real = cxdocs.outputs.guard.LeakGuard.__init__

    def counted(self, *args, **kwargs):
        derived.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setenv("CXDOCS_JOBS", "1")
    monkeypatch.setattr(cxdocs.outputs.guard.LeakGuard, "__init__", counted)
    assert project.build("--site-dir", "again").exit_code == 0
    assert derived == []


def test_a_note_added_to_a_translation_is_known_to_that_language_s_kept_guard(project, monkeypatch):
    returns_in_english_and_slovenian(project)
    monkeypatch.setenv("CXDOCS_JOBS", "1")
    assert project.build().exit_code == 0
    path = project.root / "content/faq/shipping/returns.sl.md"
    path.write_text(path.read_text(encoding="utf-8") + '\n!!! internal\n    Stalnim strankam ponudite žametni prevzem pri vratih.\n',
                    encoding="utf-8")
    _let_through_blocks_holding("žametni", monkeypatch)
    result = project.build()
    assert result.exit_code == 1
    assert "public build of public:sl stopped" in result.output
    assert "žametni" in result.output


def test_an_edit_in_one_language_derives_only_the_guards_whose_readers_see_it(project, monkeypatch):
    """An English page translated into Slovenian: editing its English text derives the English
    site's guard and the packs' (which read every language) again; the Slovenian site's is read."""
    returns_in_english_and_slovenian(project)
    monkeypatch.setenv("CXDOCS_JOBS", "1")
    assert project.build().exit_code == 0
    derived = []
    real = cxdocs.outputs.guard._guard_of

    def recorded(project, targets, generated):
        derived.append(",".join(str(t) for t in targets))
        return real(project, targets, generated)

    monkeypatch.setattr(cxdocs.outputs.guard, "_guard_of", recorded)
    path = project.root / "content/faq/shipping/returns.md"
    path.write_text(path.read_text(encoding="utf-8").replace("drop the parcel off", "drop the parcel at a locker"),
                    encoding="utf-8")
    assert project.build().exit_code == 0
    assert derived == ["public:en"]
    # The Slovenian translation's own edit: only its guard.
    derived.clear()
    path = project.root / "content/faq/shipping/returns.sl.md"
    path.write_text(path.read_text(encoding="utf-8").replace("na pošti", "v paketomatu"), encoding="utf-8")
    assert project.build().exit_code == 0
    assert derived == ["public:sl"]


def test_a_target_taken_from_the_cache_is_read_by_the_guard_once_and_again_when_its_guard_changes(project, monkeypatch):
    """A public target taken whole from the cache is read by the leak guard; once found clean,
    the same files under the same guard are not read again. An edit to the Slovenian translation
    of an SOP (internal: no public page reads otherwise) changes the Slovenian site's guard: that
    site is read again, the English one is not."""
    returns_in_english_and_slovenian(project)
    project.write("content/sop/billing/refund.sl.md", "---\ntitle: Vračilo kupnine\n---\n\n## Koraki\n\n"
                  "1. Preverite naročilo.\n2. Vrnite do {{ limits.refund }} brez odobritve.\n")
    monkeypatch.setenv("CXDOCS_JOBS", "1")
    assert project.build().exit_code == 0
    read, real = [], guard_cache.scan

    def recorded(guard, site_dir, site_url, cache, target, **kwargs):
        if target != "packs":  # read in every build, file by file as they change (tested below)
            read.append(str(target))
        return real(guard, site_dir, site_url, cache, target, **kwargs)

    monkeypatch.setattr(guard_cache, "scan", recorded)
    first = project.build()
    assert first.exit_code == 0 and "4 unchanged" in first.output, first.output
    assert sorted(set(read)) == ["public:en", "public:sl"]
    read.clear()
    assert "4 unchanged" in project.build().output
    assert read == []
    path = project.root / "content/sop/billing/refund.sl.md"
    path.write_text(path.read_text(encoding="utf-8").replace("naročilo.", "naročilo in račun."), encoding="utf-8")
    again = project.build()
    assert again.exit_code == 0 and "3 unchanged" in again.output, again.output  # the Slovenian handbook is built
    assert set(read) == {"public:sl"}


def test_the_text_a_target_s_build_adds_is_struck_as_if_the_guard_were_derived_with_it(project):
    """A public target's guard is derived from the sources before its build (and kept in the
    build cache, where the worker that builds it reads it); the text only that build makes (a
    topic page listing the questions, the words around every page) is public too. Added
    afterwards, it strikes the same runs and frees the same files as a guard derived with it, and
    the guard it was added to stays as it was."""
    from cxdocs.app.project import load_checked_project
    from cxdocs.core.targets import Target
    from cxdocs.outputs.guard_cache import reference_digest

    note = "Check the seal twice before the courier arrives, as seal-guide.pdf shows."
    returns_in_english_and_slovenian(project, english_note=note)
    project.write_bytes("content/faq/shipping/seal-guide.pdf", b"%PDF-1.4 a guide")
    loaded, _ = load_checked_project(project.root / "mkdocs.yml", None, None)
    target = Target("public", "en")
    generated = ["Why check the seal twice before the courier arrives?", "Guides: seal-guide.pdf"]

    shared = cxdocs.outputs.guard.source_guard(loaded, target)
    shared_reference = reference_digest(shared, "")
    assert ("seal", "twice", "before", "the", "courier") in shared.by_length[5]
    assert list(shared.internal_files) == ["faq/shipping/seal-guide.pdf"], "named by internal text alone"

    guard = cxdocs.outputs.guard.guard_for_target(loaded, target, generated)
    whole = cxdocs.outputs.guard._guard_of(loaded, [target], generated)
    assert ("seal", "twice", "before", "the", "courier") not in guard.by_length[5]
    assert reference_digest(guard, "") == reference_digest(whole, "")
    assert guard.internal_files == whole.internal_files == {}
    assert reference_digest(shared.with_public(generated), "") == reference_digest(whole, "")
    assert reference_digest(shared, "") == shared_reference, "the guard the text was added to is left as it was"


def test_side_by_side_the_public_guards_are_derived_before_the_target_workers_and_read_by_them(
        project, monkeypatch, tmp_path):
    """Targets built side by side: each public target's guard is derived once, in a process of its
    own that ends before the target workers need it, never in a target's worker (deriving reads
    every source of the project, which a worker would copy from the memory it shares with the
    build) nor in the build's own process (which would carry it into every later worker). The
    guard read from the cache still stops a leak."""
    import os

    import cxdocs.app.build

    returns_in_english_and_slovenian(project)
    monkeypatch.setenv("CXDOCS_JOBS", "2")
    log, in_worker = tmp_path / "derived", []
    real_guard, real_build = cxdocs.outputs.guard._guard_of, cxdocs.app.build._build_one

    def recorded(loaded, targets, generated):
        where = "target worker" if in_worker else "build" if os.getpid() == build_pid else "own process"
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{','.join(str(t) for t in targets)} {where}\n")
        return real_guard(loaded, targets, generated)

    def build_one(*args):
        in_worker.append(True)  # in the worker's memory only: it was forked
        return real_build(*args)

    build_pid = os.getpid()
    monkeypatch.setattr(cxdocs.outputs.guard, "_guard_of", recorded)
    monkeypatch.setattr(cxdocs.app.build, "_build_one", build_one)
    first = project.build()
    assert first.exit_code == 0, first.output
    assert sorted(log.read_text(encoding="utf-8").splitlines()) == ["public:en own process", "public:sl own process"]

    log.unlink()
    path = project.root / "content/faq/shipping/returns.md"
    path.write_text(path.read_text(encoding="utf-8") + f'\n!!! internal "Agent note"\n    {NEW}.\n', encoding="utf-8")
    _let_through_blocks_holding("velvet", monkeypatch)
    result = project.build()
    assert log.read_text(encoding="utf-8").splitlines() == ["public:en own process"]
    assert result.exit_code == 1
    assert "public build of public:en stopped" in result.output
    assert "internal text reached the public output" in result.output


def test_an_edit_to_an_internal_page_shares_the_guards_it_changes_between_two_processes(project, monkeypatch, tmp_path):
    """An internal page's text is in every public target's guard and the packs': an edit to it
    changes them all. Once the build's checks are done, a second process takes the guards still
    left from the end of the list, while the first goes on from its start: each guard is derived
    once, and none in the build's own process. The site is what a build from nothing writes."""
    import os
    import shutil
    import time

    import cxdocs.app.guards_ahead
    from conftest import Project, site_bytes

    returns_in_english_and_slovenian(project)
    monkeypatch.setenv("CXDOCS_JOBS", "2")
    assert project.build().exit_code == 0
    log = tmp_path / "derived"
    real_guard, real_packs = cxdocs.outputs.guard._guard_of, cxdocs.app.guards_ahead.guard_for_packs

    def note(what: str) -> None:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{what} {os.getpid()}\n")

    def recorded(loaded, targets, generated):
        note(",".join(str(t) for t in targets))
        return real_guard(loaded, targets, generated)

    def slow_packs(loaded, shipped):
        note("packs")
        for _ in range(600):  # until another process has taken the public guards (at most a minute)
            if log.read_text(encoding="utf-8").count("public:") == 2:
                break
            time.sleep(0.1)
        return real_packs(loaded, shipped)

    monkeypatch.setattr(cxdocs.outputs.guard, "_guard_of", recorded)
    monkeypatch.setattr(cxdocs.app.guards_ahead, "guard_for_packs", slow_packs)
    path = project.root / "content/sop/billing/refund.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nCheck the courier's pickup slip first.\n", encoding="utf-8")
    result = project.build()
    assert result.exit_code == 0, result.output
    derived = dict(line.split() for line in log.read_text(encoding="utf-8").splitlines())
    assert sorted(derived) == ["packs", "public:en", "public:sl"], "each guard once"
    assert derived["public:en"] == derived["public:sl"] != derived["packs"]
    assert str(os.getpid()) not in derived.values()
    cold = tmp_path / "cold"
    shutil.copytree(project.root, cold, ignore=shutil.ignore_patterns(".cxdocs", "site"))
    assert Project(cold).build("--no-cache").exit_code == 0
    assert site_bytes(project.root / "site") == site_bytes(cold / "site")


def test_the_guards_are_derived_while_the_project_is_checked_and_stop_when_a_check_fails(project, monkeypatch, tmp_path):
    """The guards a build reads (the public targets' and the packs') are derived in a process of
    their own while the build checks the project. A check that fails stops the build at once: that
    process is ended, and what it was writing into the build cache is removed with it."""
    import os
    import time

    import cxdocs.app.project

    returns_in_english_and_slovenian(project)
    project.write("content/faq/shipping/cancel.md", "---\ntitle: Cancelling\n---\n\n## Can I cancel?\n")
    monkeypatch.setenv("CXDOCS_JOBS", "2")
    started = tmp_path / "deriving"
    partial = project.root / ".cxdocs/cache/guard-reference" / ("ab" * 32)

    def slow(loaded, targets, generated):
        half_written = partial.with_name(f".{partial.name}.{os.getpid()}.tmp")  # as the cache names it mid-write
        half_written.parent.mkdir(parents=True, exist_ok=True)
        half_written.write_bytes(b"half")
        started.write_text(str(os.getpid()), encoding="utf-8")
        time.sleep(120)

    real_checks = cxdocs.app.project.run_checks

    def checks_once_deriving(loaded):
        for _ in range(600):  # the checks run while the guards are derived
            if started.exists():
                break
            time.sleep(0.05)
        return real_checks(loaded)

    monkeypatch.setattr(cxdocs.outputs.guard, "_guard_of", slow)
    monkeypatch.setattr(cxdocs.app.project, "run_checks", checks_once_deriving)
    began = time.monotonic()
    result = project.build()
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "content/faq/shipping/cancel.md" in result.output
    assert time.monotonic() - began < 60, "the build waited for the guards instead of stopping them"
    deriving = int(started.read_text(encoding="utf-8"))
    assert deriving != os.getpid()
    with pytest.raises(ProcessLookupError):
        os.kill(deriving, 0)
    assert not list((project.root / ".cxdocs/cache").rglob("*.tmp"))
    assert not (project.root / "site").exists()


def test_a_stopped_process_s_partial_entries_are_removed_and_nothing_else(tmp_path):
    """What a stopped process leaves is removed by its exact form: a plain file in one of the
    cache's own layer folders, named as that process names an entry's partial copy. Any other file
    there (another process's, a name that is no entry's, a link, a folder) and anything a linked
    layer folder holds is left as it is."""
    import os

    from cxdocs.core.cache import Cache

    cache = Cache.open(tmp_path / "cache")
    cache.put("guard-reference", "ab" * 32, b"an entry")
    layer, pid = tmp_path / "cache" / "guard-reference", 4242
    outside = tmp_path / "theirs"
    outside.mkdir()
    (outside / "kept.txt").write_text("someone's\n", encoding="utf-8")
    (outside / f".{'ef' * 32}.{pid}.tmp").write_text("named like a partial entry\n", encoding="utf-8")
    (tmp_path / "cache" / "linked").symlink_to(outside, target_is_directory=True)
    partial = layer / f".{'cd' * 32}.{pid}.tmp"
    partial.write_bytes(b"half")
    others = {
        layer / f".{'cd' * 32}.{pid + 1}.tmp": "another process's\n",
        layer / f".notes.{pid}.tmp": "not an entry's name\n",
        layer / f"{'cd' * 32}.{pid}.tmp": "no leading dot\n",
        layer / f".{'cd' * 32}.0{pid}.tmp": "another number\n",
    }
    for path, text in others.items():
        path.write_text(text, encoding="utf-8")
    linked = layer / f".{'12' * 32}.{pid}.tmp"
    linked.symlink_to(outside / "kept.txt")
    folder = layer / f".{'34' * 32}.{pid}.tmp"
    folder.mkdir()

    cache.forget_partial(pid)

    assert not partial.exists()
    assert {path: path.read_text(encoding="utf-8") for path in others} == others
    assert linked.is_symlink() and folder.is_dir()
    assert (layer / ("ab" * 32)).is_file(), "entries stay"
    assert sorted(p.name for p in outside.iterdir()) == sorted([f".{'ef' * 32}.{pid}.tmp", "kept.txt"])
    assert (outside / "kept.txt").read_text(encoding="utf-8") == "someone's\n"
    assert os.path.islink(tmp_path / "cache" / "linked")


@pytest.mark.parametrize("theirs", ["a folder of their own", "a link to the content folder"])
def test_a_build_stopped_by_a_check_removes_nothing_where_the_cache_would_be_someone_else_s(project, monkeypatch, theirs):
    """Where the build cache would be, a folder cxdocs' stamp does not vouch for (someone's files),
    or a link to the content folder, is no cache: a build stopped by a check removes nothing there,
    even files named as a stopped process's partial entries."""
    import os

    returns_in_english_and_slovenian(project)
    project.write("content/faq/shipping/cancel.md", "---\ntitle: Cancelling\n---\n\n## Can I cancel?\n")
    monkeypatch.setenv("CXDOCS_JOBS", "2")
    where = project.root / ".cxdocs" / "cache"
    where.parent.mkdir(parents=True, exist_ok=True)
    if theirs == "a link to the content folder":
        where.symlink_to(project.root / "content", target_is_directory=True)
        folder = project.root / "content" / "guard-reference"
    else:
        folder = where / "guard-reference"
    folder.mkdir(parents=True)
    files = {folder / f".{'cd' * 32}.{pid}.tmp": f"named like process {pid}'s partial entry\n"
             for pid in range(os.getpid() - 50, os.getpid() + 50)}
    files[folder / "notes.md"] = "their notes\n"
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    before = sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("*"))

    result = project.build()

    assert result.exit_code == 1
    assert "content/faq/shipping/cancel.md" in result.output
    if theirs == "a link to the content folder":
        assert "the build cache's folder .cxdocs/cache is the content folder" in result.output
    else:
        assert "holds files without the build cache's stamp" in result.output
    assert {path: path.read_text(encoding="utf-8") for path in files} == files
    assert sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("*")) == before


def test_unchanged_response_packs_are_read_by_the_guard_once_and_a_note_let_into_one_still_stops_the_build(
        project, monkeypatch):
    """The guard's verdict on each response pack is kept with the pack's bytes: a build writing
    the same packs under the same guard does not read them again. A pack whose bytes change is
    read: a response's agent note let through by a broken filter stops the build, naming it."""
    monkeypatch.setenv("CXDOCS_JOBS", "1")
    assert project.build().exit_code == 0
    read, real = [], cxdocs.outputs.guard.SiteScan.read_file

    def recorded(scan, path, *args, **kwargs):
        read.append(path.relative_to(scan.site_dir).as_posix())
        return real(scan, path, *args, **kwargs)

    monkeypatch.setattr(cxdocs.outputs.guard.SiteScan, "read_file", recorded)
    assert project.build().exit_code == 0
    assert read == [], "nothing was read again: the targets came whole from the cache, the packs are as they were"
    response = project.root / "content/responses/refunds/refund-confirmed.md"
    assert response.is_file()
    response.write_text(response.read_text(encoding="utf-8") + "\n!!! internal\n    Check the fraud score before refunding.\n",
                        encoding="utf-8")
    real_filter = cxdocs.core.audience.filter_audience
    monkeypatch.setattr(cxdocs.core.render, "filter_audience",
                        lambda lines, audience: real_filter(lines, cxdocs.core.audience.INTERNAL))
    result = project.build()
    assert result.exit_code == 1
    assert "content/responses/refunds/refund-confirmed.md:" in result.output
    assert "response packs stopped" in result.output, result.output
    assert any(path.endswith(".json") for path in read), read
