"""The full build of one generated corpus with two cxdocs source trees, alternating round by round.

    python3 benchmarks/compare_trees.py /path/to/tree-a/src /path/to/tree-b/src --pages 500 --rounds 3

For a change that cannot be switched off by a setting (a deleted module, say): make a git worktree
with the change, and compare its ``src`` with this one's. Each build is ``cxdocs build --no-cache``
of every target, with ``PYTHONPATH`` pointing at the tree measured; the CPU time (user + system of
the build and all its workers) is compared round by round, since on a shared machine the wall
time drifts with whatever else runs, and the two trees of one round drift together.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def timed_build(project: Path, src: str, **environ: str) -> tuple[float, float]:
    """Wall and CPU seconds of ``cxdocs build --no-cache`` in ``project`` with the cxdocs of ``src``
    (and ``environ`` set), after its site is removed."""
    shutil.rmtree(project / "site", ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": src, "CI": "1", "SOURCE_DATE_EPOCH": "1780000000", **environ}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "cxdocs.app.cli", "build", "--no-cache"], cwd=project, env=env,
                            capture_output=True, text=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"the build with {src} {environ or ''} failed:\n{result.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", help="the first tree's src folder")
    parser.add_argument("b", help="the second tree's src folder")
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--languages", default="en,sl,hr,el,ru")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cxdocs-compare-") as work:
        project = Path(work) / "corpus"
        subprocess.run([sys.executable, str(HERE / "generate_corpus.py"), "--pages", str(args.pages),
                        "--languages", args.languages, str(project)], check=True, capture_output=True)
        runs: dict[str, list[tuple[float, float]]] = {args.a: [], args.b: []}
        for round_ in range(args.rounds):
            for src in (args.a, args.b):
                runs[src].append(timed_build(project, src))
                wall, cpu = runs[src][-1]
                print(f"round {round_ + 1}: {src}: wall {wall:.1f} s, cpu {cpu:.1f} s", file=sys.stderr, flush=True)
    for src in (args.a, args.b):
        print(f"{src}: median wall {statistics.median(w for w, _ in runs[src]):.1f} s, "
              f"median cpu {statistics.median(c for _, c in runs[src]):.1f} s")
    ratios = [b / a for (_, a), (_, b) in zip(runs[args.a], runs[args.b])]
    print("cpu of b / cpu of a, per round:", " ".join(f"{r:.3f}" for r in ratios), f"(median {statistics.median(ratios):.3f})")


if __name__ == "__main__":
    main()
