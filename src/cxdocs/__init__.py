"""cxdocs: one Markdown tree, a public FAQ, an internal handbook and response packs.

What a plugin needs is importable from here, and only from here is it kept stable: the package's
modules may move between releases (``plugins/house_style.py`` in the example project imports
nothing else)::

    from cxdocs import Finding, PUBLIC, Target, hookimpl, visible_lines
"""

from cxdocs import _moved
from cxdocs.core.audience import AUDIENCES, INTERNAL, PUBLIC
from cxdocs.core.content import FAQ, INDEX, PAGE, RESPONSE, SOP, Page, Project
from cxdocs.core.errors import CxdocsError, Finding
from cxdocs.core.hookspecs import PageMarkdown, hookimpl
from cxdocs.core.render import Rendered, pages_for, visible_lines
from cxdocs.core.structured_data import PageInfo, QuestionAnswer
from cxdocs.core.targets import Target
from cxdocs.outputs.exporter import Exporter

__version__ = "0.1.0"

__all__ = [
    "AUDIENCES", "INTERNAL", "PUBLIC",
    "FAQ", "INDEX", "PAGE", "RESPONSE", "SOP",
    "CxdocsError", "Exporter", "Finding", "Page", "PageInfo", "PageMarkdown", "Project", "QuestionAnswer", "Rendered",
    "Target", "hookimpl", "pages_for", "visible_lines",
]

_moved.install()
