"""What Pagefind's input costs: a written target indexed from its pages as written, and from its
pages cut to what Pagefind reads, staged in the temporary folder or in the system's folder in memory.

    python3 benchmarks/pagefind_staging.py SITE/internal/el --lang el --rounds 3 --json out.json

SITE is a target of a site ``cxdocs build`` wrote: a language's folder (the default language's
holds the others' folders: copy it without them first). Each round runs the three
ways in turn (A B C A B C ...). For each: the wall time, this process's CPU time (cutting the pages,
writing and removing them) and Pagefind's (its process, reaped). The bundle is written to a
temporary folder and removed; the site is left as it was.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cxdocs.adapters.mkdocs import pagefind_index, pagefind_input

WAYS = {
    "whole pages": None,
    "cut, in the temporary folder": tempfile.gettempdir(),
    "cut, in memory": str(pagefind_index.MEMORY),
}


def once(site: Path, language: str, place: str | None) -> dict:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu = time.perf_counter(), time.process_time()
    out = Path(tempfile.mkdtemp(prefix="pagefind-bench-out-"))
    staging = Path(tempfile.mkdtemp(prefix="pagefind-bench-in-", dir=place)) if place else None
    try:
        if staging is not None:
            pagefind_input.stage(site, staging, pagefind_index.BUNDLE)
        subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(staging or site), "--output-path", str(out),
             "--exclude-selectors", ", ".join(pagefind_index.EXCLUDED), "--force-language", language, "--silent"],
            check=True,
        )
    finally:
        if staging is not None:
            shutil.rmtree(staging)
        shutil.rmtree(out)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "wall": time.perf_counter() - started,
        "own_cpu": time.process_time() - cpu,
        "pagefind_cpu": (after.ru_utime - children.ru_utime) + (after.ru_stime - children.ru_stime),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path, help="one target's folder of a built site")
    parser.add_argument("--lang", required=True, help="the language Pagefind indexes the pages as")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    ways = {name: place for name, place in WAYS.items() if place is None or Path(place).is_dir()}
    runs: dict[str, list[dict]] = {name: [] for name in ways}
    for _ in range(args.rounds):
        for name, place in ways.items():
            runs[name].append(once(args.site, pagefind_index.index_language(args.lang), place))
    pages = sum(1 for _ in args.site.rglob("*.html"))
    print(f"{args.site}: {pages} HTML files, {args.rounds} rounds, medians\n")
    print("| Pagefind's input | wall s | cutting and staging CPU s | Pagefind CPU s | CPU s in all |")
    print("|---|---:|---:|---:|---:|")
    for name, measured in runs.items():
        med = {key: statistics.median(r[key] for r in measured) for key in ("wall", "own_cpu", "pagefind_cpu")}
        print(f"| {name} | {med['wall']:.2f} | {med['own_cpu']:.2f} | {med['pagefind_cpu']:.2f} | "
              f"{med['own_cpu'] + med['pagefind_cpu']:.2f} |")
    if args.json:
        args.json.write_text(json.dumps({"site": str(args.site), "pages": pages, "runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
