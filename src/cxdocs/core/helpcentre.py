"""What a project sets for the help centre around its answers (plugin options): its words per
language, which variables hold the team's contact details, where "Was this helpful?" answers go,
and its popular questions; checked like every option, shown by the renderer."""

from __future__ import annotations

import html
import re
from typing import Any

from cxdocs.core.labels import label
from cxdocs.core.related import resolve

OVERRIDABLE = (
    "site_name",
    "internal_site_name",
    "footer",
    "still_need_help",
    "contact_intro",
    "contact_email",
    "contact_phone",
    "contact_hours",
    "related_questions",
    "last_updated",
    "helpful_question",
    "helpful_yes",
    "helpful_no",
    "helpful_thanks",
    "not_found_title",
    "not_found_text",
    "back_home",
    "search_label",
    "search_placeholder",
    "search_button",
    "popular_questions",
    "topics",
    "uncontrolled",
    "check_current",
)
"""The words of the help centre's frame a project may set per language (plugin option ``labels``)."""
WORDS = (*OVERRIDABLE[3:], "copy_link", "expand_all", "collapse_all", "breadcrumb", "internal",
         "overdue_badge", "printed_on", "palette_light", "palette_dark", "palette_system")
CONTACT_ROLES = ("email", "phone", "hours")
DEFAULT_CONTACT = {role: f"company.support_{role}" for role in CONTACT_ROLES}


class OptionProblem(ValueError):
    """A bad value below the option, at ``key`` (the option module turns it into mkdocs.yml:line)."""

    def __init__(self, message: str, key: tuple = ()):
        super().__init__(message)
        self.key = key


def check_labels(value: Any) -> dict[str, dict[str, str]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise OptionProblem("must map language codes to words, like  sl: {site_name: ...}")
    for lang, words in value.items():
        if not isinstance(words, dict):
            raise OptionProblem(f"{lang}: must map names to text, like  footer: ...", (lang,))
        for name, text in words.items():
            if name not in OVERRIDABLE:
                raise OptionProblem(f"{lang}: unknown label {name!r}; the labels are: {', '.join(OVERRIDABLE)}", (lang, name))
            if not isinstance(text, str):
                raise OptionProblem(f"{lang}: {name}: must be text", (lang, name))
    return {str(lang): dict(words) for lang, words in value.items()}


def check_contact(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise OptionProblem("must name the variables that hold the team's email, phone and hours")
    for role, name in value.items():
        if role not in CONTACT_ROLES:
            raise OptionProblem(f"unknown contact detail {role!r}; they are: {', '.join(CONTACT_ROLES)}", (role,))
        if not isinstance(name, str) or not name.strip():
            raise OptionProblem(f"{role}: must be a variable name, like {DEFAULT_CONTACT[role]}", (role,))
    return {**DEFAULT_CONTACT, **value}


def check_feedback(value: Any) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        raise OptionProblem("must say where answers go: an analytics event (event: name) or a URL (url: https://...)")
    for key, text in value.items():
        if key not in ("event", "url"):
            raise OptionProblem(f"unknown key {key!r}; feedback takes event and url", (key,))
        if not isinstance(text, str) or not text.strip():
            raise OptionProblem(f"{key}: must be text", (key,))
    if "url" in value and not re.match(r"^(https?://|/)", value["url"]):
        raise OptionProblem("url: must be an address like https://example.com/feedback or /feedback", ("url",))
    return dict(value)


def words(lang: str, overrides: dict[str, dict[str, str]]) -> dict[str, str]:
    """The frame's words in ``lang``, with the project's own where it set them."""
    own = overrides.get(lang, {})
    return {key: own.get(key) or label(key, lang) for key in WORDS} | {
        key: own[key] for key in ("site_name", "internal_site_name", "footer") if own.get(key)
    }


def site_names(lang: str, site_name: str, internal_site_name: str | None, overrides: dict) -> tuple[str, str]:
    """The public site's and the handbook's names in ``lang``: the handbook's defaults to
    "<site name> — Handbook"."""
    own = overrides.get(lang, {})
    public = own.get("site_name") or site_name
    internal = own.get("internal_site_name") or internal_site_name or f"{public} — {label('handbook', lang)}"
    return public, internal


def contact_details(values: dict[str, Any], names: dict[str, str]) -> dict[str, str] | None:
    """The team's contact details from the variables (``values``: flattened), as the contact block
    shows them; None when none of them is set."""
    found = {role: str(values[name]).strip() for role, name in names.items() if values.get(name) not in (None, "")}
    if not found:
        return None
    if "email" in found:
        found["mailto"] = "mailto:" + found["email"]
    if "phone" in found:
        # tel: takes the number without its spacing and punctuation (RFC 3966 visual separators).
        found["tel"] = "tel:" + re.sub(r"[^\d+]", "", found["phone"])
    return found


def home_search(popular: list[str], words: dict[str, str]):
    """The public home page's lead: a large search box (the theme's search opens with the query:
    ``?q=``) and the project's popular questions, in the site's language."""
    label_text = html.escape(words["search_label"])

    def markdown(site) -> str:
        form = (
            f'<form class="cx-hero-search" role="search" aria-label="{label_text}" action="." method="get">\n'
            f'<label for="cx-hero-q">{label_text}</label>\n'
            f'<div class="cx-hero-search__row"><input id="cx-hero-q" type="search" name="q" required '
            f'placeholder="{html.escape(words["search_placeholder"])}" autocomplete="off">'
            f'<button type="submit" class="cx-button cx-button--primary">{html.escape(words["search_button"])}</button></div>\n'
            "</form>"
        )
        links = [link for entry in popular for link in (resolve(entry, site.pages) or [])]
        if not links:
            return form
        items = "\n".join(
            f"- [{_link_text(link.text)}]({link.uri}{'#' + link.anchor if link.anchor else ''})" for link in links
        )
        heading = MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(words["popular_questions"], quote=False))
        return f"{form}\n\n## {heading} {{#popular-questions}}\n\n{items}"

    return markdown


def _link_text(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
