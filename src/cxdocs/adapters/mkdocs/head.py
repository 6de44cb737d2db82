"""A page's language versions and the edits to its ``<head>``: language, alternates, canonical, JSON-LD."""

from __future__ import annotations

from cxdocs.adapters.mkdocs import html_head, page_extras
from cxdocs.core.languages import (
    Version,
    absolute_url,
    bcp47,
    language_name,
    relative_link,
)
from cxdocs.core.render import Rendered
from cxdocs.core.settings import Settings
from cxdocs.core.targets import Target


def versions_of(url: str, rendered: Rendered | None, project, settings: Settings, target: Target,
                site_root: str) -> list[Version]:
    """The page at ``url`` in every configured language: the same page where it exists, else that language's home."""
    default = settings.default_language
    omit = target.is_public and settings.untranslated == "omit"
    versions = []
    for lang in settings.languages:
        if rendered is None:  # a generated landing page exists in every language
            exists = translated = True
        else:
            translated = lang == default or rendered.page.translation(lang, target.audience) is not None
            exists = translated or not omit
        here = url if exists else ""
        href = relative_link(url, target.lang, lang, here, default)
        # site_url is where the public site lives; the handbook is served elsewhere, so it links relatively.
        public = site_root and target.is_public
        absolute = absolute_url(site_root, lang, here, default) if public else href
        shared = page_extras.shared_anchors(project, rendered, lang) if rendered and exists else None
        versions.append(Version(lang, language_name(lang), href, absolute, translated and exists, shared))
    return versions


def edited_head(head: str, rendered: Rendered | None, versions: list[Version], scripts: str | None,
                settings: Settings, target: Target) -> str:
    """``head`` with the language of the page's text, its canonical URL and its structured data.

    hreflang alternates are in the sitemaps, not here: the theme's language script fetches a
    ``sitemap.xml`` beside every alternate link in the head (see ``page_extras.LanguageMenu``).
    """
    text_lang = rendered.lang if rendered else target.lang
    head = html_head.set_lang(head, bcp47(text_lang))
    if versions and rendered is not None and rendered.is_fallback:
        # The same text lives at the default-language URL: that one is canonical.
        head = html_head.set_canonical(head, versions[0].url)
    if scripts:
        head = html_head.insert_in_head(head, scripts)
    return head
