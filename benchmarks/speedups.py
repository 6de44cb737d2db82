"""What each speed-up saves: the full build of a generated corpus with all speed-ups on, and with
each one off in turn (``CXDOCS_SPEEDUPS_OFF``), in alternating rounds.

    python3 benchmarks/speedups.py --pages 1000 --languages en,sl,hr,el,ru --rounds 3

Prints, per variant, the median wall time and CPU time (user + system of every process of the
build) and what turning the speed-up off costs against all on, as a share of the build; the rule
the project keeps is that a speed-up saving less than 3% of a full build is deleted. With ``--json``
the raw runs are written too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from compare_trees import timed_build  # noqa: E402

from cxdocs.adapters.mkdocs.speedups import SPEEDUPS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--languages", default="en,sl,hr,el,ru")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default=",".join(n for n in SPEEDUPS if n not in ("pagebuild", "live_reload")),
                        help="speed-ups to turn off one at a time (serve's are not used by a build)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    variants = ["", *args.only.split(",")]
    with tempfile.TemporaryDirectory(prefix="cxdocs-speedups-") as work:
        project = Path(work) / "corpus"
        subprocess.run([sys.executable, str(HERE / "generate_corpus.py"), "--pages", str(args.pages),
                        "--languages", args.languages, str(project)], check=True, capture_output=True)
        runs: dict[str, list[tuple[float, float]]] = {v: [] for v in variants}
        for round_ in range(args.rounds):
            for variant in variants:
                runs[variant].append(timed_build(project, str(HERE.parent / "src"), CXDOCS_SPEEDUPS_OFF=variant))
                wall, cpu = runs[variant][-1]
                print(f"round {round_ + 1}: {variant or 'all on':<16} wall {wall:6.1f} s  cpu {cpu:6.1f} s", file=sys.stderr)
    base_wall = statistics.median(w for w, _ in runs[""])
    base_cpu = statistics.median(c for _, c in runs[""])
    print(f"full build, {args.pages} pages x {len(args.languages.split(','))} languages, median of {args.rounds} rounds")
    print(f"{'variant':<20}{'wall s':>9}{'cpu s':>9}{'saves (wall)':>14}{'saves (cpu)':>13}")
    for variant in variants:
        wall = statistics.median(w for w, _ in runs[variant])
        cpu = statistics.median(c for _, c in runs[variant])
        name = "all on" if not variant else f"{variant} off"
        saved = "" if not variant else f"{(wall - base_wall) / wall:>13.1%} {(cpu - base_cpu) / cpu:>12.1%}"
        print(f"{name:<20}{wall:>9.1f}{cpu:>9.1f} {saved}")
    if args.json:
        args.json.write_text(json.dumps({"pages": args.pages, "languages": args.languages, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
