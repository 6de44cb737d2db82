"""No request leaves the site and none fails: a reader's browser, recorded request by request
(workers included), on the customer site and the handbook, served at a host's root and below a
sub-path, in every language."""

from __future__ import annotations

import contextlib
import re

import pytest
from browser import RequestLog, browser, free_port, serve_mounts
from conftest import example_project

LANGS = ["en", "sl", "hr", "el", "ru"]
FALLBACK = "faq/orders-and-shipping/gift-cards/"  # written in English only, below
PUBLIC_PAGES = ["", "faq/returns-and-refunds/", "faq/returns-and-refunds/refunds-and-exchanges/", FALLBACK]
HANDBOOK_PAGES = ["sop/billing/process-refund-request/", "responses/returns/refund-confirmation/", "health/"]
MISSING = "no-such-page/"


@contextlib.contextmanager
def _served(tmp_path, where: str):
    """The example built for its address, served there: yields (public base URL, handbook base URL)."""
    with contextlib.ExitStack() as stack:
        if where == "root":
            ports = free_port(), free_port()
            public, handbook = (f"http://127.0.0.1:{port}/" for port in ports)
        else:
            ports = (free_port(),)
            public, handbook = f"http://127.0.0.1:{ports[0]}/help/", f"http://127.0.0.1:{ports[0]}/handbook/"
        project = example_project(tmp_path, site_url=public, **{"cxdocs.internal_site_url": handbook})
        project.write("content/" + FALLBACK.rstrip("/") + ".md", "---\ntitle: Gift cards\n---\n\n## Do gift cards expire?\n\nNo.\n")
        result = project.build()
        assert result.exit_code == 0, result.output
        site = project.root / "site"
        if where == "root":
            stack.enter_context(serve_mounts({"/": site / "public"}, ports[0]))
            stack.enter_context(serve_mounts({"/": site / "internal"}, ports[1]))
        else:
            stack.enter_context(serve_mounts({"/help/": site / "public", "/handbook/": site / "internal"}, ports[0]))
        yield public, handbook


@pytest.mark.parametrize("where", ["root", "sub-path"])
def test_no_request_leaves_the_site_and_none_fails(tmp_path, where):
    with _served(tmp_path, where) as (public, handbook), browser() as chromium:
        visits = [public + ("" if lang == "en" else f"{lang}/") + page for lang in LANGS for page in PUBLIC_PAGES]
        visits += [public + ("" if lang == "en" else f"{lang}/") + MISSING for lang in LANGS]
        visits += [handbook + page for page in HANDBOOK_PAGES] + [handbook + "sl/" + HANDBOOK_PAGES[0], handbook + MISSING]
        words = {"en": "delivery", "sl": "dostava", "hr": "dostava", "el": "παράδοση", "ru": "доставка"}
        searches = {public + ("" if lang == "en" else f"{lang}/") + PUBLIC_PAGES[2]: words[lang] for lang in LANGS}
        searches[handbook + HANDBOOK_PAGES[0]] = "refund"
        context = chromium.new_context(service_workers="block")
        log = RequestLog(context, public, handbook)
        page = context.new_page()
        for url in visits:
            if url.endswith(MISSING):
                log.expect_status(url, 404)
            page.goto(url, wait_until="networkidle")
            # Styled from its own site, the 404 page below a sub-path too: the theme's stylesheet applies.
            assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky", url
            if url in searches:
                # A reader searches: Pagefind's script, its WebAssembly and index parts load from the site.
                box = page.locator("input.md-search__input")
                box.click()
                box.fill(searches[url])
                page.wait_for_selector(".md-search-result__item")
            if "process-refund-request" in url:
                # Mermaid is bundled: the theme draws the flowchart (into a closed shadow root) from the site's copy.
                page.wait_for_function("() => document.querySelector('.mermaid').getBoundingClientRect().height > 150")
        context.close()
    assert not log.problems, log.problems
    kinds = {kind for kind, _ in log.own()}
    assert {"document", "stylesheet", "script", "fetch"} <= kinds, kinds  # fetch: the search index's parts
    # The switcher's script fetches no sitemap: hreflang alternates are in the sitemaps, not the head.
    assert not [url for _, url in log.own() if url.endswith("sitemap.xml")]
    # Each language's search loads its own index, from the site.
    for base in [public + ("" if lang == "en" else f"{lang}/") for lang in LANGS] + [handbook]:
        assert any(url.startswith(base + "pagefind/fragment/") for _, url in log.own()), base
    assert any(url.endswith("/cxdocs/vendor/mermaid.min.js") for _, url in log.own())
    # One copy of the theme's files per site, the same address in every language, named by content.
    stylesheets = {url for kind, url in log.own() if kind == "stylesheet" and "/stylesheets/main." in url}
    assert len(stylesheets) == 2, stylesheets  # the public site's and the handbook's
    assert all(re.search(r"/(help|handbook)?/?assets/[0-9a-f]{10}/stylesheets/", url) for url in stylesheets)
