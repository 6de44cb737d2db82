#!/usr/bin/env python3
"""Where a `cxdocs build` spends its CPU time, by phase, without a profiler's overhead.

    cd KNOWLEDGE_BASE && CXDOCS_JOBS=1 python3 /path/to/benchmarks/phases.py build -d site
    cd KNOWLEDGE_BASE && python3 /path/to/benchmarks/phases.py --timeline spans.txt build -d site

Runs the command in this process with the build's main functions wrapped in timers (CPU time of
this process and wall time, summed over calls), then prints them with the CPU time of the child
processes it reaped (Pagefind). Phases nest: a row's time includes the rows called within it.
With ``CXDOCS_JOBS=1`` every target is built in this process, so every phase is counted.

``--timeline FILE``: the build as it runs on every core (workers and the guards' processes are
forked from this one, so their phases are wrapped too): every call of a phase, in every process,
is written to FILE as it ends (process, start and end in seconds since this one started, phase,
the target it was called for), and printed in order of start once the build is done. What runs
when, and beside what, shows the build's critical path; the CPU table then counts this process only.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import os
import resource
import sys
import time

PHASES = [
    ("cxdocs.app.project", "check_project"), ("cxdocs.core.checks", "run_checks"),
    ("cxdocs.core.content", "load_project"), ("cxdocs.adapters.mkdocs.build", "build_target"),
    ("cxdocs.adapters.mkdocs.indexing", "finish_all"), ("cxdocs.adapters.mkdocs.indexing", "_finish"),
    ("cxdocs.adapters.mkdocs.pagefind_index", "prepare_index"), ("cxdocs.adapters.mkdocs.pagefind_index", "Indexing.wait"),
    ("cxdocs.outputs.export", "plan_export"),
    ("cxdocs.outputs.export", "write_export"), ("cxdocs.outputs.export", "refuse_leaking_packs"),
    ("cxdocs.outputs.guard", "LeakGuard.__init__"), ("cxdocs.outputs.guard_cache", "scan"),
    ("cxdocs.outputs.guard", "source_guard"), ("cxdocs.outputs.guard", "guard_for_packs"),
    ("cxdocs.core.render_cache", "rendered_from"), ("cxdocs.app.guards_ahead", "Shared.derive"),
    ("cxdocs.app.build", "build_targets"), ("cxdocs.app.build", "assemble"), ("cxdocs.app.build", "_upkeep"),
    ("cxdocs.adapters.mkdocs.target_cache", "target_key"),
    ("cxdocs.adapters.mkdocs.plugin", "CxdocsPlugin.on_files"),
    ("cxdocs.adapters.mkdocs.plugin", "CxdocsPlugin.restored"),
    ("cxdocs.adapters.mkdocs.plugin", "CxdocsPlugin.on_page_context"),
    ("cxdocs.adapters.mkdocs.plugin", "CxdocsPlugin._guard"),
    ("cxdocs.adapters.mkdocs.plugin", "CxdocsPlugin.on_post_build"),
]
TOTALS: dict[str, list[float]] = {}
STARTED = time.perf_counter()
TIMELINE: str | None = None
"""The file every process writes its phases' spans to (``--timeline``)."""


def _timed(name: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            ended = time.perf_counter()
            total = TOTALS.setdefault(name, [0.0, 0.0, 0])
            total[0] += time.process_time() - cpu
            total[1] += ended - wall
            total[2] += 1
            if TIMELINE is not None:
                _span(name, wall, ended, args)
    return wrapper


def _span(name: str, started: float, ended: float, args: tuple) -> None:
    target = next((str(a) for a in args if type(a).__name__ == "Target"), "")
    target = target or next((str(a.target) for a in args if type(getattr(a, "target", None)).__name__ == "Target"), "")
    line = f"{os.getpid()} {started - STARTED:8.2f} {ended - STARTED:8.2f} {ended - started:7.2f} {name} {target}\n"
    with open(TIMELINE, "a", encoding="utf-8") as out:  # opened per span: the processes are forked
        out.write(line)


def wrap_all() -> None:
    wrapped = {}
    for module_name, attribute in PHASES:
        owner = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        original = getattr(owner, name)
        setattr(owner, name, _timed(attribute, original))
        wrapped[id(original)] = getattr(owner, name)
    # Names imported elsewhere with `from module import name` are bound to the original: rebind them.
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("cxdocs"):
            for name, value in list(vars(module).items()):
                if id(value) in wrapped and callable(value):
                    setattr(module, name, wrapped[id(value)])


def report() -> None:
    if TIMELINE is not None:
        print(f"\n{'process':>8} {'start':>8} {'end':>8} {'wall s':>7}  phase", file=sys.stderr)
        with open(TIMELINE, encoding="utf-8") as spans:
            for line in sorted(spans, key=lambda line: float(line.split()[1])):
                print(line.rstrip("\n"), file=sys.stderr)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"\nCPU s of this process: {time.process_time():.2f}; of the processes it reaped: "
          f"{children.ru_utime + children.ru_stime:.2f}", file=sys.stderr)
    print(f"{'CPU s':>8} {'wall s':>8} {'calls':>6}  phase", file=sys.stderr)
    for name, (cpu, wall, calls) in sorted(TOTALS.items(), key=lambda item: -item[1][0]):
        print(f"{cpu:8.2f} {wall:8.2f} {calls:6d}  {name}", file=sys.stderr)


def main() -> None:
    global TIMELINE
    import cxdocs.app.build
    import cxdocs.app.cli
    import cxdocs.app.guards_ahead
    import cxdocs.outputs.export

    if sys.argv[1:2] == ["--timeline"]:
        TIMELINE = sys.argv[2]
        open(TIMELINE, "w", encoding="utf-8").close()
        del sys.argv[1:3]
    wrap_all()
    atexit.register(report)
    sys.argv = ["cxdocs", *sys.argv[1:]]
    cxdocs.app.cli.main()


if __name__ == "__main__":
    main()
