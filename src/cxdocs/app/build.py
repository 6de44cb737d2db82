"""``cxdocs build``: every target into a staging folder, checked, then swapped into ``site/`` whole."""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cxdocs.adapters.mkdocs import file_store, indexing, page_extras, target_cache, template_code
from cxdocs.adapters.mkdocs.build import build_target
from cxdocs.adapters.mkdocs.indexing import Unindexed
from cxdocs.adapters.mkdocs.shared_assets import FOLDER as ASSETS
from cxdocs.adapters.mkdocs.shared_assets import HASHED
from cxdocs.adapters.mkdocs.state import TargetBuild
from cxdocs.app.forked import Forked, workers_for
from cxdocs.app.guards_ahead import guards_ahead
from cxdocs.app.orphans import workers_die_with_this_process
from cxdocs.app.progress import Progress
from cxdocs.app.project import load_checked_project
from cxdocs.core.cache import Cache, folder_for
from cxdocs.core.config import read_config
from cxdocs.core.content import Project
from cxdocs.core.errors import CxdocsErrors, Finding, display_path
from cxdocs.core.render import pages_for
from cxdocs.core.targets import Target, all_targets
from cxdocs.outputs.export import Export, plan_export, write_export
from cxdocs.outputs.folders import SITE, TARGET, mark_output, output_kind, protected, refuse_unsafe, staging, swap_in


@dataclass
class BuildSummary:
    targets: list[Target]
    pages: int = 0
    generated: int = 0
    unchanged: int = 0
    """Targets taken whole from the build cache: nothing they read had changed."""
    seconds: float = 0.0
    warnings: list[Finding] = field(default_factory=list)
    export: Export | None = None
    """The response packs written (a full build only; ``--target`` builds keep the previous ones)."""


def build(
    config_file: Path,
    site_dir: Path,
    targets: list[str] | None = None,
    strict: bool = False,
    progress_to: TextIO | None = None,
    use_cache: bool = True,
) -> BuildSummary:
    """Build the chosen targets (default: all); ``progress_to`` is a terminal to show progress on.

    ``use_cache``: read and keep results in the project's build cache (``.cxdocs/cache/``)."""
    with collections_spaced(), workers_die_with_this_process():
        return _build(config_file, site_dir, targets, strict, progress_to, use_cache)


@contextlib.contextmanager
def collections_spaced() -> Iterator[None]:
    """Python's cycle collector runs every 700 new objects and, now and then, over every object.
    A build makes millions that live until it ends (the project, pages, the guard's runs of words):
    it collects young objects less often, and not the project once it is loaded. Full collections
    keep their pace relative to young ones: per-page garbage in cycles (a Markdown instance) would
    otherwise pile up over thousands of pages."""
    threshold = gc.get_threshold()
    gc.set_threshold(10_000, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _build(config_file: Path, site_dir: Path, targets: list[str] | None, strict: bool,
           progress_to: TextIO | None, use_cache: bool) -> BuildSummary:
    started = time.monotonic()
    settings = read_config(config_file).settings
    site_dir = refuse_unsafe(site_dir, (SITE, TARGET), settings.content_dir, config_file.resolve().parent, "--site-dir")
    cache = _open_cache(config_file, settings.content_dir) if use_cache else None
    with guards_ahead(cache, packs=not targets) as ahead:
        project, warnings = load_checked_project(config_file, targets, cache, keyed=ahead)
        if strict and warnings:
            raise CxdocsErrors([Finding(f.message, f.path, f.line) for f in warnings])
        # Packs are planned before any target is built (a response no chosen helpdesk can carry
        # fails fast), while the guards are still being derived.
        export = None if targets else plan_export(project, project.settings.export_formats)
    gc.freeze()
    languages = project.settings.languages
    chosen = project.checked_targets or all_targets(languages)  # parsed once, by check_project
    summary = BuildSummary(chosen, warnings=warnings)
    summary.export = export
    keep_from = site_dir if targets and output_kind(site_dir) == SITE else None
    upkeep = None
    # The cache's upkeep runs beside the removal of the site swapped out, which the staging
    # folder's end does; its error (if any) is raised once both are done.
    with ThreadPoolExecutor(1) as beside, staging(site_dir.parent, f".{site_dir.name}-build-") as staging_dir:
        progress = Progress(len(chosen), sum(len(pages_for(project, t)) for t in chosen), progress_to)
        with progress:
            # The targets an edit changed go first, the longest first: those whose pages read
            # otherwise (built and indexed anew), then those taken from the cache whose guard
            # changed (every file read again). A restored target is quick, and a long one left last
            # would keep a core idle while the other builds it.
            first = (project.kept.rendered_anew, ahead.targets()) if project.kept is not None else ()
            done = build_targets(config_file, project, chosen, staging_dir / "targets", strict, progress, cache, first)
            summary.unchanged = done.restored
        # The pages the progress line counted (the writers' pages, fallbacks included), and apart
        # from them the pages the site adds (home, topic and health pages).
        summary.pages, summary.generated = progress.pages, done.pages - progress.pages
        assembled = assemble(staging_dir, chosen, languages, keep_from)
        if summary.export is not None:
            write_export(summary.export, assembled / "responses")
        mark_output(assembled, SITE)
        swap_in(assembled, site_dir)
        if cache is not None and not targets:  # a full build used every entry it still needs
            upkeep = beside.submit(_upkeep, cache, done.used)
    if upkeep is not None:
        upkeep.result()
    summary.seconds = time.monotonic() - started
    return summary


def _upkeep(cache: Cache, used: frozenset[tuple[str, str]]) -> None:
    """The build cache's entries no longer needed removed (``used``: by the targets' workers)."""
    cache.prune(by_use=[file_store.FILES], used=used)
    target_cache.sweep(cache)


def _open_cache(config_file: Path, content_dir: Path) -> Cache | None:
    """The project's build cache; None (a build without it, with a notice) where its folder is,
    holds or lies in the content folder, or is or holds the project folder (``.cxdocs/cache`` a
    link there): cxdocs writes and removes files in its cache, whatever stamp that folder holds."""
    folder = folder_for(config_file)
    why = protected(folder.resolve(), content_dir.resolve(), config_file.resolve().parent)
    if why is not None:
        logging.getLogger("cxdocs.cache").warning(
            f"cxdocs: the build cache's folder {display_path(folder)} {why}; cxdocs neither reads nor removes "
            "anything there: building without the cache"
        )
        return None
    return Cache.open(folder)


def build_targets(
    config_file: Path, project: Project, targets: list[Target], out: Path, strict: bool, progress: Progress,
    cache: Cache | None = None, first: tuple[set[Target], ...] = (),
) -> Done:
    """Build the targets into ``out/<audience>-<lang>``, on every core.

    Targets are independent MkDocs builds, so they run in worker processes forked from this one,
    which share the loaded and checked project instead of parsing the tree again. A small target's
    search index is made by its worker; a large one's here, once every worker has ended (see
    ``indexing``).
    """
    workers = workers_for(targets)
    # The targets of ``first``'s sets before the others, in the sets' order; then public targets
    # first: with the build cache, a handbook target started after them reads the conversions they
    # kept there.
    rank = {target: next((n for n, tier in enumerate(first) if target in tier), len(first)) for target in targets}
    ordered = sorted(targets, key=lambda t: (rank[t], not t.is_public,
                                             t.lang != project.settings.default_language, t.lang))
    jobs = [(config_file, target, out / f"{target.audience}-{target.lang}", strict, cache) for target in ordered]
    global _SHARED
    parallel = workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    out.mkdir(parents=True, exist_ok=True)
    _SHARED = (project, progress)
    try:
        if parallel:
            page_extras.know_anchors(project, {target.audience for target in targets})  # read once, shared
            built = _in_processes([(_build_one, job) for job in jobs], workers, progress)
        else:
            built = []
            for job in jobs:
                built.append(_build_one(*job))
                progress.target_done(f"built {job[1]}")
    finally:
        _SHARED = None  # not kept past its build: a process that builds again holds one project at a time
    # Every worker has ended: the large targets' search indexes, one at a time, beside nothing but
    # this process.
    indexing.finish_all(project, [b.unindexed for b in built if b.unindexed is not None], cache, progress.note)
    return Done(sum(b.pages for b in built), sum(b.restored for b in built), frozenset().union(*(b.used for b in built)))


@dataclass
class Done:
    """What ``build_targets`` did."""

    pages: int
    """The pages written."""
    restored: int
    """The targets taken whole from the build cache."""
    used: frozenset[tuple[str, str]]
    """The build cache's entries the targets' workers used."""


def _in_processes(jobs: list[tuple[Callable, tuple]], workers: int, progress: Progress) -> list[Built]:
    """Each job (a function and its arguments, the first a target) in a process of its own, forked
    from this one (which holds the loaded project), ``workers`` at a time: what one target's build
    leaves in memory ends with its process instead of piling up in a long-lived worker. The
    targets' builds come back in the jobs' order."""
    pending, running, built = list(enumerate(jobs)), {}, {}
    try:
        while pending or running:
            while pending and len(running) < workers:
                number, job = pending.pop(0)
                forked = Forked(job, f"building {job[1][0]}")
                running[forked.receive] = (forked, job[1][0], number)
            for ready in multiprocessing.connection.wait(list(running)):
                forked, target, number = running.pop(ready)
                value = forked.result()
                if isinstance(value, Built):
                    built[number] = value
                    template_code.known(value.templates)  # the workers forked from now on start with them
                    progress.target_done(f"built {target}")
    finally:
        # Builds still running end on their own (their staging folder is removed after them, and
        # a Pagefind they started would outlive a killed worker); none starts.
        for forked, _, _ in running.values():
            forked.process.join()
    return [built[number] for number in sorted(built)]


@dataclass
class Built:
    """One target's build, as its worker hands it back."""

    pages: int
    restored: bool
    """Taken whole from the build cache (its search index with it)."""
    unindexed: Unindexed | None
    used: frozenset[tuple[str, str]] = frozenset()
    """The build cache's entries its build read, wrote or took whole (pruning keeps them)."""
    templates: dict = field(default_factory=dict)
    """The templates its build compiled (``template_code``)."""


_SHARED: tuple[Project, Progress] | None = None
"""The loaded project and the progress counter, inherited by the forked workers."""


def _build_one(config_file: Path, target: Target, out: Path, strict: bool, cache: Cache | None) -> Built:
    assert _SHARED is not None
    project, progress = _SHARED
    later = indexing.index_later(len(pages_for(project, target)))
    state = TargetBuild(project, target, page_done=progress.page_done, cache=cache, in_site=True, index_later=later)
    built = build_target(config_file, state, out, strict)
    used = frozenset(cache.used) if cache is not None else frozenset()
    return Built(built.pages_written, built.restored, built.unindexed, used, template_code.compiled_here())


def assemble(staging: Path, targets: list[Target], languages: list[str], keep_from: Path | None) -> Path:
    """The site tree: default language at each audience's root, the others below it in ``<lang>/``.

    For a partial build (``keep_from``), the previous site's other targets are kept as they were.
    """
    tree = staging / "site"
    if keep_from is not None and keep_from.is_dir():
        # Linked, not copied: a site of many targets is gigabytes, and its files are never changed
        # in place (what the chosen targets replace is left out, and written anew below).
        rebuilt = _rebuilt(keep_from, targets, languages)
        shutil.copytree(keep_from, tree, symlinks=True, copy_function=_link_or_copy,
                        ignore=lambda folder, names: [n for n in names if Path(folder, n) in rebuilt])
    tree.mkdir(exist_ok=True)
    for target in sorted(targets, key=lambda t: t.lang != languages[0]):
        built = staging / "targets" / f"{target.audience}-{target.lang}"
        if target.lang == languages[0]:
            place = tree / target.audience
            place.mkdir(exist_ok=True)
            for child in built.iterdir():
                if child.name == ASSETS and (place / ASSETS).is_dir():
                    _share_assets(child, place / ASSETS)
                else:
                    child.rename(place / child.name)
        else:
            place = tree / target.audience / target.lang
            place.parent.mkdir(parents=True, exist_ok=True)
            _share_assets(built / ASSETS, tree / target.audience / ASSETS)
            built.rename(place)
    return tree


def _share_assets(built: Path, shared: Path) -> None:
    """The theme's files of one build (``assets/<digest>/``) go to the audience's root, once: every
    language builds the same folder (its name is a hash of its files), and its pages point at the
    root's. A folder of another digest (an earlier theme) is kept for the pages that use it."""
    if not built.is_dir():
        return
    for folder in built.iterdir():
        if not (folder.is_dir() and HASHED.match(folder.name)):
            continue
        if (shared / folder.name).exists():
            shutil.rmtree(folder)
        else:
            shared.mkdir(parents=True, exist_ok=True)
            folder.rename(shared / folder.name)
    if not any(built.iterdir()):
        built.rmdir()


def _rebuilt(site_dir: Path, targets: list[Target], languages: list[str]) -> set[Path]:
    """What the chosen targets replace in the site: a language's folder, or all of an audience's
    root but the other languages' folders."""
    replaced = set()
    for target in targets:
        place = site_dir / target.audience
        if target.lang != languages[0]:
            replaced.add(place / target.lang)
        elif place.is_dir():
            replaced.update(child for child in place.iterdir() if child.name not in (*languages[1:], ASSETS))
            if (place / ASSETS).is_dir():  # the theme's files are kept: pages of other languages may use them
                replaced.update(child for child in (place / ASSETS).iterdir() if not HASHED.match(child.name))
    return replaced


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, destination)


