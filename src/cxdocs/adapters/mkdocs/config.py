"""The options of the ``cxdocs`` MkDocs plugin (``plugins: [cxdocs: {...}]`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from cxdocs.core.audience import AUDIENCES, PUBLIC
from cxdocs.core.settings import UNTRANSLATED_POLICIES


class CxdocsConfig(base.Config):
    languages = c.ListOfItems(c.Type(str), default=["en"])
    """Language codes, the default first."""
    variables = c.Type(dict, default={})
    """Build-time variables, nested: ``{{ limits.refund_without_approval }}``."""
    language_variables = c.Type(dict, default={})
    """Per-language overrides of ``variables``: ``{sl: {limits: {refund_without_approval: 30 EUR}}}``."""
    untranslated = c.Choice(UNTRANSLATED_POLICIES, default="fallback")
    """Public pages with no translation: ``fallback`` (shown in the default language) or ``omit``."""
    audience = c.Choice(AUDIENCES, default=PUBLIC)
    """The audience ``mkdocs build`` / ``mkdocs serve`` build (``cxdocs build`` builds both)."""
    lang = c.Optional(c.Type(str))
    """The language ``mkdocs build`` / ``mkdocs serve`` build; the default language if unset."""
    nav_cache = c.Type(bool, default=True)
    """Render each navigation sub-tree once per target (same navigation, far faster on large sites)."""
    plugins_dir = c.Type(str, default="plugins")
    """Folder of project-local pluggy plugins, relative to mkdocs.yml."""
    export_formats = c.Optional(c.ListOfItems(c.Type(str)))
    """Helpdesk formats ``cxdocs build`` exports response packs to; unset: every format that can carry them."""
