"""Talking to a helpdesk's REST API for ``cxdocs push``: HTTPS only, rate limits honoured, 5xx retried.

Every request goes through :class:`Http`: a ``429`` waits as long as the helpdesk's retry header
says (``Retry-After``, or Help Scout's ``X-RateLimit-Retry-After``), a ``5xx`` or a dropped
connection is retried with a growing pause, and any other refusal (``401``, ``403``, ``422``...)
stops the push with an error that names the response and quotes what the helpdesk said.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from cxdocs.core.errors import CxdocsError

TEST_BASE_URL = "CXDOCS_PUSH_BASE_URL"
"""Sends every request to a local test server instead of the helpdesk: only ``http://127.0.0.1:PORT``."""
RETRIES_5XX = 5
RETRIES_429 = 10
BACKOFF = 0.5
MAX_WAIT = 300.0


class PushError(CxdocsError):
    """A helpdesk refused a request: what was asked, the status, and the helpdesk's own words."""


def base_url(default: str, helpdesk: str, environ: Mapping[str, str] = os.environ) -> str:
    """``default`` (an ``https://`` URL built from the account's settings), or the local test server.

    Credentials travel in every request, so nothing but HTTPS is accepted, except the loopback
    address of a test server on this machine, named explicitly in ``CXDOCS_PUSH_BASE_URL``.
    """
    override = environ.get(TEST_BASE_URL, "").strip()
    if override:
        url = httpx.URL(override)
        if url.scheme != "http" or url.host != "127.0.0.1" or url.userinfo or url.path not in ("", "/") or url.query:
            raise CxdocsError(
                f"{TEST_BASE_URL}={override!r}: only a local test server (http://127.0.0.1:PORT) may replace "
                f"{helpdesk}'s address; unset it to push to {helpdesk}"
            )
        return f"http://127.0.0.1:{url.port or 80}"
    url = httpx.URL(default)
    if url.scheme != "https" or not url.host:
        raise CxdocsError(f"{helpdesk}'s address must be an https:// URL, not {default!r}")
    return default.rstrip("/")


def require(environ: Mapping[str, str], helpdesk: str, *names: str) -> list[str]:
    """The values of environment variables a push needs, or an error naming every one missing."""
    missing = [n for n in names if not environ.get(n, "").strip()]
    if missing:
        raise CxdocsError(
            f"cxdocs push needs {', '.join(missing)} in the environment to reach {helpdesk} "
            "(credentials never come from the repository; see README, 'Pushing to a helpdesk')"
        )
    return [environ[n].strip() for n in names]


class Http:
    """One helpdesk's API: a base URL, its authentication, and how it asks clients to slow down."""

    def __init__(
        self,
        helpdesk: str,
        base: str,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        retry_header: str = "Retry-After",
        message: Callable[[httpx.Response], str] | None = None,
        report: Callable[[str], None] = lambda line: None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.helpdesk = helpdesk
        self.base = base
        self.retry_header = retry_header
        self.message = message or helpdesk_message
        self.report = report
        self.sleep = sleep
        # No redirects: a redirect could carry the credentials to another address.
        self.client = httpx.Client(base_url=base, headers=dict(headers or {}), auth=auth, timeout=60.0, follow_redirects=False)

    def close(self) -> None:
        self.client.close()

    def request(
        self, method: str, path: str, what: str, *, allow: tuple[int, ...] = (), **kwargs: Any
    ) -> httpx.Response:
        """Send one request until it succeeds; a status in ``allow`` is returned to the caller too."""
        if path.startswith(("http://", "https://")) and not path.startswith(self.base + "/"):
            raise PushError(f"{self.helpdesk} pointed {what} to another address ({path}); not following it")
        failures = limited = 0
        while True:
            try:
                response = self.client.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                failures += 1
                if failures > RETRIES_5XX:
                    raise PushError(f"{self.helpdesk} could not be reached for {what}: {exc}") from None
                self._pause(BACKOFF * 2 ** (failures - 1), f"{self.helpdesk} could not be reached ({exc})")
                continue
            status = response.status_code
            if status < 300 or status in allow:
                return response
            if status == 429:
                limited += 1
                if limited > RETRIES_429:
                    raise PushError(f"{self.helpdesk} kept refusing {what} for too many requests (429)")
                self._pause(self._retry_after(response, limited), f"{self.helpdesk} asked to slow down (429)")
                continue
            if status >= 500:
                failures += 1
                if failures <= RETRIES_5XX:
                    self._pause(BACKOFF * 2 ** (failures - 1), f"{self.helpdesk} answered {status}")
                    continue
            raise PushError(f"{self.helpdesk} refused {what}: {status} {response.reason_phrase}: {self.message(response)}")

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        for header in (self.retry_header, "Retry-After"):
            value = response.headers.get(header, "").strip()
            if value:
                try:
                    return min(max(float(value), 0.0), MAX_WAIT)
                except ValueError:
                    break
        return min(BACKOFF * 2**attempt, MAX_WAIT)

    def _pause(self, seconds: float, why: str) -> None:
        self.report(f"{why}: waiting {seconds:g} s")
        self.sleep(seconds)


def helpdesk_message(response: httpx.Response, parts_of: Callable[[dict], list[str]] | None = None) -> str:
    """The helpdesk's own words: ``parts_of`` the JSON object it answered (its message, its errors
    per field), else the body as text: a 429 or a gateway's page may be plain text, a proxy's JSON a list."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or "(no message)"
    if not isinstance(body, dict):
        return str(body)[:300]
    parts = (parts_of or _message_parts)(body)
    return "; ".join(part for part in parts if part) or str(body)[:300]


def _message_parts(body: dict) -> list[str]:
    return [next((body[key] for key in ("message", "description", "error") if isinstance(body.get(key), str)), "")]
