"""A real browser (Debian's Chromium, headless) looking at a built site served on localhost."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import socket
import threading
import urllib.parse
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CXDOCS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")


@contextlib.contextmanager
def serve(directory: Path, port: int = 0):
    """Serve a folder on 127.0.0.1 (on a free port unless one is given); yields the base URL."""
    with _serving(functools.partial(_QuietHandler, directory=str(directory)), port) as base:
        yield base


@contextlib.contextmanager
def _serving(handler, port: int):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def serve_mounts(mounts: dict[str, Path], port: int = 0):
    """Serve folders below URL prefixes (``{"/": site, "/help/": other}``) on 127.0.0.1, as a static
    host does: a missing address is answered with the 404 page of its language folder (or of the
    mount), status 404. Yields the base URL (no trailing slash)."""
    ordered = sorted(mounts.items(), key=lambda item: -len(item[0]))

    class Handler(_QuietHandler):
        def _mount(self) -> tuple[str, Path] | None:
            path = self.path.split("?", 1)[0]
            return next(((p, d) for p, d in ordered if path.startswith(p) or path + "/" == p), None)

        def translate_path(self, path: str) -> str:
            mount = self._mount()
            if mount is None:
                return "/nonexistent"
            prefix, folder = mount
            rest = path.split("?", 1)[0].split("#", 1)[0][len(prefix):]
            return str(folder / urllib.parse.unquote(rest))

        def send_error(self, code, message=None, explain=None):
            mount = self._mount()
            if code != 404 or mount is None:
                return super().send_error(code, message, explain)
            prefix, folder = mount
            first = self.path[len(prefix):].split("/", 1)[0]
            page = folder / first / "404.html"
            page = page if first and page.is_file() else folder / "404.html"
            body = page.read_bytes() if page.is_file() else b"not found"
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    with _serving(Handler, port) as base:
        yield base


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RequestLog:
    """Every request a browser context makes, service and dedicated workers included (the
    context's events see them; a page's do not see a service worker's), and what went wrong:
    a request to another host (aborted), a failed request, a redirect or an error status.
    ``expect_status(url, 404)``: the one response that may have that status (a 404 page)."""

    def __init__(self, context, *origins: str):
        self.origins = tuple(origin.rstrip("/") + "/" for origin in origins)
        self.requests: list[tuple[str, str]] = []
        self.problems: list[str] = []
        self.expected: dict[str, int] = {}
        context.on("request", lambda r: self.requests.append((r.resource_type, r.url)))
        context.on("requestfailed", lambda r: self.problems.append(f"failed {r.url}: {r.failure}"))
        context.on("response", self._response)
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith((*self.origins, "data:", "blob:")):
            route.continue_()
        else:
            self.problems.append(f"other host: {url}")
            route.abort()

    def _response(self, response) -> None:
        # A redirect counts too: a page's own links never need one (a slash-less address does).
        if response.status >= 300 and self.expected.get(response.url) != response.status:
            self.problems.append(f"{response.status} {response.url}")

    def expect_status(self, url: str, status: int) -> None:
        self.expected[url] = status

    def own(self) -> list[tuple[str, str]]:
        return [(kind, url) for kind, url in self.requests if url.startswith(self.origins)]


def axe_source() -> Path:
    """axe-core from npm (``npm ci`` at the repository root, as .ci/run does)."""
    path = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
    if not path.is_file():
        pytest.fail("axe-core is not installed: run `npm ci` in the repository root (.ci/run does)")
    return path


def axe(page, **options) -> dict:
    """Run axe-core on the page once it has loaded (its scripts have run: "networkidle" alone can
    come while a large script is still being parsed); returns axe's result (violations, passes, ...)."""
    page.wait_for_function("document.readyState === 'complete'")
    page.add_script_tag(path=str(axe_source()))
    return page.evaluate("options => axe.run(document, options)", {"resultTypes": ["violations"], **options})


ANSWERED = """el => /\\d/.test(el.textContent)
    || el.textContent.trim() === JSON.parse(document.getElementById("__config").textContent).translations["search.result.none"]"""
"""The search box has answered: a count, or the theme's "no matching documents" in the page's language."""


def search(page, base: str, path: str, words: str) -> list[str]:
    """Type into the search box as a person would and return the result items' text.

    Fails unless the search answered (a count, or "no matching documents").
    """
    page.goto(f"{base}/{path}")
    box = page.locator("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    for _ in range(3):
        box.click()
        box.fill("")
        # Typed key by key: the theme's search reacts to keyboard input once its index is loaded.
        box.press_sequentially(words, delay=30)
        # Playwright types a letter of no US key (Cyrillic, Greek, č) without the keyup a keyboard
        # sends, and the theme's own search reads the box on keyup.
        box.dispatch_event("keyup")
        try:
            page.wait_for_function(ANSWERED, arg=meta.element_handle(), timeout=5000)
            break
        except Exception:  # index still loading: type again
            continue
    else:
        pytest.fail(f"search did not answer: {meta.inner_text()!r}")
    return page.locator(".md-search-result__item").all_inner_texts()
