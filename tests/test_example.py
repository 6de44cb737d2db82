"""The shipped example knowledge base: what a newcomer builds first must be complete and correct."""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import REPO, Project, pagefind_pages


def sources(folder: str) -> list:
    """Pages in the default language: no language suffix, not a section landing page."""
    return sorted(
        p for p in (REPO / "content" / folder).rglob("*.md") if "." not in p.stem and p.name != "index.md"
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("example")
    for name in ("content", "plugins", "site_overrides"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    p = Project(root)
    result = p.build()
    assert result.exit_code == 0, result.output
    return p


def test_public_site_holds_the_faq_and_nothing_internal(example):
    public = example.site_files("public")
    faq_sources = sources("faq")
    assert len(faq_sources) >= 4
    for source in faq_sources:
        rel = source.relative_to(REPO / "content").with_suffix("").as_posix()
        assert f"{rel}/index.html" in public, rel
    assert not [name for name in public if name.startswith(("sop/", "responses/"))]
    assert "noindex" not in public["index.html"]
    assert "cx-internal-banner" not in public["index.html"]


def test_handbook_groups_sops_by_department_and_marks_itself_internal(example):
    internal = example.site_files("internal")
    departments = {p.parent.name for p in sources("sop")}
    assert len(departments) >= 3
    for department in departments:
        assert f"sop/{department}/index.html" in internal
    pages = [name for name in internal if name.endswith(".html")]
    assert all('<meta name="robots" content="noindex, nofollow">' in internal[n] for n in pages)
    assert all("cx-internal-banner" in internal[n] for n in pages)
    assert internal["robots.txt"] == "User-agent: *\nDisallow: /\n"
    assert "responses/index.html" in internal


def test_sop_pages_carry_the_standard_header(example):
    page = example.html("internal/sop/billing/process-refund-request/index.html")
    for label in ("Department", "Owner", "Review by", "Purpose", "Terms"):
        assert label in page
    assert re.search(r"<dl>\s*<dt>RMA</dt>", page), "terms render as a glossary"


def test_agent_notes_show_in_the_handbook_faq_only(example):
    name = "faq/returns-and-refunds/refunds-and-exchanges/index.html"
    assert 'class="admonition internal"' in example.html(f"internal/{name}")
    assert "internal" not in re.sub(r"<[^>]+>", "", example.html(f"public/{name}")).lower().replace("international", "")


def test_search_indexes_exist_for_both_audiences(example):
    site = example.root / "site"
    for lang in ("", "sl/", "hr/", "el/", "ru/"):
        public = pagefind_pages(site / "public" / lang / "pagefind")
        internal = pagefind_pages(site / "internal" / lang / "pagefind")
        assert any(url.startswith("/faq/") for url in public), lang
        assert not any(url.startswith(("/sop/", "/responses/")) for url in public), lang
        assert any(url.startswith("/sop/") for url in internal), lang


def test_example_content_is_a_useful_template():
    content = REPO / "content"
    sops, faqs, responses = sources("sop"), sources("faq"), sources("responses")
    questions = sum(len(re.findall(r"^## ", f.read_text(), re.M)) for f in faqs)
    assert len(sops) >= 6 and len({p.parent for p in sops}) >= 3
    assert len(faqs) >= 4 and questions >= 20
    assert len(responses) >= 10 and len({p.parent for p in responses}) >= 3
    snippet_users = {}
    for page in sops + faqs:
        for snippet in re.findall(r'--8<-- "([^"]+)"', page.read_text()):
            snippet_users.setdefault(snippet, set()).add(page.relative_to(content).parts[0])
    assert any(users == {"sop", "faq"} for users in snippet_users.values()), "a snippet shared by an SOP and a FAQ page"
    assert sum("!!! internal" in f.read_text() for f in faqs) >= 3


def test_every_public_faq_page_has_one_faqpage_with_all_its_questions(example):
    import json

    for source in sources("faq"):
        rel = source.relative_to(REPO / "content").with_suffix("").as_posix()
        page = example.html(f"public/{rel}/index.html")
        blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]
        faq = [b for b in blocks if b["@type"] == "FAQPage"]
        assert len(faq) == 1, rel
        assert len(faq[0]["mainEntity"]) == len(re.findall(r"^## ", source.read_text(), re.M)), rel
        assert faq[0]["url"] == f"https://help.larkspur.example/{rel}/"


def test_home_page_leads_to_every_topic_and_its_questions(example):
    home = example.html("public/index.html")
    topics = sorted({p.parent.name for p in sources("faq")})
    assert '<div class="grid cards">' in home
    for topic in topics:
        assert f'href="faq/{topic}/"' in home, topic
    deep_links = re.findall(r'href="(faq/[^"#]+/)#([^"]+)"', home)
    assert len(deep_links) >= len(topics)
    for path, anchor in deep_links:
        assert f'id="{anchor}"' in example.html(f"public/{path}index.html"), (path, anchor)


def test_link_check_knows_every_anchor_the_built_pages_have(example):
    """The link check finds a page's anchors without converting the page: they must be the ids
    MkDocs wrote on the headings (questions, SOP sections, landing pages), in every target."""
    import os

    from cxdocs.app.project import check_project
    from cxdocs.builtins.links import TargetSite, Tree
    from cxdocs.core.links import url_of
    from cxdocs.core.targets import all_targets

    old = os.getcwd()
    os.chdir(example.root)
    try:
        project, _ = check_project(example.root / "mkdocs.yml")
    finally:
        os.chdir(old)
    tree = Tree(project)
    compared = 0
    for target in all_targets(project.settings.languages):
        site = TargetSite(project, target, tree)
        base = f"{target.audience}/" + ("" if target.lang == "en" else f"{target.lang}/")
        for uri, text in site.text.items():
            if uri == "health.md":  # made from the checks' findings, after them
                continue
            page = example.html(base + url_of(uri) + "index.html")
            article = page[page.index("<article"): page.index("</article>")]
            headings = set(re.findall(r'<h[1-6][^>]*\bid="([^"]+)"', article))
            anchors = tree.anchors.of(text)
            assert headings <= anchors, (target, uri, headings - anchors)
            assert anchors <= set(re.findall(r'\bid="([^"]+)"', article)), (target, uri)
            compared += len(headings)
    assert compared > 500
