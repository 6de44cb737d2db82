"""Languages of a site: names, links between language versions, and which versions are real."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError


@cache  # asked for every language of every page's language switcher, and babel looks each one up anew
def language_name(code: str, in_lang: str | None = None) -> str:
    """``sl`` -> ``Slovenščina`` (in its own language unless ``in_lang`` is given)."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
        name = locale.get_display_name(Locale.parse((in_lang or code).replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return code
    return (name[:1].upper() + name[1:]) if name else code


def bcp47(code: str) -> str:
    """The tag HTML and schema.org expect: ``pt_BR`` -> ``pt-BR``."""
    return code.replace("_", "-")


def prefix(lang: str, default: str) -> str:
    """Where a language's site sits below the audience root: the default at the root."""
    return "" if lang == default else f"{lang}/"


def relative_link(page_url: str, from_lang: str, to_lang: str, to_url: str, default: str) -> str:
    """A link from a page of one language site to a page of another, relative, so previews work too."""
    up = "../" * page_url.count("/") + ("../" if from_lang != default else "")
    return (up + prefix(to_lang, default) + to_url) or "./"


def absolute_url(site_root: str, lang: str, url: str, default: str) -> str:
    return site_root.rstrip("/") + "/" + prefix(lang, default) + url


@dataclass(frozen=True)
class Version:
    """One language version of the page a reader is on."""

    lang: str
    name: str
    href: str
    """Relative link from the current page."""
    url: str
    """Absolute URL when the project has ``site_url``, else the relative link."""
    translated: bool
    """Whether that version's text is really in ``lang`` (not a fallback, not that language's home)."""
    anchors: tuple[str, ...] | None = None
    """The questions that version holds (their anchors), on a FAQ page: the switcher keeps an open one."""
