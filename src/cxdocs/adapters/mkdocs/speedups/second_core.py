"""Work a target built alone hands to the core it would leave idle.

``cxdocs build --target public:sl`` (one shard of a CI matrix) builds one target, in one process.
Two processes forked from it work beside the build:

- ``GuardBeside``, for a public target, is the leak guard. It is forked as soon as the project is
  loaded and derives the guard's reference from the sources while the build runs its checks and
  sets MkDocs up. It then reads each page once it is written, and when the build ends it reads
  every file it has not read or that changed since (search index, sitemap, theme files, a page
  another plugin rewrote). These are the files, and the findings, of a guard run after the build.
  When the build ends, a process forked from the guard reads the files that are not pages (the
  search index is the largest) on the core the build has left, while the guard reads the pages
  still waiting and the rest of the site.
- ``ConvertAhead``, forked once the pages are known, converts Markdown from the last page back
  while the building process converts from the first page on; they meet in the middle, and the
  building process reads the conversions it finds instead of doing them (``conversions``).

If a process fails in any way the building process does the work itself: this only saves time.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
from collections.abc import Callable, Iterable
from pathlib import Path

from cxdocs.outputs.guard import Leak, LeakGuard, SiteScan

FINISH = None
BATCH = 32
"""Pages told to the guard at a time: one message per page costs the building process a thread switch."""


def core_left_idle(targets: int) -> bool:
    """Whether building ``targets`` targets leaves a core with nothing to do, that a fork can use."""
    return (
        targets == 1
        and "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and os.environ.get("CXDOCS_JOBS") != "1"
    )


class GuardBeside:
    def __init__(self, make_guard: Callable[[], LeakGuard]):
        context = multiprocessing.get_context("fork")
        self.inbox = context.Queue()
        self.outbox = context.Queue()
        self.built = context.Event()
        self.process = context.Process(
            target=_guard, args=(make_guard, self.inbox, self.outbox, self.built), daemon=True
        )
        self.process.start()
        self.next: str | None = None
        self.unsent: list[str] = []

    def site(self, site_dir: Path, site_url: str, generated: Iterable[str]) -> None:
        """Where the target is written, and the text of its generated pages (public by construction)."""
        self.inbox.put((site_dir, site_url, list(generated)))

    def writing(self, path: str) -> None:
        """MkDocs writes ``path`` next: the page written before it is whole and can be read."""
        if self.next is not None:
            self.unsent.append(self.next)
            if len(self.unsent) >= BATCH:
                self.send()
        self.next = path

    def send(self) -> None:
        """Every page told so far is written: send them all."""
        if self.next is not None:
            self.unsent.append(self.next)
            self.next = None
        if self.unsent:
            self.inbox.put(self.unsent)
            self.unsent = []

    def forked(self) -> None:
        """In a process forked to write pages: the pages its parent told are the parent's to send."""
        self.next, self.unsent = None, []

    def leaks(self) -> list[Leak] | None:
        """The leaks of the finished target, or None if this process could not tell."""
        self.send()
        self.built.set()
        self.inbox.put(FINISH)
        status, leaks = answer_of(self.process, self.outbox, ("failed", None))
        return leaks if status == "ok" else None

    def stop(self) -> None:
        stop(self.process)


class ConvertAhead:
    def __init__(self, convert_ahead: Callable[[], None]):
        self.process = multiprocessing.get_context("fork").Process(target=_convert, args=(convert_ahead,), daemon=True)
        self.process.start()

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


def _guard(make_guard, inbox, outbox, built) -> None:
    try:
        guard = make_guard()
        site_dir, site_url, generated = inbox.get()
        guard.strike(generated)
        scan = SiteScan(guard, site_dir, site_url)
        others = None
        while (paths := inbox.get()) is not FINISH:
            for path in paths:
                scan.read_file(Path(path))
                if others is None and built.is_set():
                    others = ReadBeside(scan, scan.unread_but_pages())
        others = others or ReadBeside(scan, scan.unread_but_pages())
        outbox.put(("ok", scan.finish(others.paths, others.results)))
    except BaseException:  # the building process guards itself instead, and reports any error there
        outbox.put(("failed", None))


class ReadBeside:
    """``paths`` read by a process forked from the guard, which hands back what it found.

    The guard runs as a daemon process, which ``multiprocessing`` does not let have children: this
    is a plain fork, and a pipe. If the fork fails, the guard reads the files itself (``finish``).
    """

    def __init__(self, scan: SiteScan, paths: list[Path]):
        self.paths, self.pid = paths, None
        try:
            readable, writable = os.pipe()
        except OSError:
            return
        try:
            self.pid = os.fork()
        except OSError:
            os.close(readable)
            os.close(writable)
            return
        if self.pid == 0:
            os.close(readable)
            _read_and_hand_back(scan, paths, writable)
        os.close(writable)
        self.readable = readable

    def results(self) -> dict:
        """What the fork found, by path (as ``SiteScan.read``); empty if it failed."""
        if self.pid is None:
            return {}
        with os.fdopen(self.readable, "rb") as stream:
            data = stream.read()
        _, status = os.waitpid(self.pid, 0)
        try:
            return pickle.loads(data) if status == 0 else {}
        except (pickle.UnpicklingError, EOFError, ValueError):
            return {}


def _read_and_hand_back(scan: SiteScan, paths: list[Path], writable: int) -> None:
    code = 1
    try:
        for path in paths:
            scan.read_file(path)
        with os.fdopen(writable, "wb") as stream:
            pickle.dump({path: scan.read[path] for path in paths if path in scan.read}, stream)
        code = 0
    finally:
        os._exit(code)  # nothing of the guard's process (its queues, atexit) runs twice


def _convert(convert_ahead) -> None:
    try:
        convert_ahead()
    except BaseException:  # the building process converts what this one did not
        pass
