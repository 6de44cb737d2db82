"""Tests build tiny projects in tmp_path and run the real cxdocs commands on them."""

from __future__ import annotations

import gzip
import json
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from cxdocs.app.cli import main

REPO = Path(__file__).resolve().parent.parent


class Project:
    """A throwaway cxdocs project: write files, run commands, read the output."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def write_bytes(self, rel: str, data: bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def config(self, **plugin_options) -> None:
        config = {
            "site_name": "Test Help",
            "site_url": "https://help.example.test/",
            "docs_dir": "content",
            "theme": {"name": "material", "font": False},
            "plugins": ["search", {"cxdocs": plugin_options} if plugin_options else "cxdocs"],
        }
        (self.root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")

    def run(self, *args: str) -> Result:
        runner = CliRunner()
        with _chdir(self.root):
            return runner.invoke(main, list(args), catch_exceptions=False)

    def build(self, *args: str) -> Result:
        return self.run("build", *args)

    def site_files(self, sub: str = "") -> dict[str, str]:
        """Every file below site/<sub> as text (gzip files decompressed), keyed by relative path."""
        return {rel: data.decode("utf-8", errors="replace") for rel, data in site_bytes(self.root / "site" / sub).items()}

    def html(self, rel: str) -> str:
        return (self.root / "site" / rel).read_text(encoding="utf-8")


PAGEFIND_FILES = (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter")
"""Pagefind's index files: gzip of ``pagefind_dcd`` and the data (a fragment is a page's JSON)."""


def site_bytes(base: Path) -> dict[str, bytes]:
    """Every file below ``base`` (gzip files and Pagefind's index files decompressed), keyed by relative path."""
    out = {}
    for path in sorted(base.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix == ".gz" or path.suffix in PAGEFIND_FILES:
                data = gzip.decompress(data)
            out[path.relative_to(base).as_posix()] = data
    return out


def returns_in_english_and_slovenian(project: Project, english_note: str = "") -> None:
    """A project in English and Slovenian whose FAQ page "Returns" has a Slovenian translation;
    ``english_note``: an agent note on the English page."""
    project.config(languages=["en", "sl"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    note = f'\n!!! internal "Agent note"\n    {english_note}\n' if english_note else ""
    project.write("content/faq/shipping/returns.md", "---\ntitle: Returns\n---\n\n## How do I send an item back?\n\n"
                  f"Print the prepaid label and drop the parcel off.\n{note}")
    project.write("content/faq/shipping/returns.sl.md", "---\ntitle: Vračila\n---\n\n## Kako vrnem izdelek?\n\n"
                  "Natisnite plačano nalepko in oddajte paket na pošti.\n")


def pagefind_pages(bundle: Path) -> dict[str, dict]:
    """Each page of a Pagefind bundle (``site/.../pagefind``) as its index holds it, by its address."""
    pages = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        page = json.loads(data[len(b"pagefind_dcd"):])
        pages[page["url"]] = page
    return pages


class _chdir:
    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        import os

        self.old = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc):
        import os

        os.chdir(self.old)


MINIMAL_FAQ = """
---
title: Shipping
description: Delivery times and tracking.
---

## How long does delivery take?

Standard delivery takes {{ shipping.days }}.

## Can I track my parcel?

Yes, with the link in your confirmation email.
"""

MINIMAL_SOP = """
---
title: Refund a customer
department: Billing
purpose: Refund correctly and within limits.
owner: Ana Novak
review_by: 2099-01-31
terms:
  RMA: Return merchandise authorization.
---

## Steps

1. Check the order.
2. Refund up to {{ limits.refund }} without approval.
"""

MINIMAL_RESPONSE = """
---
title: Refund confirmed
tags: [refunds]
subject: "Your refund for {{ ticket.subject }}"
---

Hi {{ customer.first_name }},

Your refund is on its way.

{{ agent.first_name }}
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A small valid project: one FAQ page, one SOP, one response, two variables."""
    p = Project(tmp_path)
    p.config(variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    p.write("content/faq/shipping/delivery.md", MINIMAL_FAQ)
    p.write("content/sop/billing/refund.md", MINIMAL_SOP)
    p.write("content/responses/refunds/refund-confirmed.md", MINIMAL_RESPONSE)
    return p


def example_project(root: Path, **mkdocs_overrides) -> Project:
    """A copy of the shipped example knowledge base, with ``mkdocs.yml`` keys (or, for a key
    starting with ``cxdocs.``, plugin options) set as given."""
    import shutil

    for name in ("content", "plugins", "site_overrides"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name)
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p["cxdocs"] for p in config["plugins"] if isinstance(p, dict) and "cxdocs" in p)
    for key, value in mkdocs_overrides.items():
        if key.startswith("cxdocs."):
            options[key.removeprefix("cxdocs.")] = value
        else:
            config[key] = value
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Project(root)
