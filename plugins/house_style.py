"""House-style phrasing: warn where customers would read a phrase the team has agreed not to use.

A project-local cxdocs plugin: any ``plugins/*.py`` file is loaded automatically. Edit PHRASES to
match your own style guide. It checks what customers read: public pages (internal blocks removed)
and canned responses, in the language each phrase list is written for.
"""

from __future__ import annotations

import re

from cxdocs import PUBLIC, RESPONSE, Finding, Target, hookimpl, visible_lines

PHRASES = {
    "en": {
        r"unfortunately": "at the moment",
        r"no problem": "my pleasure",
        r"broken": "malfunction",
        r"problems?": "difficulty",
    },
}
"""Per language: a discouraged phrase (a regular expression, matched as whole words) and what to say instead."""

_COMPILED = {
    lang: [(re.compile(rf"\b{pattern}\b", re.IGNORECASE), better) for pattern, better in phrases.items()]
    for lang, phrases in PHRASES.items()
}


@hookimpl
def cxdocs_register_checks(register):
    register("house-style", check_phrasing)


def check_phrasing(project):
    for page in project.pages:
        if page.audience != PUBLIC and page.kind != RESPONSE:
            continue
        for lang in project.languages_to_check:
            rules = _COMPILED.get(lang.split("-")[0])
            is_translated = lang == project.settings.default_language or page.document(lang) is not None
            if not rules or not is_translated:
                continue
            lines, _, _, _ = visible_lines(project, page, Target(PUBLIC, lang))
            for line in lines:
                for phrase, better in _matches(line.text, rules):
                    yield Finding(
                        f"house style: say {better!r} rather than {phrase!r}", line.path, line.lineno, "warning"
                    )


def _matches(text, rules):
    """Each discouraged phrase once: "no problem" is not also reported as "problem"."""
    found = sorted(
        ((m.start(), -len(m.group(0)), m.group(0), better) for pattern, better in rules for m in pattern.finditer(text))
    )
    end = -1
    for start, negative_length, phrase, better in found:
        if start >= end:
            end = start - negative_length
            yield phrase, better
