"""Every theme template cxdocs replaces with its own was written against a known original.

cxdocs' templates folder is searched before mkdocs-material's, so a file there with the name of one
of the theme's replaces it whole. When a new mkdocs-material changes its original (new markup, a
new feature, a fix), ours would silently keep the old one: this test fails instead, naming the file,
so whoever upgrades compares the two, brings ours up to date and records the new original here.
"""

from __future__ import annotations

import hashlib
import re
from importlib.metadata import version
from pathlib import Path

import material

from cxdocs.adapters.mkdocs import plugin

OURS = Path(plugin.__file__).parent / "templates"
THEIRS = Path(material.__file__).parent / "templates"

KNOWN_ORIGINALS = {
    # mkdocs-material 9.7.0 to 9.8.2 (the lowest version pyproject.toml allows and the newest tested)
    "partials/alternate.html": {"572b1d4dae611aa5fd65107edec95e44331b6141abf86834ea4dc6c1ddd7241b"},
    # The header: its search box is cxdocs' own with search: pagefind (the theme's search plugin is off).
    "partials/header.html": {"8cf3fb15bcf969ff596649616fd99366b3c31c08d57a86d05308efc16d8fa75f"},
    # The error page: ours writes its own content (in the reader's language, with search and the
    # team's contact) where the theme's writes "404 - Not found".
    "404.html": {"80c93494b5432b1bcdf292caeb67a0653c45b37372f49e08ad4a70ca695a7495"},
}
"""SHA-256 of each theme original our replacement was checked against."""


def _replaced() -> list[str]:
    return sorted(
        path.relative_to(OURS).as_posix()
        for path in OURS.rglob("*.html")
        if (THEIRS / path.relative_to(OURS)).is_file() and path.relative_to(OURS).as_posix() != "main.html"
    )


def test_every_replaced_theme_template_matches_the_original_it_was_written_against():
    assert _replaced(), "cxdocs replaces at least the language switcher's partial"
    changed = []
    for name in _replaced():
        digest = hashlib.sha256((THEIRS / name).read_bytes()).hexdigest()
        if digest not in KNOWN_ORIGINALS.get(name, set()):
            changed.append(f"{name} (sha256 {digest})")
    assert not changed, (
        f"mkdocs-material {version('mkdocs-material')} has a template cxdocs replaces that differs from the "
        f"original ours was written against: {', '.join(changed)}. Compare it with {THEIRS}, update ours in "
        f"{OURS}, then record the new SHA-256 in KNOWN_ORIGINALS."
    )


def test_main_html_only_extends_the_theme():
    """main.html is the one template every theme lets a project replace: ours must extend the
    theme's (through cxdocs.html), not copy it."""
    text = (OURS / "main.html").read_text(encoding="utf-8")
    assert '{% extends "cxdocs.html" %}' in text or "{% extends 'cxdocs.html' %}" in text
    assert '{% extends "base.html" %}' in (OURS / "cxdocs.html").read_text(encoding="utf-8")


KNOWN_BLOCKS = {
    # cxdocs.html extends the theme's base.html and writes these blocks without calling super():
    # no web fonts, the internal banner, the article marked for Pagefind and cxdocs' parts around its text (mkdocs-material 9.7.0 to 9.8.2).
    "fonts": {"85e1ac5e0c9c5fcf1a41d70e5b3795ad275836322604f3c198b76c18cfe1d8bb"},
    "announce": {"1b4e36fad285df270dadadbad14fc78d02c1dfa74c9d8124847da956f657293d"},
    "container": {"1a3ff81b9751c45208edd8ef25b73aad55079ef50e8a919a703a8303fefa3210"},
    "content": {"e7e77c2e082ef76171f8807dccaebedd1bc41af76d4c4ec3d19012eb8636eac1"},
}
"""SHA-256 of the theme's own text of each base.html block cxdocs.html replaces whole."""

TAG = re.compile(r"\{%-?\s*(block\s+(\w+)|endblock)\b[^%]*-?%\}")


def _blocks(text: str) -> dict[str, str]:
    """Each block's whole text, ``{% block name %}`` to its own ``{% endblock %}``, nested ones inside it."""
    found, open_ = {}, []
    for match in TAG.finditer(text):
        if match[2]:
            open_.append((match[2], match.start()))
        elif open_:
            name, start = open_.pop()
            found[name] = text[start:match.end()]
    return found


def test_every_theme_block_cxdocs_replaces_matches_the_original_it_was_written_against():
    ours = _blocks((OURS / "cxdocs.html").read_text(encoding="utf-8"))
    theirs = _blocks((THEIRS / "base.html").read_text(encoding="utf-8"))
    replaced = sorted(name for name, text in ours.items() if name in theirs and "super()" not in text)
    assert replaced == sorted(KNOWN_BLOCKS), f"blocks cxdocs.html writes without super(): {replaced}; record them"
    changed = [name for name in replaced
               if hashlib.sha256(theirs[name].encode("utf-8")).hexdigest() not in KNOWN_BLOCKS[name]]
    assert not changed, (
        f"mkdocs-material {version('mkdocs-material')} changed the base.html blocks {changed}, which cxdocs.html "
        f"replaces: compare them with {THEIRS / 'base.html'}, update cxdocs.html, then record the new SHA-256 in KNOWN_BLOCKS."
    )
