"""Every hook a cxdocs plugin can implement.

A plugin is a module or object with functions decorated ``@cxdocs.hookimpl`` and named like the
specs below. cxdocs' own features are plugins of the same kind (see ``plugins.DEFAULT_PLUGINS``),
so these hooks are exercised by the product itself.

Every hook is called through pluggy, in pluggy's order: ``tryfirst=True`` implementations first,
then plain ones, then ``trylast=True`` ones; within each group the plugin registered last runs
first (cxdocs' defaults are registered first, then installed plugins, then the project's
``plugins/*.py`` files in name order). Where cxdocs' own implementation must come first (the SOP
and response headers, the FAQPage block) it is marked ``tryfirst=True``, so a project plugin runs
after it by default and before it with ``tryfirst=True`` of its own; ``wrapper=True``
implementations run around all the others (``result = yield``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pluggy

hookspec = pluggy.HookspecMarker("cxdocs")
hookimpl = pluggy.HookimplMarker("cxdocs")
"""Decorate a function in a cxdocs plugin with this to implement a hook (``from cxdocs.core.hookspecs import hookimpl``)."""


@hookspec
def cxdocs_register_checks(register):
    """Add content checks, run by ``cxdocs check`` and before every ``cxdocs build``.

    Call ``register(name, check)`` once per check. ``check(project)`` receives the loaded
    :class:`cxdocs.core.content.Project` and yields :class:`cxdocs.core.errors.Finding` objects (severity
    ``"error"`` stops a build, ``"warning"`` is reported and fails only ``--strict``). Each finding
    is tagged with the ``name`` its check was registered under; the handbook's content health page
    lists the warnings of the check named ``"house-style"`` in a section of their own.
    """


@hookspec
def cxdocs_page_header(page, target, render, project):
    """Return Markdown to put above a page's body in one target, or None.

    ``page`` is a :class:`cxdocs.Page`, ``target`` a :class:`cxdocs.Target`. ``render(value, key)``
    returns a front-matter value as text with the target's variables filled in (``key`` is the
    front-matter key it came from, so an error names that line), so values in a header follow the
    same rules as the body. ``project`` is the loaded :class:`cxdocs.Project` (the response header
    uses it for the reply's plain text). The headers are joined in the order pluggy calls them:
    cxdocs' own (SOP, response) are ``tryfirst``, so a project plugin's header goes below them,
    or above them with ``@hookimpl(tryfirst=True)``.
    """


@dataclass
class PageMarkdown:
    """A page's final Markdown for one target, which ``cxdocs_page_markdown`` implementations change."""

    markdown: str


@hookspec
def cxdocs_page_markdown(page, target, text, markdown):
    """Change a page's final Markdown for one target: set ``text.markdown``.

    Runs after snippet inclusion, audience filtering and variable substitution, so the Markdown
    holds only what the target's readers may see. ``text`` is a :class:`PageMarkdown`; each
    implementation sees what the ones before it made of ``text.markdown``, in pluggy's order.

    ``markdown`` is the text as it was before any implementation ran: the form of cxdocs 0.1, where
    an implementation returned the changed text. Returning a string still works (it replaces
    ``text.markdown``) and is deprecated.
    """


@hookspec
def cxdocs_structured_data(page, target, info, blocks):
    """Add or change the schema.org JSON-LD blocks of one public page.

    ``blocks`` is a list of dicts, one per ``<script type="application/ld+json">`` element; append
    to it, or change or remove its items. Implementations run in pluggy's order, each seeing what
    the previous ones did: the FAQPage and BreadcrumbList blocks come from the default plugin
    ``cxdocs.builtins.faq_schema``, marked ``tryfirst``, so a project plugin can extend them or add
    its own (an ``Organization``, say); with ``tryfirst=True`` it runs before them. ``info`` is a :class:`cxdocs.core.structured_data.PageInfo`: the
    page's language, URL, breadcrumbs and its questions with answer HTML, after audience filtering
    and variable substitution. Blocks are serialized for you, safely for a ``<script>`` element.
    Internal targets carry no structured data, so this hook is not called for them.
    """


@hookspec
def cxdocs_register_exporters(register):
    """Add helpdesk formats for response packs, written by ``cxdocs build`` and ``cxdocs export``.

    Call ``register(name, exporter)`` once per format, where ``exporter`` is a
    :class:`cxdocs.outputs.exporter.Exporter`: it knows its helpdesk, its placeholder mapping (vocabulary
    name -> the helpdesk's syntax; a name it lacks has no equivalent there) and writes its files
    for the canonical packs of every language into ``site/responses/<name>/``. cxdocs checks the
    mapping first, so a response with a placeholder the format cannot carry fails the export,
    naming the response, the placeholder and the format. Each built-in helpdesk format is a default
    plugin of this hook (``cxdocs.builtins.exporters.zendesk``, ...).
    """
