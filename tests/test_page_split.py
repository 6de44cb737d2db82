"""A target built alone writes half its pages in a second process: the site is the same."""

from __future__ import annotations

import shutil

from conftest import site_bytes

import cxdocs.adapters.mkdocs.plugin
from cxdocs.adapters.mkdocs.speedups.page_split import PageSplit


def _many_pages(project, count=70):
    for n in range(count):
        topic = ("shipping", "returns", "billing")[n % 3]
        project.write(
            f"content/faq/{topic}/q{n:02}.md",
            f"---\ntitle: Question {n}\n---\n\n## Can I ask {n}?\n\nYes, within {{{{ shipping.days }}}}.\n\n"
            f"## And {n} again?\n\nSee [delivery](../shipping/delivery.md).\n",
        )


class _Watched(PageSplit):
    made: list = []

    def __init__(self, *args):
        super().__init__(*args)
        self.made.append(self)


def _built_alone(project, tmp_path_factory, monkeypatch, **env):
    copy = tmp_path_factory.mktemp("alone")
    shutil.copytree(project.root, copy, dirs_exist_ok=True)
    original, project.root = project.root, copy
    with monkeypatch.context() as m:
        for key, value in env.items():
            m.setenv(key, value)
        result = project.build("--target", "public:en")
    project.root = original
    return result, site_bytes(copy / "site")


def test_pages_written_in_two_processes_make_the_same_site(project, monkeypatch, tmp_path_factory):
    _many_pages(project)
    _Watched.made = []
    monkeypatch.setattr(cxdocs.adapters.mkdocs.plugin, "PageSplit", _Watched)
    split, split_site = _built_alone(project, tmp_path_factory, monkeypatch)
    assert split.exit_code == 0, split.output
    assert [s.status for s in _Watched.made] == ["ok"], "the second process wrote its half"
    one, one_site = _built_alone(project, tmp_path_factory, monkeypatch, CXDOCS_JOBS="1")
    assert one.exit_code == 0 and len(_Watched.made) == 1
    assert split_site.keys() == one_site.keys()
    assert split_site == one_site  # pages, search index and sitemap alike


def test_a_second_process_that_fails_leaves_its_pages_to_the_build(project, monkeypatch, tmp_path_factory):
    _many_pages(project)
    _Watched.made = []
    monkeypatch.setattr(cxdocs.adapters.mkdocs.plugin, "PageSplit", _Watched)

    def broken(self):
        self.results.put(("failed", None, None, None))

    monkeypatch.setattr(PageSplit, "_write_beside", broken)
    result, site = _built_alone(project, tmp_path_factory, monkeypatch)
    assert result.exit_code == 0, result.output
    assert [s.status for s in _Watched.made] == ["failed"]
    _, one_site = _built_alone(project, tmp_path_factory, monkeypatch, CXDOCS_JOBS="1")
    assert site == one_site


def test_with_a_plugin_cxdocs_does_not_know_pages_are_written_in_one_process(project, monkeypatch, tmp_path_factory):
    _many_pages(project)
    config = (project.root / "mkdocs.yml").read_text()
    (project.root / "mkdocs.yml").write_text(config.replace("- search\n", "- search\n- tags\n"))
    _Watched.made = []
    monkeypatch.setattr(cxdocs.adapters.mkdocs.plugin, "PageSplit", _Watched)
    result, _ = _built_alone(project, tmp_path_factory, monkeypatch)
    assert result.exit_code == 0, result.output
    assert _Watched.made == []
