"""``cxdocs push FORMAT``: the plan from the packs and the state file, printed, then carried out."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from cxdocs.app.build import load_checked_project
from cxdocs.core.errors import CxdocsError, CxdocsErrors
from cxdocs.outputs.export import registered_exporters, unmappable
from cxdocs.outputs.exporter import ApiExporter
from cxdocs.outputs.guard import refuse_leaking_requests
from cxdocs.outputs.packs import build_packs
from cxdocs.outputs.push import State, apply, plan, state_path


def push(
    config_file: Path,
    fmt: str,
    *,
    dry_run: bool,
    delete: bool,
    lang: str | None,
    state_file: Path | None,
    say: Callable[[str], None],
    note: Callable[[str], None],
) -> None:
    project, warnings = load_checked_project(config_file)
    for warning in warnings:
        note(str(warning))
    registered = registered_exporters(project.plugins)
    if fmt not in registered:
        raise CxdocsError(f"unknown export format {fmt!r}; the formats are: {', '.join(sorted(registered))}")
    exporter = registered[fmt]
    if not isinstance(exporter, ApiExporter):
        raise CxdocsError(
            f"{exporter.helpdesk or fmt} has no API cxdocs can push to: import the files cxdocs export writes "
            f"into site/responses/{fmt}/" + (" with python manage.py loaddata (a newer fixture updates the "
                                             "replies it loaded before)" if fmt == "django-helpdesk" else "")
        )
    languages = project.settings.languages
    if lang is not None and lang not in languages:
        raise CxdocsError(f"--lang {lang}: not a configured language ({', '.join(languages)})")
    chosen = [lang] if lang else languages
    packs = build_packs(project)
    findings = unmappable(project, {code: packs[code] for code in chosen}, exporter)
    if findings:
        raise CxdocsErrors(findings)
    # One language per push: that language's whole pack, titles as written. Every language:
    # titles in other languages than the default end in [lang], as in the export files.
    items = [item for code in chosen for item in exporter.items(packs[code], suffix=lang is None)]
    refuse_leaking_requests(project, fmt, (item.as_dict() for item in items))
    path = state_file or state_path(config_file.resolve().parent, fmt)
    state = State.load(path, fmt)
    steps = plan(items, state, chosen, delete, exporter.can_delete, exporter.helpdesk)
    shown = os.path.relpath(path)
    say(f"{fmt}: {len(items)} item(s) in {', '.join(chosen)}; state {shown}")
    for action in steps.actions:
        if action.kind != "unchanged":
            say("  " + action.describe())
    say(f"plan: {steps.summary()}")
    if dry_run:
        say("dry run: nothing was sent")
        return
    client = exporter.client(os.environ, note)
    try:
        if state.account and state.account != client.account:
            raise CxdocsError(
                f"this state is for {state.account}, and the push would go to {client.account}: "
                "give another helpdesk account its own state with --state FILE", path,
            )
        if not any(action.kind in ("create", "update", "delete") for action in steps.actions):
            say(f"{fmt}: {exporter.helpdesk} is up to date; nothing was sent")
            return
        done = apply(steps, state, client, lambda line: say("  " + line))
    finally:
        client.close()
    say(f"{fmt}: {done['created']} created, {done['updated']} updated, {done['unchanged']} unchanged, "
        f"{done['deleted']} deleted")
