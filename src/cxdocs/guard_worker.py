"""The public leak guard on the second core, reading pages while the target is still being built.

A target built alone (``cxdocs build --target public:sl``, one shard of a CI matrix) leaves a core
idle, and the guard is a fifth of a large public build. Its reference comes from the sources, not
from the build, so a forked process derives it while MkDocs converts and renders, then reads each
page once it is written. When the build ends it reads every file it has not read or that changed
since (search index, sitemap, theme files, a page another plugin rewrote): the same files a guard
run after the build reads, with the same findings.

If the worker fails in any way, the build runs the guard itself: the worker only saves time.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable
from pathlib import Path

from .guard import LeakGuard, Leak, SiteScan

FINISH = None


class GuardWorker:
    def __init__(self, make_guard: Callable[[], LeakGuard], site_dir: Path, site_url: str):
        context = multiprocessing.get_context("fork")
        self.inbox = context.Queue()
        self.outbox = context.Queue()
        self.process = context.Process(
            target=_work, args=(make_guard, site_dir, site_url, self.inbox, self.outbox), daemon=True
        )
        self.process.start()

    def written(self, path: str) -> None:
        """``path`` is written whole: it can be read."""
        self.inbox.put(path)

    def finish(self) -> list[Leak] | None:
        """The leaks of the finished target, or None if the worker could not tell."""
        self.inbox.put(FINISH)
        while True:
            try:
                status, leaks = self.outbox.get(timeout=1)
                break
            except queue.Empty:
                if not self.process.is_alive():
                    return None
        self.process.join()
        return leaks if status == "ok" else None

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _work(make_guard, site_dir: Path, site_url: str, inbox, outbox) -> None:
    try:
        scan = SiteScan(make_guard(), site_dir, site_url)
        while (path := inbox.get()) is not FINISH:
            scan.read_file(Path(path))
        outbox.put(("ok", scan.finish()))
    except BaseException:  # the build guards in its own process instead, and reports any error there
        outbox.put(("failed", None))
