"""Pages are converted with one Markdown instance per process: no page sees another page's state."""

from __future__ import annotations

import shutil

import markdown
import yaml
from conftest import site_bytes

import cxdocs.adapters.mkdocs.speedups.markdown_reuse as markdown_reuse

EXTENSIONS = ["footnotes", "abbr", "pymdownx.tabbed", "pymdownx.tasklist"]


def _stateful_pages(project):
    """Footnotes, abbreviations and tab ids are per document: a reused instance must forget them."""
    config = yaml.safe_load((project.root / "mkdocs.yml").read_text())
    config["markdown_extensions"] = EXTENSIONS
    (project.root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    project.write(
        "content/faq/shipping/a-notes.md",
        "---\ntitle: Notes\n---\n\n## Is HTML used?\n\nYes, HTML is used[^1].\n\n"
        "[^1]: Footnote only page A defines.\n\n*[HTML]: Hyper Text Markup Language\n\n"
        '=== "One"\n\n    First tab.\n\n=== "Two"\n\n    Second tab.\n\n- [x] done\n',
    )
    project.write(
        "content/faq/shipping/b-more.md",
        "---\ntitle: More\n---\n\n## Is HTML used here too?\n\nHTML again, with [^1] and no definition.\n\n"
        '=== "Three"\n\n    Third tab.\n\n- [ ] open\n',
    )


def _build(project, tmp_path_factory, monkeypatch, name):
    copy = tmp_path_factory.mktemp(name)
    shutil.copytree(project.root, copy, dirs_exist_ok=True)
    original, project.root = project.root, copy
    made = []

    class Counted(markdown.Markdown):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setenv("CXDOCS_JOBS", "1")  # every page converted in this process, where the count is kept
        m.setattr(markdown, "Markdown", Counted)
        m.setattr(markdown_reuse, "_INSTANCES", markdown_reuse._Instances())
        result = project.build("--target", "public:en")
    project.root = original
    assert result.exit_code == 0, result.output
    return site_bytes(copy / "site"), len(made)


def test_pages_converted_with_one_instance_are_the_pages_converted_each_with_its_own(
    project, monkeypatch, tmp_path_factory
):
    _stateful_pages(project)
    reused, made_reused = _build(project, tmp_path_factory, monkeypatch, "reused")
    monkeypatch.setattr(markdown_reuse, "known", lambda extensions: False)
    fresh, made_fresh = _build(project, tmp_path_factory, monkeypatch, "fresh")

    pages = [p for p in fresh if p.startswith("public/faq/") and p.endswith("index.html")]
    assert made_fresh >= len(pages) > 2
    assert made_reused < 4, "one instance per setup, whatever the number of pages"
    assert reused == fresh

    b_page = reused["public/faq/shipping/b-more/index.html"].decode()
    assert "Footnote only page A defines" not in b_page
    assert "Hyper Text Markup Language" not in b_page
    assert "__tabbed_1_1" in b_page and "__tabbed_2_1" not in b_page


def test_an_extension_cxdocs_does_not_know_gets_an_instance_per_page():
    assert markdown_reuse.known(["toc", "tables", "pymdownx.superfences", "markdown.extensions.footnotes"])
    assert not markdown_reuse.known(["toc", "my_company.markdown_ext"])
    assert not markdown_reuse.known([object()])
