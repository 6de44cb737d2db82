"""What a reader gets around a page's text, computed for the theme's templates: the questions each
language version holds (for the switcher), related questions, the last-updated date, the contact
block and the feedback control."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mkdocs.utils import get_relative_url

from cxdocs.core import helpcentre
from cxdocs.core.audience import INTERNAL
from cxdocs.core.content import FAQ, PAGE, SOP, Page, Project
from cxdocs.core.errors import CxdocsError
from cxdocs.core.faq import parse_questions
from cxdocs.core.languages import bcp47
from cxdocs.core.related import related_questions
from cxdocs.core.render import Rendered
from cxdocs.core.revisions import Revisions, localized


@dataclass
class LanguageMenu:
    """The language switcher's entries, as ``config.extra.alternate``. Not a list on purpose: the
    theme writes a ``<link rel="alternate">`` for each item of an iterable ``extra.alternate``, and
    its language script then fetches a ``sitemap.xml`` beside each link; for anything else that is
    set, it only includes the switcher (``partials/alternate.html``, cxdocs' own)."""

    versions: list[dict]


def shared_anchors(project: Project, rendered: Rendered, lang: str) -> tuple[str, ...] | None:
    """The questions of this page that its ``lang`` version also has, by anchor (a translation keeps
    a question's id with ``{#id}``): the switcher keeps an open one. Only this page's own anchors,
    so no other language's words reach the page. None for pages without questions."""
    if rendered.page.kind != FAQ:
        return None
    here = {q.anchor for q in rendered.questions}
    return tuple(a for a in _anchors(project, rendered.page, lang, rendered.target.audience) if a in here)


def _anchors(project: Project, page: Page, lang: str, audience: str) -> list[str]:
    """The question anchors of ``page`` as shown in ``lang``: its translation, else the default language's text."""
    doc = page.translation(lang, audience)
    text_lang = lang if doc is not None else project.settings.default_language
    try:
        lines = project.expanded(doc or page.source, text_lang)
    except CxdocsError:  # a broken include in a version this target does not build: said by its own build
        return []
    # Every page of every target asks for each language's anchors: the expansion is one list per
    # document and language, kept by the project, and its questions are read once.
    anchors = project.question_anchors.get(id(lines))
    if anchors is None:
        anchors = project.question_anchors[id(lines)] = [q.anchor for q in parse_questions(lines)[1]]
    return anchors


def know_anchors(project: Project, audiences) -> None:
    """Read every FAQ page's question anchors, in every language, for the given audiences' targets,
    before the targets' workers are forked: they share what this process read, where each would
    parse every language's text again and, by reading it, copy the memory that holds it."""
    for page in project.by_kind(FAQ):
        for lang in project.settings.languages:
            for audience in audiences:
                try:
                    _anchors(project, page, lang, audience)
                except CxdocsError:  # a translation's front matter: the target's build says where
                    continue


def configure_frame(config, target, options, default_language: str) -> dict[str, str]:
    """The frame of one target's pages: its name and footer in the target's language, the palette
    (light and dark, following the system, with a toggle), breadcrumbs; returns the frame's words."""
    lang = target.lang
    public, internal = helpcentre.site_names(lang, config.site_name, options.internal_site_name, options.labels)
    config.site_name = internal if target.audience == INTERNAL else public
    words = helpcentre.words(lang, options.labels)
    if words.get("footer"):
        config.copyright = words["footer"]
    theme = config.theme
    if not theme.get("palette"):
        theme["palette"] = [
            {"media": "(prefers-color-scheme)",
             "toggle": {"icon": "material/brightness-auto", "name": words["palette_light"]}},
            {"media": "(prefers-color-scheme: light)", "scheme": "default",
             "toggle": {"icon": "material/brightness-7", "name": words["palette_dark"]}},
            {"media": "(prefers-color-scheme: dark)", "scheme": "slate",
             "toggle": {"icon": "material/brightness-4", "name": words["palette_system"]}},
        ]
    # The theme's footer line "Made with Material for MkDocs" is English on every language's pages.
    config.extra.setdefault("generator", False)
    features = theme.get("features") or []
    if "navigation.path" not in features:
        theme["features"] = [*features, "navigation.path"]
    config.extra["cxdocs"].update(
        words=words,
        script_words={k: words[k] for k in ("copy_link", "expand_all", "collapse_all", "helpful_thanks", "breadcrumb")},
        at_root=lang == default_language,
        own_scope="scope" in config.extra,
    )
    return words


def storage_scope(config, base_url: str) -> None:
    """Where the theme keeps a reader's choices (dark mode): ``extra.scope``, by default the page's
    ``base_url``, which is one folder per language. A language other than the default sits one
    folder below the site's root, so its pages name the root: one choice for the whole site.
    Set per page, as ``base_url`` is relative to the page (absolute on the error page)."""
    cx = config.extra["cxdocs"]
    if not cx.get("own_scope") and not cx.get("at_root"):
        config.extra["scope"] = (base_url.rstrip("/") or "") + "/.."


def site_extras(project: Project, target, options) -> dict:
    """What the public site's frame shows from the project: the team's contact details in the
    target's language and where "Was this helpful?" answers go."""
    if not target.is_public:
        return {"contact": None, "feedback": None}
    values = project.variables(target.lang).values
    return {"contact": helpcentre.contact_details(values, options.contact), "feedback": options.feedback}


def page_context(rendered: Rendered | None, page, target, default: str, site, revisions: Revisions, url_of,
                 feedback) -> dict:
    """What the templates show around one page's text (``cx_page``)."""
    internal = target.audience == INTERNAL
    kind = rendered.page.kind if rendered is not None else (page.meta or {}).get("cx_kind")
    context: dict = {"print_note": internal and (kind == SOP or bool((page.meta or {}).get("cx_print_all")))}
    if rendered is None:
        return context
    context["frame_lang"] = bcp47(target.lang) if rendered.is_fallback else ""
    doc = rendered.page.source if rendered.lang == default else rendered.page.document(rendered.lang)
    day = revisions.date_of(doc)
    context["updated"] = {"iso": day.isoformat(), "text": localized(day, target.lang)}
    if kind == FAQ:
        context["related"] = [
            {"text": _plain(q.text), "url": get_relative_url(url_of(q.uri), page.url) + (f"#{q.anchor}" if q.anchor else "")}
            for q in related_questions(rendered, site)
        ]
    if target.is_public and feedback and kind in (FAQ, PAGE):
        context["feedback"] = {"page": page.url}
    context["contact"] = target.is_public and kind == FAQ
    return context


INLINE_MARKUP = re.compile(r"`+|\*\*|__")


def _plain(question: str) -> str:
    """A question as text, for a list the theme's template writes (escaped there): its Markdown
    code and strong markers dropped."""
    return INLINE_MARKUP.sub("", question)
