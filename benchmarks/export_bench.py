"""Time ``cxdocs export`` for 1,000 responses in 5 languages (every response translated).

    python benchmarks/export_bench.py [--responses 1000] [--runs 3]

Generates a project in a temporary folder: 1,000 responses in 20 folders, each with a subject,
tags, two variables, an agent note (removed from the packs), a list and a link, and its
translation into four more languages. Placeholders are ones all five built-in helpdesks carry, so
every format is written. Runs the real command in a fresh process each time (load, check,
render, write) and prints the wall time of each run, the median and what was written.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

LANGUAGES = ["en", "sl", "hr", "el", "ru"]
FORMATS = ["zendesk", "freshdesk", "helpscout", "liveagent", "django-helpdesk"]
GREETING = {"en": "Hello", "sl": "Pozdravljeni", "hr": "Pozdrav", "el": "Γεια σας", "ru": "Здравствуйте"}

BODY = """---
title: "{title}"
tags: [{folder}, bench]
subject: "{greeting}: ticket {{{{ ticket.id }}}}"
---

{greeting},

We have your message about order {n} and will write to {{{{ customer.email }}}} within
{{{{ sla.first_response_hours }}}} hours. Refunds up to {{{{ limits.refund }}}} are sent the same day.

!!! internal "Agent note"
    Check the order history before replying (case {n}).

1. Open [your account](https://shop.example/account).
2. Choose **Orders** and then order {n}.
3. Quote ticket {{{{ ticket.id }}}} if you write again.

Thank you for your patience.
"""


def generate(root: Path, responses: int) -> None:
    config = {
        "site_name": "Export benchmark",
        "docs_dir": "content",
        "theme": {"name": "material"},
        "plugins": [{"cxdocs": {
            "languages": LANGUAGES,
            "variables": {"sla": {"first_response_hours": 24}, "limits": {"refund": "30 EUR"}},
            "language_variables": {"ru": {"limits": {"refund": "3000 ₽"}}},
        }}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for n in range(responses):
        folder = f"topic-{n % 20:02d}"
        base = root / "content" / "responses" / folder
        base.mkdir(parents=True, exist_ok=True)
        for lang in LANGUAGES:
            suffix = "" if lang == LANGUAGES[0] else f".{lang}"
            text = BODY.format(title=f"Reply {n} ({lang})", folder=folder, greeting=GREETING[lang], n=n)
            (base / f"reply-{n:04d}{suffix}.md").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generate(root, args.responses)
        command = [sys.executable, "-m", "cxdocs.app.cli", "export", *[f"--format={f}" for f in FORMATS]]
        times = []
        for run in range(args.runs):
            started = time.perf_counter()
            result = subprocess.run(command, cwd=root, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            if result.returncode != 0:
                sys.exit(result.stderr)
            print(f"run {run + 1}: {times[-1]:.2f} s  ({result.stderr.strip().splitlines()[-1]})")
        files = [p for p in (root / "site" / "responses").rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        print(
            f"{args.responses} responses x {len(LANGUAGES)} languages, {len(FORMATS)} formats: "
            f"median {statistics.median(times):.2f} s wall, {len(files)} files, {size / 1e6:.1f} MB"
        )


if __name__ == "__main__":
    main()
