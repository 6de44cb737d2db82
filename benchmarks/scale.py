#!/usr/bin/env python3
"""How cxdocs scales from a few hundred to 10,000 pages, against plain mkdocs-material, the
Python-Markdown floor and Hugo, in one run.

    python3 benchmarks/scale.py --sizes 250,1000,2500,10000 --languages en,sl,hr,el,ru --json scale.json

For each size, one generated corpus (benchmarks/generate_corpus.py) plus one fixed FAQ page of five
questions (the same text at every size, to compare one page's weight), then, each as a whole child
process, one after the other:

  floor         Python-Markdown alone on the pages of public:<default> (as run.py's floor);
  material      plain `mkdocs build` of those pages with mkdocs-material (run.py's plain project,
                with `navigation.prune`: without it every page carries every link and the build is
                quadratic in the number of pages);
  hugo          Debian's `hugo` on the same pages, with a minimal theme written here (topics, the
                current topic's pages capped at 100, the page's questions): an outside anchor;
  cxdocs        `cxdocs build --no-cache --target public:<default>`: the same pages through cxdocs;
  full cold     `cxdocs build` of every target with an empty build cache (it fills it);
  full edit     `cxdocs build` again after a sentence is added to one FAQ page.

Reported: wall and CPU time, time per page, the peak memory of the largest process and of all
the build's processes together (their proportional set sizes summed, Pagefind's included), the bytes of the fixed page and of the whole site. Hugo is only needed here (not for
cxdocs or its tests): `apt-get install hugo`; without it the hugo column says n/a.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_corpus
import incremental
import run

PROBE = "five-questions-probe"
PROBE_TEXT = """---
title: Five questions about orders
description: 'The same page at every size: five questions, to compare what one page weighs.'
---

## How do I change the delivery address of an order?

Open *My account → Orders*, choose the order and select *Change address*. You can change it until
the parcel leaves our warehouse; after that, the carrier's tracking page lets you choose a pick-up
point instead. We send a confirmation to your email address within a few minutes.

## Can I add an item to an order I have already placed?

Not to the same order: place a second order and, if both are still being packed, ask us to ship
them together. You pay delivery once; the difference is refunded to your payment method.

- both orders must go to the same address;
- both must still show *Being packed*;
- gift cards are always sent separately.

## How do I cancel an order?

Select *Cancel order* on the order's page while it shows *Being packed*. Once it has left the
warehouse, refuse the parcel or return it free of charge within 30 days.

!!! internal "Agent note"
    Orders paid by bank transfer are cancelled by the payments team; assign the ticket to them.

## Where do I find my invoice?

Every invoice is listed under *My account → Orders*, as a PDF, as soon as the order has shipped.
Invoices for business customers show the VAT number you gave at checkout.

## Why was my order split into two parcels?

Items that ship from different warehouses travel separately, so that nothing waits for the
slowest item. You pay delivery once, and each parcel has its own tracking number.
"""

HUGO_CONFIG = """baseURL = "https://example.invalid/"
languageCode = "en"
title = "Help centre"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.goldmark.renderer]
unsafe = true
[markup.tableOfContents]
startLevel = 2
endLevel = 3
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ .Title }} – {{ site.Title }}</title>
</head>
<body>
<nav class="sidebar">{{ partial "nav.html" . }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    # The navigation cxdocs' compact one resembles: the topics, the current topic's pages (at most
    # 100, then a link to the topic's listing) and the page's own questions.
    "partials/nav.html": """{{ $page := . }}
<ul class="topics">
  <li><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></li>
  {{ range site.Sections }}
  <li{{ if or (eq $page .) ($page.IsDescendant .) }} class="active"{{ end }}><a href="{{ .RelPermalink }}">{{ .Title }}</a>
    {{ if or (eq $page .) ($page.IsDescendant .) }}
      {{ with .Sections }}<ul class="subtopics">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
    {{ end }}
  </li>
  {{ end }}
</ul>
{{ if not .IsHome }}
{{ $pages := .CurrentSection.RegularPages }}
{{ $n := len $pages }}
<ul class="pages">
  {{ range first 100 $pages }}
  <li{{ if eq $page . }} class="current"{{ end }}><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
  {{ end }}
  {{ if gt $n 100 }}<li><a href="{{ .CurrentSection.RelPermalink }}">All {{ $n }} pages</a></li>{{ end }}
</ul>
{{ end }}
{{ if .IsPage }}<div class="toc">{{ .TableOfContents }}</div>{{ end }}
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $paginator := .Paginate .RegularPages 100 }}
<ul>{{ range $paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ if gt $paginator.TotalPages 1 }}<nav class="pagination">
  {{ with $paginator.Prev }}<a href="{{ .URL }}">previous</a>{{ end }}
  page {{ $paginator.PageNumber }} of {{ $paginator.TotalPages }}
  {{ with $paginator.Next }}<a href="{{ .URL }}">next</a>{{ end }}
</nav>{{ end }}
{{ end }}
""",
}


def add_probe(corpus: Path) -> str:
    """The fixed five-question page, in the first FAQ topic; its path below content/, without .md."""
    topic = min(p for p in (corpus / "content" / "faq").iterdir() if p.is_dir())
    (topic / f"{PROBE}.md").write_text(PROBE_TEXT, encoding="utf-8")
    return f"faq/{topic.name}/{PROBE}"


def material_with_prune(plain: Path) -> None:
    config_file = plain / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    head, _, extensions = text.partition("markdown_extensions:")
    config = yaml.safe_load(head)
    config["theme"]["features"] = [*config["theme"]["features"], "navigation.prune"]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False) + "markdown_extensions:" + extensions,
                           encoding="utf-8")


def hugo_site(docs: Path, out: Path) -> None:
    """The plain project's pages as a Hugo site: a folder's index.md becomes its _index.md (a list page)."""
    shutil.rmtree(out, ignore_errors=True)
    for path in docs.rglob("*.md"):
        rel = path.relative_to(docs)
        target = out / "content" / rel.parent / ("_index.md" if rel.name == "index.md" else rel.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for name, text in HUGO_LAYOUTS.items():
        (out / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (out / "layouts" / name).write_text(text, encoding="utf-8")
    (out / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")


def folder_bytes(folder: Path) -> tuple[int, int, int]:
    """Bytes of every file below ``folder``, bytes of its HTML files, and how many there are."""
    total = html = count = 0
    for root, _, files in os.walk(folder):
        for name in files:
            size = os.path.getsize(os.path.join(root, name))
            total += size
            if name.endswith(".html"):
                html += size
                count += 1
    return total, html, count


WRITTEN = re.compile(r"built \d+ target\(s\)(?: \([^)]*\))?, (\d+) pages(?: \(and (\d+) )?")


def pages_written(stderr: str) -> int | None:
    """Pages the build wrote: its content pages and its home, topic and health pages."""
    match = WRITTEN.search(stderr)
    return int(match.group(1)) + int(match.group(2) or 0) if match else None


def size_of(path: Path) -> int | None:
    return path.stat().st_size if path.is_file() else None


def child(name: str, cmd: list[str], cwd: Path, timeout: float, env: dict, pages: int | None = None) -> dict:
    run.wait_for_idle()
    result = run.run_child(cmd, cwd, timeout, env)
    out = {k: result[k] for k in ("wall", "peak_mib", "peak_tree_mib", "peak_pss_mib", "rc", "timed_out")}
    out["cpu"] = result["user"] + result["sys"]
    out["cmd"] = cmd
    out["ok"] = result["rc"] == 0 and not result["timed_out"]
    out["pages"] = pages or pages_written(result["stderr"])
    if not out["ok"]:
        out["error"] = "timeout" if result["timed_out"] else result["stderr"].strip()[-2000:]
        run.log(f"  {name}: FAILED {out['error'][-500:]}")
    else:
        run.log(f"  {name}: {out['wall']:.1f} s wall, {out['cpu']:.1f} s CPU, {out['pages']} pages, "
                f"peak {out['peak_mib']:.0f} MiB (all processes: {out['peak_pss_mib']:.0f} MiB Pss)")
    if name == "floor" and out["ok"]:
        out.update(json.loads(result["stdout"].strip().splitlines()[-1]))
    return out


def bench_size(size: int, languages: list[str], args, workdir: Path) -> dict:
    default = languages[0]
    target = f"public:{default}"
    corpus = workdir / f"corpus-{size}"
    run.log(f"size {size}: generating the corpus ({', '.join(languages)})")
    info = generate_corpus.generate(corpus, size, languages, args.translated, args.seed, force=True)
    probe = add_probe(corpus)
    shutil.rmtree(corpus / ".cxdocs", ignore_errors=True)
    plain = workdir / f"plain-{size}"
    plain_pages = run.plain_project(corpus, plain, target)
    material_with_prune(plain)
    hugo = workdir / f"hugo-{size}"
    hugo_site(plain / "docs", hugo)
    env = {**os.environ, "CI": "1", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    result: dict = {"size": size, "languages": languages, "corpus": info, "probe": probe, "plain_pages": plain_pages,
                    "measures": {}, "bytes": {}}
    measures, sizes = result["measures"], result["bytes"]
    python = sys.executable

    skip = set(args.skip)
    if "floor" not in skip:
        measures["floor"] = child("floor", [python, str(HERE / "run.py"), "--floor-worker", str(plain / "docs")],
                                  workdir, args.timeout, env, plain_pages)
    if "material" not in skip:
        site = workdir / f"site-material-{size}"
        shutil.rmtree(site, ignore_errors=True)
        measures["material"] = child("mkdocs-material", [python, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml"),
                                                         "-d", str(site)], plain, args.timeout, env, plain_pages)
        sizes["material_probe"] = size_of(site / probe / "index.html")
        sizes["material_site"] = folder_bytes(site)[0]
        shutil.rmtree(site, ignore_errors=True)
    if shutil.which("hugo") and "hugo" not in skip:
        site = workdir / f"site-hugo-{size}"
        shutil.rmtree(site, ignore_errors=True)
        measures["hugo"] = child("hugo", ["hugo", "--quiet", "-s", str(hugo), "-d", str(site)], hugo, args.timeout, env, plain_pages)
        sizes["hugo_probe"] = size_of(site / probe / "index.html")
        sizes["hugo_site"] = folder_bytes(site)[0]
        shutil.rmtree(site, ignore_errors=True)
    site = workdir / f"site-cxdocs-{size}"
    shutil.rmtree(site, ignore_errors=True)
    if "cxdocs" not in skip:
        measures["cxdocs"] = child(f"cxdocs --target {target}", [python, "-m", "cxdocs.app.cli", "build", "--no-cache", "--target",
                                                              target, "-d", str(site)], corpus, args.timeout, env, plain_pages)
    shutil.rmtree(site, ignore_errors=True)

    site = workdir / f"site-full-{size}"
    shutil.rmtree(site, ignore_errors=True)
    full = [python, "-m", "cxdocs.app.cli", "build", "-d", str(site)]
    measures["full"] = child("cxdocs build (every target, empty cache)", full, corpus, args.timeout, env)
    public = site / "public"
    sizes["cxdocs_probe"] = size_of(public / probe / "index.html")
    sizes["cxdocs_site"], sizes["cxdocs_html"], sizes["cxdocs_html_files"] = folder_bytes(site)
    sizes["cxdocs_public_default"] = sum(
        folder_bytes(p)[0] if p.is_dir() else p.stat().st_size
        for p in public.iterdir() if p.name not in languages[1:]) if public.is_dir() else None
    shutil.rmtree(site, ignore_errors=True)
    if "edit" not in skip:
        edited = incremental.edit(corpus, 1)
        run.log(f"  edited {edited}")
        measures["edit"] = child("cxdocs build after a one-page edit", full, corpus, args.timeout, env)
        measures["edit"]["edited"] = edited
        shutil.rmtree(site, ignore_errors=True)
    for name in ("plain", "hugo"):
        shutil.rmtree(workdir / f"{name}-{size}", ignore_errors=True)
    if not args.keep_corpora:
        shutil.rmtree(corpus, ignore_errors=True)
    for m in measures.values():
        m["ms_per_page"] = run.per_page_ms(m)
    return result


def fmt(value, spec=".1f"):
    return run.fmt(value, spec)


def ratio(a, b):
    return a / b if a is not None and b else None


def tables(results: list[dict], args) -> str:
    base = next((r for r in results if r["size"] == args.reference), results[0])
    smallest = results[0]

    def per_page(r, name):
        return r["measures"].get(name, {}).get("ms_per_page")

    lines = [
        f"Same pages (public:{results[0]['languages'][0]}), one process each, wall time per page; "
        "ratios are cxdocs over the other on the same pages in the same run",
        "",
        "| size | pages | floor ms/page | mkdocs-material ms/page | Hugo ms/page | cxdocs ms/page | cxdocs/floor "
        "| cxdocs/material | cxdocs/Hugo | CPU s floor / material / Hugo / cxdocs | peak MiB material / Hugo / cxdocs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        m = r["measures"]
        c = per_page(r, "cxdocs")
        cpu = " / ".join(fmt(m.get(k, {}).get("cpu")) for k in ("floor", "material", "hugo", "cxdocs"))
        peak = " / ".join(fmt(m.get(k, {}).get("peak_mib"), ".0f") for k in ("material", "hugo", "cxdocs"))
        lines.append(
            f"| {r['size']} | {r['plain_pages']} | {fmt(per_page(r, 'floor'), '.2f')} | {fmt(per_page(r, 'material'))} "
            f"| {fmt(per_page(r, 'hugo'), '.2f')} | {fmt(c)} | {fmt(ratio(c, per_page(r, 'floor')))}x "
            f"| {fmt(ratio(c, per_page(r, 'material')), '.2f')}x | {fmt(ratio(c, per_page(r, 'hugo')))}x | {cpu} | {peak} |"
        )
    lines += [
        "",
        "The full build (`cxdocs build`, every audience in every language): from an empty cache (cold), then after a "
        "sentence is added to one FAQ page (edit). Time per page is per page written; 'vs "
        f"{base['size']}' is that time over the same at {base['size']} pages.",
        "",
        "| size | languages | pages written | cold wall s | cold CPU s | cold ms/page | vs "
        f"{base['size']} | peak MiB: largest process / all processes (Pss) | edit wall s | edit CPU s | edit/cold CPU | edit/cold wall | site MB | HTML MB | HTML files "
        "| HTML bytes/file |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        f, e, b = r["measures"].get("full", {}), r["measures"].get("edit", {}), r["bytes"]
        site = b.get("cxdocs_site")
        lines.append(
            f"| {r['size']} | {len(r['languages'])} | {fmt(f.get('pages'), 'd')} | {fmt(f.get('wall'))} | {fmt(f.get('cpu'))} "
            f"| {fmt(f.get('ms_per_page'), '.2f')} | {fmt(ratio(f.get('ms_per_page'), per_page(base, 'full')), '.2f')} "
            f"| {fmt(f.get('peak_mib'), '.0f')} / {fmt(f.get('peak_pss_mib'), '.0f')} | {fmt(e.get('wall'))} "
            f"| {fmt(e.get('cpu'))} | {fmt(ratio(e.get('cpu'), f.get('cpu')), '.3f')} | {fmt(ratio(e.get('wall'), f.get('wall')), '.3f')} "
            f"| {fmt(site / 1e6 if site else None)} | {fmt(b['cxdocs_html'] / 1e6 if b.get('cxdocs_html') else None)} "
            f"| {fmt(b.get('cxdocs_html_files'), 'd')} | {fmt(ratio(b.get('cxdocs_html'), b.get('cxdocs_html_files')), '.0f')} |"
        )
    lines += [
        "",
        f"One page's weight: the fixed FAQ page of five questions (`{PROBE}.md`, the same text at every size), "
        f"its HTML in bytes, and over its size at {smallest['size']} pages",
        "",
        "| size | cxdocs | cxdocs vs smallest | mkdocs-material (prune) | Hugo | cxdocs public site, default language, MB |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    first = smallest["bytes"].get("cxdocs_probe")
    for r in results:
        b = r["bytes"]
        public = b.get("cxdocs_public_default")
        lines.append(
            f"| {r['size']} | {fmt(b.get('cxdocs_probe'), 'd')} | {fmt(ratio(b.get('cxdocs_probe'), first), '.2f')} "
            f"| {fmt(b.get('material_probe'), 'd')} | {fmt(b.get('hugo_probe'), 'd')} | {fmt(public / 1e6 if public else None)} |"
        )
    failed = [(r["size"], k, m.get("error", "")) for r in results for k, m in r["measures"].items() if not m.get("ok")]
    for size, name, error in failed:
        lines.append(f"\n{name} at size {size} did not finish: {error.splitlines()[-1] if error else 'failed'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog="See benchmarks/README.md.")
    parser.add_argument("--sizes", default="250,1000,2500,10000", help="pages in the default language (default 250,1000,2500,10000)")
    parser.add_argument("--languages", default="en,sl,hr,el,ru", help="languages, default first (default en,sl,hr,el,ru)")
    parser.add_argument("--one-language-from", type=int, metavar="SIZE",
                        help="from this size on, build the default language only (when time is short)")
    parser.add_argument("--skip", type=lambda text: [m.strip() for m in text.split(",") if m.strip()], default=[],
                        help="leave out some of floor,material,hugo,cxdocs,edit (the cold full build always runs)")
    parser.add_argument("--translated", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reference", type=int, default=1000, help="the size per-page times are compared with (default 1000)")
    parser.add_argument("--timeout", type=float, default=5400, help="seconds before one child process is killed")
    parser.add_argument("--workdir", type=Path, help="where corpora and sites go (default: a temporary folder, removed)")
    parser.add_argument("--keep-corpora", action="store_true")
    parser.add_argument("--idle-below", type=float, default=run.IDLE["below"])
    parser.add_argument("--idle-wait", type=float, default=run.IDLE["wait"])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    run.IDLE.update(below=args.idle_below, wait=args.idle_wait)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="cxdocs-scale-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = []
    try:
        for size in sizes:
            langs = languages[:1] if args.one_language_from and size >= args.one_language_from else languages
            results.append(bench_size(size, langs, args, workdir))
            if args.json:
                write_json(args, results)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    run.log(f"done in {time.perf_counter() - started:.0f} s")
    print(tables(results, args))
    if args.json:
        write_json(args, results)
    return 0 if all(m.get("ok") for r in results for m in r["measures"].values()) else 1


def write_json(args, results) -> None:
    hugo = shutil.which("hugo")
    version = os.popen("hugo version").read().strip() if hugo else None
    data = {"environment": {**run.environment(), "hugo": version},
            "settings": {k: str(v) for k, v in vars(args).items()}, "results": results}
    args.json.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
