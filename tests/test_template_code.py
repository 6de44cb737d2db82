"""Templates are compiled once per build, not once per target: what a target's worker compiled is
handed to the workers started after it, and only where it compiles as they would."""

from __future__ import annotations

import jinja2

from conftest import returns_in_english_and_slovenian, site_bytes
from cxdocs.adapters.mkdocs import template_code


def _compiles_logged(monkeypatch, log):
    """Every compilation of a template, in any process forked from this one, is a line of ``log``."""
    import os

    real = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if name is not None:
            with log.open("a", encoding="utf-8") as out:
                out.write(f"{os.getpid()} {name}\n")
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)


def test_the_targets_of_a_build_share_the_templates_their_workers_compiled(project, monkeypatch, tmp_path):
    """Four targets on two workers: each template is compiled by the first two workers at most
    (side by side, before either has handed back its own), the later ones compile only what
    neither of those used (the handbook's print note), and the site is the one a build compiling
    every template for every target writes."""
    from collections import Counter

    returns_in_english_and_slovenian(project)
    monkeypatch.setenv("CXDOCS_JOBS", "2")
    _nothing_compiled_before(monkeypatch)
    log = tmp_path / "compiled"
    _compiles_logged(monkeypatch, log)
    result = project.build("--no-cache")
    assert result.exit_code == 0, result.output
    compiled = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    by_name = Counter(name for _, name in compiled)
    assert by_name["main.html"] <= 2 and max(by_name.values()) <= 2, by_name
    assert len({pid for pid, _ in compiled}) >= 3, "the later workers compiled what the first two did not use"
    shared = site_bytes(project.root / "site")

    log.unlink()
    monkeypatch.setattr(template_code, "use", lambda env, config: None)
    result = project.build("--no-cache")
    assert result.exit_code == 0, result.output
    alone = Counter(line.split()[1] for line in log.read_text(encoding="utf-8").splitlines())
    assert alone["main.html"] == 4, "each target compiles its own without sharing"
    assert sum(alone.values()) > sum(by_name.values())
    assert site_bytes(project.root / "site") == shared


def _nothing_compiled_before(monkeypatch) -> None:
    """No code from earlier builds in this process (the tests' own)."""
    monkeypatch.setattr(template_code, "CODE", {})
    monkeypatch.setattr(template_code, "FRESH", set())


def _env(templates: dict[str, str], filters: dict | None = None, **settings) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.DictLoader(templates), **settings)
    env.filters.update(filters or {})
    template_code.share(env)
    return env


def test_shared_code_is_used_only_for_the_same_source_compiled_the_same_way(monkeypatch):
    """A template edited since it was compiled (a theme override changed while ``cxdocs serve``
    runs), or an environment that compiles otherwise (other delimiters, another filter under a
    name), gets code of its own."""
    _nothing_compiled_before(monkeypatch)
    assert _env({"page.html": "<p>{{ x }}</p>"}).get_template("page.html").render(x=1) == "<p>1</p>"
    assert _env({"page.html": "<p>{{ x }}</p>"}).get_template("page.html").render(x=2) == "<p>2</p>"
    assert len(template_code.CODE) == 1, "the second environment took the first one's code"

    assert _env({"page.html": "<b>{{ x }}</b>"}).get_template("page.html").render(x=3) == "<b>3</b>"
    both = {"page.html": "<p>[[ x ]] {{ x }}</p>"}
    assert _env(both).get_template("page.html").render(x=4) == "<p>[[ x ]] 4</p>"
    other = _env(both, variable_start_string="[[", variable_end_string="]]")
    assert other.get_template("page.html").render(x=4) == "<p>4 {{ x }}</p>"

    def shout(value):
        return str(value).upper()

    def whisper(value):
        return str(value).lower()

    loud, quiet = _env({"f.html": "{{ x | say }}"}, {"say": shout}), _env({"f.html": "{{ x | say }}"}, {"say": whisper})
    assert loud.get_template("f.html").render(x="Hi") == "HI"
    assert quiet.get_template("f.html").render(x="Hi") == "hi"
    assert len({key[0] for key in template_code.CODE}) == 4, "four ways of compiling, kept apart"
