#!/usr/bin/env python3
"""Where a `cxdocs build` spends its CPU time, by phase, without a profiler's overhead.

    cd KNOWLEDGE_BASE && CXDOCS_JOBS=1 python3 /path/to/benchmarks/phases.py build -d site

Runs the command in this process with the build's main functions wrapped in timers (CPU time of
this process and wall time, summed over calls), then prints them with the CPU time of the child
processes it reaped (Pagefind). Phases nest: a row's time includes the rows called within it.
With ``CXDOCS_JOBS=1`` every target is built in this process, so every phase is counted.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import resource
import sys
import time

PHASES = [
    ("cxdocs.app.project", "check_project"), ("cxdocs.core.checks", "run_checks"),
    ("cxdocs.core.content", "load_project"), ("cxdocs.adapters.mkdocs.build", "build_target"),
    ("cxdocs.adapters.mkdocs.indexing", "finish_all"), ("cxdocs.adapters.mkdocs.indexing", "_finish"),
    ("cxdocs.adapters.mkdocs.pagefind_index", "prepare_index"), ("cxdocs.adapters.mkdocs.pagefind_index", "Indexing.wait"),
    ("cxdocs.outputs.export", "write_export"), ("cxdocs.outputs.guard", "refuse_leaking_packs"),
    ("cxdocs.outputs.guard", "LeakGuard.__init__"), ("cxdocs.outputs.guard_cache", "scan"),
    ("cxdocs.adapters.mkdocs.target_cache", "target_key"),
    ("cxdocs.adapters.mkdocs.plugin", "CxdocsPlugin.on_files"),
    ("cxdocs.adapters.mkdocs.plugin", "CxdocsPlugin.restored"),
    ("cxdocs.adapters.mkdocs.plugin", "CxdocsPlugin.on_page_context"),
    ("cxdocs.adapters.mkdocs.plugin", "CxdocsPlugin._guard"),
    ("cxdocs.adapters.mkdocs.plugin", "CxdocsPlugin.on_post_build"),
]
TOTALS: dict[str, list[float]] = {}


def _timed(name: str, function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            total = TOTALS.setdefault(name, [0.0, 0.0, 0])
            total[0] += time.process_time() - cpu
            total[1] += time.perf_counter() - wall
            total[2] += 1
    return wrapper


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
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"\nCPU s of this process: {time.process_time():.2f}; of the processes it reaped: "
          f"{children.ru_utime + children.ru_stime:.2f}", file=sys.stderr)
    print(f"{'CPU s':>8} {'wall s':>8} {'calls':>6}  phase", file=sys.stderr)
    for name, (cpu, wall, calls) in sorted(TOTALS.items(), key=lambda item: -item[1][0]):
        print(f"{cpu:8.2f} {wall:8.2f} {calls:6d}  {name}", file=sys.stderr)


def main() -> None:
    import cxdocs.app.build
    import cxdocs.app.cli
    import cxdocs.outputs.export

    wrap_all()
    atexit.register(report)
    sys.argv = ["cxdocs", *sys.argv[1:]]
    cxdocs.app.cli.main()


if __name__ == "__main__":
    main()
