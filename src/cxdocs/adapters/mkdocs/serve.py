"""``cxdocs serve``: a live preview of one target that shows an edit in a fraction of a second.

MkDocs' own server (``mkdocs.livereload``) serves the files and reloads the browsers. With the
speed-up ``live_reload`` (the usual case) cxdocs gives the server the changed paths and lets
:class:`cxdocs.adapters.mkdocs.preview.Preview` decide between a one-page update and a full build;
without it, MkDocs' server runs as it is and every change is a full build.
"""

from __future__ import annotations

import errno
import logging
import signal
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.livereload import LiveReloadServer

from cxdocs.adapters.mkdocs import speedups
from cxdocs.adapters.mkdocs.build import load_mkdocs
from cxdocs.adapters.mkdocs.preview import Preview, Report
from cxdocs.core.errors import CxdocsError
from cxdocs.outputs.folders import staging

log = logging.getLogger("mkdocs.cxdocs.adapters.mkdocs.serve")


def serve(config_file: Path, audience: str, lang: str | None, dev_addr: str, report: Report, polling: bool = False) -> None:
    """Build the target, serve it on ``dev_addr`` and keep it current until interrupted."""
    config, plugin = load_mkdocs(config_file, dev_addr=dev_addr)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    live = speedups.load("live_reload") if plugin.config.speedups else None
    # Stopped by a signal (a process manager, a test), it still removes its two copies of the site;
    # killed outright, the next `cxdocs serve` removes them (see outputs.folders.staging).
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        with staging(Path(tempfile.gettempdir()), "cxdocs-serve-") as workdir:
            preview = Preview(config_file, audience, lang, _served_at(host, port, mount_path), workdir, report)
            watched = _watched(config_file, config, plugin)
            if live is not None:
                _serve_updating(live.PreviewServer(preview, host, port, mount_path, polling=polling), host, port, watched, report)
            else:
                _serve_rebuilding(preview, host, port, mount_path, watched, report)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve_updating(server, host: str, port: int, watched: list[Path], report: Report) -> None:
    """Edits shown by one-page updates (the speed-up through the live-reload server's internals)."""
    try:
        server.claim(watched)
    except OSError as exc:
        server.server_close()
        raise _cannot_listen(exc, host, port) from None
    try:
        built = server.preview.full_build()
        report(f"built {built.target}: {built.state.pages_written} pages")
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()


def _serve_rebuilding(preview: Preview, host: str, port: int, mount_path: str, watched: list[Path], report: Report) -> None:
    """MkDocs' live-reload server as it is: every change is a full build, into the folder not served."""

    def rebuild() -> None:
        try:
            built = preview.full_build()
        except CxdocsError as exc:
            for line in str(exc).splitlines():
                report(line)
            report("the preview still shows the last good build")
            return
        server.root = str(built.site_dir)
        report(f"built {built.target}: {built.state.pages_written} pages")

    built = preview.full_build()
    report(f"built {built.target}: {built.state.pages_written} pages")
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(built.site_dir), mount_path=mount_path)
    for path in watched:
        server.watch(str(path))
    try:
        server.serve()
    except OSError as exc:
        raise _cannot_listen(exc, host, port) from None
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()


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
