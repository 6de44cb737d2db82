"""Build progress on a terminal: targets and pages done, counted in the worker processes.

On a terminal one status line is redrawn in place; in CI (no terminal, or ``CI`` set) nothing is
shown but what the command prints at the end.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from typing import TextIO


class Progress:
    """Counts pages written by any build process; the main process draws the status line."""

    def __init__(self, targets: int, pages: int, stream: TextIO | None = None, interval: float = 0.2):
        # Created before the workers fork, so every worker increments the same counter.
        self._pages_done = multiprocessing.Value("q", 0)
        self.targets, self.pages = targets, pages
        self.targets_done = 0
        self.stream = stream
        self._interval = interval
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def page_done(self) -> None:
        with self._pages_done.get_lock():
            self._pages_done.value += 1

    @property
    def pages_done(self) -> int:
        return self._pages_done.value

    def target_done(self, message: str) -> None:
        self.targets_done += 1
        self._write(f"[{self.targets_done}/{self.targets}] {message}\n")

    def note(self, message: str) -> None:
        """A line that stays above the status line, counting nothing."""
        self._write(message + "\n")

    def line(self) -> str:
        return f"building: {self.targets_done}/{self.targets} targets, {min(self.pages_done, self.pages)}/{self.pages} pages"

    def __enter__(self) -> Progress:
        if self.stream is not None:
            self._thread = threading.Thread(target=self._draw, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._write("")

    def _draw(self) -> None:
        while not self._stop.wait(self._interval):
            self._write("")

    def _write(self, text: str) -> None:
        if self.stream is None:
            return
        with self._lock:
            # Clear the status line, print what must stay, then redraw the status line below it.
            self.stream.write("\r\x1b[K" + text + ("" if self._stop.is_set() else self.line()))
            self.stream.flush()


def terminal() -> TextIO | None:
    """Where to draw progress: stderr when it is a terminal outside CI, else nowhere."""
    return sys.stderr if sys.stderr.isatty() and not os.environ.get("CI") else None
