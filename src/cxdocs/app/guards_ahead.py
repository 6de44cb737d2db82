"""The leak guards a build reads, derived while it checks the project.

Each chosen public target's guard and the packs' are read by the build once the targets are
written; whichever the build cache lacks (an edit changes some of them) is derived beforehand, in
a process forked from the build as soon as the cache's keys can be made, while the build process
checks the project on the other core. Deriving reads every source of the project: in a process
forked from the build, which copies the memory it reads (Python writes an object's reference count
when it reads it), and not in a target's worker, whose memory would be the sum of both.

The guards are shared out: the guards' process takes them one at a time from the front of the
list; once the build's checks are done, a second process forked from it takes them from the back,
so that neither core waits while guards are left (an edit to an internal page changes every
public target's guard and the packs'). The build process derives none itself: the memory deriving
takes would stay with it, and with every target worker forked from it later.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
from collections.abc import Iterator

from cxdocs.app.forked import Forked, workers_for
from cxdocs.core.cache import Cache
from cxdocs.core.content import Project
from cxdocs.core.targets import Target, all_targets
from cxdocs.outputs.export import shipped_beside_packs
from cxdocs.outputs.guard import guard_for_packs, packs_guard_kept, source_guard, source_guard_kept

Guard = tuple[Target | None, list[str] | None]
"""A guard to derive: a public target's (the target, None), or the packs' (None, the text shipped beside them)."""


@contextlib.contextmanager
def guards_ahead(cache: Cache | None, packs: bool) -> Iterator[Ahead]:
    """Within the block, the project's loading calls what this yields once the cache's keys can be
    made: the guards are then derived meanwhile, and the block ends when they are kept (a second
    process joins in once the block's own work is done, while guards are left). A block that fails
    stops them. ``packs``: the build writes the response packs."""
    ahead = Ahead(packs)
    try:
        yield ahead
        for shared in ahead.started:
            if shared.left():
                gc.freeze()  # what the checks made since the first fork, as there
                shared.processes.append(Forked((shared.derive, (True,)), "deriving the leak guards"))
            for forked in shared.processes:
                forked.result()
    except BaseException:
        for shared in ahead.started:
            for forked in shared.processes:
                forked.stop(cache)
        raise


class Ahead:
    """What ``guards_ahead`` yields: called once the cache's keys can be made, it starts the guards'
    process."""

    def __init__(self, packs: bool):
        self.packs = packs
        self.started: list[Shared] = []

    def __call__(self, project: Project) -> None:
        shared = _start(project, self.packs)
        if shared is not None:
            self.started.append(shared)

    def targets(self) -> set[Target]:
        """The public targets whose guards are derived here: their guards changed."""
        return {target for shared in self.started for target, _ in shared.guards if target is not None}


class Shared:
    """The guards to derive and how far each end of their list is taken, shared by the processes
    that derive them (one lock for both ends: each guard is derived once)."""

    def __init__(self, project: Project, guards: list[Guard]):
        self.project, self.guards = project, guards
        self.ends = multiprocessing.get_context("fork").Array("i", [0, len(guards)])
        self.processes: list[Forked] = []

    def derive(self, from_back: bool) -> None:
        """Keep the guards in the build cache, as the sources make them, until none is left."""
        kept = self.project.kept
        if kept is not None:  # this process keeps no guard it derives, and ends once they are stored
            kept.cache.detaching = False
        while (number := self._take(from_back)) is not None:
            target, shipped = self.guards[number]
            if target is not None:
                source_guard(self.project, target)
            else:
                guard_for_packs(self.project, shipped)

    def left(self) -> bool:
        with self.ends.get_lock():
            return self.ends[0] < self.ends[1]

    def _take(self, from_back: bool) -> int | None:
        with self.ends.get_lock():
            front, back = self.ends[0], self.ends[1]
            if front >= back:
                return None
            if from_back:
                self.ends[1] = back - 1
                return back - 1
            self.ends[0] = front + 1
            return front


def _start(project: Project, packs: bool) -> Shared | None:
    """The guards' process, deriving the guards this build will read and the cache lacks (each
    chosen public target's, and the packs' in a full build); None: there is nothing to derive, or
    no second process."""
    chosen = project.checked_targets or all_targets(project.settings.languages)
    if workers_for(chosen) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    guards: list[Guard] = []
    shipped = shipped_beside_packs() if packs else None
    if shipped is not None and packs_guard_kept(project, shipped) is False:
        guards.append((None, shipped))  # the largest first: the guards' process starts on it
    guards += [(target, None) for target in chosen if target.is_public and source_guard_kept(project, target) is False]
    if not guards:
        return None
    shared = Shared(project, guards)
    gc.freeze()  # the child's collector would otherwise visit, and so copy, every object of the project
    shared.processes.append(Forked((shared.derive, (False,)), "deriving the leak guards"))
    return shared
