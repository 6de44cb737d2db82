"""Each site keeps one copy of the theme's files for all its languages, at an address named by
their content, so browsers cache them across languages and deploys."""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

ASSET = re.compile(r'(?:href|src)="([^"]*assets/[0-9a-f]{10}/[^"]+)"')


@pytest.fixture
def two_languages(project):
    project.config(languages=["en", "sl", "ru"], variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    return project


def _hashed(folder: Path) -> list[str]:
    return sorted(p.name for p in (folder / "assets").iterdir() if re.fullmatch(r"[0-9a-f]{10}", p.name)) \
        if (folder / "assets").is_dir() else []


def _broken_asset_links(site: Path, site_path: str = "/") -> list[tuple[str, str]]:
    """Every theme file a page of ``site`` refers to that is not there (404 pages link from ``site_path``)."""
    broken = []
    for page in site.rglob("*.html"):
        rel = page.relative_to(site).as_posix()
        for href in ASSET.findall(page.read_text(encoding="utf-8")):
            if href.startswith("/"):
                target = href[len(site_path):]
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))
            if not (site / target).is_file():
                broken.append((rel, href))
    return broken


def test_every_language_uses_the_sites_one_copy(two_languages):
    assert two_languages.build().exit_code == 0
    site = two_languages.root / "site"
    for audience in ("public", "internal"):
        assert len(_hashed(site / audience)) == 1
        for lang in ("sl", "ru"):
            assert not _hashed(site / audience / lang)
            assert not list((site / audience / lang).rglob("*.css")), "a language copies the theme again"
        assert not _broken_asset_links(site / audience)
    page = (site / "public/ru/faq/shipping/delivery/index.html").read_text(encoding="utf-8")
    digest = _hashed(site / "public")[0]
    assert f'href="../../../../assets/{digest}/stylesheets/main.' in page
    assert f'"search": "../../../../assets/{digest}/javascripts/workers/search.' in page
    assert f'href="/assets/{digest}/stylesheets/main.' in (site / "public/ru/404.html").read_text(encoding="utf-8")


def test_a_changed_theme_file_gets_a_new_address_and_one_language_rebuilt_keeps_working(two_languages):
    assert two_languages.build().exit_code == 0
    site = two_languages.root / "site"
    before = _hashed(site / "public")
    # A theme override changes the theme's files: a new folder, the old one kept for pages still using it.
    two_languages.write("site_overrides/assets/stylesheets/extra.css", ".md-typeset { color: #111; }\n")
    config = two_languages.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n", "  name: material\n  custom_dir: site_overrides\n"))
    assert two_languages.build("--target", "public:sl").exit_code == 0
    after = _hashed(site / "public")
    assert len(after) == 2 and before[0] in after
    assert not _hashed(site / "public" / "sl")
    assert not _broken_asset_links(site / "public")
    assert two_languages.build("--target", "public:en").exit_code == 0
    assert set(_hashed(site / "public")) == set(after)  # the Russian pages still use the first one
    assert not _broken_asset_links(site / "public")
    assert two_languages.build().exit_code == 0
    assert _hashed(site / "public") == [a for a in after if a not in before]  # a full build: only the current


def test_a_language_built_alone_by_mkdocs_carries_its_own_copy(two_languages):
    """``mkdocs build`` of one language makes a site of its own: the files are in it."""
    env = {**os.environ, "CXDOCS_LANG": "sl"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "alone"], cwd=two_languages.root,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    alone = two_languages.root / "alone"
    assert len(_hashed(alone)) == 1
    assert not _broken_asset_links(alone, site_path="/sl/")  # its site_url: https://help.example.test/sl/
