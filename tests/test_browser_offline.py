"""No request leaves the site: no web fonts, scripts or images from other hosts, Mermaid included."""

from __future__ import annotations

import socket

from browser import browser, serve

SOP_WITH_FLOW = """
---
title: Escalate a ticket
department: Support
purpose: Get hard cases to the right person.
---

1. Check the ticket.
2. Follow the chart:

```mermaid
flowchart TD
    A[Customer upset] --> B{Refund over limit?}
    B -->|yes| C[Ask a manager]
    B -->|no| D[Refund]
```
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_pages_load_without_any_third_party_request_and_mermaid_renders(project):
    port = _free_port()
    # The site's own address is its site_url, as in production: absolute links stay on the site.
    project.config(
        languages=["en", "sl"],
        variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}},
    )
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("https://help.example.test/", f"http://127.0.0.1:{port}/public/"))
    project.write("content/sop/support/escalate.md", SOP_WITH_FLOW)
    assert project.build().exit_code == 0
    site = project.root / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in (site / "public").rglob("*.html"))
    pages.append("internal/sop/support/escalate/index.html")
    with serve(site, port=port) as base, browser() as chromium:
        page = chromium.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        for rel in pages:
            page.goto(f"{base}/{rel}", wait_until="networkidle")
        # The theme draws the chart into a closed shadow root: a drawn chart has a real height.
        page.wait_for_function("() => document.querySelector('.mermaid').getBoundingClientRect().height > 150")
    outside = [url for url in requests if not url.startswith((base, "data:", "blob:"))]
    assert not outside, outside
    assert any(url.endswith("assets/cxdocs/vendor/mermaid.min.js") for url in requests)
