"""``cxdocs serve`` shows an edit in a fraction of a second: MkDocs' live-reload server, told which
files changed, updating through a :class:`~cxdocs.adapters.mkdocs.preview.Preview`.

MkDocs' server rebuilds the whole site on any change and polls the tree; this subclass overrides its
build loop (``_build_loop``) and reads and sets its private state (``_rebuild_cond``,
``_want_rebuild``, ``_shutdown``, ``_watched_paths``, ``_watch_refs``, ``_epoch_cond``,
``_visible_epoch``, ``_wanted_epoch``): it is used only with the MkDocs versions the speed-up seam
names, and ``cxdocs serve`` otherwise runs MkDocs' server as it is, rebuilding in full.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.cxdocs.adapters.mkdocs.serve")
CHANGES = {"created", "modified", "deleted", "moved", "attrib"}
"""Event types that mean a file changed (``attrib``: touched); inotify also reports files being read."""
FOLLOW_DELAY = 0.25
"""Seconds between showing an edited page and rendering the pages that gather it."""
EVENTS = [
    getattr(watchdog.events, name)
    for name in ("FileCreatedEvent", "FileModifiedEvent", "FileDeletedEvent", "FileMovedEvent", "FileAttribEvent",
                 "DirMovedEvent", "DirDeletedEvent")
    if hasattr(watchdog.events, name)  # FileAttribEvent is watchdog 5+
]


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, told which files changed, rebuilding through ``preview`` (a
    :class:`~cxdocs.adapters.mkdocs.preview.Preview`, which imports the speed-ups: not imported here)."""

    def __init__(self, preview, host: str, port: int, mount_path: str, polling: bool = False):
        super().__init__(builder=lambda: None, host=host, port=port, root=str(preview.workdir), mount_path=mount_path)
        self.preview = preview
        self.changed: set[str] = set()
        self.build_delay = 0.05  # quiet time after the last event before building (MkDocs: 0.1 s)
        if not polling:
            # inotify (or the platform's equivalent) reports a save at once; MkDocs polls the whole
            # tree every 0.5 s, which alone would take half of a one-second budget.
            self.observer = watchdog.observers.Observer()
        self.error_handler = self._error_page

    def watch(self, path: str, func=None, *, recursive: bool = True) -> None:
        """Like MkDocs' watch, but remembering which paths changed.

        A single file (mkdocs.yml) is watched through its folder: editors that save by renaming a
        new file over the old one replace the file a watch may be tied to (with some platforms' and
        watchdog versions' file watches, the next save would go unseen).
        """
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1
        only = path if os.path.isfile(path) else None
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = lambda event: self._on_event(event, only)  # type: ignore[method-assign]
        where, recursive = (os.path.dirname(path), False) if only else (path, recursive)
        try:
            # Not asking for "opened" and "closed" spares thousands of events while a build reads the tree.
            watch = self.observer.schedule(handler, where, recursive=recursive, event_filter=EVENTS)
        except TypeError:  # watchdog before 4.0
            watch = self.observer.schedule(handler, where, recursive=recursive)
        self._watch_refs[path] = watch

    def _on_event(self, event, only: str | None = None) -> None:
        if event.event_type not in CHANGES or (event.is_directory and event.event_type not in ("moved", "deleted")):
            return  # a folder's own "modified" says only that a file in it changed, which has its event
        paths = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")} - {""}
        if only is not None:
            paths &= {only}
        if not paths:
            return
        with self._rebuild_cond:
            self.changed |= paths
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def claim(self, paths: list[Path]) -> None:
        """Take the port and start watching, before the first build: a busy port fails at once, and
        an edit made while the first build runs is shown right after it."""
        self.server_bind()
        self.server_activate()
        for path in paths:
            self.watch(str(path))
        self._start_observer()

    def serve(self, *, open_in_browser: bool = False) -> None:
        self.root = str(self.preview.site_dir)
        log.info(f"Serving on {self.url}")
        self.serve_thread.start()
        self._build_loop()

    def _start_observer(self) -> None:
        try:
            self.observer.start()
        except OSError as exc:  # e.g. the inotify watch limit: fall back to polling, as MkDocs does
            log.warning(f"watching for changes by polling ({exc})")
            paths = list(self._watched_paths)
            self.observer = watchdog.observers.polling.PollingObserver(timeout=0.5)
            self._watched_paths.clear()
            for path in paths:
                self.watch(path)
            self.observer.start()

    def _build_loop(self) -> None:
        """MkDocs' loop, but an update gets the changed paths, requests never wait, and a failed or empty
        update reloads nobody."""
        while True:
            with self._rebuild_cond:
                while not self._rebuild_cond.wait_for(
                    lambda: self._want_rebuild or self._shutdown, timeout=self.shutdown_delay
                ):
                    pass
                if self._shutdown:
                    break
                while self._rebuild_cond.wait(timeout=self.build_delay):
                    pass  # wait until the editor has finished writing
                changed, self.changed = self.changed, set()
                self._want_rebuild = False
            # Requests are answered meanwhile, from the last good site: a full build writes into
            # another folder and an update replaces each file whole, so no one reads a half page.
            try:
                outcome = self.preview.update(Path(p) for p in changed)
            except Exception as exc:  # a bug must not stop the preview
                log.exception(f"update failed: {exc}")
                outcome = None
            self._publish(outcome is not None and outcome.shown)
            if outcome is not None and outcome.deferred:
                # Browsers reload on the signal: let them fetch the edited page before the pages that
                # gather it take the interpreter (this process's threads answer the requests too).
                time.sleep(FOLLOW_DELAY)
                try:
                    self._publish(self.preview.finish().shown)
                except Exception as exc:
                    log.exception(f"update failed: {exc}")

    def _publish(self, shown: bool) -> None:
        """Serve the preview's current folder; if the site changed, tell the browsers to reload."""
        with self._epoch_cond:
            self.root = str(self.preview.site_dir)
            if shown:
                self._visible_epoch = self._wanted_epoch = round(time.monotonic() * 1000)  # as the server counts
                self._epoch_cond.notify_all()

    def _error_page(self, code: int) -> bytes | None:
        page = Path(self.root) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None
