"""Speed-ups through MkDocs' and mkdocs-material's internals change how fast a site is built, never
what it is, and an upstream release that changes those internals turns them off, not the build."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, Project, site_bytes

from cxdocs.adapters.mkdocs import speedups


def _example(root, **options) -> Project:
    root.mkdir(parents=True)
    for name in ("mkdocs.yml", "content", "plugins", "site_overrides"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
        else:
            shutil.copy(REPO / name, root / name)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    for key, value in options.items():
        config = config.replace("  - cxdocs:\n", f"  - cxdocs:\n      {key}: {json.dumps(value)}\n", 1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return Project(root)


@pytest.fixture
def reproducible(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")


def test_the_example_is_the_same_site_with_and_without_speedups(tmp_path, reproducible):
    fast = _example(tmp_path / "fast")
    plain = _example(tmp_path / "plain", speedups=False)
    for project in (fast, plain):
        result = project.build()
        assert result.exit_code == 0, result.output
    assert "speed-up off" not in fast.build().output
    fast_site, plain_site = site_bytes(fast.root / "site"), site_bytes(plain.root / "site")
    assert sorted(fast_site) == sorted(plain_site)
    assert [rel for rel in fast_site if fast_site[rel] != plain_site[rel]] == []


def test_an_upstream_version_no_speedup_was_checked_against_turns_them_off_with_a_notice(project, monkeypatch, caplog):
    monkeypatch.setattr(speedups, "_installed", lambda distribution: "99.0")
    monkeypatch.setattr(speedups, "_said", set())
    monkeypatch.setenv("CXDOCS_JOBS", "1")
    with caplog.at_level("WARNING", logger="cxdocs.speedups"):
        result = project.build()
    assert result.exit_code == 0, result.output
    notices = [r.getMessage() for r in caplog.records if r.name == "cxdocs.speedups"]
    assert len(notices) == len(speedups.SPEEDUPS)  # one line each, once
    assert all("found 99.0" in notice and "own speed" in notice for notice in notices)
    assert "How long does delivery take?" in project.html("public/faq/shipping/delivery/index.html")


def test_a_missing_upstream_name_turns_its_speedup_off_without_breaking_an_import():
    code = (
        "import logging, sys\n"
        "import material.plugins.search.plugin as search, mkdocs.commands.build as build\n"
        "del search.void, build._populate_page\n"
        "for name in list(sys.modules):\n"
        "    if name.startswith('cxdocs'): del sys.modules[name]\n"
        "import cxdocs.adapters.mkdocs.plugin, cxdocs.app.cli\n"
        "from cxdocs.adapters.mkdocs import speedups\n"
        "print(sorted(n for n in speedups.SPEEDUPS if speedups.load(n) is None))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['pagebuild', 'search_sections']"
    assert "speed-up off (search sections read without HTMLParser): ImportError" in result.stderr


def test_every_speedup_names_the_versions_it_was_checked_against_and_they_are_installed_here():
    for name, speedup in speedups.SPEEDUPS.items():
        assert speedup.checked, name
        assert speedups.why_off(name) is None, (name, speedups.why_off(name))
