#!/usr/bin/env python3
"""Build-time benchmark of cxdocs against its floors, over corpus sizes, in one run.

    python3 benchmarks/run.py --sizes 250,500,1000,2000 --repeat 3 --json results.json

For every size it generates a corpus (benchmarks/generate_corpus.py, one language unless
--languages), then times whole child processes, each --repeat times (median wall time, highest
peak RSS):

  floor     Python-Markdown alone: markdown.markdown(text, extensions=[...]) on the Markdown of
            every page of the target (front matter stripped), with the extensions cxdocs enables;
  material  plain MkDocs + mkdocs-material (`mkdocs build`, search plugin, no cxdocs) on a
            generated plain project holding the same pages as the target;
  cxdocs    `cxdocs build --target public:<default language>` (one target);
  full      `cxdocs build` (every audience x language), measured when there is more than one
            language or when --measure asks for it;
  material-full  plain mkdocs-material on a plain project per target (the same pages as every
            target of the full build), two `mkdocs build` processes at a time, as cxdocs uses
            both cores: the plain-MkDocs price of the full build.

It prints Markdown tables (stdout) and writes the raw numbers as JSON (--json). Progress goes to
stderr. See benchmarks/README.md for what each column means.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate_corpus  # noqa: E402

MEASURES = ("floor", "material", "cxdocs", "full", "material-full")
THEME_FEATURES = ["navigation.indexes", "navigation.sections", "navigation.top", "search.highlight", "content.code.copy"]


def extensions():
    """The Markdown extensions cxdocs adds to every project (mkdocs_plugin._configure_markdown)."""
    import pymdownx.superfences

    return (
        ["admonition", "pymdownx.details", "pymdownx.superfences", "attr_list", "md_in_html", "def_list", "toc"],
        {
            "pymdownx.superfences": {
                "custom_fences": [{"name": "mermaid", "class": "mermaid", "format": pymdownx.superfences.fence_code_format}]
            },
            "toc": {"permalink": True},
        },
    )


MARKDOWN_EXTENSIONS_YAML = """markdown_extensions:
  - admonition
  - pymdownx.details
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
  - attr_list
  - md_in_html
  - def_list
  - toc:
      permalink: true
"""


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------- floor worker


def floor_worker(folder: Path) -> None:
    """Child process of the floor measurement: convert every page's Markdown with Python-Markdown."""
    started = time.perf_counter()
    import markdown

    names, configs = extensions()
    imported = time.perf_counter()
    pages = sorted(folder.rglob("*.md"))
    html_bytes = 0
    for path in pages:
        text = split_front_matter(path.read_text(encoding="utf-8"))[1]
        html_bytes += len(markdown.markdown(text, extensions=names, extension_configs=configs))
    done = time.perf_counter()
    print(json.dumps({"pages": len(pages), "convert_seconds": done - imported, "import_seconds": imported - started,
                      "html_bytes": html_bytes}))


# --------------------------------------------------------------------------------------------- plain project

FRONT = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.S)
INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--[ \t]+"(?P<name>[^"]+)"[ \t]*$')
MARKER = re.compile(r'^(?P<indent>[ \t]*)(?P<kind>!!!|\?\?\?\+?)[ \t]*internal\b[ \t]*(?:"(?P<title>.*)")?[ \t]*$')
VARIABLE = re.compile(r"(?<!\\)\{\{\s*(?P<name>[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\s*\}\}")
HEADING = re.compile(r"^(#{1,5})(?=[ \t])")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def split_front_matter(text: str) -> tuple[dict, str]:
    match = FRONT.match(text)
    if not match:
        return {}, text
    return yaml.safe_load(match.group(1)) or {}, text[match.end():]


def flatten(values: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in values.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def indent_width(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


class PlainRenderer:
    """What a writer without cxdocs would publish: includes expanded, variables filled in,
    internal blocks dropped (public) or shown as ordinary admonitions (internal)."""

    def __init__(self, content: Path, lang: str, default: str, variables: dict, audience: str):
        self.content, self.lang, self.default, self.audience = content, lang, default, audience
        self.values = flatten(variables)

    def snippet(self, name: str) -> str:
        path = self.content / name
        variant = path.with_name(f"{path.stem}.{self.lang}{path.suffix}")
        return (variant if variant.is_file() else path).read_text(encoding="utf-8")

    def expand(self, text: str, depth: int = 0) -> list[str]:
        out = []
        for line in text.rstrip("\n").split("\n"):
            match = INCLUDE.match(line)
            if not match or depth > 8:
                out.append(line)
                continue
            for inc in self.expand(self.snippet(match["name"]), depth + 1):
                out.append(match["indent"] + inc if inc.strip() else inc)
        return out

    def filter(self, lines: list[str]) -> list[str]:
        out, i = [], 0
        while i < len(lines):
            match = MARKER.match(lines[i])
            if not match:
                out.append(lines[i])
                i += 1
                continue
            width, end, last = indent_width(lines[i]), i + 1, i
            while end < len(lines) and (not lines[end].strip() or indent_width(lines[end]) >= width + 4):
                if lines[end].strip():
                    last = end
                end += 1
            if self.audience == "internal":
                out.append(f'{match["indent"]}{match["kind"]} note "{match["title"] or "Internal"}"')
                out.extend(lines[i + 1 : last + 1])
            i = last + 1
        return out

    def substitute(self, text: str) -> str:
        return VARIABLE.sub(lambda m: str(self.values[m["name"]]) if m["name"] in self.values else m.group(0), text)

    def page(self, meta: dict, body: str, kind: str) -> tuple[dict, str]:
        lines = self.filter(self.expand(body))
        header = []
        if kind == "sop":
            facts = [f"**Department:** {meta.get('department', '')}", f"**Owner:** {meta.get('owner', '')}"]
            if meta.get("review_by"):
                facts.append(f"**Review by:** {meta['review_by']}")
            header += [" · ".join(facts), "", f"**Purpose:** {meta.get('purpose', '')}", ""]
            if meta.get("terms"):
                header += ["## Terms", ""]
                for term, definition in meta["terms"].items():
                    header += [str(term), f":   {definition}", ""]
        elif kind == "response":
            tags = ", ".join(str(t) for t in meta.get("tags") or [])
            header += [f"**Subject:** {meta.get('subject', '')} · **Tags:** {tags}", ""]
        text = self.substitute("\n".join(header + lines)) + "\n"
        out_meta = {"title": self.substitute(str(meta.get("title", "")))}
        if meta.get("description") or meta.get("purpose"):
            out_meta["description"] = self.substitute(str(meta.get("description") or meta.get("purpose")))
        return out_meta, text


def demote(markdown: str) -> str:
    out, fence = [], None
    for line in markdown.split("\n"):
        match = FENCE.match(line)
        if fence:
            fence = None if match and match.group(1)[0] == fence else fence
        elif match:
            fence = match.group(1)[0]
        else:
            line = HEADING.sub(r"#\1", line)
        out.append(line)
    return "\n".join(out)


def plain_project(corpus: Path, out: Path, target: str) -> int:
    """Write a plain MkDocs + material project with the pages of ``target``; returns the page count."""
    import markdown.extensions.toc as toc

    config = yaml.safe_load((corpus / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p["cxdocs"] for p in config["plugins"] if isinstance(p, dict) and "cxdocs" in p)
    languages = options.get("languages", ["en"])
    audience, _, lang = target.partition(":")
    lang = lang or languages[0]
    variables = merge(options.get("variables", {}), options.get("language_variables", {}).get(lang, {}))
    content = corpus / config.get("docs_dir", "docs")
    renderer = PlainRenderer(content, lang, languages[0], variables, audience)
    docs = out / "docs"
    shutil.rmtree(out, ignore_errors=True)
    docs.mkdir(parents=True)
    pages: dict[str, list[tuple]] = {}  # root/folder -> [(slug, meta, markdown, kind, source meta)]
    for path in sorted(content.rglob("*.md")):
        rel = path.relative_to(content)
        root = rel.parts[0]
        if root == "snippets" or path.name.count(".") > 1:
            continue
        kind = {"faq": "faq", "sop": "sop", "responses": "response"}.get(root, "page")
        if audience == "public" and kind in ("sop", "response"):
            continue
        source = path
        if lang != languages[0]:
            translation = path.with_name(f"{path.stem}.{lang}.md")
            source = translation if translation.is_file() else path
        meta, body = split_front_matter(source.read_text(encoding="utf-8"))
        if kind == "sop":
            meta = {**split_front_matter(path.read_text(encoding="utf-8"))[0], **meta}
        out_meta, text = renderer.page(meta, body, kind)
        pages.setdefault(str(rel.parent), []).append((rel.stem, out_meta, text, kind, meta))
    count = 0

    def write(uri: str, title: str, body: str, description: str = "") -> None:
        nonlocal count
        meta = {"title": title, **({"description": description} if description else {})}
        path = docs / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, width=100000) + "---\n\n" + body, encoding="utf-8")
        count += 1

    # The pages themselves, then the landing pages cxdocs generates for a target: home, one
    # overview per section, one listing per folder and, in the handbook, a printable page per department.
    sections: dict[str, list[str]] = {}
    for folder, members in pages.items():
        root, _, sub = folder.partition("/")
        sections.setdefault(root, []).append(folder)
        for slug, meta, text, *_ in members:
            write(f"{folder}/{slug}.md", meta["title"], text, meta.get("description", ""))
        kind = members[0][3]
        title = str(members[0][4].get("department") or "") if kind == "sop" else ""
        title = renderer.substitute(title) or sub.replace("-", " ").capitalize()
        listing = []
        for slug, meta, text, *_ in members:
            listing += [f"## [{meta['title']}]({slug}.md)", ""]
            if meta.get("description"):
                listing += [meta["description"], ""]
            if kind == "faq":
                listing += [f"- [{q}]({slug}.md#{toc.slugify(q, '-')})" for q in re.findall(r"^## (.+)$", text, re.M)]
                listing.append("")
        write(f"{folder}/index.md", title, "\n".join(listing))
        if kind == "sop" and audience == "internal":
            parts = [f'<div class="print-sop" markdown="1">\n\n## {meta["title"]}\n\n{demote(text)}\n\n</div>' for _, meta, text, *_ in members]
            write(f"{folder}/print-all.md", f"{title}: all SOPs, printable", "\n\n".join(parts))
    home = ["Find answers to common questions, by topic.", ""]
    for root, folders in sorted(sections.items()):
        overview = []
        for folder in sorted(folders):
            name = folder.partition("/")[2]
            overview += [f"## [{name.replace('-', ' ').capitalize()}]({name}/index.md)", ""]
            overview += [f"- [{meta['title']}]({name}/{slug}.md)" for slug, meta, *_ in pages[folder]] + [""]
            home.append(f"- [{name.replace('-', ' ').capitalize()}]({folder}/index.md) ({len(pages[folder])})")
        write(f"{root}/index.md", root.upper() if root == "faq" else root.capitalize(), "\n".join(overview))
    write("index.md", config.get("site_name", "Home"), "\n".join(home) + "\n")

    theme = {"name": "material", "font": False, "features": THEME_FEATURES}
    if lang != "en":
        import material

        if (Path(material.__file__).parent / "templates" / "partials" / "languages" / f"{lang}.html").is_file():
            theme["language"] = lang
    plain = {
        "site_name": config.get("site_name", "Plain"),
        "site_url": config.get("site_url", ""),
        "docs_dir": "docs",
        "theme": theme,
        "plugins": ["search"],
    }
    (out / "mkdocs.yml").write_text(
        yaml.safe_dump(plain, allow_unicode=True, sort_keys=False) + MARKDOWN_EXTENSIONS_YAML, encoding="utf-8"
    )
    return count


# --------------------------------------------------------------------------------------------- measuring


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants now (Linux /proc), 0 if unavailable."""
    return sum(_rss(pid) for pid in descendants(root))


def tree_pss(root: int) -> int:
    """Proportional set size of ``root`` and all its descendants now, summed: memory shared by
    several of them (a worker and the project it was forked from) counted once, split between
    them (``Pss`` in /proc/<pid>/smaps_rollup); 0 if unavailable."""
    return sum((rollup(pid) or {}).get("Pss", 0) for pid in descendants(root)) * 1024


def rollup(pid: int) -> dict[str, int] | None:
    """The sizes /proc/<pid>/smaps_rollup gives the process (``Rss``, ``Pss``, ``Private_Dirty``,
    ...), in KiB; None once it has ended."""
    sizes = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                name, _, value = line.partition(":")
                if value.strip().endswith("kB"):
                    sizes[name] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return sizes


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def descendants(root: int) -> list[int]:
    """``root`` and every process below it (Pagefind's, a worker's), from /proc."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def run_child(cmd: list[str], cwd: Path, timeout: float, env: dict | None = None) -> dict:
    """Run a whole process; its wall time, peak RSS, exit status and output.

    Three peaks: ``peak_mib`` from wait4's rusage, exact, of the largest single process (the child
    or a worker it reaped); ``peak_tree_mib`` sampled every 50 ms, the resident sizes of the child
    and all its descendants added up (memory they share is counted once per process);
    ``peak_pss_mib`` sampled every 0.5 s, their proportional set sizes added up (shared memory
    counted once): what the machine had to hold at once.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True)
        timed_out = threading.Event()

        def kill():
            timed_out.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        done = threading.Event()
        tree_peak, pss_peak = [0], [0]

        def sample():
            ticks = 0
            while not done.wait(0.05):
                tree_peak[0] = max(tree_peak[0], tree_rss(proc.pid))
                ticks += 1
                if ticks % 10 == 0:  # reading smaps costs more than statm
                    pss_peak[0] = max(pss_peak[0], tree_pss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: take the child (and its children) down too
            kill()
            os.waitpid(proc.pid, 0)
            proc.returncode = -9
            raise
        finally:
            timer.cancel()
            done.set()
        wall = time.perf_counter() - started
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "wall": wall,
            "peak_mib": usage.ru_maxrss / 1024,  # Linux: KiB
            "peak_tree_mib": tree_peak[0] / 2**20,
            "peak_pss_mib": pss_peak[0] / 2**20,
            "user": usage.ru_utime,
            "sys": usage.ru_stime,
            "rc": proc.returncode,
            "timed_out": timed_out.is_set(),
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def cpu_busy(interval: float) -> float | None:
    """Share of all CPUs busy over ``interval`` seconds (from /proc/stat), or None off Linux."""

    def sample():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return sum(values), values[3] + values[4]  # total, idle + iowait

    try:
        total1, idle1 = sample()
        time.sleep(interval)
        total2, idle2 = sample()
    except OSError:
        return None
    return 1 - (idle2 - idle1) / max(total2 - total1, 1)


IDLE = {"below": 0.25, "wait": 0.0}


def wait_for_idle() -> float | None:
    """On a shared machine, wait (up to IDLE['wait'] s) until other processes leave the CPUs mostly idle."""
    if IDLE["wait"] <= 0:
        return None
    started = time.monotonic()
    busy = cpu_busy(1.0)
    said = False
    while busy is not None and busy > IDLE["below"] and time.monotonic() - started < IDLE["wait"]:
        if not said:
            log(f"  waiting for the machine to be idle ({busy:.0%} of the CPUs busy; up to {IDLE['wait']:.0f} s)")
            said = True
        busy = cpu_busy(2.0)
    if busy is not None and busy > IDLE["below"]:
        log(f"  measuring anyway: {busy:.0%} of the CPUs busy with other work; wall times will be inflated")
    return busy


class Runs:
    """The runs of one measurement, taken one at a time so that measurements can alternate."""

    def __init__(self, name: str, cmd: list[str], cwd: Path, timeout: float, before=None, env=None):
        self.name, self.cmd, self.cwd, self.timeout, self.before, self.env = name, cmd, cwd, timeout, before, env
        self.runs: list[dict] = []
        self.failed = False

    def once(self, number: int, repeat: int) -> None:
        if self.failed:
            return
        if self.before:
            self.before()
        busy = wait_for_idle()
        result = run_child(self.cmd, self.cwd, self.timeout, self.env)
        result["busy_before"] = busy
        result["loadavg_after"] = os.getloadavg()[0]
        self.runs.append(result)
        name = self.name
        if result["timed_out"]:
            log(f"  {name} run {number}/{repeat}: TIMEOUT after {self.timeout:.0f} s")
            self.failed = True
        elif result["rc"] != 0:
            tail = "\n    ".join(result["stderr"].strip().splitlines()[-15:])
            log(f"  {name} run {number}/{repeat}: FAILED (exit {result['rc']})\n    {tail}")
            self.failed = True
        else:
            log(f"  {name} run {number}/{repeat}: {result['wall']:.2f} s wall, {result['user'] + result['sys']:.2f} s CPU, "
                f"peak {result['peak_mib']:.0f} MiB (process tree {result['peak_tree_mib']:.0f} MiB)")

    def summary(self, repeat: int) -> dict:
        runs = self.runs
        ok = [r for r in runs if r["rc"] == 0 and not r["timed_out"]]
        summary = {
            "ok": len(ok) == repeat,
            "runs": [{k: r[k] for k in ("wall", "peak_mib", "peak_tree_mib", "user", "sys", "rc", "timed_out",
                                        "busy_before", "loadavg_after")}
                     for r in runs],
            "wall": statistics.median(r["wall"] for r in ok) if ok else None,
            "cpu": statistics.median(r["user"] + r["sys"] for r in ok) if ok else None,
            "peak_mib": max(r["peak_mib"] for r in ok) if ok else None,
            "peak_tree_mib": max(r["peak_tree_mib"] for r in ok) if ok else None,
            "cmd": self.cmd,
        }
        if not summary["ok"] and runs:
            summary["error"] = "timeout" if runs[-1]["timed_out"] else runs[-1]["stderr"].strip()[-2000:]
        summary["last_stdout"] = runs[-1]["stdout"] if runs else ""
        summary["last_stderr"] = runs[-1]["stderr"] if runs else ""
        return summary


def measure(name: str, cmd: list[str], cwd: Path, repeat: int, timeout: float, before=None, env=None) -> dict:
    runs = Runs(name, cmd, cwd, timeout, before, env)
    for number in range(1, repeat + 1):
        runs.once(number, repeat)
    return runs.summary(repeat)


def alternate(measures: dict[str, Runs], repeat: int) -> dict[str, dict]:
    """Run the measurements in turn, round after round (A B C A B C ...), so that each round's
    runs are taken close together: the machine's speed drifts, and a ratio within a round does not."""
    for number in range(1, repeat + 1):
        for runs in measures.values():
            runs.once(number, repeat)
    return {name: runs.summary(repeat) for name, runs in measures.items()}


BUILT = re.compile(r"built (\d+) target\(s\)(?: \([^)]*\))?, (\d+) pages")


def built_pages(stderr: str) -> int | None:
    match = BUILT.search(stderr)
    return int(match.group(2)) if match else None


def cold(root: Path | None) -> list[str]:
    """Every run builds from nothing: a cxdocs with a build cache is told not to use it (older ones have none)."""
    if root is None or (root / "cxdocs" / "core" / "cache.py").is_file():
        return ["--no-cache"]
    return []


def bench_size(size: int, args, workdir: Path) -> dict:
    languages = args.languages
    target = args.target or f"public:{languages[0]}"
    corpus = workdir / f"corpus-{size}"
    log(f"size {size}: generating corpus ({', '.join(languages)}, translated {args.translated}, seed {args.seed})")
    started = time.perf_counter()
    info = generate_corpus.generate(corpus, size, languages, args.translated, args.seed, force=True)
    info["seconds"] = time.perf_counter() - started
    result: dict = {"size": size, "corpus": info, "target": target, "measures": {}}
    env = {**os.environ, "CI": "1", "NO_MKDOCS_2_WARNING": "1"}
    if CODE["root"] is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(CODE["root"]), *filter(None, [os.environ.get("PYTHONPATH")])])
    env.pop("SOURCE_DATE_EPOCH", None)
    wanted = args.measure

    if {"floor", "material"} & set(wanted):
        plain = workdir / f"plain-{size}"
        result["plain_pages"] = plain_project(corpus, plain, target)
        log(f"size {size}: plain project for {target}: {result['plain_pages']} pages")
    alternating: dict[str, Runs] = {}
    if "floor" in wanted:
        alternating["floor"] = Runs("floor", [sys.executable, str(Path(__file__).resolve()), "--floor-worker", str(plain / "docs")],
                                    workdir, args.timeout, env=env)
    if "cxdocs" in wanted:
        site = workdir / f"site-cxdocs-{size}"
        alternating["cxdocs"] = Runs(
            f"cxdocs --target {target}", [sys.executable, "-m", "cxdocs.app.cli", "build", *cold(CODE["root"]), "--target", target, "-d", str(site)],
            corpus, args.timeout, before=lambda site=site: shutil.rmtree(site, ignore_errors=True), env=env)
    if BASELINE["root"] is not None and "cxdocs" in wanted:
        site = workdir / f"site-baseline-{size}"
        baseline_env = {**env, "PYTHONPATH": os.pathsep.join([str(BASELINE["root"]), *filter(None, [os.environ.get("PYTHONPATH")])])}
        alternating["baseline"] = Runs(
            f"cxdocs {BASELINE['label']} --target {target}",
            [sys.executable, "-m", "cxdocs.app.cli", "build", *cold(BASELINE["root"]), "--target", target, "-d", str(site)],
            corpus, args.timeout, before=lambda site=site: shutil.rmtree(site, ignore_errors=True), env=baseline_env)
    if "material" in wanted:
        site = workdir / f"site-material-{size}"
        alternating["material"] = Runs(
            "mkdocs-material", [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(plain / "mkdocs.yml"), "-d", str(site)],
            plain, args.timeout, before=lambda site=site: shutil.rmtree(site, ignore_errors=True), env=env)
    for name, m in alternate(alternating, args.repeat).items():
        if name == "floor" and m["ok"]:
            m.update(json.loads(m["last_stdout"].strip().splitlines()[-1]))
        if name in ("cxdocs", "baseline"):
            m["pages"] = built_pages(m["last_stderr"])
        if name == "material":
            m["pages"] = result.get("plain_pages")
        result["measures"][name] = m
    for name in ("cxdocs", "baseline", "material"):
        shutil.rmtree(workdir / f"site-{name}-{size}", ignore_errors=True)
    if "full" in wanted:
        site = workdir / f"site-full-{size}"
        m = measure("cxdocs (all targets)", [sys.executable, "-m", "cxdocs.app.cli", "build", *cold(CODE["root"]), "-d", str(site)],
                    corpus, args.repeat, args.timeout, before=lambda: shutil.rmtree(site, ignore_errors=True), env=env)
        m["pages"] = built_pages(m["last_stderr"])
        match = BUILT.search(m["last_stderr"])
        m["targets"] = int(match.group(1)) if match else None
        result["measures"]["full"] = m
        shutil.rmtree(site, ignore_errors=True)
    if "material-full" in wanted:
        plains = []
        for audience in ("public", "internal"):
            for lang in languages:
                plain = workdir / f"plain-{size}-{audience}-{lang}"
                plain_project(corpus, plain, f"{audience}:{lang}")
                plains.append(str(plain / "mkdocs.yml"))
        sites = workdir / f"sites-material-full-{size}"
        m = measure("mkdocs-material (every target)", [sys.executable, str(Path(__file__).resolve()), "--material-all-worker", str(sites), *plains],
                    workdir, args.repeat, args.timeout, before=lambda: shutil.rmtree(sites, ignore_errors=True), env=env)
        m["targets"] = len(plains)
        result["measures"]["material-full"] = m
        shutil.rmtree(sites, ignore_errors=True)
    for m in result["measures"].values():
        m.pop("last_stdout", None)
        m.pop("last_stderr", None)
    return result


# --------------------------------------------------------------------------------------------- report


def per_page_ms(m: dict | None) -> float | None:
    if not m or m.get("wall") is None or not m.get("pages"):
        return None
    return m["wall"] / m["pages"] * 1000


def fmt(value, spec: str = ".2f", suffix: str = "") -> str:
    return "n/a" if value is None else f"{value:{spec}}{suffix}"


def ratio(a, b):
    return a / b if a is not None and b else None


def derive(results: list[dict]) -> None:
    """Per-page times, ratios and linearity (per-page time against the smallest size measured)."""
    base: dict[str, float] = {}
    for r in results:
        ms = r["measures"]
        for name, m in ms.items():
            m["ms_per_page"] = per_page_ms(m)
            if m["ms_per_page"] is not None:
                base.setdefault(name, m["ms_per_page"])
                m["linearity"] = m["ms_per_page"] / base[name]
            else:
                m["linearity"] = None
        cx = ms.get("cxdocs", {})
        for other in ("floor", "material", "baseline"):
            for kind in ("wall", "cpu"):
                r[f"cxdocs_over_{other}_{kind}"] = paired(cx, ms.get(other, {}), kind)
        r["cxdocs_over_floor"] = r["cxdocs_over_floor_wall"]
        r["cxdocs_over_material"] = r["cxdocs_over_material_wall"]


def paired(a: dict, b: dict, kind: str = "wall") -> float | None:
    """The median of the ratios a/b taken round by round (runs of the same round ran one after the other)."""
    def value(run: dict) -> float | None:
        if run["rc"] != 0 or run["timed_out"]:
            return None
        return run["wall"] if kind == "wall" else run["user"] + run["sys"]

    ratios = [x / y for x, y in ((value(p), value(q)) for p, q in zip(a.get("runs", []), b.get("runs", []))) if x and y]
    return statistics.median(ratios) if ratios else None


def tables(results: list[dict], args) -> str:
    lines = []
    one = [r for r in results if {"floor", "material", "cxdocs"} & set(r["measures"])]
    if one:
        target = one[0]["target"]
        lines += [
            f"One target ({target}), {', '.join(args.languages)}; cxdocs code: {CODE['label']}; "
            f"median of {args.repeat} run(s), whole processes, wall time; the measurements alternate round by round "
            "and each ratio is the median of the rounds' ratios",
            "",
            "| size | pages | floor s | mkdocs-material s | cxdocs s | floor ms/page | material ms/page | cxdocs ms/page "
            "| cxdocs/floor | cxdocs/material | linearity cxdocs | linearity material | peak MiB cxdocs | peak MiB material |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in one:
            f, m, c = (r["measures"].get(k, {}) for k in ("floor", "material", "cxdocs"))
            pages = c.get("pages") or r.get("plain_pages")
            lines.append(
                f"| {r['size']} | {fmt(pages, 'd')} | {fmt(f.get('wall'))} | {fmt(m.get('wall'))} | {fmt(c.get('wall'))} "
                f"| {fmt(f.get('ms_per_page'), '.1f')} | {fmt(m.get('ms_per_page'), '.1f')} | {fmt(c.get('ms_per_page'), '.1f')} "
                f"| {fmt(r['cxdocs_over_floor'], '.1f', 'x')} | {fmt(r['cxdocs_over_material'], '.2f', 'x')} "
                f"| {fmt(c.get('linearity'), '.2f')} | {fmt(m.get('linearity'), '.2f')} "
                f"| {fmt(c.get('peak_mib'), '.0f')} | {fmt(m.get('peak_mib'), '.0f')} |"
            )
        lines += [
            "",
            "CPU time (user + sys) of the same child processes, median: less sensitive than wall time to other load on the machine",
            "",
            "| size | pages | floor cpu s | mkdocs-material cpu s | cxdocs cpu s | cxdocs/floor | cxdocs/material | cxdocs cpu ms/page |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in one:
            f, m, c = (r["measures"].get(k, {}) for k in ("floor", "material", "cxdocs"))
            pages = c.get("pages") or r.get("plain_pages")
            lines.append(
                f"| {r['size']} | {fmt(pages, 'd')} | {fmt(f.get('cpu'))} | {fmt(m.get('cpu'))} | {fmt(c.get('cpu'))} "
                f"| {fmt(r.get('cxdocs_over_floor_cpu'), '.1f', 'x')} | {fmt(r.get('cxdocs_over_material_cpu'), '.2f', 'x')} "
                f"| {fmt(c['cpu'] / pages * 1000 if c.get('cpu') and pages else None, '.1f')} |"
            )
        if any("baseline" in r["measures"] for r in one):
            lines += [
                "",
                f"Before and after: cxdocs {BASELINE['label']} and cxdocs {CODE['label']}, the same target, in the same rounds",
                "",
                "| size | pages | before s | after s | after/before wall | before cpu s | after cpu s | after/before cpu |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for r in one:
                b, c = r["measures"].get("baseline", {}), r["measures"].get("cxdocs", {})
                lines.append(
                    f"| {r['size']} | {fmt(c.get('pages'), 'd')} | {fmt(b.get('wall'))} | {fmt(c.get('wall'))} "
                    f"| {fmt(r.get('cxdocs_over_baseline_wall'), '.2f', 'x')} | {fmt(b.get('cpu'))} | {fmt(c.get('cpu'))} "
                    f"| {fmt(r.get('cxdocs_over_baseline_cpu'), '.2f', 'x')} |"
                )
        failed = [(r["size"], k, m.get("error", "")) for r in one for k, m in r["measures"].items() if not m.get("ok")]
        for size, name, error in failed:
            lines.append(f"\n{name} at size {size} did not finish: {error.splitlines()[-1] if error else 'failed'}")
        lines.append("")
    full = [r for r in results if "full" in r["measures"]]
    if full:
        lines += [
            f"Full build (`cxdocs build`, every audience x language), {', '.join(args.languages)}, "
            f"{args.translated:.0%} translated; cxdocs code: {CODE['label']}; median of {args.repeat} run(s)",
            "",
            "| size | languages | targets | pages written | wall s | cpu s | ms/page written | linearity | peak MiB | peak MiB tree |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in full:
            m = r["measures"]["full"]
            lines.append(
                f"| {r['size']} | {len(args.languages)} | {fmt(m.get('targets'), 'd')} | {fmt(m.get('pages'), 'd')} "
                f"| {fmt(m.get('wall'))} | {fmt(m.get('cpu'))} | {fmt(m.get('ms_per_page'), '.1f')} | {fmt(m.get('linearity'), '.2f')} "
                f"| {fmt(m.get('peak_mib'), '.0f')} | {fmt(m.get('peak_tree_mib'), '.0f')} |"
            )
        lines.append("")
    plain_full = [r for r in results if "material-full" in r["measures"]]
    if plain_full:
        lines += [
            "Every target with plain mkdocs-material (a plain project per target, two builds at a time) against `cxdocs build`",
            "",
            "| size | targets | material wall s | material cpu s | cxdocs wall s | cxdocs cpu s | cxdocs/material wall | peak MiB tree material | peak MiB tree cxdocs |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in plain_full:
            m, c = r["measures"]["material-full"], r["measures"].get("full", {})
            lines.append(
                f"| {r['size']} | {fmt(m.get('targets'), 'd')} | {fmt(m.get('wall'))} | {fmt(m.get('cpu'))} | {fmt(c.get('wall'))} "
                f"| {fmt(c.get('cpu'))} | {fmt(ratio(c.get('wall'), m.get('wall')))} | {fmt(m.get('peak_tree_mib'), '.0f')} "
                f"| {fmt(c.get('peak_tree_mib'), '.0f')} |"
            )
        lines.append("")
    return "\n".join(lines)


CODE = {"root": None, "label": "installed"}
BASELINE = {"root": None, "label": ""}
"""A second cxdocs revision measured in the same rounds (--baseline-ref): before and after."""
"""The cxdocs code the child processes import: the installed package, or a snapshot (--cxdocs-ref)."""


def snapshot_code(ref: str, workdir: Path, name: str = "cxdocs-src") -> Path:
    """``src/`` of the git revision ``ref`` (or the working tree, ``WORKTREE``), copied into the work folder.

    Child processes get it first on PYTHONPATH, so they import it instead of the installed package:
    a run then measures one fixed version even while others edit src/.
    """
    repo = HERE.parent
    out = workdir / name
    shutil.rmtree(out, ignore_errors=True)
    if ref == "WORKTREE":
        shutil.copytree(repo / "src", out, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        return out
    out.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", ref, "src"], cwd=repo, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out), "--strip-components=1"], input=archive, check=True)
    return out


def source_fingerprint() -> str | None:
    """A hash of the cxdocs package's files: shows whether the measured code changed during a run."""
    import hashlib

    if CODE["root"] is not None:
        root = Path(CODE["root"]) / "cxdocs"
    else:
        try:
            import cxdocs
        except ImportError:
            return None
        root = Path(cxdocs.__file__).parent
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def environment() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for name in ("cxdocs", "mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "Jinja2"):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=HERE.parent, capture_output=True, text=True).stdout.strip()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "packages": versions,
        "git_commit": commit or None,
        "src_uncommitted_changes": bool(dirty),
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
    }


def material_all_worker(sites: Path, configs: list[str], jobs: int = 2) -> None:
    """Plain `mkdocs build` of every target's project, ``jobs`` processes at a time."""
    pending = list(enumerate(configs))
    running: list[subprocess.Popen] = []
    while pending or running:
        while pending and len(running) < jobs:
            number, config = pending.pop(0)
            running.append(subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(sites / str(number))]))
        done = [p for p in running if p.poll() is not None]
        for process in done:
            if process.returncode:
                raise SystemExit(f"mkdocs build failed ({process.args[-3]})")
            running.remove(process)
        if not done:
            time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) == 3 and sys.argv[1] == "--floor-worker":
        floor_worker(Path(sys.argv[2]))
        return 0
    if argv is None and len(sys.argv) > 3 and sys.argv[1] == "--material-all-worker":
        material_all_worker(Path(sys.argv[2]), sys.argv[3:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="See benchmarks/README.md.")
    parser.add_argument("--sizes", default="250,500", help="comma-separated corpus sizes (default-language pages), default 250,500")
    parser.add_argument("--languages", default="en", help="comma-separated languages, default first (default en)")
    parser.add_argument("--translated", type=float, default=0.8, help="share translated into each other language (default 0.8)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported (default 3)")
    parser.add_argument("--target", help="the one target of the floor/material/cxdocs rows (default public:<default language>)")
    parser.add_argument("--measure", help=f"comma-separated subset of {','.join(MEASURES)} "
                        "(default: floor,material,cxdocs, plus full with more than one language)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before one child process is killed (default 1800)")
    parser.add_argument("--workdir", type=Path, help="where corpora and sites go (default: a temporary folder, removed afterwards)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (corpora, plain projects)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--cxdocs-ref", metavar="REF",
                        help="measure cxdocs as of this git revision (e.g. HEAD, a commit, a branch; WORKTREE for a copy "
                        "of the current src/) instead of the installed package, which others may be editing")
    parser.add_argument("--baseline-ref", metavar="REF",
                        help="also measure cxdocs as of this git revision, alternating with the measured one: a before/after table")
    parser.add_argument("--idle-below", type=float, default=IDLE["below"],
                        help="before each run, wait until less than this share of the CPUs is busy (default 0.25)")
    parser.add_argument("--idle-wait", type=float, default=IDLE["wait"],
                        help="longest wait for that, in seconds (default 0: no waiting)")
    args = parser.parse_args(argv)
    args.languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes numbers, e.g. 250,500,1000")
    if args.measure:
        args.measure = [m.strip() for m in args.measure.split(",") if m.strip()]
        unknown = set(args.measure) - set(MEASURES)
        if unknown:
            parser.error(f"unknown measure(s): {', '.join(sorted(unknown))}")
    else:
        args.measure = ["floor", "material", "cxdocs"] + (["full"] if len(args.languages) > 1 else [])
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    IDLE.update(below=args.idle_below, wait=args.idle_wait)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up (workdir, child) on kill too
    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="cxdocs-bench-")) if temporary else args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    if args.cxdocs_ref:
        try:
            CODE["root"] = snapshot_code(args.cxdocs_ref, workdir)
        except subprocess.CalledProcessError as exc:
            parser.error(f"--cxdocs-ref {args.cxdocs_ref}: {exc.stderr.decode(errors='replace').strip() if exc.stderr else exc}")
        if args.cxdocs_ref == "WORKTREE":
            CODE["label"] = "working tree copy"
        else:
            rev = subprocess.run(["git", "rev-parse", "--short", args.cxdocs_ref], cwd=HERE, capture_output=True, text=True)
            CODE["label"] = f"git {rev.stdout.strip() or args.cxdocs_ref}"
    if args.baseline_ref:
        try:
            BASELINE["root"] = snapshot_code(args.baseline_ref, workdir, "baseline-src")
        except subprocess.CalledProcessError as exc:
            parser.error(f"--baseline-ref {args.baseline_ref}: {exc.stderr.decode(errors='replace').strip() if exc.stderr else exc}")
        rev = subprocess.run(["git", "rev-parse", "--short", args.baseline_ref], cwd=HERE, capture_output=True, text=True)
        BASELINE["label"] = f"git {rev.stdout.strip() or args.baseline_ref}"
    log(f"workdir {workdir}; sizes {sizes}; languages {args.languages}; measures {args.measure}; repeat {args.repeat}; "
        f"cxdocs code: {CODE['label']}")
    results = []
    started = time.perf_counter()
    fingerprint = source_fingerprint()
    args.fingerprints = (fingerprint, None)
    try:
        for size in sizes:
            results.append(bench_size(size, args, workdir))
            derive(results)
            if args.json:  # written after every size, so a long run that is stopped keeps what it measured
                write_json(args, sizes, results)
        args.fingerprints = (fingerprint, source_fingerprint())  # before the work folder (and a snapshot) goes
    finally:
        if temporary and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        elif temporary:
            log(f"kept {workdir}")
    log(f"done in {time.perf_counter() - started:.0f} s")
    if args.fingerprints[0] != args.fingerprints[1]:
        log("warning: the cxdocs source changed during the run; sizes may have been measured against different code")
    print(tables(results, args))
    if args.json:
        write_json(args, sizes, results)
        log(f"wrote {args.json}")
    return 0 if all(m.get("ok") for r in results for m in r["measures"].values()) else 1


def write_json(args, sizes, results) -> None:
    start, end = getattr(args, "fingerprints", (None, None))
    data = {
        "environment": {**environment(), "cxdocs_code": CODE["label"], "cxdocs_source_at_start": start,
                        "cxdocs_source_at_end": end},
        "settings": {"sizes": sizes, "languages": args.languages, "translated": args.translated, "seed": args.seed,
                     "repeat": args.repeat, "measures": args.measure, "timeout": args.timeout,
                     "idle_below": args.idle_below, "idle_wait": args.idle_wait,
                     "baseline_ref": args.baseline_ref},
        "results": results,
    }
    args.json.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
