"""The cxdocs part of a project's configuration, independent of MkDocs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxdocs.core.variables import Variables, merge

UNTRANSLATED_POLICIES = ("fallback", "omit")


@dataclass
class Settings:
    """What cxdocs needs to know about a project; every field has a sensible default."""

    content_dir: Path
    languages: list[str] = field(default_factory=lambda: ["en"])
    variables: dict[str, Any] = field(default_factory=dict)
    language_variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    untranslated: str = "fallback"
    plugins_dir: Path | None = None
    snippets_dir: str = "snippets"
    site_name: str = ""
    site_url: str = ""
    export_formats: list[str] | None = None
    """Helpdesk formats for response packs; None: every registered format that can carry them."""
    internal_site_name: str | None = None
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per language, the site's and the handbook's names, the footer and the help centre's words."""
    popular: list[str] = field(default_factory=list)
    """Questions the public home page shows first: ``faq/<topic>/<page>.md#<anchor>``."""
    origins: dict[str, tuple[Path, int | None]] = field(default_factory=dict)
    """Where values were configured (``languages.1`` -> mkdocs.yml, line 7), for messages that blame the configuration."""
    use_directory_urls: bool = True
    slugify: Any = None
    """The ``toc`` extension's slugify when the project sets one (headings' anchors), else Python-Markdown's."""

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def variables_for(self, lang: str) -> Variables:
        return Variables(merge(self.variables, self.language_variables.get(lang, {})))
