"""`cxdocs build` reuses the work of earlier builds (.cxdocs/cache/), and what it writes is byte for
byte what a build from nothing (`--no-cache`) writes, after every kind of change a team makes."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import MINIMAL_RESPONSE, MINIMAL_SOP, Project, site_bytes
from cxdocs.adapters.mkdocs import file_store, target_cache
from cxdocs.core.cache import Cache

CACHE = Path(".cxdocs") / "cache"

DELIVERY = """
---
title: Delivery
description: Delivery times and tracking.
---

## How long does delivery take?

Standard delivery takes {{ shipping.days }}.

--8<-- "snippets/contact.md"

## Can I track my parcel?

Yes, see [customs](customs.md) too.

!!! internal "Agent note"
    Refunds up to {{ limits.refund }} need no approval.
"""

DELIVERY_SL = """
---
title: Dostava
---

## Koliko časa traja dostava?

Standardna dostava traja {{ shipping.days }}.

--8<-- "snippets/contact.md"

## Ali lahko sledim paketu?

Da.
"""

PLUGIN = '''
from cxdocs import hookimpl


@hookimpl
def cxdocs_page_markdown(page, target, text):
    text.markdown += "\\n\\nChecked by {signer}.\\n"
'''


def make_project(root: Path) -> Project:
    root.mkdir(parents=True, exist_ok=True)
    project = Project(root)
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    project.write("content/faq/shipping/delivery.md", DELIVERY)
    project.write("content/faq/shipping/delivery.sl.md", DELIVERY_SL)
    project.write("content/faq/shipping/customs.md", "---\ntitle: Customs\n---\n\n## Do I pay duty?\n\nNo, never.\n")
    project.write("content/faq/shipping/tracking.md", "---\ntitle: Tracking\n---\n\n## Where is my parcel?\n\nOn its way.\n")
    project.write("content/faq/returns/labels.md",
                  "---\ntitle: Labels\n---\n\n## Where is my label?\n\nIn your email: ![a label](../shipping/parcel.png)\n")
    project.write_bytes("content/faq/shipping/parcel.png", b"\x89PNG\r\n\x1a\n some pixels")
    project.write("content/snippets/contact.md", "Write to us at help@example.test.\n")
    project.write("content/snippets/contact.sl.md", "Pišite nam na help@example.test.\n")
    project.write("content/sop/billing/refund.md", MINIMAL_SOP)
    project.write("content/responses/refunds/refund-confirmed.md", MINIMAL_RESPONSE)
    project.write("site_overrides/partials/copyright.html", '<div class="md-copyright">First words.</div>\n')
    project.write("plugins/signature.py", PLUGIN.format(signer="the support team"))
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["theme"]["custom_dir"] = "site_overrides"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
    return project


def build(project: Project, *args: str) -> str:
    result = project.build(*args)
    assert result.exit_code == 0, result.output
    return result.output


def entries(root: Path) -> dict[str, int]:
    """The cache's entries, by layer and key, with their inode (a rewritten entry gets a new one)."""
    folder = root / CACHE
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.glob("*/*") if p.is_file()}


def cold_build(project: Project, tmp_path: Path) -> dict[str, bytes]:
    """The same content built from nothing, in a folder of its own."""
    cold = tmp_path / "cold"
    shutil.rmtree(cold, ignore_errors=True)
    shutil.copytree(project.root, cold, ignore=shutil.ignore_patterns(".cxdocs", "site"))
    copy = Project(cold)
    build(copy, "--no-cache")
    assert not (cold / CACHE).exists()
    return site_bytes(cold / "site")


@pytest.fixture
def warm(tmp_path):
    project = make_project(tmp_path / "kb")
    build(project)
    return project


def edit_page(p: Project):
    text = (p.root / "content/faq/shipping/delivery.md").read_text().replace("Standard delivery", "Tracked delivery")
    p.write("content/faq/shipping/delivery.md", text)


def edit_snippet(p: Project):
    p.write("content/snippets/contact.md", "Call us on 0800 123 456.\n")


def edit_variable(p: Project):
    p.config(languages=["en", "sl"], variables={"shipping": {"days": "2-4 days"}, "limits": {"refund": "30 EUR"}})
    config = yaml.safe_load((p.root / "mkdocs.yml").read_text())
    config["theme"]["custom_dir"] = "site_overrides"
    (p.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True))


def rename_page(p: Project):
    (p.root / "content/faq/shipping/customs.md").rename(p.root / "content/faq/shipping/duties.md")
    text = (p.root / "content/faq/shipping/delivery.md").read_text().replace("customs.md", "duties.md")
    p.write("content/faq/shipping/delivery.md", text)


def delete_translation(p: Project):
    (p.root / "content/faq/shipping/delivery.sl.md").unlink()


def edit_mkdocs_yml(p: Project):
    config = yaml.safe_load((p.root / "mkdocs.yml").read_text())
    config["site_name"] = "Renamed Help"
    config["theme"]["features"] = ["navigation.footer"]
    (p.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True))


def edit_override(p: Project):
    p.write("site_overrides/partials/copyright.html", '<div class="md-copyright">Other words.</div>\n')


def edit_other_question(p: Project):
    """Only what is around the delivery page changes: its related questions (from its topic)."""
    text = (p.root / "content/faq/shipping/customs.md").read_text().replace("Do I pay duty?", "Do I pay import duty?")
    p.write("content/faq/shipping/customs.md", text)


def retitle_page(p: Project):
    # The page's title is a link in the navigation of every page of its topic (not only its neighbours').
    text = (p.root / "content/faq/shipping/customs.md").read_text().replace("title: Customs", "title: Customs and duties")
    p.write("content/faq/shipping/customs.md", text)


def rename_english_question(p: Project):
    """The Slovenian page's language switcher keeps the questions both versions share: it changes
    though no Slovenian file does."""
    text = (p.root / "content/faq/shipping/delivery.md").read_text().replace("Can I track my parcel?", "How do I track my parcel?")
    p.write("content/faq/shipping/delivery.md", text)


def replace_image(p: Project):
    p.write_bytes("content/faq/shipping/parcel.png", b"\x89PNG\r\n\x1a\n other pixels")


def date_page(p: Project):
    """Only the page's last-updated date changes (outside git, its file's time): not a byte of text."""
    day = time.mktime((2021, 6, 15, 12, 0, 0, 0, 0, -1))
    os.utime(p.root / "content/faq/shipping/customs.md", (day, day))


def edit_plugin(p: Project):
    p.write("plugins/signature.py", PLUGIN.format(signer="our team in Ljubljana"))


def edit_sop(p: Project):
    p.write("content/sop/billing/refund.md", MINIMAL_SOP.replace("Check the order.", "Check the order and the invoice."))


@pytest.mark.parametrize("change", [
    edit_page, edit_snippet, edit_variable, rename_page, delete_translation, edit_mkdocs_yml, edit_override, edit_plugin,
    edit_other_question, retitle_page, rename_english_question, replace_image, date_page, edit_sop,
])
def test_a_cached_build_writes_what_a_build_from_nothing_writes(warm, tmp_path, change):
    before = site_bytes(warm.root / "site")
    change(warm)
    build(warm)
    after = site_bytes(warm.root / "site")
    assert after != before, "the change shows in the site"
    assert after == cold_build(warm, tmp_path)
    if change is edit_other_question:
        assert "Do I pay import duty?" in after["public/faq/shipping/delivery/index.html"].decode()
    if change is retitle_page:
        neighbour = after["public/faq/shipping/tracking/index.html"].decode()
        assert "Customs and duties" in neighbour, "the other page's navigation shows the new title"


def test_an_unchanged_project_is_built_from_the_cache_and_an_edit_renders_only_what_it_touches(warm):
    time.sleep(1.5)  # older than the next build by more than pruning's margin: kept only if used
    first = entries(warm.root)
    assert {key.split("/")[0] for key in first} >= {"render", "conversion", "html"}
    build(warm)
    # Nothing was made again; the guard's verdict on the public targets taken from the cache is
    # all that is new (the next build of the same sources reads it instead of their files).
    now = entries(warm.root)
    assert {key: inode for key, inode in now.items() if not key.startswith("guard-restored/")} == first, \
        "nothing was made again"
    assert len(set(now) - set(first)) == 2  # public:en and public:sl
    build(warm)
    assert entries(warm.root) == now
    first = now

    edit_page(warm)
    build(warm)
    new = [key for key, _ in set(entries(warm.root).items()) - set(first.items())]
    new_pages = [key for key in new if key.startswith("html/")]
    # The edited page in the targets that show its English text (the public site and the handbook
    # in English), and the pages that list its questions (the topic's, the home page).
    assert 2 <= len(new_pages) <= 8, new_pages
    assert len(new_pages) < len([key for key in first if key.startswith("html/")]) / 3


def test_a_target_whose_inputs_did_not_change_is_taken_whole_from_the_cache(warm):
    targets = {key for key in entries(warm.root) if key.startswith("target/")}
    assert len(targets) == 4, "each of the 4 targets is kept"
    edit_page(warm)
    build(warm)
    new = {key for key in entries(warm.root) if key.startswith("target/")} - targets
    # Only the English text changed: the two English targets are built, the Slovenian ones
    # (whose delivery page is translated) are taken from the cache.
    assert len(new) == 2, new


def test_a_site_file_changed_in_place_is_not_taken_back_from_the_cache(warm, tmp_path):
    """The cache links a site's files where it can: one edited in place no longer matches its digest."""
    page = warm.root / "site/public/sl/faq/shipping/delivery/index.html"
    with page.open("r+b") as stream:  # in place: the same file, as an editor that keeps the inode would
        stream.seek(0)
        stream.write(b"<!-- hand-edited -->")
    build(warm)
    assert site_bytes(warm.root / "site") == cold_build(warm, tmp_path)


def test_a_rebuilt_target_s_unchanged_pages_are_the_cache_s_stored_files_not_copies(warm, monkeypatch):
    """After an edit, the English targets are built again, and every page but those the edit
    touches is taken from the cache as a link to its stored bytes: the build writes the edited
    pages, not their neighbours. MkDocs' note that it wrote nothing for those pages is not said."""
    store = warm.root / CACHE / "file"
    edit_page(warm)
    monkeypatch.setenv("CXDOCS_JOBS", "1")  # MkDocs' words are those of this process
    output = build(warm, "--verbose")
    assert "Documentation built in" in output
    assert "Page skipped" not in output
    site = warm.root / "site" / "public"
    for page in ("faq/shipping/customs/index.html", "faq/returns/labels/index.html"):
        written = site / page
        stored = store / hashlib.sha256(written.read_bytes()).hexdigest()
        assert written.stat().st_ino == stored.stat().st_ino, page
    assert "Tracked delivery" in (site / "faq/shipping/delivery/index.html").read_text()


def test_a_page_changed_in_place_in_the_site_is_not_taken_back_from_the_cache_by_a_rebuilt_target(warm, tmp_path):
    """A page taken from the cache is a link to its stored bytes: one edited in place in the site
    changes them, and the next build of its target (here for an edit to another page) renders it
    again rather than linking the changed bytes."""
    page = warm.root / "site/public/faq/shipping/customs/index.html"
    with page.open("r+b") as stream:  # in place: the same file, as an editor that keeps the inode would
        stream.seek(0)
        stream.write(b"<!-- hand-edited -->")
    edit_page(warm)
    build(warm)
    assert b"hand-edited" not in page.read_bytes()
    assert site_bytes(warm.root / "site") == cold_build(warm, tmp_path)


def test_a_page_the_theme_renders_blank_is_left_out_with_the_cache_as_without(warm, tmp_path):
    """MkDocs writes no file for a page whose template renders nothing (here a theme override
    leaves one page blank): a build from the cache leaves it out too, rather than linking a blank
    stored page."""
    warm.write("site_overrides/main.html",
               '{% if page and page.file.src_uri == "faq/shipping/customs.md" %}{% else %}{% include "cxdocs.html" %}{% endif %}\n')
    build(warm)
    blank = warm.root / "site/public/faq/shipping/customs/index.html"
    assert not blank.exists()
    assert (warm.root / "site/public/faq/shipping/tracking/index.html").is_file()
    edit_page(warm)
    build(warm)
    assert not blank.exists()
    assert site_bytes(warm.root / "site") == cold_build(warm, tmp_path)


def test_sweeping_the_store_keeps_what_a_kept_target_names_and_what_is_newer_than_the_build(tmp_path):
    """After a build, the stored files no kept target names are removed, but those written since
    the build started: a build beside it stores its pages first and keeps the targets naming them last."""
    folder = tmp_path / "cache"
    earlier = Cache.open(folder)
    store = file_store.folder(earlier)
    named, old, new = (file_store.keep(store, text.encode()) for text in ("named page", "old page", "new page"))
    earlier.put_object("target", "ab" * 32, {"files": {"index.html": named}, "entries": []})
    long_ago = time.time() - 3600
    for record in (named, old):
        os.utime(store / record[0], (long_ago, long_ago))
    build = Cache.open(folder)
    build.started = time.time() - 0.5  # "new" was stored half a second into this build
    target_cache.sweep(build)
    assert sorted(p.name for p in store.iterdir()) == sorted(record[0] for record in (named, new))


def test_a_stored_page_lost_while_the_build_runs_stops_it_and_leaves_the_site(warm, monkeypatch):
    """A page's stored bytes removed while the build runs (the upkeep of another build of the same
    project beside it) stop the build with a message, not a traceback; the site stays as it was."""
    from cxdocs.adapters.mkdocs.page_cache import PageCache

    monkeypatch.setenv("CXDOCS_JOBS", "1")
    before = site_bytes(warm.root / "site")
    real = PageCache.link_pages

    def one_lost(self, site_dir):
        stored, _ = next(iter(self.linked.values()))
        stored.unlink()
        return real(self, site_dir)

    monkeypatch.setattr(PageCache, "link_pages", one_lost)
    edit_page(warm)
    result = warm.build()
    assert result.exit_code == 1
    assert "lost the stored bytes of" in result.output and "build again" in result.output
    assert "Traceback" not in result.output
    assert site_bytes(warm.root / "site") == before


def _stored_slovenian_delivery_page(project: Project, cache: Cache) -> tuple[str, dict, str]:
    """The public Slovenian target kept in the cache: its key, its record, and the name of the
    stored file of its delivery page."""
    for key in (p.name for p in (project.root / CACHE / "target").iterdir()):
        stored = cache.get_object("target", key)
        manifest = stored["files"]
        page, _, _ = manifest.get("faq/shipping/delivery/index.html", ("", 0, 0))
        if page and "robots.txt" not in manifest and "Dostava" in cache.path("file", page).read_text():
            return key, stored, page  # the handbook has a robots.txt
    raise AssertionError("no stored public Slovenian target")


def test_a_public_target_taken_from_the_cache_is_guarded_again(warm):
    """Even a cache whose entries agree with their digests but hold internal text publishes nothing:
    the leak guard reads a public target taken from the cache like a built one."""
    cache = Cache(warm.root / CACHE)
    key, stored, page = _stored_slovenian_delivery_page(warm, cache)
    html = cache.path("file", page).read_text().replace("Dostava", "Refund up to 30 EUR without approval")
    sha = hashlib.sha256(html.encode()).hexdigest()
    blob = cache.path("file", sha)
    blob.write_text(html)
    stat = blob.stat()
    stored["files"]["faq/shipping/delivery/index.html"] = (sha, stat.st_size, stat.st_mtime_ns)
    cache.put_object("target", key, stored)
    result = warm.build()
    assert result.exit_code == 1, result.output
    assert "public build of public:sl stopped: internal content reached the output" in result.output
    assert "content/sop/billing/refund.md" in result.output


def test_a_stored_file_changed_in_place_keeping_its_size_and_time_is_guarded_again(warm):
    """A public target taken from the cache and found clean is not read by the guard again while
    its files and guard are the same: its files' bytes are checked against their digests. A
    stored file whose bytes were changed with its size and time kept (its record in the cache left
    as it was) is read again, and stops the build."""
    assert "unchanged" in build(warm)  # taken from the cache, found clean
    cache = Cache(warm.root / CACHE)
    _, _, page = _stored_slovenian_delivery_page(warm, cache)
    blob = cache.path("file", page)
    before, stat = blob.read_bytes(), blob.stat()
    changed = before.replace("Dostava".encode(), b"Refund up to 30 EUR without approval")[: len(before)]
    blob.write_bytes(changed)
    os.utime(blob, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = warm.build()
    assert result.exit_code == 1, result.output
    assert "public build of public:sl stopped: internal content reached the output" in result.output


def test_a_damaged_cache_entry_is_ignored_with_a_notice(warm, tmp_path):
    for path in sorted((warm.root / CACHE).glob("target/*"))[:2]:
        path.write_bytes(b"")
    for path in sorted((warm.root / CACHE).glob("html/*"))[:3] + sorted((warm.root / CACHE).glob("conversion/*"))[:3]:
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] + b"garbage" + data[len(data) // 2 + 7 :])
    for path in sorted((warm.root / CACHE).glob("render/*"))[:2]:
        path.write_bytes(b"")
    output = build(warm)
    assert "damaged build cache entry was ignored" in output
    assert site_bytes(warm.root / "site") == cold_build(warm, tmp_path)


def test_a_cache_from_another_version_is_ignored_with_a_notice(warm, tmp_path):
    stamp = warm.root / CACHE / "stamp.txt"
    stamp.write_text("cxdocs 0.0.1 (code 0123456789ab), CPython 3.0.0, cache format 1\n" + "0" * 64 + "\n")
    html = sorted((warm.root / CACHE).glob("html/*"))
    # What an older version stored would be wrong now: it must not be read.
    for path in html:
        path.write_bytes(b"not what this version would write")
    output = build(warm)
    assert "was made by cxdocs 0.0.1" in output and "ignored" in output
    assert site_bytes(warm.root / "site") == cold_build(warm, tmp_path)
    assert stamp.read_text().splitlines()[0].startswith("cxdocs ")
    assert "0.0.1" not in stamp.read_text()


def test_a_cache_folder_of_someone_else_s_files_is_neither_read_nor_removed(tmp_path):
    project = make_project(tmp_path / "kb")
    folder = project.root / CACHE
    theirs = {
        folder / "stamp.txt": "my own notes\n",
        folder / "html" / ("ab" * 32): "named like an entry, written by someone else\n",
        folder / "file" / ("cd" * 32): "named like a stored site file, written by someone else\n",
        folder / "notes.txt": "keep me\n",
    }
    for path, text in theirs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    output = build(project)
    assert "holds files without the build cache's stamp" in output and "building without the cache" in output
    assert {path: path.read_text(encoding="utf-8") for path in theirs} == theirs
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == sorted(theirs)
    assert site_bytes(project.root / "site") == cold_build(project, tmp_path)


@pytest.mark.parametrize("linked", ["content", "content/faq", "."])
def test_a_cache_folder_that_links_into_the_content_or_project_folder_is_no_cache_whatever_its_stamp(
        tmp_path, linked):
    """``.cxdocs/cache`` made a link to the content folder, a folder inside it, or the project
    folder, which holds a build cache's stamp (copied there by mistake) and files named as cache
    entries and as a process's partial entries, old enough to be pruned: the build runs without
    the cache, says so, and removes, adds and changes nothing there."""
    import os

    project = make_project(tmp_path / "kb")
    stamped = tmp_path / "real-cache"
    Cache.open(stamped)
    place = project.root / linked
    files = {
        place / "stamp.txt": (stamped / "stamp.txt").read_text(encoding="utf-8"),
        place / "html" / ("ab" * 32): "named like an entry\n",
        place / "file" / ("cd" * 32): "named like a stored site file\n",
        place / "guard-reference" / f".{'ef' * 32}.{os.getpid() + 1}.tmp": "named like a partial entry\n",
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        os.utime(path, (1_000_000_000, 1_000_000_000))
    (project.root / CACHE).parent.mkdir(parents=True, exist_ok=True)
    (project.root / CACHE).symlink_to(place.resolve(), target_is_directory=True)
    listed = sorted(p for p in place.rglob("*") if ".cxdocs" not in p.parts and "site" not in p.relative_to(place).parts[:1])

    output = build(project)

    assert "the build cache's folder" in output and "building without the cache" in output
    assert {path: path.read_text(encoding="utf-8") for path in files} == files
    assert all(path.stat().st_mtime == 1_000_000_000 for path in files)
    assert sorted(p for p in place.rglob("*") if ".cxdocs" not in p.parts
                  and "site" not in p.relative_to(place).parts[:1]) == listed
    assert site_bytes(project.root / "site") == cold_build(project, tmp_path)


def test_a_cache_layer_that_links_to_someone_else_s_folder_is_neither_read_written_nor_emptied(warm, tmp_path):
    """The store of site files is pruned by what the kept targets name, not by time: a link in its
    place to another folder must not make cxdocs remove (or serve) the files there."""
    theirs = tmp_path / "theirs"
    files = {theirs / ("cd" * 32): "named like a stored site file\n", theirs / "notes.txt": "keep me\n"}
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    layer = warm.root / CACHE / "file"
    shutil.rmtree(layer)
    layer.symlink_to(theirs, target_is_directory=True)
    edit_page(warm)
    assert "unchanged" not in build(warm), "no target is taken from another folder's files"
    assert {path: path.read_text(encoding="utf-8") for path in theirs.iterdir()} == files
    assert site_bytes(warm.root / "site") == cold_build(warm, tmp_path)


def test_pruning_removes_no_file_of_someone_else_s_in_or_beside_the_cache(warm, tmp_path):
    """After a full build, pruning removes old entries the build did not use, and nothing else: a
    folder of someone else's old files linked in as a layer, a link named like an entry (to a file
    of theirs), a folder named like an entry, and a file beside the entries stay as they were."""
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    long_ago = time.time() - 3600
    files = {theirs / ("ab" * 32): "named like an entry\n", theirs / "notes.txt": "keep me\n"}
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    cache = warm.root / CACHE
    (cache / "their-layer").symlink_to(theirs, target_is_directory=True)
    (cache / "html" / ("cd" * 32)).symlink_to(theirs / "notes.txt")
    (cache / "html" / ("ef" * 32)).mkdir()
    (cache / "html" / ("ef" * 32) / "inside.txt").write_text("keep me too\n", encoding="utf-8")
    (cache / "html" / "README.txt").write_text("not an entry\n", encoding="utf-8")
    stale = cache / "html" / ("12" * 32)
    stale.write_bytes(b"an old entry no build uses")
    for path in [*files, cache / "html" / ("cd" * 32), cache / "html" / ("ef" * 32) / "inside.txt",
                 cache / "html" / "README.txt", stale]:
        os.utime(path, (long_ago, long_ago), follow_symlinks=False)
    build(warm)
    assert not stale.exists(), "an old entry named like the cache's own is pruned"
    assert {path: path.read_text(encoding="utf-8") for path in files} == files
    assert (cache / "html" / ("cd" * 32)).is_symlink()
    assert (cache / "html" / ("ef" * 32) / "inside.txt").read_text(encoding="utf-8") == "keep me too\n"
    assert (cache / "html" / "README.txt").is_file()


def test_the_store_of_files_neither_replaces_nor_removes_someone_else_s_files_named_like_its_own(warm, tmp_path):
    """The store of files is read, written and swept by every build (pages and whole targets are
    linked from it). In it, a link named like a stored page (to a file of someone else's), a
    folder named like a stored file and a file beside them stay as they were through builds that
    look the page up, store it again and sweep the store; the page is rendered instead, and the
    site is the one a build from nothing writes."""
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    their_file = theirs / "notes.txt"
    their_file.write_text("their notes\n", encoding="utf-8")
    store = warm.root / CACHE / "file"
    page = warm.root / "site/internal/faq/shipping/customs/index.html"  # taken from the cache after the edit
    named = store / hashlib.sha256(page.read_bytes()).hexdigest()
    named.unlink()
    named.symlink_to(their_file)
    folder = store / ("ef" * 32)
    folder.mkdir()
    (folder / "inside.txt").write_text("keep me too\n", encoding="utf-8")
    beside = store / "README.txt"
    beside.write_text("not a stored file\n", encoding="utf-8")
    long_ago = time.time() - 3600
    for path in (their_file, named, folder, folder / "inside.txt", beside):
        os.utime(path, (long_ago, long_ago), follow_symlinks=False)
    edit_page(warm)
    build(warm)
    build(warm)
    assert their_file.read_text(encoding="utf-8") == "their notes\n"
    assert named.is_symlink() and named.resolve() == their_file.resolve()
    assert (folder / "inside.txt").read_text(encoding="utf-8") == "keep me too\n"
    assert beside.read_text(encoding="utf-8") == "not a stored file\n"
    assert site_bytes(warm.root / "site") == cold_build(warm, tmp_path)


def test_a_stored_target_naming_files_outside_the_cache_is_neither_read_nor_removed(warm, tmp_path):
    """A stored target names its files by digest and path: one that names someone else's file
    instead (a path out of the cache, or out of the site) is not trusted. Its stored file does not
    match its record, which would make cxdocs remove it as a damaged entry, were it the cache's."""
    theirs = warm.root / "content" / "faq" / "shipping" / "delivery.md"
    outside = tmp_path / "outside.html"
    cache = Cache(warm.root / CACHE)
    for key in (p.name for p in (warm.root / CACHE / "target").iterdir()):
        stored = cache.get_object("target", key)
        manifest = stored["files"]
        manifest["index.html"] = ("../../../content/faq/shipping/delivery.md", 1, 1)
        manifest["../../../../outside.html"] = manifest.pop("404.html")
        cache.put_object("target", key, stored)
    edit_page(warm)
    kept = theirs.read_bytes()
    assert "unchanged" not in build(warm), "no target is taken from a record that names files elsewhere"
    assert theirs.read_bytes() == kept
    assert not outside.exists()
    assert site_bytes(warm.root / "site") == cold_build(warm, tmp_path)


def test_no_cache_builds_without_reading_or_writing_it(warm, tmp_path):
    for path in (warm.root / CACHE).glob("html/*"):
        path.write_bytes(b"not a page")  # damaged: a build that read it would say so
    output = build(warm, "--no-cache")
    assert "damaged" not in output
    assert all(p.read_bytes() == b"not a page" for p in (warm.root / CACHE).glob("html/*"))


def test_init_keeps_the_cache_out_of_git_but_not_the_push_state(tmp_path):
    project = Project(tmp_path)
    result = project.run("init", ".")
    assert result.exit_code == 0, result.output
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / ".cxdocs" / "cache").mkdir(parents=True)
    (tmp_path / ".cxdocs" / "cache" / "stamp.txt").write_text("x")
    (tmp_path / ".cxdocs" / "push-zendesk.json").write_text("{}")
    ignored = subprocess.run(["git", "check-ignore", ".cxdocs/cache/stamp.txt", ".cxdocs/push-zendesk.json"],
                             check=False, cwd=tmp_path, capture_output=True, text=True).stdout.split()
    assert ignored == [".cxdocs/cache/stamp.txt"]


def test_text_the_build_keeps_in_the_cache_takes_no_more_memory_for_it(tmp_path):
    """Pickling a string makes CPython keep its UTF-8 form inside it: every non-ASCII page the
    cache kept would take twice its memory in the build's processes for the rest of the build."""
    import sys

    from cxdocs.app.project import load_checked_project
    from cxdocs.core.cache import folder_for

    project = make_project(tmp_path / "kb")
    config = project.root / "mkdocs.yml"
    loaded, _ = load_checked_project(config, None, Cache.open(folder_for(config)))
    slovenian = [r for (uri, target), r in loaded.rendered.items() if target.lang == "sl" and not r.markdown.isascii()]
    assert slovenian and (project.root / CACHE / "render").is_dir()  # rendered, then kept in the cache
    for rendered in slovenian:
        for text in [rendered.markdown, *(line.text for line in rendered.lines)]:
            copy = text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
            assert sys.getsizeof(text) == sys.getsizeof(copy)


def test_what_is_pickled_for_the_cache_is_equal_and_shares_what_the_value_shares():
    import pickle

    from cxdocs.core.cache import detached
    from cxdocs.core.source import Line

    line = Line("Koliko časa traja dostava?", Path("faq/dostava.sl.md"), 3)
    value = {"lines": [line, Line("ok", Path("x.md"), 4)], "questions": [(line, "Ελληνικά")], "n": 1, "none": None}
    copy = detached(value)
    assert copy == value
    assert copy["lines"][0] is copy["questions"][0][0]  # held twice, one object in the pickle
    assert copy["lines"][0].text is not line.text
    assert pickle.loads(pickle.dumps(copy)) == value


def test_an_object_stored_by_a_process_that_keeps_nothing_is_stored_as_any_other(tmp_path):
    # The guards' process stores its guards without detaching them: the cache entry is the same.
    from cxdocs.core.source import Line

    cache = Cache.open(tmp_path / "cache")
    line = Line("Koliko časa traja dostava?", Path("faq/dostava.sl.md"), 3)
    value = {"runs": {("koliko", "časa", "traja"): line}, "lines": [line, line], "words": ["Ελληνικά", "ok"]}
    cache.put_object("guard-reference", "a" * 64, value)
    cache.detaching = False
    cache.put_object("guard-reference", "b" * 64, value)
    stored = [cache.path("guard-reference", key).read_bytes() for key in ("a" * 64, "b" * 64)]
    assert stored[0] == stored[1]
    assert cache.get_object("guard-reference", "b" * 64, (Line,)) == value


BROKEN = """---
title: Parcel lockers
---

## Can I use a parcel locker?

## Which lockers are there?

Every locker {% if city %} in your city.

--8<-- "snippets/lockers-schema.md"
"""

LOCKER_SCHEMA = """<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "Plaec",
 "name": "Parcel locker"}
</script>
"""

BROKEN_SL = """---
title: Paketomati
---

## Ali lahko uporabim paketomat?

Da, {shipping.days}}.
"""


def test_what_the_checks_find_is_found_again_with_the_cache_until_it_is_mended(warm, tmp_path):
    """The checks' findings on each page are kept in the cache: an unchanged page's mistakes are
    reported by every build until they are mended, in the words and at the lines a build from
    nothing reports them, and a mended page is checked again."""
    warm.write("content/faq/shipping/lockers.md", BROKEN)
    warm.write("content/faq/shipping/lockers.sl.md", BROKEN_SL)
    warm.write("content/snippets/lockers-schema.md", LOCKER_SCHEMA)

    def findings(project: Project, *args: str) -> list[str]:
        result = project.build(*args)
        assert result.exit_code == 1, result.output
        return sorted(line for line in result.output.splitlines() if "lockers" in line)

    expected = [
        "content/faq/shipping/lockers.md:5: question 'Can I use a parcel locker?' has no answer",
        "content/faq/shipping/lockers.md:9: '{% if city %}' is template syntax, which cxdocs does not run: "
        "write {{ name }} for a variable, or \\{% for the literal text",
        "content/faq/shipping/lockers.sl.md:7: '{shipping.days}}' is missing a brace: write {{ shipping.days }}",
        "content/snippets/lockers-schema.md:2: @type 'Plaec' is not a schema.org type; did you mean 'Place'?",
    ]
    first = findings(warm)
    assert first == expected
    assert findings(warm) == expected  # nothing changed: the findings come from the cache
    edit_page(warm)  # another page changed
    assert findings(warm) == expected
    cold = tmp_path / "cold"
    shutil.copytree(warm.root, cold, ignore=shutil.ignore_patterns(".cxdocs", "site"))
    assert findings(Project(cold), "--no-cache") == expected
    warm.write("content/snippets/lockers-schema.md", LOCKER_SCHEMA.replace("Plaec", "Place"))  # mended in the snippet
    assert findings(warm) == expected[:3]
    warm.write("content/faq/shipping/lockers.sl.md", BROKEN_SL.replace("{shipping.days}}", "{{ shipping.days }}"))
    assert findings(warm) == expected[:2]
    warm.write("content/faq/shipping/lockers.md", "---\ntitle: Parcel lockers\n---\n\n## Can I use a parcel locker?\n\nYes.\n")
    warm.write("content/faq/shipping/lockers.sl.md", BROKEN_SL.replace("{shipping.days}}", "da"))
    build(warm)


def test_a_kept_finding_that_is_no_finding_is_checked_again(warm):
    """An entry of the checks' findings that holds something else for a page (written by a
    cxdocs with a bug, say) is not taken: that page is checked again, and the entry mended."""
    warm.write("content/faq/shipping/lockers.md", BROKEN)
    cache = Cache.open(warm.root / CACHE)
    first = warm.build()
    assert first.exit_code == 1
    (entry,) = (warm.root / CACHE / "check-faq").iterdir()
    from cxdocs.core.errors import Finding

    kept = cache.get_object("check-faq", entry.name, (Finding,))
    cache.put_object("check-faq", entry.name, {key: 5 for key in kept})
    again = warm.build()
    assert again.exit_code == 1
    assert "Traceback" not in again.output
    assert sorted(line for line in again.output.splitlines() if "lockers" in line) == sorted(
        line for line in first.output.splitlines() if "lockers" in line)
    assert cache.get_object("check-faq", entry.name, (Finding,)) == kept


def test_pruning_keeps_what_the_build_s_processes_used_and_what_is_new_and_removes_the_rest(tmp_path):
    """The target workers say which entries they used; pruning keeps those whatever their time
    (without asking the system for it), removes the other entries older than the build, and keeps
    those written since it started (another build beside it)."""
    folder = tmp_path / "cache"
    earlier = Cache.open(folder)
    keys = {name: hashlib.sha256(name.encode()).hexdigest() for name in ("named", "old", "new", "read")}
    for key in keys.values():
        earlier.put("render", key, b"a page")
    long_ago = time.time() - 3600
    for name in ("named", "old", "read"):
        os.utime(folder / "render" / keys[name], (long_ago, long_ago))
    build = Cache.open(folder)
    build.started = time.time() - 0.5  # "new" was written half a second into this build
    assert build.get("render", keys["read"]) == b"a page"  # this process's own use counts too
    assert build.prune(used={("render", keys["named"])}) == 1
    assert sorted(p.name for p in (folder / "render").iterdir()) == sorted(keys[n] for n in ("named", "new", "read"))
