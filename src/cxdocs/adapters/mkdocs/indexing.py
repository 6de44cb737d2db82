"""A large written target's search index, made after every target's pages are written (``cxdocs build``).

Pagefind holds every page of the target it indexes in memory: 2 GiB for a handbook of 10,000
pages. Run by the worker that wrote the target, it would sit beside the other worker's build, and
the build's memory would be the sum of both. So a worker writes a large target's pages, guards them
and ends, handing back an :class:`Unindexed`; once no worker is left, the build indexes those
targets one after another (Pagefind uses every core on its own), guards each public index, and only
then keeps the finished target in the build cache. While Pagefind indexes one target, the index of
the one before is guarded, that target kept, and the pages of the one after cut to what Pagefind
reads.

A small target (``BESIDE_WORKERS``) is indexed by its own worker as soon as its pages are written:
its Pagefind fills the time a core would otherwise wait for the index phase, and after an edit the
targets built anew are indexed while those taken from the cache are restored.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cxdocs.adapters.mkdocs import pagefind_index, target_cache
from cxdocs.core.cache import Cache
from cxdocs.core.targets import Target
from cxdocs.outputs import guard_cache
from cxdocs.outputs.guard import guard_for_target


BESIDE_WORKERS = 2_500
"""A target of at most this many pages is indexed by the worker that wrote it, beside the other
worker's build. Pagefind needs about 190 KB a page (1.9 GiB for a handbook of 10,000 pages), so two
such indexes at once add under 1 GiB to the build; a larger target waits for the index phase."""


def index_later(pages: int) -> bool:
    """A target of ``pages`` pages is indexed once every worker has ended, not by its own worker."""
    return pages > BESIDE_WORKERS


@dataclass
class Unindexed:
    """A target whose pages are written and guarded, waiting for its search index."""

    out: Path
    target: Target
    search: bool
    """The target is searched with Pagefind (``search: pagefind``)."""
    site_url: str = ""
    generated: list[str] = field(default_factory=list)
    """The generated pages' text and the words around every page: the guard's public reference."""
    allowed_comments: frozenset[str] = frozenset()
    target_key: str | None = None
    """The key to keep the finished target under in the build cache; None: not kept."""
    used: set[tuple[str, str]] = field(default_factory=set)
    """The cache entries the target's build used (kept with it)."""
    digests: dict[str, str] = field(default_factory=dict)
    """``TargetBuild.digests``."""


def finish_all(project, jobs: list[Unindexed], cache: Cache | None, note: Callable[[str], None]) -> None:
    """Index each target in turn, one Pagefind at a time; while Pagefind indexes one target, this
    process guards the index of the one before, keeps it in the cache, and cuts the pages of the
    next one to what Pagefind reads."""
    saved = cache.used if cache is not None else None
    used: dict[int, set] = {id(job): set() for job in jobs}

    def prepared(job: Unindexed) -> pagefind_index.Indexing | None:
        with _using(cache, used[id(job)]):
            return pagefind_index.prepare_index(job.out, job.target.lang, cache, digests=job.digests) if job.search else None

    previous: Unindexed | None = None
    following = prepared(jobs[0]) if jobs else None
    try:
        for number, job in enumerate(jobs):
            if job.search:
                note(f"indexing {job.target} for search")
            running, following = following.start() if following is not None else None, None
            try:
                if previous is not None:
                    _finish(project, previous, cache, used[id(previous)])
                if number + 1 < len(jobs):
                    following = prepared(jobs[number + 1])
            except BaseException:
                if running is not None:
                    running.stop()
                raise
            if running is not None:
                with _using(cache, used[id(job)]):
                    running.wait()
            previous = job
        if previous is not None:
            _finish(project, previous, cache, used[id(previous)])
    finally:
        if following is not None:
            following.clean()
        if cache is not None:
            cache.used = saved.union(*used.values())


def _finish(project, job: Unindexed, cache: Cache | None, used: set) -> None:
    """Guard the target's index (a public one), keep the finished target in the cache."""
    with _using(cache, used):
        if job.search and job.target.is_public:
            guard = guard_for_target(project, job.target, job.generated)
            guard.allowed_comments = job.allowed_comments
            leaks = guard_cache.scan(guard, job.out, job.site_url, cache, job.target, under=pagefind_index.BUNDLE)
            if leaks:
                raise guard_cache.stopped(job.target, leaks)
        if cache is not None and job.target_key is not None:
            target_cache.store(cache, job.target_key, job.out, job.used | used, job.digests)


@contextlib.contextmanager
def _using(cache: Cache | None, used: set) -> Iterator[None]:
    """Within the block, the cache entries read and written are counted as the given target's."""
    if cache is None:
        yield
        return
    saved, cache.used = cache.used, used
    try:
        yield
    finally:
        cache.used = saved
