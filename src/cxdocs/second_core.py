"""Work a target built alone hands to the core it would leave idle.

``cxdocs build --target public:sl`` (one shard of a CI matrix) builds one target, in one process.
A process forked once the pages are known does two things beside it:

- it converts Markdown ahead, from the last page back, while the building process converts from
  the first page on; they meet in the middle, and the building process reads the conversions it
  finds instead of doing them (``conversions``);
- for a public target, it is the leak guard: it derives the guard's reference from the sources,
  reads each page once it is written, and when the build ends it reads every file it has not read
  or that changed since (search index, sitemap, theme files, a page another plugin rewrote). These
  are the files, and the findings, of a guard run after the build.

If the process fails in any way the building process does the work itself: this only saves time.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable
from pathlib import Path

from .guard import Leak, LeakGuard, SiteScan

FINISH = None


class SecondCore:
    def __init__(self, convert_ahead: Callable[[], None] | None, make_guard: Callable[[], LeakGuard] | None,
                 site_dir: Path, site_url: str):
        context = multiprocessing.get_context("fork")
        self.inbox = context.Queue()
        self.outbox = context.Queue()
        self.guarding = make_guard is not None
        self.process = context.Process(
            target=_work, args=(convert_ahead, make_guard, site_dir, site_url, self.inbox, self.outbox), daemon=True
        )
        self.process.start()

    def written(self, path: str) -> None:
        """``path`` is written whole: it can be read."""
        if self.guarding:
            self.inbox.put(path)

    def leaks(self) -> list[Leak] | None:
        """The leaks of the finished target, or None if this process could not tell."""
        self.inbox.put(FINISH)
        status, leaks = answer_of(self.process, self.outbox, ("failed", None))
        return leaks if status == "ok" else None

    def stop(self) -> None:
        stop(self.process)


def stop(process) -> None:
    if process.is_alive():
        process.terminate()
    process.join()


def answer_of(process, answers, silent: tuple) -> tuple:
    """The answer a forked process puts on ``answers`` when it is done, or ``silent`` if it died first."""
    answer = silent
    while True:
        try:
            answer = answers.get(timeout=1)
            break
        except queue.Empty:
            if not process.is_alive():
                break
    process.join()
    return answer


def _work(convert_ahead, make_guard, site_dir: Path, site_url: str, inbox, outbox) -> None:
    try:
        if convert_ahead is not None:
            convert_ahead()
        if make_guard is None:
            return
        scan = SiteScan(make_guard(), site_dir, site_url)
        while (path := inbox.get()) is not FINISH:
            scan.read_file(Path(path))
        outbox.put(("ok", scan.finish()))
    except BaseException:  # the building process guards itself instead, and reports any error there
        outbox.put(("failed", None))
