"""``cxdocs import FORMAT FILE...``: a helpdesk's canned replies, as its API listed them, become responses."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from cxdocs.app.build import load_checked_project
from cxdocs.core.errors import CxdocsError
from cxdocs.outputs.export import registered_exporters
from cxdocs.outputs.exporter import ApiExporter
from cxdocs.outputs.importing import plan_files, response_text, to_markdown, write_all
from cxdocs.outputs.push import IMPORTED, Entry, State, state_path


def run_import(config_file: Path, fmt: str, files: list[Path], folder: str, *,
               say: Callable[[str], None], note: Callable[[str], None]) -> None:
    project, warnings = load_checked_project(config_file)
    registered = registered_exporters(project.plugins)
    if fmt not in registered:
        raise CxdocsError(f"unknown export format {fmt!r}; the formats are: {', '.join(sorted(registered))}")
    exporter = registered[fmt]
    documents = []
    for path in files:
        try:
            documents.append(json.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise CxdocsError(f"cannot read: {exc.strerror}", path) from None
        except ValueError as exc:
            raise CxdocsError(f"not a JSON file: {exc}", path) from None
    languages = project.settings.languages
    try:
        items, skipped = exporter.parse(documents, languages)
    except CxdocsError as exc:
        if exc.finding.path is None and len(files) == 1:
            raise CxdocsError(exc.message, files[0]) from None
        raise
    responses = project.content_dir / "responses"
    written, not_written, to_write = plan_files(
        items, responses, folder, lambda item: response_text(item, to_markdown(exporter.body_of(item)))
    )
    skipped += not_written
    write_all(to_write)
    if written and isinstance(exporter, ApiExporter):
        # The next push updates these items in the helpdesk instead of creating them again; cxdocs
        # did not create them, so it never deletes them.
        path = state_path(config_file.resolve().parent, fmt)
        state = State.load(path, fmt)
        for w in written:
            state.entries[(w.response_id, languages[0])] = Entry(w.item.remote, None, IMPORTED, w.item.title)
        state.save()
    for w in written:
        say(f"imported  {os.path.relpath(w.path)}  from {exporter.helpdesk or fmt} {w.item.remote}")
    for label, reason in skipped:
        note(f"skipped   {label}: {reason}")
    say(f"{fmt}: {len(written)} imported, {len(skipped)} skipped")
