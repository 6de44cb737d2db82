"""``cxdocs translate start|export|import`` and ``cxdocs status --diff``: the translators' loop."""

from __future__ import annotations

import datetime
import difflib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from cxdocs.core import po, xliff
from cxdocs.core.audience import PUBLIC
from cxdocs.core.content import Page, Project, split_language
from cxdocs.core.errors import CxdocsError, CxdocsErrors, Finding, display_path
from cxdocs.core.exchange import FUZZY, NEW, TRANSLATED, Carried, TranslationFile, carry_over, merge, pair_segments, units_for
from cxdocs.core.history import HistoryUnavailable, Version, find_version
from cxdocs.core.segments import Segmented, segment
from cxdocs.core.source import parse_document, read_text
from cxdocs.core.translations import (
    KEY, Snippet, document_hash, find_snippets, record_snippet, snippet_records, snippet_state, source_hash,
    translation_state, with_key,
)
from cxdocs.core.variables import flatten

FORMATS = {"xliff": (".xlf", xliff), "po": (".po", po)}
SNIPPET = "snippet"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cxdocs")
    except PackageNotFoundError:
        return "0"


@dataclass
class Source:
    """A page or a snippet in the default language, as the translators' commands see it."""

    project: Project
    uri: str
    path: Path
    kind: str
    """The page's kind, or ``snippet``."""
    page: Page | None = None
    snippet: Snippet | None = None

    @property
    def audience(self) -> str:
        # A snippet is public unless its front matter says audience: internal.
        return self.page.audience if self.page is not None else self.project.audience_of(self.path)

    def translation(self, lang: str) -> Path:
        return self.path.with_name(f"{self.path.stem}.{lang}{self.path.suffix}")

    def current_hash(self) -> str:
        return source_hash(self.page) if self.page is not None else self.snippet.hash()

    def recorded(self, lang: str) -> str | None:
        """The ``translated_from`` hash of the translation into ``lang``."""
        if self.page is not None:
            doc = self.page.document(lang)
            value = doc.meta.get(KEY) if doc is not None else None
            return None if value is None else str(value)
        path = self.snippet.translations.get(lang)
        if path is None:
            return None
        folder = (self.project.content_dir / self.project.settings.snippets_dir).resolve()
        return snippet_records(self.project.settings).get(path.resolve().relative_to(folder).as_posix())

    def state(self, lang: str) -> str:
        if self.page is not None:
            return translation_state(self.page, lang)
        return snippet_state(self.snippet, lang, snippet_records(self.project.settings), self.project.settings)

    def segmented(self, text: str | None = None, path: Path | None = None) -> Segmented:
        return segment(read_text(self.path) if text is None else text, self.kind, path or self.path)

    def record(self, text: str, digest: str | None) -> str:
        """``text`` as the translation file holds it: a page's front matter records ``digest``."""
        if self.page is not None and digest is not None:
            return with_key(text, digest)
        return text

    def made_from(self, lang: str) -> Version | None:
        """The committed version of the source the translation into ``lang`` was made from."""
        wanted = self.recorded(lang)
        if wanted is None:
            return None

        def matches(path: Path, text: str) -> bool:
            try:
                return document_hash(parse_document(path, text)) == wanted
            except CxdocsError:
                return False

        return find_version(self.path, matches)


def sources(project: Project) -> list[Source]:
    found = [Source(project, p.uri, p.path, p.kind, page=p) for p in project.pages]
    found += [Source(project, s.uri, s.path, SNIPPET, snippet=s) for s in find_snippets(project.settings)]
    return found


def find_source(project: Project, given: str) -> tuple[Source, str | None]:
    """The page or snippet a writer names, and the language when a translation is named.

    As seen from the project or from the content folder, with or without ``.md``.
    """
    content = project.content_dir.resolve()
    rel = None
    for base in (Path.cwd(), project.content_dir):
        candidate = (base / given).resolve()
        for name in (candidate, candidate.with_name(candidate.name + ".md")):
            if name.is_file() and name.is_relative_to(content):
                rel = name.relative_to(content).as_posix()
                break
        if rel:
            break
    if rel is None:
        raise CxdocsError(f"{given!r}: no such page or snippet in {display_path(project.content_dir)}")
    stem, lang = split_language(rel, project.settings, content / rel)
    for source in sources(project):
        if source.uri == stem:
            return source, lang if lang != project.settings.default_language else None
    raise CxdocsError(f"{given!r} is not a page or snippet with a source in the default language")


def _check_language(project: Project, lang: str) -> None:
    languages = project.settings.languages
    if lang == languages[0]:
        raise CxdocsError(f"{lang!r} is the default language: pages are written in it, not translated into it")
    if lang not in languages:
        raise CxdocsError(f"{lang!r} is not a configured language ({', '.join(languages)})")


# --- start ------------------------------------------------------------------------------------------


def start(project: Project, given: str, lang: str) -> Path:
    """Write ``<page>.<lang>.md``: the source to translate, recording the version it starts from."""
    _check_language(project, lang)
    source, _ = find_source(project, given)
    target = source.translation(lang)
    if target.exists():
        raise CxdocsError(f"the translation into {lang!r} exists already; not overwriting it (see cxdocs status --diff)", target)
    digest = source.current_hash()
    target.write_text(source.record(read_text(source.path), digest), encoding="utf-8")
    if source.snippet is not None:
        record_snippet(project.settings, target, digest)
    return target


# --- export -----------------------------------------------------------------------------------------


@dataclass
class Exported:
    file: Path
    source: Source
    counts: dict[str, int]
    note: str = ""


def file_hash(path: Path) -> str:
    """A hash of a translation file's bytes, or ``none``: is it still as it was at the export?"""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12] if path.is_file() else "none"


def known_translations(source: Source, lang: str, page: Segmented) -> tuple[dict[str, Carried], str]:
    """What the existing translation gives each segment, and a note on how it was found."""
    path = source.translation(lang)
    if not path.is_file():
        return {}, ""
    translation = source.segmented(read_text(path), path)
    state = source.state(lang)
    if state == "up to date":
        return carry_over(page, translation, None, True), ""
    made_from, note = None, ""
    if state == "outdated":
        try:
            version = source.made_from(lang)
        except HistoryUnavailable as exc:
            version, note = None, f"the version it was translated from cannot be read: {exc}"
        if version is not None:
            made_from = segment(version.text, source.kind, source.path)
        elif not note:
            note = "the version it was translated from is not in the git history"
    else:
        note = "it records no translated_from"
    if note:
        note = f"existing translation offered for review: {note}"
    return carry_over(page, translation, made_from, False), note


def _is_our_export(path: Path) -> bool:
    head = path.read_bytes()[:4096]
    return b'tool-id="cxdocs"' in head or b"X-Cxdocs-Page:" in head or b"written by cxdocs" in head


def export(project: Project, lang: str, fmt: str, out: Path, audience: str = "internal",
           given: tuple[str, ...] = ()) -> list[Exported]:
    """One translation file per page and snippet into ``out/<lang>/``, mirroring the content tree."""
    _check_language(project, lang)
    suffix, module = FORMATS[fmt]
    out = out.resolve()
    content = project.content_dir.resolve()
    if out.is_relative_to(content):
        raise CxdocsError(f"{display_path(out)}: export translation files outside the content folder")
    chosen = [find_source(project, g)[0] for g in given] if given else sources(project)
    values = {name: str(value) for name, value in flatten(project.variables(lang).values).items()
              if not isinstance(value, dict)}
    written = []
    plans = []
    for source in chosen:
        if audience == PUBLIC and source.audience != PUBLIC:
            continue
        page = source.segmented()
        target = out / lang / PurePosixPath(source.uri).with_suffix(suffix)
        if target.exists() and not _is_our_export(target):
            raise CxdocsError("exists and was not written by cxdocs; not overwriting it", target)
        carried, note = known_translations(source, lang, page)
        units = units_for(page, carried, values, internal=audience != PUBLIC)
        tf = TranslationFile(source.uri, project.settings.default_language, lang, source.current_hash(),
                             file_hash(source.translation(lang)), audience, units)
        plans.append((target, tf, source, note))
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")
    for target, tf, source, note in plans:
        data = xliff.write(tf, _version()) if module is xliff else po.write(tf, _version(), today).encode("utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        counts = {state: sum(u.state == state for u in tf.units) for state in (TRANSLATED, FUZZY, NEW)}
        written.append(Exported(target, source, counts, note))
    return written


# --- import -----------------------------------------------------------------------------------------


@dataclass
class Imported:
    file: Path
    translation: Path | None = None
    written: bool = False
    complete: bool = False
    open: int = 0
    english_notes: int = 0
    unchanged: bool = False
    problems: list[Finding] = field(default_factory=list)


def translation_files(folder: Path) -> list[Path]:
    suffixes = {*xliff.SUFFIXES, *po.SUFFIXES}
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def import_file(project: Project, file: Path, *, partial: bool = False, force: bool = False, dry_run: bool = False) -> Imported:
    result = Imported(file)
    try:
        tf = (po if file.suffix.lower() in po.SUFFIXES else xliff).read(file)
        _check_language(project, tf.target_lang)
        if tf.source_lang and tf.source_lang != project.settings.default_language:
            raise CxdocsError(f"translated from {tf.source_lang!r}, but the pages are written in "
                              f"{project.settings.default_language!r}", file)
        try:
            source, _ = find_source(project, tf.page)
        except CxdocsError:
            raise CxdocsError(f"its page {tf.page!r} is not in the content folder (moved or removed?)", file) from None
        target = source.translation(tf.target_lang)
        result.translation = target
        page = source.segmented()
        carried = known_translations(source, tf.target_lang, page)[0] if tf.audience == PUBLIC else {}
        merged = merge(tf, page, display_path(source.path), carried, partial=partial)
        result.complete, result.open = merged.complete, len(merged.open)
        result.english_notes = merged.agent_notes_in_source_language
        if merged.open and not partial:
            return result
        digest = source.current_hash() if merged.complete else (source.recorded(tf.target_lang) if target.is_file() else None)
        text = source.record(merged.text, digest)
        result.unchanged = target.is_file() and read_text(target) == text
        if not result.unchanged and tf.translation_hash and not force and file_hash(target) != tf.translation_hash:
            changed = "was created" if tf.translation_hash == "none" else "changed"
            raise CxdocsError(f"{display_path(target)} {changed} since this file was exported (by hand, or by an "
                              f"earlier import); importing would overwrite that: export again, or import with --force", file)
    except CxdocsErrors as exc:
        result.problems = exc.findings
        return result
    except CxdocsError as exc:
        result.problems = [exc.finding if exc.finding.path else Finding(exc.message, file)]
        return result
    if not dry_run:
        if not result.unchanged:
            target.write_text(text, encoding="utf-8")
        if source.snippet is not None and merged.complete:
            record_snippet(project.settings, target, digest)
    result.written = True
    return result


# --- status --diff ----------------------------------------------------------------------------------


def outdated(project: Project, given: str | None, lang: str | None) -> Iterator[tuple[Source, str]]:
    """(source, language) of every outdated translation, of one page or snippet, or of one language."""
    if lang is not None:
        _check_language(project, lang)
    if given is not None:
        source, named = find_source(project, given)
        chosen, lang = [source], lang or named
    else:
        chosen = sources(project)
    for source in chosen:
        for code in project.settings.languages[1:]:
            if lang in (None, code) and source.state(code) == "outdated":
                yield source, code


def describe_changes(source: Source, lang: str) -> list[str]:
    """What changed in the source since the translation into ``lang`` was made: a unified diff of
    the source, and the translation's segments that translate what changed."""
    translation = source.translation(lang)
    now = read_text(source.path)
    shown = display_path(source.path)
    head = f"{display_path(translation)} is outdated"
    try:
        version = source.made_from(lang)
        why = "" if version is not None else (
            f"the version with translated_from {source.recorded(lang)} is not in the git history of {shown}"
        )
    except HistoryUnavailable as exc:
        version, why = None, f"no git history: {exc}"
    if version is None:
        return [f"{head}; {why}, so what changed cannot be shown. The source as it is now:", "",
                *(f"    {line}" for line in now.splitlines()), ""]
    lines = [f"{head}: {shown} changed since {version.commit[:10]} ({version.date}), the version it was translated from:"]
    lines += list(difflib.unified_diff(version.text.splitlines(), now.splitlines(), lineterm="",
                                       fromfile=f"{shown} @ {version.commit[:10]}", tofile=f"{shown} now"))
    old, new = segment(version.text, source.kind), source.segmented(now)
    current_ids = {s.id for s in new.segments}
    pairs = pair_segments(old, source.segmented(read_text(translation), translation))
    to_update = [pairs[s.id] for s in old.segments if s.id not in current_ids and s.id in pairs]
    if to_update:
        lines.append(f"In {display_path(translation)}, the text that translates what changed:")
        lines += [f"  line {s.line}: {s.text}" for s in to_update]
    old_ids, old_places = {s.id for s in old.segments}, {(s.kind, s.path) for s in old.segments}
    added = [s for s in new.segments if s.id not in old_ids and (s.kind, s.path) not in old_places]
    if added:
        lines.append("New in the source, to translate:")
        lines += [f"  {shown}:{s.line}: {s.text}" for s in added]
    return lines + [""]
