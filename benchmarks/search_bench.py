#!/usr/bin/env python3
"""Search in a reader's browser: Pagefind (search: pagefind, the default) against the theme's lunr
search (search: lunr), on generated corpora, in Chromium.

    python3 benchmarks/search_bench.py --pages 1000,10000 --languages en,sl,ru,el --json results.json

For each corpus size and engine, the public sites of the languages are built with cxdocs (timed),
then for each language a reader opens a FAQ page and types a query as soon as the page is ready.
Measured until the first result shows in the search box:

- bytes the browser downloaded (all of them, and those of search: index, scripts, language files),
  as a static host sends them: HTML, CSS, JS and JSON gzip-compressed when the browser asks for it,
  Pagefind's index files as they are (already compressed);
- time from the start of navigation, on the local machine, and through a modelled connection
  (``--throttle``, default 10 Mbit/s shared by all requests and 40 ms per request);
- the index on disk per language.

The browser keeps no cache between runs (a new context each time: a first visit). Each measurement
is repeated (``--repeat``); medians are reported. Tables go to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate_corpus  # noqa: E402
import run as build_runs  # noqa: E402

CHROMIUM = os.environ.get("CXDOCS_CHROMIUM", "/usr/bin/chromium")
COMPRESSED_TYPES = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt")
SEARCH_PATHS = ("/pagefind/", "/search/search_index.json", "/assets/javascripts/workers/", "/assets/javascripts/lunr/",
                "/assets/cxdocs/search.js")
FIRST_RESULT = """(() => {
  window.__cx_first = null;
  new MutationObserver((changes, observer) => {
    if (document.querySelector(".md-search-result__item")) { window.__cx_first = performance.now(); observer.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
})();"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------- the host


class Link:
    """A modelled connection: every request waits ``latency`` s, and all bytes share one bandwidth."""

    def __init__(self, mbit: float | None, latency_ms: float):
        self.rate = mbit * 1e6 / 8 if mbit else None
        self.latency = latency_ms / 1000 if mbit else 0.0
        self.lock = threading.Lock()
        self.free_at = 0.0

    def send(self, out, data: bytes) -> None:
        time.sleep(self.latency)
        chunk = 16384
        for start in range(0, len(data), chunk):
            piece = data[start : start + chunk]
            if self.rate:
                with self.lock:
                    now = time.monotonic()
                    self.free_at = max(self.free_at, now) + len(piece) / self.rate
                    wait = self.free_at - now
                time.sleep(max(0.0, wait))
            out.write(piece)


class Host:
    """A static host on 127.0.0.1: gzip for text files when asked (as GitHub Pages or Netlify do),
    every response logged with its size on the wire and the time it was sent."""

    def __init__(self, root: Path):
        self.root = root
        self.link = Link(None, 0)
        self.sent: list[tuple[float, str, int]] = []
        self.cache: dict[Path, bytes] = {}
        host = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?", 1)[0].split("#", 1)[0]
                file = Path(self.translate_path(path))
                if file.is_dir():
                    file = file / "index.html"
                if not file.is_file():
                    self.send_error(404)
                    return
                data = file.read_bytes()
                encoding = None
                if file.suffix in COMPRESSED_TYPES and "gzip" in self.headers.get("Accept-Encoding", ""):
                    if file not in host.cache:
                        host.cache[file] = gzip.compress(data, 6)
                    data, encoding = host.cache[file], "gzip"
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(file)))
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                if encoding:
                    self.send_header("Content-Encoding", encoding)
                self.end_headers()
                host.link.send(self.wfile, data)
                host.sent.append((time.monotonic(), path, len(data)))

        Handler.extensions_map = {**Handler.extensions_map, ".js": "text/javascript", ".wasm": "application/wasm",
                                  ".pagefind": "application/wasm"}
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=str(root)))
        self.base = f"http://127.0.0.1:{port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------------------------- building


def project_for(corpus: Path, out: Path, engine: str) -> Path:
    """The corpus with ``search: ENGINE`` (its content linked file by file, not copied)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    subprocess.run(["cp", "-al", str(corpus / "content"), str(out / "content")], check=True)
    config = yaml.safe_load((corpus / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p["cxdocs"] for p in config["plugins"] if isinstance(p, dict) and "cxdocs" in p)
    options["search"] = engine
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def build(project: Path, languages: list[str], timeout: float) -> dict:
    command = [sys.executable, "-m", "cxdocs.app.cli", "build"] + [a for lang in languages for a in ("--target", f"public:{lang}")]
    env = {**os.environ, "CI": "1", "NO_MKDOCS_2_WARNING": "1"}
    done = build_runs.run_child(command, project, timeout, env)
    if done["rc"] != 0:
        raise SystemExit(f"build failed in {project}:\n{done['stderr'][-3000:]}")
    return {k: done[k] for k in ("wall", "user", "sys", "peak_mib", "peak_tree_mib")}


def index_bytes(site: Path, engine: str) -> dict:
    """The index on disk: all its files, and (lunr) gzip-compressed as a host sends it."""
    if engine == "pagefind":
        files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
        return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}
    data = (site / "search" / "search_index.json").read_bytes()
    return {"files": 1, "bytes": len(data), "gzip_bytes": len(gzip.compress(data, 6))}


def query_for(corpus: Path, lang: str, default: str) -> tuple[str, str]:
    """A word from the title of a translated FAQ page, and that page's title: a query with a known answer."""
    suffix = "" if lang == default else f".{lang}"
    for source in sorted((corpus / "content" / "faq").rglob("*.md")):
        if source.name.count(".") != 1 or source.name == "index.md":
            continue
        page = source.with_name(source.stem + suffix + ".md")
        if not page.is_file():
            continue
        title = yaml.safe_load(page.read_text(encoding="utf-8").split("---")[1])["title"]
        words = [w for w in re.findall(r"[^\W\d_]+", title) if len(w) >= 5]
        if words:
            return max(words, key=len).lower(), title
    raise SystemExit(f"no translated FAQ page in {lang}")


# --------------------------------------------------------------------------------------------- the browser


def first_result(chromium, host: Host, url: str, query: str, timeout: float) -> dict:
    """Open ``url`` in a new browser context, type ``query`` once the box is there, wait for a result."""
    context = chromium.new_context(service_workers="block")
    context.add_init_script(FIRST_RESULT)
    page = context.new_page()
    host.sent.clear()
    started = time.monotonic()
    page.goto(url, wait_until="domcontentloaded", timeout=timeout * 1000)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    deadline = time.monotonic() + timeout
    found = None
    while time.monotonic() < deadline:
        found = page.evaluate("() => window.__cx_first")
        if found is not None:
            break
        # The theme's own search reads the box on keyup and answers only once its index is ready:
        # a reader would type on; so does this reader, every 100 ms.
        box.dispatch_event("keyup")
        page.wait_for_timeout(100)
    if found is None:
        context.close()
        raise RuntimeError(f"no result for {query!r} on {url} within {timeout} s")
    until = started + found / 1000 + 0.05
    sent = [(path, size) for at, path, size in host.sent if at <= until]
    context.close()
    return {
        "ms": found,
        "bytes": sum(size for _, size in sent),
        "search_bytes": sum(size for path, size in sent if any(p in path for p in SEARCH_PATHS)),
        "requests": len(sent),
    }


def measure_language(chromium, site: Path, page_url: str, query: str, repeat: int, links: dict, timeout: float) -> dict:
    host = Host(site)
    out = {}
    try:
        for name, link in links.items():
            host.link = link
            runs = [first_result(chromium, host, host.base + page_url, query, timeout) for _ in range(repeat)]
            out[name] = {k: statistics.median(r[k] for r in runs) for k in runs[0]} | {"runs": runs}
    finally:
        host.close()
    return out


def faq_page(site: Path) -> str:
    """A FAQ page of the site (the reader searches from it)."""
    for page in sorted((site / "faq").rglob("index.html")):
        if page.parent.parent.parent == site / "faq":
            return "/" + page.parent.relative_to(site).as_posix() + "/"
    raise SystemExit(f"no FAQ page in {site}")


# --------------------------------------------------------------------------------------------- tables


def table(results: list[dict], links: list[str]) -> str:
    lines = []
    for size in results:
        lines.append(f"\n### {size['pages']:,} corpus pages ({size['public_pages']:,} public pages per language)\n")
        header = "| engine | language | query | index on disk | build s (CPU s) | " + " | ".join(
            f"bytes before 1st result, {name} (search) | ms to 1st result, {name}" for name in links) + " |"
        lines += [header, "|" + "---|" * (5 + 2 * len(links))]
        for engine, data in size["engines"].items():
            for lang, m in data["languages"].items():
                idx = m["index"]
                disk = f"{idx['bytes'] / 1e6:.1f} MB" + (f" ({idx['gzip_bytes'] / 1e6:.1f} MB gzip)" if "gzip_bytes" in idx else
                                                         f" in {idx['files']:,} files")
                cells = [engine, lang, m["query"], disk,
                         f"{data['build']['wall']:.0f} ({data['build']['user'] + data['build']['sys']:.0f})"]
                for name in links:
                    r = m["browser"][name]
                    cells += [f"{r['bytes'] / 1e3:,.0f} KB ({r['search_bytes'] / 1e3:,.0f} KB)", f"{r['ms']:,.0f}"]
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="1000", help="corpus sizes, comma-separated (default 1000)")
    parser.add_argument("--languages", default="en,sl,ru,el", help="languages, default first (default en,sl,ru,el)")
    parser.add_argument("--engines", default="pagefind,lunr")
    parser.add_argument("--repeat", type=int, default=3, help="browser runs per measurement; medians reported (default 3)")
    parser.add_argument("--throttle", default="10,40", help="modelled connection: Mbit/s,ms per request (default 10,40; 'off')")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds for one build (default 3600)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/cxdocs-search-bench"))
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    languages = args.languages.split(",")
    links = {"local": Link(None, 0)}
    if args.throttle != "off":
        mbit, latency = (float(x) for x in args.throttle.split(","))
        links[f"{mbit:g} Mbit/s"] = Link(mbit, latency)

    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True)
        for pages in (int(p) for p in args.pages.split(",")):
            corpus = args.workdir / f"corpus-{pages}"
            if not (corpus / "mkdocs.yml").exists():
                log(f"corpus {pages}: generating")
                generate_corpus.generate(corpus, pages, languages)
            size = {"pages": pages, "engines": {}}
            for engine in args.engines.split(","):
                project = project_for(corpus, args.workdir / f"{engine}-{pages}", engine)
                log(f"corpus {pages}, {engine}: building public:{',public:'.join(languages)}")
                built = build(project, languages, args.timeout)
                log(f"  built in {built['wall']:.0f} s")
                data = {"build": built, "languages": {}}
                for lang in languages:
                    site = project / "site" / "public" / ("" if lang == languages[0] else lang)
                    size["public_pages"] = sum(1 for _ in site.glob("faq/**/index.html"))
                    query, title = query_for(corpus, lang, languages[0])
                    log(f"  {lang}: {query!r} from the page {title!r}")
                    prefix = "" if lang == languages[0] else f"/{lang}"
                    measured = measure_language(chromium, project / "site" / "public", prefix + faq_page(site), query,
                                                args.repeat, links, 300)
                    data["languages"][lang] = {"query": query, "index": index_bytes(site, engine), "browser": measured}
                    log("   " + ", ".join(f"{n}: {m['bytes'] / 1e3:,.0f} KB, {m['ms']:,.0f} ms" for n, m in measured.items()))
                size["engines"][engine] = data
                shutil.rmtree(project / "site", ignore_errors=True)
            results.append(size)
            if args.json:
                args.json.write_text(json.dumps({"environment": build_runs.environment(), "args": vars(args) | {
                    "workdir": str(args.workdir), "json": str(args.json)}, "results": results}, indent=1, default=str))
        chromium.close()
    print(table(results, list(links)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
