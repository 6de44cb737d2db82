"""Asking other sites whether the pages a knowledge base links to are still there (``cxdocs check --external``)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

GONE = {404, 410}
"""Statuses that say the page is gone for good: an error. Any other failure may pass (a site that
refuses robots, a server down for an hour): a warning, which ``--strict`` turns into a failure."""


def fetch_statuses(urls: list[str], timeout: float, workers: int = 8) -> dict[str, tuple[str | None, str]]:
    """For each URL: (what is wrong, or None; ``error`` or ``warning``)."""
    headers = {"User-Agent": "cxdocs-link-check (+https://pypi.org/project/cxdocs/)"}
    with httpx.Client(timeout=timeout, follow_redirects=True, headers=headers) as client:

        def ask(url: str) -> tuple[str | None, str]:
            try:
                status = client.head(url).status_code
                if status >= 400 and status not in GONE:
                    # Some servers answer HEAD with 403 or 405 but serve GET: ask again, without the body.
                    with client.stream("GET", url) as response:
                        status = response.status_code
            except httpx.TimeoutException:
                return f"did not answer within {timeout:g} s", "warning"
            except httpx.HTTPError as exc:
                return f"could not be reached ({type(exc).__name__}: {exc})", "warning"
            if status in GONE:
                return f"is broken: the server answers HTTP {status}", "error"
            if status >= 400:
                return f"answers HTTP {status}", "warning"
            return None, ""

        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls)))) as pool:
            return dict(zip(urls, pool.map(ask, urls)))
