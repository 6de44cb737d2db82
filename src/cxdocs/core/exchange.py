"""Translation files: what goes out to translators (segments, notes, known translations) and what
comes back (checked against the source before a page is written).

The file formats (XLIFF 1.2 and PO) are in ``xliff`` and ``po``; both hold a ``TranslationFile``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from cxdocs.core import protected
from cxdocs.core.errors import CxdocsError, CxdocsErrors, Finding
from cxdocs.core.segments import SINGLE_LINE, Segment, Segmented, apply, segment, skeleton, structure
from cxdocs.core.source import parse_document

TRANSLATED, FUZZY, NEW = "translated", "fuzzy", "new"


@dataclass
class Unit:
    """One segment as a translation file carries it."""

    id: str
    source: str
    target: str | None = None
    state: str = NEW
    """translated, fuzzy (a translation to review: the source changed since) or new."""
    note: str = ""
    path: str = ""
    line: int = 0
    """The segment's line in the source page."""
    previous: str | None = None
    """For a fuzzy unit, the source text its target translated, when known."""
    where: int | None = None
    """The unit's line in the translation file it was read from."""


@dataclass
class TranslationFile:
    page: str
    """The source below the content folder: ``faq/returns/refunds.md`` or ``snippets/hours.md``."""
    source_lang: str
    target_lang: str
    source_hash: str = ""
    """The source's ``translated_from`` hash when exported (informative: import compares every segment)."""
    translation_hash: str = ""
    """A hash of the translation file as it was when exported ("none": there was none)."""
    audience: str = "internal"
    """public: the agent notes were left out; they keep their translation on import."""
    units: list[Unit] = field(default_factory=list)
    file: Path | None = None


@dataclass
class Carried:
    """A translation known before the export: still right (translated) or to review (fuzzy)."""

    target: str
    state: str
    previous: str | None = None


# --- out: notes and known translations ------------------------------------------------------------


def note_for(seg: Segment, values: dict[str, str]) -> str:
    """The segment's note, naming what to keep unchanged (and what a variable stands for in the target language)."""
    kept = []
    for span in dict.fromkeys(p for p in protected.split(seg.text) if isinstance(p, protected.Span)):
        if span.kind == "placeholder":
            kept.append(f"{span.text} (filled in by the helpdesk when the reply is sent)")
        elif span.kind == "variable":
            value = values.get(span.name)
            kept.append(span.text + (f" (a variable; in this language: {value})" if value is not None else " (a variable)"))
        elif span.kind == "code":
            kept.append(f"{span.text} (code)")
        elif span.kind == "link":
            kept.append(f"{span.text} (link target)")
    return seg.note + (" Keep unchanged: " + "; ".join(kept) + "." if kept else "")


def pair_segments(source: Segmented, translation: Segmented) -> dict[str, Segment]:
    """Source segment id -> the translation's segment at the same place of the same structure."""
    a, b = structure(source), structure(translation)
    pairs = {}
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                pairs[source.segments[i1 + k].id] = translation.segments[j1 + k]
    return pairs


def pair(source: Segmented, translation: Segmented) -> dict[str, str]:
    """Source segment id -> the translation's text at the same place."""
    return {sid: seg.text for sid, seg in pair_segments(source, translation).items()}


def carry_over(current: Segmented, translation: Segmented | None, made_from: Segmented | None, up_to_date: bool) -> dict[str, Carried]:
    """What an existing translation gives each segment of the current source.

    Up to date: every paired segment is translated. Outdated with the source it was made from at
    hand: segments whose text did not change keep their translation, changed ones at the same place
    get it to review, with the previous source text. Otherwise (untracked, history not found):
    every paired segment is to review.
    """
    if translation is None:
        return {}
    if up_to_date:
        return {sid: Carried(text, TRANSLATED) for sid, text in pair(current, translation).items()}
    if made_from is None:
        return {sid: Carried(text, FUZZY) for sid, text in pair(current, translation).items()}
    old_pairs = pair(made_from, translation)
    old_at = {(s.kind, s.path): s for s in made_from.segments}
    carried = {}
    for seg in current.segments:
        if seg.id in old_pairs:
            carried[seg.id] = Carried(old_pairs[seg.id], TRANSLATED)
        elif (old := old_at.get((seg.kind, seg.path))) is not None and old.id in old_pairs:
            carried[seg.id] = Carried(old_pairs[old.id], FUZZY, old.text)
    return carried


def units_for(page: Segmented, carried: dict[str, Carried], values: dict[str, str], *, internal: bool = True) -> list[Unit]:
    """The units of an export; without ``internal`` the agent notes' segments are left out."""
    units = []
    for seg in page.segments:
        if seg.internal and not internal:
            continue
        known = carried.get(seg.id)
        note = note_for(seg, values)
        if known is not None and known.state == FUZZY:
            note += " The source changed since this was translated" + (f"; it was: {known.previous}" if known.previous else "") + "."
        units.append(Unit(seg.id, seg.text, known.target if known else None, known.state if known else NEW,
                          note, seg.path, seg.line, known.previous if known else None))
    return units


# --- in: checking a translator's file and writing the page ---------------------------------------------


@dataclass
class Merged:
    text: str
    """The translated page."""
    complete: bool
    """Every segment translated and none to review: the page may record the source it was made from."""
    open: list[str]
    """Ids of the units still to translate or review (their text comes from the file or the source)."""
    agent_notes_in_source_language: int = 0
    """Agent-note segments left out of a public export that have no translation to keep."""


def _short(text: str, n: int = 50) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def merge(tf: TranslationFile, source: Segmented, source_rel: str, carried: dict[str, Carried], *, partial: bool = False) -> Merged:
    """The translated page from a translator's file, or ``CxdocsErrors`` naming every segment at fault.

    All or nothing: a file whose segments no longer match the source, or one with a translation that
    lost, changed or added a placeholder, variable, code span or link target, writes nothing.
    """
    where = tf.file
    by_id = source.by_id()
    problems: list[Finding] = []

    def refuse(message: str, unit: Unit | None = None) -> None:
        problems.append(Finding(message, where, unit.where if unit else None))

    seen = set()
    for unit in tf.units:
        seg = by_id.get(unit.id)
        if seg is None:
            refuse(f"segment {unit.id} ({_short(unit.source)!r}) is no longer in {source_rel}: its text changed "
                   f"or was removed since the export; export again", unit)
            continue
        seen.add(unit.id)
        if unit.source != seg.text:
            refuse(f"segment {unit.id}: its source text differs from {source_rel}:{seg.line} "
                   f"({_short(unit.source)!r} in the file, {_short(seg.text)!r} in the page)", unit)
    for seg in source.segments:
        if seg.id not in seen and not (seg.internal and tf.audience == "public"):
            refuse(f"segment {seg.id} ({source_rel}:{seg.line}, {_short(seg.text)!r}) is new in the source and "
                   f"not in this file; export again")
    if problems:
        raise CxdocsErrors(problems)

    translations: dict[str, str] = {}
    open_units: list[str] = []
    for unit in tf.units:
        seg = by_id[unit.id]
        if unit.state != TRANSLATED or unit.target is None:
            open_units.append(unit.id)
            if not (partial and unit.target):
                continue
        target = unit.target if seg.style == "raw" else unit.target.strip("\n")
        issues = protected.problems(seg.text, target)
        if seg.kind in SINGLE_LINE and "\n" in target.strip():
            issues.append("must be a single line")
        elif seg.style == "block" and re.search(r"\n[ \t]*\n", target.strip()):
            issues.append("holds an empty line: a segment is one paragraph (a single line break is kept)")
        if seg.kind == "diagram-label" and (bad := set(protected.PROTECTED.sub("", target)) & set('[](){}|"')):
            issues.append(f"a flowchart label cannot hold {' '.join(sorted(bad))}")
        if not target.strip():
            issues.append("the translation is empty")
        if issues:
            refuse(f"segment {unit.id} ({source_rel}:{seg.line}, {_short(seg.text)!r}): " + "; ".join(issues), unit)
        translations[unit.id] = target
    english_notes = 0
    if tf.audience == "public":
        for seg in source.segments:
            if seg.internal and seg.id not in seen:
                known = carried.get(seg.id)
                if known is not None and known.state == TRANSLATED:
                    translations[seg.id] = known.target
                else:
                    english_notes += 1
    terms = [translations.get(s.id, s.text) for s in source.segments if s.kind == "term"]
    if len(set(terms)) != len(terms):
        twice = sorted({t for t in terms if terms.count(t) > 1})
        refuse(f"two glossary terms translate to the same word: {', '.join(map(repr, twice))}")
    if problems:
        raise CxdocsErrors(problems)

    text = apply(source, translations)
    again = segment(text, source.kind)
    if skeleton(again) != skeleton(source):
        raise CxdocsError(f"a translation changed the page's structure (a line that starts with '#', '-', "
                          f"'!!!' or a blank line?): {_changed_line(source, again)}", where)
    try:
        parse_document(where or Path(source_rel), text)
    except CxdocsError as exc:
        raise CxdocsError(f"the translated page would not load: {exc.finding.message}", where) from None
    complete = not open_units and not english_notes
    return Merged(text, complete, open_units, english_notes)


def _changed_line(a: Segmented, b: Segmented) -> str:
    for line in difflib.unified_diff(skeleton(a).split("\n"), skeleton(b).split("\n"), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            return repr(re.sub(r"\0([a-z-]+)\0", r"<\1>", line[1:]))
    return "?"
