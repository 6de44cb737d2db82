"""The segmenter on the example knowledge base: what translators get is exactly what writers translated.

Every page and translation of the example content (126 files) is cut into segments and put back
together; the 88 existing translations, exported and imported again, come back byte for byte.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pymdownx.superfences
import pytest
from conftest import REPO

from cxdocs.core import po, protected, xliff
from cxdocs.core.content import KIND_BY_FOLDER
from cxdocs.core.exchange import TranslationFile, carry_over, merge, units_for
from cxdocs.core.segments import apply, segment, skeleton, structure

CONTENT = REPO / "content"
FILES = sorted(CONTENT.rglob("*.md"))
TRANSLATION = re.compile(r"^(?P<stem>.+)\.(?P<lang>sl|hr|el|ru)\.md$")
TRANSLATIONS = [p for p in FILES if TRANSLATION.match(p.name)]


def kind_of(path: Path) -> str:
    folder = path.relative_to(CONTENT).parts[0]
    return "snippet" if folder == "snippets" else KIND_BY_FOLDER.get(folder, "page")


def source_of(path: Path) -> Path:
    return path.with_name(TRANSLATION.match(path.name)["stem"] + ".md")


def pseudo(text: str, multiline: bool) -> str:
    """A 'translation' that changes every plain run, keeps every protected span and adds a hard break."""
    out = "".join(p.text if isinstance(p, protected.Span) else p.replace("e", "é").replace("a", "ä")
                  for p in protected.split(text))
    out = "«" + out + "»"
    return out.replace(". ", ".\n", 1) if multiline else out


def test_the_example_is_all_there():
    assert len(FILES) == 126 and len(TRANSLATIONS) == 88


def test_a_page_without_translations_is_the_page_itself():
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        assert apply(segment(text, kind_of(path)), {}) == text, path


def test_a_translation_changes_the_text_and_nothing_else():
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        page = segment(text, kind_of(path))
        translated = {s.id: pseudo(s.text, s.style == "block" and ". " in s.text) for s in page.segments}
        again = segment(apply(page, translated), kind_of(path))
        assert structure(again) == structure(page), path
        assert skeleton(again) == skeleton(page), path
        assert [s.text for s in again.segments] == [translated[s.id] for s in page.segments], path


EXTENSIONS = ["admonition", "pymdownx.details", "pymdownx.superfences", "attr_list", "md_in_html", "def_list", "tables", "toc"]
CONFIGS = {"pymdownx.superfences": {"custom_fences": [
    {"name": "mermaid", "class": "mermaid", "format": pymdownx.superfences.fence_code_format}]}}


def _tags(text: str) -> list[str]:
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    html = markdown.markdown(body, extensions=EXTENSIONS, extension_configs=CONFIGS)
    return [t for t in re.findall(r"</?([a-z0-9]+)", html) if t != "br"]


def test_markdown_renders_a_translation_with_the_structure_of_its_source():
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        page = segment(text, kind_of(path))
        translated = apply(page, {s.id: pseudo(s.text, s.style == "block" and ". " in s.text) for s in page.segments})
        assert _tags(translated) == _tags(text), path


def test_every_existing_translation_lines_up_with_its_source():
    for path in TRANSLATIONS:
        source = segment(source_of(path).read_text(encoding="utf-8"), kind_of(path))
        translation = segment(path.read_text(encoding="utf-8"), kind_of(path))
        assert structure(translation) == structure(source), path


@pytest.mark.parametrize("fmt", ["xliff", "po"])
def test_exporting_and_importing_every_existing_translation_gives_it_back_byte_for_byte(tmp_path, fmt):
    for path in TRANSLATIONS:
        kind, lang = kind_of(path), TRANSLATION.match(path.name)["lang"]
        page = segment(source_of(path).read_text(encoding="utf-8"), kind)
        existing = path.read_text(encoding="utf-8")
        carried = carry_over(page, segment(existing, kind), None, True)
        tf = TranslationFile(source_of(path).relative_to(CONTENT).as_posix(), "en", lang, units=units_for(page, carried, {}))
        file = tmp_path / f"{path.stem}.{'xlf' if fmt == 'xliff' else 'po'}"
        if fmt == "xliff":
            file.write_bytes(xliff.write(tf, "test"))
        else:
            file.write_text(po.write(tf, "test", "2026-12-03 10:00+0000"), encoding="utf-8")
        back = (xliff if fmt == "xliff" else po).read(file)
        merged = merge(back, page, tf.page, {})
        assert merged.complete, path
        assert merged.text == re.sub(r"^translated_from: (\w+|\"\d+\")\n", "", existing, flags=re.M), path
