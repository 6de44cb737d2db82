"""``cxdocs serve``: a live preview of one target that shows an edit in a fraction of a second.

MkDocs' own server (``mkdocs.livereload``) serves the files and reloads the browsers; what it runs
on a change is ours. MkDocs rebuilds the whole site; cxdocs gives the server the changed paths and
lets :class:`cxdocs.adapters.mkdocs.preview.Preview` decide between a one-page update and a full build.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import watchdog.events
import watchdog.observers
import watchdog.observers.polling
from mkdocs.livereload import LiveReloadServer

from cxdocs.adapters.mkdocs.build import load_mkdocs
from cxdocs.adapters.mkdocs.preview import Preview, Report
from cxdocs.core.errors import CxdocsError
from cxdocs.outputs.folders import staging

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
    """MkDocs' live-reload server, told which files changed, rebuilding through a Preview."""

    def __init__(self, preview: Preview, host: str, port: int, mount_path: str, polling: bool = False):
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


def serve(config_file: Path, audience: str, lang: str | None, dev_addr: str, report: Report, polling: bool = False) -> None:
    """Build the target, serve it on ``dev_addr`` and keep it current until interrupted."""
    config, plugin = load_mkdocs(config_file, dev_addr=dev_addr)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    # Stopped by a signal (a process manager, a test), it still removes its two copies of the site;
    # killed outright, the next `cxdocs serve` removes them (see outputs.folders.staging).
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        with staging(Path(tempfile.gettempdir()), "cxdocs-serve-") as workdir:
            preview = Preview(config_file, audience, lang, _served_at(host, port, mount_path), workdir, report)
            server = PreviewServer(preview, host, port, mount_path, polling=polling)
            try:
                server.claim(_watched(config_file, config, plugin))
            except OSError as exc:
                server.server_close()
                raise _cannot_listen(exc, host, port) from None
            try:
                built = preview.full_build()
                report(f"built {built.target}: {built.state.pages_written} pages")
                server.serve()
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                server.shutdown()
    finally:
        signal.signal(signal.SIGTERM, previous)


def _cannot_listen(exc: OSError, host: str, port: int) -> CxdocsError | OSError:
    """Why the preview cannot listen on ``host:port``, and the option that changes it."""
    other = f"--dev-addr {host}:{port + 1 if port < 65535 else 8000}"
    if exc.errno == errno.EADDRINUSE:
        return CxdocsError(
            f"cannot serve on {host}:{port}: the address is already in use (another cxdocs serve or "
            f"mkdocs serve?); stop that server, or choose another port: cxdocs serve {other}"
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return CxdocsError(
            f"cannot serve on {host}:{port}: not allowed to listen there (ports below 1024 need an "
            f"administrator); choose another port: cxdocs serve --dev-addr {host}:8000"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return CxdocsError(
            f"cannot serve on {host}:{port}: this machine has no address {host}; "
            f"use --dev-addr 127.0.0.1:{port} (this machine only) or --dev-addr 0.0.0.0:{port} (every address)"
        )
    return exc


def _served_at(host: str, port: int, mount_path: str) -> str:
    path = mount_path.strip("/")
    return f"http://{host}:{port}/{path}/" if path else f"http://{host}:{port}/"


def _watched(config_file: Path, config, plugin) -> list[Path]:
    """The content, the configuration, the theme overrides and the project's plugins."""
    paths = [Path(config.docs_dir), config_file, plugin.settings_for(config).plugins_dir]
    if config.theme.custom_dir:
        paths.append(Path(config.theme.custom_dir))
    return [p for p in paths if p is not None and p.exists()]
