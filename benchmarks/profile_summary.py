#!/usr/bin/env python3
"""Summarise a cProfile of a build: the top functions by cumulative time, and where the time goes.

    python3 -m cProfile -o prof.out -m cxdocs.app.cli build --target public:en     # in a corpus folder
    python3 benchmarks/profile_summary.py prof.out [--top 15]

Groups: every function's own time (tottime) goes to a group by the file it lives in (Markdown and
pymdownx; Jinja2 and the theme's templates and navigation; MkDocs' search plugin; cxdocs' leak
guard; the rest of cxdocs; writing and copying files; module imports; the rest of MkDocs). Time in
functions that belong to no group (builtins such as re.sub, the standard library) is handed up to
their callers, in proportion to the time each caller spent in them, until it reaches a function
that has a group. The groups add up to the whole run.
"""

from __future__ import annotations

import argparse
import pstats
import sys
from collections import defaultdict

GROUPS = [
    # (group, test on (filename, line, function name)); first match wins
    ("cxdocs guard", lambda f, l, n: f.endswith("cxdocs/guard.py")),
    ("search index", lambda f, l, n: "/mkdocs/contrib/search/" in f or "/material/plugins/search/" in f),
    ("file writing", lambda f, l, n: ("/mkdocs/utils/__init__.py" in f and n in ("write_file", "copy_file", "clean_directory"))
        or ("/mkdocs/structure/files.py" in f and n in ("copy_file", "copy", "_copy", "_write", "write"))
        or f.endswith("/shutil.py") or n in ("copy_static_files", "_build_extra_template")),
    ("theme templates (Jinja, nav)", lambda f, l, n: "/jinja2/" in f or f.endswith(".html") or "/mkdocs/structure/nav.py" in f
        or "/mkdocs/structure/toc.py" in f or "/mkdocs/utils/templates.py" in f or "/mkdocs/utils/filters.py" in f
        or "/mkdocs/theme.py" in f or "/markupsafe/" in f or "/babel/" in f),
    ("markdown conversion", lambda f, l, n: "/markdown/" in f or "/pymdownx/" in f or "/xml/etree/" in f
        or "/material/extensions/" in f),
    ("cxdocs preprocessing and checks", lambda f, l, n: "/cxdocs/" in f or "/pluggy/" in f or "/nh3" in f),
    ("YAML (front matter, config)", lambda f, l, n: "/yaml/" in f),
    ("imports", lambda f, l, n: "importlib._bootstrap" in f or "<frozen" in f),
    ("MkDocs core (pages, files, plugins)", lambda f, l, n: "/mkdocs/" in f or "/material/" in f),
]
UNGROUPED = "other"


def group_of(func) -> str | None:
    filename, line, name = func
    if filename == "~" or filename.startswith("<built-in"):
        return None
    for group, test in GROUPS:
        if test(filename, line, name):
            return group
    return None


def distribution(stats, func, memo, visiting, depth=0) -> dict[str, float]:
    """The share of ``func``'s own time each group gets (itself, or its callers by time spent)."""
    if func in memo:
        return memo[func]
    own = group_of(func)
    if own is not None:
        memo[func] = {own: 1.0}
        return memo[func]
    callers = stats.stats[func][4]
    if not callers or depth > 40 or func in visiting:
        return {UNGROUPED: 1.0}
    visiting.add(func)
    weights = {caller: edge[3] or edge[2] or 0.0 for caller, edge in callers.items()}
    total = sum(weights.values())
    result: dict[str, float] = defaultdict(float)
    for caller, weight in weights.items():
        share = weight / total if total else 1 / len(weights)
        for group, part in distribution(stats, caller, memo, visiting, depth + 1).items():
            result[group] += share * part
    visiting.discard(func)
    memo[func] = dict(result)
    return memo[func]


def groups(stats) -> tuple[dict[str, float], float]:
    memo: dict = {}
    totals: dict[str, float] = defaultdict(float)
    for func, (cc, nc, tt, ct, callers) in stats.stats.items():
        for group, share in distribution(stats, func, memo, set()).items():
            totals[group] += tt * share
    return dict(totals), stats.total_tt


def label(func) -> str:
    filename, line, name = func
    if filename == "~":
        return name
    if "/cxdocs/" in filename and "site-packages/" not in filename:
        filename = "cxdocs/" + filename.rsplit("/cxdocs/", 1)[1]
    for marker in ("site-packages/", "lib/python3"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename}:{line}({name})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    stats = pstats.Stats(args.profile)
    total = stats.total_tt
    rows = sorted(stats.stats.items(), key=lambda item: item[1][3], reverse=True)
    # Leave out the wrappers every call goes through (the CLI, click, runpy, exec of the main module)
    # and builtins (list.extend or str.join "contain" the generators they consume, which misleads).
    skip = ("click/", "runpy", "<string>", "cProfile.py", "cxdocs/cli.py")
    print(f"Total {total:.2f} s in the profile\n")
    print(f"Top {args.top} functions by cumulative time (CLI/click/runpy wrappers and builtins left out)\n")
    print("| # | cumulative s | % | own s | calls | function |")
    print("|---:|---:|---:|---:|---:|---|")
    shown = 0
    for func, (cc, nc, tt, ct, callers) in rows:
        name = label(func)
        if func[0] == "~" or any(s in func[0] for s in skip):
            continue
        shown += 1
        print(f"| {shown} | {ct:.2f} | {ct / total:.0%} | {tt:.2f} | {nc} | `{name}` |")
        if shown >= args.top:
            break
    totals, _ = groups(stats)
    print("\nWhere the time goes (own time by group; ungrouped builtins and stdlib handed to their callers)\n")
    print("| group | s | % |")
    print("|---|---:|---:|")
    for group, seconds in sorted(totals.items(), key=lambda item: item[1], reverse=True):
        print(f"| {group} | {seconds:.2f} | {seconds / total:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
