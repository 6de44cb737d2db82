"""A configured language code that is real but not the language the pages are written in.

``si`` is Sinhala, and also Slovenia's country code: a team writing Slovenian as ``si`` gets a
Sinhala interface, ``lang="si"`` and Sinhala search, and nothing fails. CLDR knows the script each
language is written in; when a language's pages are written in another script, the code is
reported where it is configured, in mkdocs.yml.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator

from babel import Locale
from babel.core import get_global

from cxdocs.core.config import country_languages
from cxdocs.core.content import Project
from cxdocs.core.errors import Finding, display_path
from cxdocs.core.hookspecs import hookimpl

SCRIPT_NAMES = {
    "Latn": "LATIN", "Cyrl": "CYRILLIC", "Grek": "GREEK", "Arab": "ARABIC", "Hebr": "HEBREW",
    "Sinh": "SINHALA", "Deva": "DEVANAGARI", "Beng": "BENGALI", "Taml": "TAMIL", "Telu": "TELUGU",
    "Knda": "KANNADA", "Mlym": "MALAYALAM", "Gujr": "GUJARATI", "Guru": "GURMUKHI", "Orya": "ORIYA",
    "Thai": "THAI", "Laoo": "LAO", "Khmr": "KHMER", "Mymr": "MYANMAR", "Geor": "GEORGIAN",
    "Armn": "ARMENIAN", "Ethi": "ETHIOPIC", "Hang": "HANGUL", "Tibt": "TIBETAN", "Mong": "MONGOLIAN",
}
"""ISO 15924 codes and the first word of the Unicode names of their letters."""
SAMPLE = 4000
"""Letters read per language: enough to tell a script, few enough for a large tree."""
MIN_LETTERS = 40


@hookimpl
def cxdocs_register_checks(register):
    register("language-codes", check_scripts)


def check_scripts(project: Project) -> Iterator[Finding]:
    settings = project.settings
    for index, lang in enumerate(settings.languages):
        expected = _script(lang)
        if expected not in SCRIPT_NAMES:
            continue
        docs = [p.source if lang == settings.default_language else p.document(lang) for p in project.pages]
        docs = [d for d in docs if d is not None]
        found = _letters_by_script(docs)
        total = sum(found.values())
        if total < MIN_LETTERS or found[SCRIPT_NAMES[expected]] * 5 >= total:
            continue
        written_in = found.most_common(1)[0][0].capitalize()
        name = Locale.parse(lang.replace("-", "_")).english_name
        meant = country_languages(lang)
        fix = (
            f"; {lang.upper()} is also the country code of {Locale.parse(meant[0]).english_name}-speaking "
            f"{Locale('en').territories.get(lang.upper(), lang.upper())}: for {Locale.parse(meant[0]).english_name} write {meant[0]!r}"
            if meant and meant[0] != lang else "; check the code"
        )
        path, line = settings.origins.get(f"languages.{index}", (None, None))
        yield Finding(
            f"{lang!r} is {name}, written in {SCRIPT_NAMES[expected].capitalize()} script, but its pages "
            f"(like {display_path(docs[0].path)}) are in {written_in} script{fix}",
            path,
            line,
        )


def _script(lang: str) -> str | None:
    locale = Locale.parse(lang.replace("-", "_"))
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(locale.language, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 1 and len(parts[1]) == 4 else None


def _letters_by_script(docs) -> Counter:
    found: Counter = Counter()
    read = 0
    for doc in docs:
        for line in doc.body:
            for char in line.text:
                if char.isalpha():
                    found[unicodedata.name(char, "?").split(" ", 1)[0]] += 1
                    read += 1
            if read >= SAMPLE:
                return found
    return found
