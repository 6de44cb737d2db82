"""Gettext PO translation files, written and read with polib.

PO has no inline tags: a protected span stays literal text in msgid (``{{ limits.x }}``, so the
translator sees what it stands for) and the import holds msgstr to the same spans. Entries are
flagged ``md-text`` (Weblate checks Markdown links and syntax) and, when they hold a ``{{ }}``,
``angularjs-format``, Weblate's check for ``{{ name }}`` placeholders. Never ``python-format`` or
``python-brace-format``: those read ``{{`` as an escaped brace. The segment id is the msgctxt.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from cxdocs.core import protected
from cxdocs.core.errors import CxdocsError
from cxdocs.core.exchange import FUZZY, NEW, TRANSLATED, TranslationFile, Unit

SUFFIXES = (".po",)


def write(tf: TranslationFile, tool_version: str, revision_date: str) -> str:
    po = polib.POFile(wrapwidth=78)
    po.header = f"Translation of {tf.page} into {tf.target_lang}, written by cxdocs {tool_version}."
    po.metadata = {
        "Project-Id-Version": tf.page,
        "PO-Revision-Date": revision_date,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": tf.target_lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"cxdocs {tool_version}",
        "X-Cxdocs-Page": tf.page,
        "X-Cxdocs-Source-Language": tf.source_lang,
        "X-Cxdocs-Source-Hash": tf.source_hash,
        "X-Cxdocs-Translation-Hash": tf.translation_hash,
        "X-Cxdocs-Audience": tf.audience,
    }
    for unit in tf.units:
        flags = ["md-text"]
        if any(isinstance(p, protected.Span) and p.kind in ("variable", "placeholder") for p in protected.split(unit.source)):
            flags.append("angularjs-format")
        entry = polib.POEntry(msgctxt=unit.id, msgid=unit.source, msgstr=unit.target or "", comment=unit.note,
                              occurrences=[(tf.page, str(unit.line))], flags=flags)
        if unit.state == FUZZY:
            entry.flags.insert(0, "fuzzy")
            entry.previous_msgid = unit.previous
        po.append(entry)
    return str(po) + "\n"


def read(path: Path) -> TranslationFile:
    try:
        po = polib.pofile(str(path), wrapwidth=78)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise CxdocsError(f"not a readable PO file: {exc}", path, int(line[1]) if line else None) from None
    meta = po.metadata
    if "X-Cxdocs-Page" not in meta:
        raise CxdocsError("not a cxdocs export: the PO header has no X-Cxdocs-Page", path, 1)
    tf = TranslationFile(meta["X-Cxdocs-Page"], meta.get("X-Cxdocs-Source-Language", ""), meta.get("Language", ""),
                         meta.get("X-Cxdocs-Source-Hash", ""), meta.get("X-Cxdocs-Translation-Hash", ""),
                         meta.get("X-Cxdocs-Audience", "internal"), file=path)
    for entry in po:
        if entry.obsolete:
            continue
        if not entry.msgstr.strip():
            state = NEW
        else:
            state = FUZZY if "fuzzy" in entry.flags else TRANSLATED
        tf.units.append(Unit(entry.msgctxt or "", entry.msgid, entry.msgstr or None, state, where=entry.linenum))
    return tf
