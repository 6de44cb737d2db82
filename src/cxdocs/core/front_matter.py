"""The front-matter keys each kind of page takes, and the ones that must be text."""

from __future__ import annotations

import datetime
import difflib
from typing import Any

from cxdocs.core.content import FAQ, INDEX, PAGE, RESPONSE, SOP

COMMON = ("title", "description", "audience", "translated_from")
KEYS = {
    SOP: (*COMMON, "department", "purpose", "owner", "review_by", "terms"),
    FAQ: COMMON,
    RESPONSE: (*COMMON, "id", "folder", "tags", "subject"),
    PAGE: COMMON,
    INDEX: COMMON,
}
KIND_NAMES = {SOP: "an SOP", FAQ: "a FAQ page", RESPONSE: "a response", PAGE: "a page", INDEX: "a section's index page"}
OWNERS = {SOP: "SOPs", RESPONSE: "responses"}
TEXT_KEYS = ("title", "description", "department", "purpose", "owner", "subject", "id", "folder")
ALL_KEYS = sorted({key for keys in KEYS.values() for key in keys})


def key_problem(key: Any, kind: str) -> tuple[str, str] | None:
    """(message, severity) for a front-matter key ``kind`` does not take, or None."""
    known = KEYS[kind]
    if key in known:
        return None
    name = str(key)
    close = [k for k in ALL_KEYS if k.casefold() == name.casefold()] or difflib.get_close_matches(name, ALL_KEYS, n=1, cutoff=0.8)
    if close and close[0] in known:
        lower = " (keys are lower case)" if close[0] == name.casefold() else ""
        return f"unknown front matter key '{name}'; did you mean '{close[0]}'?{lower}", "error"
    owner = next((OWNERS[k] for k, keys in KEYS.items() if k in OWNERS and name in keys), None)
    if owner:
        return f"front matter key '{name}' is for {owner}; {KIND_NAMES[kind]} ignores it", "warning"
    return f"unknown front matter key '{name}': cxdocs ignores it ({KIND_NAMES[kind]} takes {', '.join(known)})", "warning"


def text_problem(key: str, value: Any) -> str | None:
    """What is wrong with a value that must be text (a title, a description, ...), or None."""
    if value is None or isinstance(value, (str, int, float, datetime.date)) and not isinstance(value, bool):
        return None
    if isinstance(value, bool):
        return f"'{key}' must be text, and YAML read a yes/no value: put it in quotes, {key}: \"...\""
    if isinstance(value, list):
        joined = ", ".join(str(item) for item in value)
        return f"'{key}' must be text, not a list: write {key}: \"{joined}\""
    if isinstance(value, dict):
        return f"'{key}' must be text, not a mapping (a ': ' inside it?): put the value in quotes"
    return f"'{key}' must be text"
