"""Build workers die with the build: a build killed outright (``kill -9``, an out-of-memory kill,
a CI job cancelled) must not leave forked processes writing into its staging folder for good."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator

_active = False
_parent = 0
_registered = False


@contextlib.contextmanager
def workers_die_with_this_process() -> Iterator[None]:
    """Every process forked meanwhile (and forked by those) ends when the process that forked it does."""
    global _active, _registered
    if not _registered and hasattr(os, "register_at_fork"):
        os.register_at_fork(before=_remember_parent, after_in_child=_die_with_parent)
        _registered = True
    _active, was = True, _active
    try:
        yield
    finally:
        _active = was


def _remember_parent() -> None:
    global _parent
    _parent = os.getpid()


def _die_with_parent() -> None:
    if not _active:
        return
    if sys.platform.startswith("linux"):
        try:
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            _watch_parent()
    else:
        _watch_parent()
    if os.getppid() != _parent:  # the parent died before the line above took effect
        os._exit(1)


def _watch_parent() -> None:
    """Where the kernel cannot be asked to end a child with its parent: look once a second."""
    parent = _parent

    def watch():
        while not threading.Event().wait(1.0):
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="cxdocs-parent-watch").start()
