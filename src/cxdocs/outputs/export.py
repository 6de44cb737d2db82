"""Exporting response packs: the canonical pack per language, each chosen helpdesk format, and
what changed since an older pack. Used by ``cxdocs build`` (inside its staging tree) and
``cxdocs export`` (swapped into its output folder whole)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxdocs.core.content import Project
from cxdocs.core.errors import CxdocsError, CxdocsErrors, Finding
from cxdocs.outputs.exporter import Exporter, write_json
from cxdocs.outputs.folders import PACKS, mark_output, refuse_unsafe, staging, swap_in
from cxdocs.outputs.guard import guard_for_packs, packs_stopped
from cxdocs.outputs.guard_cache import scan
from cxdocs.outputs.packs import SCHEMA_FILE, SCHEMA_PATH, build_packs, dumps, load_pack, pack_path

Pack = dict[str, Any]


@dataclass
class Changes:
    """How a pack differs from an older one of the same language, by stable id and content hash."""

    lang: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    since: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"lang": self.lang, "since": self.since, "added": self.added, "changed": self.changed, "removed": self.removed}


@dataclass
class Export:
    """What an export writes: the packs, the formats that carry them, and the formats left out."""

    packs: dict[str, Pack]
    exporters: list[Exporter]
    skipped: dict[str, list[Finding]] = field(default_factory=dict)
    """Formats not asked for by name that cannot carry every response, with the reasons."""
    changes: dict[str, Changes] = field(default_factory=dict)
    only_changed: bool = False
    project: Project | None = None
    """The project the packs come from: the leak guard reads what is written against it."""

    @property
    def responses(self) -> int:
        return max((pack["count"] for pack in self.packs.values()), default=0)


def registered_exporters(pm) -> dict[str, Exporter]:
    """Every helpdesk format registered through ``cxdocs_register_exporters``, by name."""
    found: dict[str, Exporter] = {}

    def register(name: str, exporter: Exporter) -> None:
        if not isinstance(exporter, Exporter):
            raise CxdocsError(f"export format {name!r} is not a cxdocs.outputs.exporter.Exporter")
        if name in found:
            raise CxdocsError(f"two plugins register the export format {name!r}")
        exporter.name = exporter.name or name
        found[name] = exporter

    pm.hook.cxdocs_register_exporters(register=register)
    return found


def plan_export(project: Project, formats: list[str] | None) -> Export:
    """The packs and the formats to write.

    ``formats`` named (``--format``, ``export_formats``): each must carry every response, or the
    export fails with every response, placeholder and format at fault. ``None``: every registered
    format that can carry them; the others are skipped and reported, not failed.
    """
    registered = registered_exporters(project.plugins)
    explicit = formats is not None
    names = list(dict.fromkeys(formats)) if explicit else sorted(registered)
    unknown = [n for n in names if n not in registered]
    if unknown:
        raise CxdocsError(
            f"unknown export format {unknown[0]!r}; the formats are: {', '.join(sorted(registered))}"
        )
    packs = build_packs(project)
    chosen, skipped, errors = [], {}, []
    read: dict[Path, list[str]] = {}
    for name in names:
        findings = unmappable(project, packs, registered[name], read)
        if not findings:
            chosen.append(registered[name])
        elif explicit:
            errors.extend(findings)
        else:
            skipped[name] = findings
    if errors:
        raise CxdocsErrors(errors)
    return Export(packs, chosen, skipped, project=project)


def unmappable(project: Project, packs: dict[str, Pack], exporter: Exporter,
               read: dict[Path, list[str]] | None = None) -> list[Finding]:
    """One finding per response file and problem: a placeholder the format has no equivalent for,
    or text the helpdesk would read as its own template syntax and cannot be escaped for it.
    ``read``: the response files' lines, read once for every language's pack and every format."""
    findings: dict[tuple[str, str], Finding] = {}
    root = project.content_dir.resolve().parent
    read = {} if read is None else read
    for pack in packs.values():
        for response in pack["responses"]:
            for problem in exporter.problems(response):
                key = (response["source"], problem.message)
                if key in findings:
                    continue
                path = root / response["source"]
                findings[key] = Finding(problem.message, path, _line_of(path, problem.pattern, read))
    return sorted(findings.values(), key=lambda f: (str(f.path), f.line or 0))


def _line_of(path: Path, pattern: str, read: dict[Path, list[str]]) -> int | None:
    found = re.compile(pattern)
    if path not in read:
        try:
            read[path] = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            read[path] = []
    for number, line in enumerate(read[path], start=1):
        if found.search(line):
            return number
    return None


def compare(old: Pack, new: Pack, since: str = "") -> Changes:
    before = {r["id"]: r["hash"] for r in old["responses"]}
    after = {r["id"]: r["hash"] for r in new["responses"]}
    return Changes(
        lang=new["lang"],
        added=sorted(set(after) - set(before)),
        changed=sorted(i for i in set(after) & set(before) if after[i] != before[i]),
        removed=sorted(set(before) - set(after)),
        since=since,
    )


def compare_since(export: Export, old: Path) -> None:
    """Compare with an older pack file (its language) or an older output folder (every language)."""
    if old.is_dir():
        for lang, pack in export.packs.items():
            path = pack_path(old, lang)
            previous = load_pack(path) if path.is_file() else {"responses": []}
            export.changes[lang] = compare(previous, pack, path.as_posix() if path.is_file() else "")
        return
    previous = load_pack(old)
    lang = previous.get("lang")
    if lang not in export.packs:
        raise CxdocsError(f"the pack is in {lang!r}, which is not a configured language", old)
    export.changes[lang] = compare(previous, export.packs[lang], old.as_posix())


def write_export(export: Export, folder: Path) -> None:
    """Write the schema, the canonical packs and every chosen format into ``folder`` (created here)."""
    folder.mkdir(parents=True)
    mark_output(folder, PACKS)
    (folder / SCHEMA_FILE).write_bytes(SCHEMA_PATH.read_bytes())
    for lang, pack in export.packs.items():
        pack_path(folder, lang).write_text(dumps(pack), encoding="utf-8", newline="\n")
    packs = export.packs
    if export.only_changed:
        packs = {}
        for lang, changes in export.changes.items():
            keep = set(changes.added) | set(changes.changed)
            pack = export.packs[lang]
            subset = [r for r in pack["responses"] if r["id"] in keep]
            packs[lang] = {**pack, "count": len(subset), "responses": subset}
    for exporter in export.exporters:
        exporter.write(packs, folder / exporter.name)
    for lang, changes in export.changes.items():
        write_json(folder / f"changes.{lang}.json", changes.as_dict())
    if export.project is not None:
        refuse_leaking_packs(export.project, folder)


def refuse_leaking_packs(project: Project, folder: Path) -> None:
    """Read every file the export wrote; a pack holding internal text is an error, and nothing is
    published. In a build with the cache, a file the guard found clean with the same bytes, against
    the same reference, is known clean: an edit to no response reads no pack again."""
    kept = getattr(project, "kept", None)
    leaks = scan(guard_for_packs(project, shipped_beside_packs()), folder, "", kept.cache if kept is not None else None, "packs")
    if leaks:
        raise packs_stopped(leaks)


def shipped_beside_packs() -> list[str]:
    """What the export writes beside the packs that is not content (their JSON Schema): public text."""
    return [SCHEMA_PATH.read_text(encoding="utf-8")]


def export_into(export: Export, out: Path, content_dir: Path, project_dir: Path) -> None:
    """Write into a staging folder beside ``out``, then swap it in: ``out`` is replaced whole or not at all,
    and only if it is empty or holds packs cxdocs wrote."""
    out = refuse_unsafe(out, (PACKS,), content_dir, project_dir, "--out", legacy=lambda folder: (folder / SCHEMA_FILE).is_file())
    with staging(out.parent, f".{out.name}-export-") as staging_dir:
        write_export(export, staging_dir / out.name)
        swap_in(staging_dir / out.name, out)


def describe(export: Export) -> str:
    """What was exported, in a few words."""
    formats = ", ".join(e.name for e in export.exporters) or "no helpdesk format"
    return f"{export.responses} response(s) in {len(export.packs)} language(s), for {formats}"


def skipped_notes(export: Export) -> list[str]:
    """One line per format left out, with the placeholders it has no equivalent for."""
    notes = []
    for name, findings in export.skipped.items():
        names = sorted({f.message.split(" }}", 1)[0].removeprefix("{{ ") for f in findings if " has no equivalent in " in f.message})
        reasons = [f"it has no equivalent for {', '.join(names)}"] if names else []
        syntax = sum(" has no equivalent in " not in f.message for f in findings)
        if syntax:
            reasons.append(f"{syntax} response(s) hold text it would read as its own template syntax")
        notes.append(
            f"note: response packs not exported to {name}: {'; '.join(reasons)} "
            f"(cxdocs export --format {name} lists the responses; export_formats chooses the formats)"
        )
    return notes
