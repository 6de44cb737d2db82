"""XLIFF 1.2 translation files, written and read with the standard library.

XLIFF 1.2, not 2.0: translation tools (Weblate, translate-toolkit, Okapi, memoQ, Trados) read 1.2
fully. A protected span is ``<ph id="1" ctype="x-cxdocs-variable">{{ limits.x }}</ph>``: the tool
shows the real text but keeps the tag whole. Reading also accepts what tools turn it into:
``<x id="1"/>`` (with or without ``equiv-text``) and targets wrapped in ``<mrk>`` or ``<g>``.
Translated units carry ``approved="yes"``, which translate-toolkit based tools need to count them
as translated rather than fuzzy.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from cxdocs.core import protected
from cxdocs.core.errors import CxdocsError
from cxdocs.core.exchange import FUZZY, NEW, TRANSLATED, TranslationFile, Unit

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ET.register_namespace("", NS)
CTYPE = {
    "placeholder": "x-cxdocs-placeholder", "variable": "x-cxdocs-variable", "code": "x-cxdocs-code",
    "link": "x-cxdocs-link", "autolink": "x-cxdocs-link", "html": "x-cxdocs-html", "attr": "x-cxdocs-attr",
    "footnote-ref": "x-cxdocs-footnote",
}
HEADER = re.compile(r"cxdocs (source-hash|translation-hash|audience) (\S+)")
SUFFIXES = (".xlf", ".xliff")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _inline(parent: ET.Element, text: str) -> None:
    """Text with each protected span as a ``<ph>``, numbered from 1 within the element."""
    last = None
    n = 0
    for part in protected.split(text):
        if isinstance(part, protected.Span):
            n += 1
            last = ET.SubElement(parent, _q("ph"), {"id": str(n), "ctype": CTYPE[part.kind]})
            last.text = part.text
        elif last is None:
            parent.text = (parent.text or "") + part
        else:
            last.tail = (last.tail or "") + part


def write(tf: TranslationFile, tool_version: str) -> bytes:
    root = ET.Element(_q("xliff"), {"version": "1.2"})
    file = ET.SubElement(root, _q("file"), {
        "original": tf.page, "source-language": tf.source_lang, "target-language": tf.target_lang,
        "datatype": "x-cxdocs-markdown", "tool-id": "cxdocs",
    })
    header = ET.SubElement(file, _q("header"))
    ET.SubElement(header, _q("tool"), {"tool-id": "cxdocs", "tool-name": "cxdocs", "tool-version": tool_version})
    note = ET.SubElement(header, _q("note"), {"from": "cxdocs"})
    note.text = (f"cxdocs source-hash {tf.source_hash} cxdocs translation-hash {tf.translation_hash} "
                 f"cxdocs audience {tf.audience} -- Translate the targets; keep every <ph> tag.")
    body = ET.SubElement(file, _q("body"))
    for unit in tf.units:
        tu = ET.SubElement(body, _q("trans-unit"), {"id": unit.id, "resname": unit.path, f"{{{XML_NS}}}space": "preserve"})
        if unit.state == TRANSLATED:
            tu.set("approved", "yes")
        _inline(ET.SubElement(tu, _q("source")), unit.source)
        if unit.target is not None:
            state = "translated" if unit.state == TRANSLATED else "needs-review-translation"
            _inline(ET.SubElement(tu, _q("target"), {"state": state}), unit.target)
        ET.SubElement(tu, _q("note"), {"from": "cxdocs"}).text = unit.note
        # A context-group's name must be unique within a file (XLIFF 1.2 strict schema): none given.
        group = ET.SubElement(tu, _q("context-group"), {"purpose": "location"})
        ET.SubElement(group, _q("context"), {"context-type": "sourcefile"}).text = tf.page
        ET.SubElement(group, _q("context"), {"context-type": "linenumber"}).text = str(unit.line)
    _indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def _indent(elem: ET.Element, level: int = 0) -> None:
    """Indent the structure only: white space inside source, target or note would be text."""
    if elem.tag in (_q("source"), _q("target"), _q("note"), _q("context"), _q("tool")) or not len(elem):
        return
    pad = "\n" + "  " * (level + 1)
    elem.text = pad
    for i, child in enumerate(elem):
        _indent(child, level + 1)
        child.tail = pad if i < len(elem) - 1 else "\n" + "  " * level


def _native(elem: ET.Element | None, table: dict[str, str], unit: str, path: Path) -> str | None:
    """The text of a source or target with its inline tags turned back into the source's spans."""
    if elem is None:
        return None
    out = [elem.text or ""]
    for child in elem:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("ph", "x", "bx", "ex", "it"):
            pid = child.get("id")
            if pid not in table:
                raise CxdocsError(f"segment {unit}: inline tag <{tag} id={pid!r}> is not in its source", path)
            content = "".join(child.itertext())
            if tag == "ph" and content and content != table[pid]:
                raise CxdocsError(f"segment {unit}: protected text {table[pid]!r} was changed to {content!r}", path)
            out.append(table[pid])
        elif tag in ("mrk", "g"):
            out.append(_native(child, table, unit, path) or "")
        else:
            raise CxdocsError(f"segment {unit}: unexpected <{tag}> in the translation", path)
        out.append(child.tail or "")
    return "".join(out)


def read(path: Path) -> TranslationFile:
    data = path.read_bytes()
    if b"<!DOCTYPE" in data[:4096].upper():  # no entity tricks in a file from outside
        raise CxdocsError("an XLIFF file may not declare a DOCTYPE", path, 1)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise CxdocsError(f"not well-formed XML: {exc.msg.split(':')[0]}", path, exc.position[0]) from None
    if root.tag != _q("xliff"):
        raise CxdocsError(f"not an XLIFF 1.2 file (the root element should be <xliff> in {NS})", path, 1)
    files = root.findall(_q("file"))
    if len(files) != 1:
        raise CxdocsError(f"expected one <file> element (a cxdocs export holds one page), found {len(files)}", path)
    file = files[0]
    header = file.find(f"{_q('header')}/{_q('note')}")
    marks = dict(HEADER.findall(header.text or "")) if header is not None else {}
    tf = TranslationFile(file.get("original") or "", file.get("source-language") or "", file.get("target-language") or "",
                         marks.get("source-hash", ""), marks.get("translation-hash", ""), marks.get("audience", "internal"),
                         file=path)
    text = data.decode("utf-8", errors="replace")
    for tu in file.iter(_q("trans-unit")):
        uid = tu.get("id") or ""
        src = tu.find(_q("source"))
        if src is None:
            raise CxdocsError(f"segment {uid}: the unit has no <source>", path)
        table = {ph.get("id"): (ph.text or "") for ph in src.iter(_q("ph"))}
        table.update({x.get("id"): x.get("equiv-text", "") for x in src.iter(_q("x"))})
        source = _native(src, table, uid, path)
        target_elem = tu.find(_q("target"))
        target = _native(target_elem, table, uid, path)
        state = target_elem.get("state") if target_elem is not None else None
        if target is None or not target.strip() or state == "new":
            status = NEW
        elif state is not None:  # the XLIFF state wins: needs-translation, needs-review-... are not done
            status = FUZZY if state.startswith("needs-") else TRANSLATED
        else:  # a tool that writes no state: done unless it says approved="no"
            status = FUZZY if tu.get("approved") == "no" else TRANSLATED
        at = text.find(f'id="{uid}"')
        tf.units.append(Unit(uid, source or "", target, status, where=text.count("\n", 0, at) + 1 if at >= 0 else None))
    return tf
