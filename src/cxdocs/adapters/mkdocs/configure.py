"""What the plugin sets in MkDocs' configuration for one target: Markdown extensions, theme, search."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from cxdocs.core.audience import INTERNAL
from cxdocs.core.labels import label
from cxdocs.core.targets import Target

TEMPLATES = Path(__file__).parent / "templates"


def _lunr_languages() -> set[str]:
    """Languages mkdocs-material's search has lunr-languages files for (stop words, word splitting)."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr" / "min"
    return {"en"} | {p.name.split(".")[1] for p in folder.glob("lunr.*.min.js")} - {"stemmer", "multi"}


LUNR_LANGUAGES = _lunr_languages()


def configure_markdown(config: MkDocsConfig) -> None:
    """The extensions cxdocs content relies on, added when the project has not configured them."""
    import pymdownx.superfences

    wanted = {
        "admonition": {},
        "pymdownx.details": {},
        "pymdownx.superfences": {
            "custom_fences": [{"name": "mermaid", "class": "mermaid", "format": pymdownx.superfences.fence_code_format}]
        },
        "attr_list": {},
        "md_in_html": {},
        "def_list": {},
        "toc": {"permalink": True},
    }
    for name, options in wanted.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
            config.mdx_configs.setdefault(name, options)


def configure_theme(config: MkDocsConfig, target: Target) -> None:
    """cxdocs' templates under the project's overrides, and the theme in the target's language."""
    theme = config.theme
    theme.dirs.insert(1 if theme.custom_dir else 0, str(TEMPLATES))
    if any((Path(d) / "partials" / "languages" / f"{target.lang}.html").is_file() for d in theme.dirs):
        theme["language"] = target.lang
    config.extra["cxdocs"] = {
        "audience": target.audience,
        "lang": target.lang,
        "internal": target.audience == INTERNAL,
        "banner": label("internal_banner", target.lang),
    }


def search_plugin_of(config: MkDocsConfig):
    """The project's search plugin (MkDocs' or mkdocs-material's), if it has one."""
    return next((p for name, p in config.plugins.items() if name in ("search", "material/search")), None)


def configure_search(config: MkDocsConfig, lang: str, engine: str) -> None:
    """Search, when the project lists the theme's search plugin: with Pagefind, or with lunr.

    Pagefind indexes the written target (see ``pagefind_index``): the theme's plugin is turned
    off, so no ``search_index.json`` is written and no page loads one, and cxdocs' templates show
    the theme's search box driven by Pagefind. With lunr the theme's own search runs, one index per
    language. lunr's query adds ``*`` to every word and skips stemming for such words, so it finds
    words that start with what was typed, not other inflected forms, in any language; where the
    theme ships lunr support for the language (ru, el, ...), its stop words and word splitting are
    used, else words are indexed as written, without English stop words.
    """
    search = search_plugin_of(config)
    if search is None or not search.config.get("enabled", True):
        return
    if engine == "pagefind":
        search.config.enabled = False
        config.extra["cxdocs"]["search"] = "pagefind"
        return
    if search.config.lang:
        return
    base = lang.split("-")[0]
    if base in LUNR_LANGUAGES:
        search.config.lang = [base]
    else:
        search.config.lang = ["en"]
        if search.config.pipeline is None:
            search.config.pipeline = []
