"""Helpdesk formats for response packs: one exporter per helpdesk, each a default plugin.

An exporter reads the canonical packs (see :mod:`cxdocs.outputs.packs`) and writes files in the shape its
helpdesk's API or import takes, with the placeholder vocabulary mapped to the helpdesk's syntax and
a writer's text kept out of the helpdesk's own template syntax. A plugin adds one with the
``cxdocs_register_exporters(register)`` hook::

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

A helpdesk with a REST API subclasses :class:`ApiExporter` instead: it builds one request body per
response (:meth:`ApiExporter.request`), which both the export files and ``cxdocs push`` use.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxdocs.core.errors import CxdocsError
from cxdocs.outputs.importing import Body, Imported, Skip, unmap
from cxdocs.outputs.packs import PLACEHOLDER, dumps

Pack = dict[str, Any]
Response = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """Why a response cannot reach a helpdesk as written, and what to look for in its file for the line."""

    message: str
    pattern: str
    """A regular expression that finds the offending text in the response's source file."""


@dataclass(frozen=True)
class Item:
    """One response as one helpdesk item: what an export file holds and what ``cxdocs push`` sends."""

    id: str
    lang: str
    """The pack's language: with ``id``, the key of the item in the helpdesk (and in the push state)."""
    title: str
    """The title as the helpdesk lists it (language suffix included)."""
    source: str
    request: dict[str, Any]
    """The documented request body to create or update the item."""
    folder: str = ""
    """A folder the helpdesk knows by its own id, resolved (and created) when pushing; empty if none."""
    hash: str = field(default="")

    def __post_init__(self):
        if not self.hash:
            object.__setattr__(self, "hash", request_hash(self.request, self.folder))

    def as_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "lang": self.lang, "hash": self.hash, "source": self.source, "request": self.request}
        if self.folder:
            out["folder"] = self.folder
        return out


def request_hash(request: Mapping[str, Any], folder: str = "") -> str:
    """The hash of what is sent: it changes when the text, the title or the placeholder mapping does."""
    canonical = json.dumps({"request": request, "folder": folder}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    body: str = "body_html"
    """The pack field the helpdesk receives as the reply: ``body_html`` or ``body_text``."""
    sends_subject: bool = True
    """Whether the response's subject reaches the helpdesk (its placeholders must then map too)."""

    template: re.Pattern = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
    """The helpdesk's own template syntax, as an import finds it in a reply."""
    aliases: Mapping[str, str] = {}
    """More helpdesk syntax -> vocabulary name, read by import (spacing variants, older mappings)."""

    def write(self, packs: dict[str, Pack], folder: Path) -> None:
        """Write the files for every pack (one per language, in configuration order) into ``folder``."""
        raise NotImplementedError

    def parse(self, documents: list[Any], languages: list[str]) -> tuple[list[Imported], list[tuple[str, str]]]:
        """The replies in documents the helpdesk's API listed, and the ones skipped with the reason."""
        raise CxdocsError(f"cxdocs import cannot read {self.helpdesk or self.name} replies")

    def unescape(self, text: str) -> str:
        """The format's own escapes (:meth:`literal`) as ``\\x00text\\x00``: text the reply prints as is."""
        return text

    def body_of(self, item: Imported) -> Body:
        syntax = {**{v: k for k, v in self.placeholders.items()}, **self.aliases}
        return unmap(item.body, item.html, syntax, self.template, self.unescape)

    def literal(self, text: str) -> str:
        """A writer's text between placeholders, made to reach the customer as written.

        Text the helpdesk's template engine would read as its own syntax (a writer's ``{{``) is
        escaped here; what cannot be escaped is reported by :meth:`unescapable` instead.
        """
        return text

    def unescapable(self, text: str) -> list[str]:
        """Pieces of a writer's text this helpdesk would fill in and documents no escape for."""
        return []

    def sent_texts(self, response: Response) -> list[str]:
        """The canonical texts of a response that reach the helpdesk."""
        return [response[self.body]] + ([response["subject"]] if self.sends_subject and response["subject"] else [])

    def unmapped(self, response: Response) -> list[str]:
        """The placeholders of a response this helpdesk has no equivalent for."""
        used = {m["name"] for text in self.sent_texts(response) for m in PLACEHOLDER.finditer(text)}
        return sorted(name for name in used if name not in self.placeholders)

    def problems(self, response: Response) -> list[Problem]:
        """Everything that keeps a response from reaching this helpdesk as written."""
        where = self.name + (f" ({self.helpdesk})" if self.helpdesk and self.helpdesk != self.name else "")
        found = [
            Problem(
                f"{{{{ {name} }}}} has no equivalent in {where}: response {response['id']!r} cannot be exported to {self.name}",
                r"\{\{\s*" + re.escape(name) + r"\s*\}\}",
            )
            for name in self.unmapped(response)
        ]
        seen = set()
        for text in self.sent_texts(response):
            for chunk in PLACEHOLDER.split(text)[::2]:
                for piece in self.unescapable(chunk):
                    if piece not in seen:
                        seen.add(piece)
                        found.append(Problem(
                            f"{piece} is {self.helpdesk or self.name}'s own template syntax, which "
                            f"{self.helpdesk or self.name} would fill in and documents no way to escape: "
                            f"response {response['id']!r} cannot be exported to {self.name}; reword it",
                            re.escape(piece),
                        ))
        return found

    def fill(self, text: str, response: Response, literal: Callable[[str], str] | None = None) -> str:
        """``text`` with each canonical placeholder in the helpdesk's syntax; other text through ``literal``.

        ``literal`` (by default :meth:`literal`) protects text the helpdesk's template engine would
        otherwise read as its own syntax (a writer's literal ``{{``), so it reaches the customer as written.
        """
        literal = literal or self.literal
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


class ApiExporter(Exporter):
    """A helpdesk with a REST API: one documented request body per response and language.

    The export file of each language (``<file>.<lang>.json``) lists the items; ``cxdocs push``
    sends the same request bodies. Helpdesks have no language field for canned replies, so the
    title of a response in another language than the default carries ``[lang]`` when every
    language goes into one helpdesk (the export files, and ``cxdocs push`` without ``--lang``).
    """

    api: str = ""
    """The create operation, as ``METHOD /path``."""
    file: str = ""
    """The export file's name without ``.<lang>.json``."""
    can_delete: bool = True
    """Whether the helpdesk's API documents deleting an item (``cxdocs push --delete``)."""

    def request(self, response: Response, title: str, lang: str) -> dict[str, Any]:
        """The documented request body for one response, titled ``title``, in the pack of ``lang``."""
        raise NotImplementedError

    def client(self, environ: Mapping[str, str], report: Callable[[str], None]) -> Any:
        """A :class:`cxdocs.outputs.push.Client` for ``cxdocs push``, from the environment's credentials."""
        raise CxdocsError(f"cxdocs push has no client for {self.helpdesk or self.name}")

    def folder_of(self, response: Response) -> str:
        """The folder the helpdesk files the item in by its own folder id; empty if it has none."""
        return ""

    def items(self, pack: Pack, suffix: bool = True) -> list[Item]:
        lang = pack["lang"]
        out = []
        for r in pack["responses"]:
            title = r["title"] if not suffix or lang == pack["default_language"] else f"{r['title']} [{lang}]"
            out.append(Item(r["id"], lang, title, r["source"], self.request(r, title, lang), self.folder_of(r)))
        return out

    def write(self, packs: dict[str, Pack], folder: Path) -> None:
        for lang, pack in packs.items():
            items = [item.as_dict() for item in self.items(pack)]
            write_json(folder / f"{self.file}.{lang}.json", {
                "format": self.name,
                "helpdesk": self.helpdesk,
                "api": self.api,
                "docs": self.docs,
                "lang": lang,
                "count": len(items),
                "items": items,
            })


def each(documents: list[Any], key: str, what: str) -> list[dict]:
    """The items of listings as an API returns them: ``{key: [...]}`` pages, bare arrays, or single items."""
    found: list[dict] = []
    for document in documents:
        if isinstance(document, dict) and isinstance(document.get(key), list):
            found += document[key]
        elif isinstance(document, list):
            found += document
        elif isinstance(document, dict):
            found.append(document)
        else:
            raise CxdocsError(f"not {what}")
    if not all(isinstance(item, dict) for item in found):
        raise CxdocsError(f"not {what}")
    return found


LANGUAGE_COPY = "a copy in another language that cxdocs made; import the default language's"
"""Why ``cxdocs import`` leaves out an item :func:`language_copy` recognises."""


def language_copy(title: str, languages: list[str]) -> bool:
    """A title cxdocs gave the copy of a response in another language (``Refund [sl]``)."""
    match = re.search(r" \[([A-Za-z_-]+)\]$", title)
    return bool(match) and match[1] in languages[1:]


def liquid_literal(text: str) -> str:
    """Text for a Liquid template (Zendesk, Freshdesk): braces a writer wrote stay braces.

    Each ``{{`` and ``{%`` (and a ``{`` just before a placeholder) is written inside its own
    ``{% raw %}...{% endraw %}``, so a writer's ``{% endraw %}`` cannot end an escape early.
    """
    if "{" not in text:
        return text
    return re.sub(r"\{[{%]|\{\Z", lambda m: "{% raw %}" + m.group() + "{% endraw %}", text)


def liquid_unescape(text: str) -> str:
    return re.sub(r"\{% raw %\}(.*?)\{% endraw %\}", "\x00\\1\x00", text, flags=re.S)


def folder_title(folder: str) -> str:
    """``returns-and-refunds`` -> ``Returns and refunds``: a response folder as a helpdesk category."""
    words = folder.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def write_json(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(document), encoding="utf-8", newline="\n")
