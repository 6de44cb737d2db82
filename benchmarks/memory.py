#!/usr/bin/env python3
"""Where a build's memory is, over time: the build process, its target workers, Pagefind.

    cd CORPUS && python3 /path/to/benchmarks/memory.py --json memory.json -- cxdocs build --no-cache

Runs the command and samples, every half second, the proportional set size (``Pss`` in
/proc/<pid>/smaps_rollup: memory shared by several processes counted once, split between them)
of every process in its tree, grouped by role: the command itself ("build"), the processes it
forked to build targets ("workers"), and Pagefind ("pagefind", any process whose command line
names it). Reported: the peak of the sum and what each role held at that moment, each role's own
peak, and each process's peak resident and private sizes. Linux only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run

FIELDS = ("Rss", "Pss", "Private_Dirty")


def rollup(pid: int) -> dict[str, int] | None:
    """The process's sizes in MiB, or None once it has ended."""
    sizes = run.rollup(pid)
    return None if sizes is None else {name: sizes.get(name, 0) // 1024 for name in FIELDS}


def role(pid: int, root: int) -> str:
    if pid == root:
        return "build"
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            command = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return "ended"
    return "pagefind" if "pagefind" in command else "workers"


def watch(command: list[str], interval: float = 0.5) -> dict:
    started = time.monotonic()
    process = subprocess.Popen(command)
    peak, processes, timeline = {"total": 0}, {}, []
    while process.poll() is None:
        roles: dict[str, int] = {}
        for pid in run.descendants(process.pid):
            sizes = rollup(pid)
            if sizes is None:
                continue
            kind = role(pid, process.pid)
            roles[kind] = roles.get(kind, 0) + sizes.get("Pss", 0)
            seen = processes.setdefault(pid, {"role": kind, **dict.fromkeys(FIELDS, 0)})
            for name in FIELDS:
                seen[name] = max(seen[name], sizes.get(name, 0))
        at = round(time.monotonic() - started, 1)
        total = sum(roles.values())
        timeline.append({"s": at, "total": total, **roles})
        if total > peak["total"]:
            peak = {"total": total, "s": at, **roles}
        time.sleep(interval)
    by_role = {}
    for sample in timeline:
        for kind, size in sample.items():
            if kind not in ("s", "total"):
                by_role[kind] = max(by_role.get(kind, 0), size)
    return {
        "command": command, "rc": process.returncode, "wall": round(time.monotonic() - started, 1),
        "peak_mib": peak, "role_peaks_mib": by_role,
        "largest": {kind: max((p["Rss"] for p in processes.values() if p["role"] == kind), default=0)
                    for kind in ("build", "workers", "pagefind")},
        "processes": processes, "timeline": timeline,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also write every sample as JSON")
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to watch after --")
    result = watch(command, args.interval)
    peak = result["peak_mib"]
    parts = ", ".join(f"{kind} {peak[kind]}" for kind in ("build", "workers", "pagefind") if kind in peak)
    print(f"peak of all processes (sum of Pss): {peak['total']} MiB at {peak['s']} s ({parts}); "
          f"each role's own peak: {result['role_peaks_mib']}; largest process (RSS): {result['largest']}",
          file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return result["rc"]


if __name__ == "__main__":
    sys.exit(main())
