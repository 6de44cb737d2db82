#!/usr/bin/env python3
"""How long `cxdocs serve` takes to show an edit, on a generated corpus.

    python3 benchmarks/serve_latency.py --pages 2000 --edits 12

Generates a corpus (benchmarks/generate_corpus.py), starts `cxdocs serve` on a free port for each
audience and then, one edit at a time, appends a new word to a paragraph of a page, or to a
question of a FAQ page (which changes the topic's listing and maybe the home page too). Edits go
round FAQ answer, SOP, response and FAQ question for the handbook, FAQ answer and FAQ question
for the public site. It then does what a browser showing the page does: waits on the live-reload
request until the server says the site changed, and loads the page, until the word is there. The
latency runs from just before the file is written until the served HTML holds the word: file
watching, the update, the reload signal and the page request included. It reports the median, the
fastest and the slowest edit, what the server said the update took, and the CPU time the server
process used per edit (from /proc, which other load on a shared machine inflates less than wall
time). Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_corpus  # noqa: E402
import run  # noqa: E402  (snapshot_code, cpu_busy, environment)

UPDATED = re.compile(r": \d+ file\(s\) updated in ([\d.]+) s")
FOLLOWED = re.compile(r"^[^:]+: updated in ([\d.]+) s$")
"""The server's line for the pages that gather the edited one (listing, home, printable), rendered next."""
CLOCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class Server:
    """`cxdocs serve` in a child process, its stderr collected line by line."""

    def __init__(self, corpus: Path, audience: str, env: dict, timeout: float):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cxdocs.app.cli", "serve", "--audience", audience, "-a", f"127.0.0.1:{port}"],
            cwd=corpus, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
        )
        threading.Thread(target=self._read, daemon=True).start()
        self.wait_for("Serving on", 1, timeout)
        self.startup = time.perf_counter() - started

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while sum(text in line for line in self.lines) < count:
            if self.proc.poll() is not None:
                raise RuntimeError("the server stopped:\n" + "\n".join(self.lines[-20:]))
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {text!r} after {timeout:.0f} s:\n" + "\n".join(self.lines[-20:]))
            time.sleep(0.05)

    def get(self, path: str) -> str:
        with urllib.request.urlopen(f"{self.base}/{path}", timeout=60) as response:
            return response.read().decode("utf-8", "replace")

    def epoch(self, path: str) -> int:
        """The site version a page was served at (MkDocs puts it into the live-reload script)."""
        return int(re.search(r"livereload\((\d+), \d+\)", self.get(path)).group(1))

    def reloaded(self, epoch: int) -> int:
        """Wait as the browser's live-reload script does: the server answers once the site changed."""
        with urllib.request.urlopen(f"{self.base}/livereload/{epoch}/1", timeout=120) as response:
            return int(response.read())

    def cpu(self) -> float:
        """CPU seconds (user + system) the server process has used so far."""
        with open(f"/proc/{self.proc.pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK

    def wait_idle(self, quiet: float = 0.4, timeout: float = 60) -> None:
        """Until the server has used (almost) no CPU for ``quiet`` seconds: a deferred update is done."""
        deadline = time.monotonic() + timeout
        before = self.cpu()
        while time.monotonic() < deadline:
            time.sleep(quiet)
            now = self.cpu()
            if now - before < 0.03:
                return
            before = now

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


EDITS = {
    "internal": [("faq", "answer"), ("sop", "text"), ("responses", "text"), ("faq", "question")],
    "public": [("faq", "answer"), ("faq", "question")],
}


def edit_targets(corpus: Path, audience: str, count: int) -> list[tuple[Path, str]]:
    """(page, what to edit) in turn, spread over the corpus."""
    content = corpus / "content"
    pools = {
        folder: sorted(p for p in (content / folder).rglob("*.md") if p.name != "index.md" and p.name.count(".") == 1)
        for folder, _ in EDITS[audience]
    }
    picked = []
    for number in range(count):
        folder, part = EDITS[audience][number % len(EDITS[audience])]
        picked.append((pools[folder][(number * 37) % len(pools[folder])], part))
    return picked


def url_of(corpus: Path, page: Path) -> str:
    return page.relative_to(corpus / "content").as_posix()[: -len(".md")] + "/"


def add_word(page: Path, word: str, part: str) -> None:
    """Append a word to the first paragraph line of the body, or to its first question (``## ``)."""
    lines = page.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1) if lines[0] == "---" else -1
    for number in range(end + 1, len(lines)):
        if lines[number].startswith("## ") if part == "question" else lines[number][:1].isalpha():
            lines[number] = lines[number].rstrip("?") + f" {word}" + ("?" if part == "question" else "")
            page.write_text("\n".join(lines), encoding="utf-8")
            return
    raise ValueError(f"no {part} to edit in {page}")


def measure(corpus: Path, audience: str, edits: int, env: dict, timeout: float) -> dict:
    run.log(f"{audience}: starting cxdocs serve (first full build)")
    server = Server(corpus, audience, env, timeout)
    run.log(f"{audience}: serving after {server.startup:.1f} s")
    results = []
    try:
        for number, (page, part) in enumerate(edit_targets(corpus, audience, edits), start=1):
            server.wait_idle()
            busy = run.cpu_busy(0.5)
            url, word = url_of(corpus, page), f"Servelatencymark{number}x{os.getpid()}"
            reported = len([line for line in server.lines if UPDATED.search(line)])
            seen = len(server.lines)
            epoch = server.epoch(url)
            cpu = server.cpu()
            started = time.perf_counter()
            add_word(page, word, part)
            while word not in server.get(url):
                if time.perf_counter() - started > timeout:
                    raise RuntimeError(f"{url} never showed the edit:\n" + "\n".join(server.lines[-20:]))
                epoch = server.reloaded(epoch)
            latency = time.perf_counter() - started
            cpu_used = server.cpu() - cpu
            deadline = time.monotonic() + 10
            while len(updates := UPDATED.findall("\n".join(server.lines))) <= reported and time.monotonic() < deadline:
                time.sleep(0.02)  # the server logs the update just after it is served
            update = float(updates[-1]) if len(updates) > reported else float("nan")
            kind = f"{page.relative_to(corpus / 'content').parts[0]} {part}"
            server.wait_idle()
            followed = [float(m.group(1)) for line in server.lines[seen:] if (m := FOLLOWED.match(line))]
            results.append({"page": url, "kind": kind, "latency": latency, "update": update, "cpu": cpu_used,
                            "followed": followed[-1] if followed else None, "busy_before": busy})
            then = f"; gathering pages {followed[-1]:.2f} s more" if followed else ""
            run.log(f"  {audience} edit {number}/{edits} ({kind}) {url}: shown after {latency:.3f} s "
                    f"(update {update:.3f} s, server CPU {cpu_used:.2f} s{then}; CPUs busy before: {busy:.0%})")
        full_rebuilds = sum("full rebuild" in line for line in server.lines)
    finally:
        server.stop()
    pages = next((int(m.group(1)) for line in server.lines if (m := re.search(r"built \S+: (\d+) pages", line))), None)
    return {"audience": audience, "pages": pages, "startup": server.startup, "edits": results,
            "full_rebuilds": full_rebuilds}


def summary(edits: list[dict]) -> dict:
    return {
        "edits": len(edits),
        "median": statistics.median(r["latency"] for r in edits),
        "min": min(r["latency"] for r in edits),
        "max": max(r["latency"] for r in edits),
        "median_update": statistics.median(r["update"] for r in edits),
        "median_cpu": statistics.median(r["cpu"] for r in edits),
        "followed": [r["followed"] for r in edits if r.get("followed") is not None],
    }


def table(results: list[dict], args) -> str:
    lines = [
        f"`cxdocs serve`, {args.pages}-page corpus ({', '.join(args.languages)}), {args.edits} edits per audience:",
        "",
        "| audience | pages served | first build s | edits | edit shown: median s | fastest s | slowest s "
        "| update (server) median s | server CPU per edit median s | then gathering pages (server) median s "
        "| full rebuilds |",
        "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        kinds = sorted({e["kind"] for e in r["edits"]})
        for label, edits in [("all", r["edits"])] + [(k, [e for e in r["edits"] if e["kind"] == k]) for k in kinds]:
            m = summary(edits)
            first = (f"| {r['audience']} | {r['pages']} | {r['startup']:.1f}" if label == "all" else "| | |")
            followed = f"{statistics.median(m['followed']):.2f} ({len(m['followed'])})" if m["followed"] else "-"
            lines.append(
                f"{first} | {label}: {m['edits']} | {m['median']:.3f} | {m['min']:.3f} | {m['max']:.3f} "
                f"| {m['median_update']:.3f} | {m['median_cpu']:.2f} | {followed} "
                f"| {r['full_rebuilds'] if label == 'all' else ''} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="See benchmarks/README.md.")
    parser.add_argument("--pages", type=int, default=2000, help="corpus size: pages in the default language (default 2000)")
    parser.add_argument("--languages", default="en", help="comma-separated languages, default first (default en)")
    parser.add_argument("--audiences", default="internal,public", help="audiences to serve, in turn (default internal,public)")
    parser.add_argument("--edits", type=int, default=9, help="edits per audience; the median is reported (default 9)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for the first build or an edit")
    parser.add_argument("--workdir", type=Path, help="where the corpus goes (default: a temporary folder, removed afterwards)")
    parser.add_argument("--cxdocs-ref", metavar="REF", help="measure cxdocs as of a git revision or WORKTREE (see run.py)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    args.languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    audiences = [a.strip() for a in args.audiences.split(",") if a.strip()]
    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="cxdocs-serve-bench-")) if temporary else args.workdir.resolve()
    env = {**os.environ, "CI": "1", "NO_MKDOCS_2_WARNING": "1"}
    try:
        if args.cxdocs_ref:
            code = run.snapshot_code(args.cxdocs_ref, workdir)
            env["PYTHONPATH"] = os.pathsep.join([str(code), *filter(None, [os.environ.get("PYTHONPATH")])])
        results = []
        for audience in audiences:
            corpus = workdir / f"corpus-{audience}"  # a fresh corpus each: the edits stay in it
            run.log(f"generating a {args.pages}-page corpus in {corpus}")
            generate_corpus.generate(corpus, args.pages, args.languages, seed=args.seed, force=True)
            results.append(measure(corpus, audience, args.edits, env, args.timeout))
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(results, args))
    if args.json:
        data = {"environment": run.environment(), "settings": {k: str(v) for k, v in vars(args).items()}, "results": results}
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
