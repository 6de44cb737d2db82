"""A job (a function and its arguments) in a process forked from the build, which holds the loaded
project: the child reads it where it lies instead of loading the tree again, and what the job
leaves in memory ends with its process."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable

from cxdocs.core.cache import Cache
from cxdocs.core.errors import CxdocsError


class Forked:
    """The job's process, started at once; ``result`` waits for what it returns."""

    def __init__(self, job: tuple[Callable, tuple], what: str):
        context = multiprocessing.get_context("fork")
        self.what = what
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_run, args=(job, what, send), daemon=True)
        self.process.start()
        send.close()

    def result(self):
        """What the job returned, once its process has ended; the job's error is raised here."""
        try:
            ok, value = self.receive.recv()
        except EOFError:  # killed (out of memory, a signal) before it could say anything
            self.process.join()
            ok, value = False, CxdocsError(f"{self.what} failed: its process ended with exit code {self.process.exitcode}")
        self.receive.close()
        self.process.join()
        if not ok:
            raise value
        return value

    def stop(self, cache: Cache | None) -> None:
        """The build stopped: end the job now, and remove what it was writing into the cache."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.receive.close()
        if cache is not None:
            cache.forget_partial(self.process.pid)


def _run(job: tuple[Callable, tuple], what: str, send) -> None:
    function, args = job
    try:
        result = (True, function(*args))
    except BaseException as exc:  # noqa: BLE001 - handed to the build, which reports it
        result = (False, exc)
    try:
        send.send(result)
    except Exception:  # noqa: BLE001 - an error that cannot be pickled: its words are kept
        send.send((False, CxdocsError(f"{what} failed: {type(result[1]).__name__}: {result[1]}")))
    finally:
        send.close()


def workers_for(targets: list) -> int:
    """How many processes a build runs side by side: one per core (``CXDOCS_JOBS`` sets fewer), no
    more than it has targets."""
    return min(len(targets), os.cpu_count() or 1, int(os.environ.get("CXDOCS_JOBS", "0")) or 64)
