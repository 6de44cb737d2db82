"""The navigation cache changes how fast pages are written, never what their navigation is."""

from __future__ import annotations

import posixpath
import re

import pytest
import yaml
from conftest import MINIMAL_SOP, Project

NAV_START = '<div class="md-sidebar md-sidebar--primary"'
NAV_END = '<div class="md-sidebar md-sidebar--secondary"'


def _split(page: str) -> tuple[str, str]:
    start, end = page.find(NAV_START), page.find(NAV_END)
    assert start > 0 and end > start
    return page[start:end], page[:start] + page[end:]


def _resolved(fragment: str, rel: str) -> str:
    """Links as the pages they lead to, so '../b/' and '../../faq/b/' from the same page compare equal."""
    base = posixpath.dirname(rel)

    def resolve(match: re.Match) -> str:
        href = match.group(1)
        if ":" in href or href.startswith("#"):
            return match.group(0)
        path, sep, fragment_id = href.partition("#")
        return f'href="{posixpath.normpath(posixpath.join(base, path))}{sep}{fragment_id}"'

    return re.sub(r'href="([^"]*)"', resolve, fragment)


def _build(root, features, monkeypatch, cache: bool) -> dict[str, str]:
    root.mkdir(parents=True)
    p = Project(root)
    p.config(variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    config["theme"]["features"] = features
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    for topic in ("shipping", "returns", "billing"):
        for n in range(3):
            p.write(f"content/faq/{topic}/page-{n}.md", f"---\ntitle: {topic} {n}\n---\n\n## Question {n}?\n\nAnswer.\n\n## Another {n}?\n\nYes.\n")
    p.write("content/faq/returns/index.md", "---\ntitle: Returns and refunds\n---\n\nAll about returns.\n")
    p.write("content/sop/billing/refund.md", MINIMAL_SOP)
    p.write("content/sop/shipping/lost.md", MINIMAL_SOP.replace("Refund a customer", "Lost parcel").replace("Billing", "Shipping"))
    p.write("content/responses/refunds/done.md", "---\ntitle: Done\n---\n\nHi {{ customer.first_name }}.\n")
    p.write("content/about.md", "---\ntitle: About us\n---\n\nWho we are.\n")
    monkeypatch.setenv("CXDOCS_NAV_CACHE", "1" if cache else "0")
    assert p.build().exit_code == 0
    return {
        path.relative_to(root / "site").as_posix(): path.read_text()
        for path in sorted((root / "site").rglob("*.html"))
    }


@pytest.mark.parametrize(
    "features",
    [
        ["navigation.indexes", "navigation.sections"],
        ["navigation.tabs", "navigation.sections", "navigation.indexes", "navigation.prune"],
        ["navigation.expand"],
    ],
)
def test_every_page_has_the_same_navigation_with_and_without_the_cache(tmp_path, monkeypatch, features):
    cached = _build(tmp_path / "cached", features, monkeypatch, cache=True)
    plain = _build(tmp_path / "plain", features, monkeypatch, cache=False)
    assert cached.keys() == plain.keys() and len(cached) > 20
    errors = [rel for rel in cached if rel.endswith("404.html")]
    assert errors and all(cached[rel] == plain[rel] for rel in errors), "error pages link from the root, byte for byte"
    for rel in cached:
        if "md-sidebar--primary" not in plain[rel]:
            continue
        nav_cached, rest_cached = _split(cached[rel])
        nav_plain, rest_plain = _split(plain[rel])
        assert rest_cached == rest_plain, rel
        assert _resolved(nav_cached, rel) == _resolved(nav_plain, rel), rel
