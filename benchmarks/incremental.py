#!/usr/bin/env python3
"""A full `cxdocs build` from nothing against one after a one-page edit, on the generated corpus.

    python3 benchmarks/incremental.py --pages 2000 --languages en,sl,hr,el,ru --rounds 3 --json out.json
    python3 benchmarks/incremental.py ... --search lunr     # the theme's search instead of Pagefind

One corpus (benchmarks/generate_corpus.py) and a warm-up build that fills its build cache. Then,
round by round: one page is edited (a sentence added to an answer of a FAQ page, then to a step of
an SOP, in turn), and the same content is built twice, as whole child processes:

  cold         `cxdocs build --no-cache`: everything from nothing;
  incremental  `cxdocs build`: the build cache (.cxdocs/cache/) holds the previous round's work.

Neither starts with a site folder (as in CI, where only the cache is kept between runs); the order
of the two alternates from round to round, since this machine's speed drifts. After each round the
two sites are compared byte for byte. Last, a build with nothing changed: the floor any edit's
build stands on. Reported: wall and CPU time (user + sys of the process and the workers it
reaped) of each, and the ratio incremental / cold per round with its median.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_corpus
import run


def edit(corpus: Path, round_no: int) -> str:
    """Add a sentence to one page, a FAQ page and an SOP in turn; the page's path."""
    kind = "faq" if round_no % 2 else "sop"
    pages = sorted(p for p in (corpus / "content" / kind).rglob("*.md") if p.name.count(".") == 1)
    page = pages[(round_no * 7919) % len(pages)]
    lines = page.read_text(encoding="utf-8").split("\n")
    # After the last non-empty line of the body: a paragraph of its own, outside any block.
    lines.append(f"\nRound {round_no} added this sentence to check what a one-page edit costs.\n")
    page.write_text("\n".join(lines), encoding="utf-8")
    return page.relative_to(corpus).as_posix()


def choose_search(corpus: Path, search: str) -> None:
    """Set the corpus' ``search`` option (the generator leaves it out: Pagefind, the default)."""
    config_file = corpus / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "cxdocs" in plugin:
            plugin["cxdocs"]["search"] = search
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def same_tree(a: Path, b: Path) -> bool:
    left = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    right = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if left != right:
        return False
    return all(filecmp.cmp(a / rel, b / rel, shallow=False) for rel in left)


def build(corpus: Path, site: Path, cold: bool, timeout: float, env: dict) -> dict:
    shutil.rmtree(site, ignore_errors=True)
    run.wait_for_idle()
    cmd = [sys.executable, "-m", "cxdocs.app.cli", "build", "-d", str(site)] + (["--no-cache"] if cold else [])
    result = run.run_child(cmd, corpus, timeout, env)
    if result["rc"] != 0:
        raise SystemExit(f"build failed ({' '.join(cmd)}):\n{result['stderr'][-3000:]}")
    result["cpu"] = result["user"] + result["sys"]
    result["pages"] = run.built_pages(result["stderr"])
    for name in ("stdout", "stderr"):
        result.pop(name)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--languages", default="en,sl,hr,el,ru")
    parser.add_argument("--translated", type=float, default=0.8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--idle-below", type=float, default=run.IDLE["below"])
    parser.add_argument("--idle-wait", type=float, default=run.IDLE["wait"])
    parser.add_argument("--workdir", type=Path, help="where the corpus and sites go (default: a temporary folder, removed)")
    parser.add_argument("--search", choices=["pagefind", "lunr"], default="pagefind",
                        help="the site's search (the cxdocs option `search`): what an edit costs without Pagefind")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    run.IDLE.update(below=args.idle_below, wait=args.idle_wait)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cxdocs-incremental-"))
    corpus = workdir / f"corpus-{args.pages}"
    if not corpus.exists():
        run.log(f"generating {args.pages} pages in {args.languages}")
        generate_corpus.main([str(corpus), "--pages", str(args.pages), "--languages", args.languages,
                              "--translated", str(args.translated)])
    choose_search(corpus, args.search)
    shutil.rmtree(corpus / ".cxdocs", ignore_errors=True)
    env = {**os.environ, "CI": "1", "NO_MKDOCS_2_WARNING": "1"}
    run.log("warm-up build (fills the cache)")
    warmup = build(corpus, workdir / "site-incremental", False, args.timeout, env)
    rounds = []
    for number in range(1, args.rounds + 1):
        page = edit(corpus, number)
        order = ["cold", "incremental"] if number % 2 else ["incremental", "cold"]
        measured = {}
        for kind in order:
            run.log(f"round {number}: {kind} build after editing {page}")
            measured[kind] = build(corpus, workdir / f"site-{kind}", kind == "cold", args.timeout, env)
        identical = same_tree(workdir / "site-cold", workdir / "site-incremental")
        rounds.append({"round": number, "edited": page, "identical": identical, **measured,
                       "ratio_wall": measured["incremental"]["wall"] / measured["cold"]["wall"],
                       "ratio_cpu": measured["incremental"]["cpu"] / measured["cold"]["cpu"]})
        run.log(f"  cold {measured['cold']['wall']:.1f} s, incremental {measured['incremental']['wall']:.1f} s, "
                f"identical: {identical}")

    # The floor of any edit: a build that finds nothing changed still loads, checks and guards the
    # project, and takes every target from the cache.
    run.log("a build with nothing changed since the last round")
    unchanged = build(corpus, workdir / "site-unchanged", False, args.timeout, env)
    unchanged["identical"] = same_tree(workdir / "site-unchanged", workdir / "site-incremental")
    print(table(rounds, args, warmup, unchanged))
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "environment": run.environment(), "warmup": warmup, "rounds": rounds,
                                         "unchanged": unchanged},
                                        indent=2), encoding="utf-8")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(r["identical"] for r in rounds) and unchanged["identical"] else 1


def table(rounds: list[dict], args, warmup: dict, unchanged: dict) -> str:
    lines = [
        (f"Full build (`cxdocs build`, every target) of {args.pages} pages in {args.languages} "
         f"({args.translated:.0%} translated, search: {args.search}), {warmup['pages']} pages written; cold = `--no-cache`, "
         "incremental = after a one-page edit with the cache of the previous build."),
        "",
        ("| round | edited page | cold wall s | cold CPU s | incremental wall s | incremental CPU s "
         "| wall ratio | CPU ratio | identical |"),
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rounds:
        lines.append(
            f"| {r['round']} | `{r['edited']}` | {r['cold']['wall']:.1f} | {r['cold']['cpu']:.1f} | "
            f"{r['incremental']['wall']:.1f} | {r['incremental']['cpu']:.1f} | {r['ratio_wall']:.3f} | "
            f"{r['ratio_cpu']:.3f} | {'yes' if r['identical'] else 'NO'} |"
        )

    def median(kind, what):
        return statistics.median(r[kind][what] for r in rounds)

    lines.append(
        f"| median | | {median('cold', 'wall'):.1f} | {median('cold', 'cpu'):.1f} | {median('incremental', 'wall'):.1f} | "
        f"{median('incremental', 'cpu'):.1f} | {statistics.median(r['ratio_wall'] for r in rounds):.3f} | "
        f"{statistics.median(r['ratio_cpu'] for r in rounds):.3f} | |"
    )
    cold_wall, cold_cpu = median("cold", "wall"), median("cold", "cpu")
    lines.append(
        f"| nothing changed | | | | {unchanged['wall']:.1f} | {unchanged['cpu']:.1f} | {unchanged['wall'] / cold_wall:.3f} | "
        f"{unchanged['cpu'] / cold_cpu:.3f} | {'yes' if unchanged['identical'] else 'NO'} |"
    )
    lines.append("")
    lines.append("The last row: a build after the last round with no edit, against the median build from nothing.")
    lines.append("")
    lines.append(f"Peak memory (largest process): cold {max(r['cold']['peak_mib'] for r in rounds):.0f} MiB, "
                 f"incremental {max(r['incremental']['peak_mib'] for r in rounds):.0f} MiB.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
