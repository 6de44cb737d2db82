"""Helpdesk formats for response packs: one exporter per helpdesk, each a default plugin.

An exporter reads the canonical packs (see :mod:`cxdocs.outputs.packs`) and writes files in the shape its
helpdesk's API or import takes, with the placeholder vocabulary mapped to the helpdesk's syntax.
A plugin adds one with the ``cxdocs_register_exporters(register)`` hook::

    from cxdocs import Exporter, hookimpl

    class Acme(Exporter):
        name = "acme"
        helpdesk = "Acme Desk"
        docs = "https://acme.example/api/replies"
        placeholders = {"customer.first_name": "[[first_name]]"}

        def write(self, packs, folder):
            ...

    @hookimpl
    def cxdocs_register_exporters(register):
        register("acme", Acme())
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cxdocs.core.errors import CxdocsError
from cxdocs.outputs.packs import PLACEHOLDER, dumps

Pack = dict[str, Any]
Response = dict[str, Any]


class Exporter:
    """One helpdesk format. Set the class attributes and implement :meth:`write`."""

    name: str = ""
    """The format's name: ``--format NAME``, ``export_formats`` and the folder below ``site/responses/``."""
    helpdesk: str = ""
    """The helpdesk's name as its users know it."""
    docs: str = ""
    """The API or import documentation the output follows."""
    placeholders: Mapping[str, str] = {}
    """Vocabulary name -> the helpdesk's syntax. A name missing here has no equivalent: a response
    using it fails the export for this format, naming the response, the placeholder and the format."""

    def write(self, packs: dict[str, Pack], folder: Path) -> None:
        """Write the files for every pack (one per language, in configuration order) into ``folder``."""
        raise NotImplementedError

    def unmapped(self, response: Response) -> list[str]:
        """The placeholders of a response this helpdesk has no equivalent for."""
        return [name for name in response["placeholders"] if name not in self.placeholders]

    def fill(self, text: str, response: Response, literal: Callable[[str], str] = lambda s: s) -> str:
        """``text`` with each canonical placeholder in the helpdesk's syntax; other text through ``literal``.

        ``literal`` protects text the helpdesk's template engine would otherwise read as its own
        syntax (a writer's literal ``{{``), so it reaches the customer as written.
        """
        out, last = [], 0
        for match in PLACEHOLDER.finditer(text):
            name = match["name"]
            if name not in self.placeholders:
                raise CxdocsError(
                    f"{{{{ {name} }}}} has no equivalent in {self.name} (response {response['id']!r})",
                    response.get("source"),
                )
            out += [literal(text[last : match.start()]), self.placeholders[name]]
            last = match.end()
        out.append(literal(text[last:]))
        return "".join(out)


def liquid_literal(text: str) -> str:
    """Text for a Liquid template (Zendesk, Freshdesk): braces a writer wrote stay braces."""
    if "{{" not in text and "{%" not in text:
        return text
    return re.sub(r"(\{[{%].*?(?:[}%]\}|$))", r"{% raw %}\1{% endraw %}", text, flags=re.S)


def folder_title(folder: str) -> str:
    """``returns-and-refunds`` -> ``Returns and refunds``: a response folder as a helpdesk category."""
    words = folder.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def write_json(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(document), encoding="utf-8", newline="\n")


def envelope(exporter: Exporter, pack: Pack, api: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The file cxdocs writes for an API-based helpdesk: one request body per response, keyed by id.

    ``request`` is exactly the documented request body. ``id`` and ``hash`` are the stable id and
    content hash from the canonical pack: an import keeps a map from ``id`` to the helpdesk's own
    id after the first create, then updates (and skips items whose ``hash`` it has seen).
    """
    return {
        "format": exporter.name,
        "helpdesk": exporter.helpdesk,
        "api": api,
        "docs": exporter.docs,
        "lang": pack["lang"],
        "count": len(items),
        "items": items,
    }
