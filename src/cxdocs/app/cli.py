"""The ``cxdocs`` command. Errors leave here as ``path:line: message`` and a non-zero exit."""

from __future__ import annotations

import functools
import logging
import os
import sys
from pathlib import Path

import click

from cxdocs.core.errors import CxdocsError, CxdocsErrors, Finding

CONFIG_OPTION = click.option(
    "-f", "--config-file", default="mkdocs.yml", show_default=True, type=click.Path(path_type=Path),
    help="The project's MkDocs configuration.",
)


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname_lower)s: %(message)s"))
    handler.addFilter(_lower_level)
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def _lower_level(record: logging.LogRecord) -> bool:
    record.levelname_lower = record.levelname.lower()
    return True


def _print_findings(findings: list[Finding]) -> None:
    for finding in findings:
        click.echo(str(finding), err=True)


def handle_errors(func):
    """Turn cxdocs errors into ``path:line: message`` lines and exit status 1; never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CxdocsErrors as exc:
            _print_findings(exc.findings)
            click.echo(f"{len(exc.findings)} error(s); nothing was written", err=True)
            sys.exit(1)
        except CxdocsError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; the previous site/ is unchanged", err=True)
            sys.exit(130)
        except OSError as exc:
            click.echo(f"{exc.filename or 'cxdocs'}: {exc.strerror or exc}", err=True)
            sys.exit(1)

    return wrapper


@click.group()
@click.version_option(package_name="cxdocs")
def main():
    """Publish a support knowledge base: public FAQ, internal handbook and response packs."""


@main.command()
@CONFIG_OPTION
@click.option("--target", "targets", multiple=True, metavar="AUDIENCE[:LANG]",
              help="Build only this target, e.g. public:sl (repeatable). Default: every audience and language.")
@click.option("-d", "--site-dir", default="site", show_default=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings (house style, overdue reviews, MkDocs warnings) as errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' own progress messages.")
@handle_errors
def build(config_file: Path, targets: tuple[str, ...], site_dir: Path, strict: bool, verbose: bool):
    """Build every target (audience x language) into SITE_DIR, swapped in whole or not at all."""
    from cxdocs.app.build import build as run_build

    _setup_logging(verbose)
    from cxdocs.app.progress import terminal

    screen = terminal()
    summary = run_build(config_file, site_dir, list(targets) or None, strict=strict, progress_to=screen)
    _print_findings(summary.warnings)
    warned = f", {len(summary.warnings)} warning(s)" if summary.warnings else ""
    packs = ""
    if summary.export is not None:
        from cxdocs.outputs.export import skipped_notes

        notes = skipped_notes(summary.export)
        if screen:  # in CI the summary line counts them; `cxdocs export` explains
            for note in notes:
                click.echo(note, err=True)
        packs = f", response packs for {len(summary.export.exporters)} helpdesk format(s)"
        if notes and not screen:
            packs += f" ({len(notes)} left out: see cxdocs export)"
    click.echo(
        f"built {len(summary.targets)} target(s), {summary.pages} pages in {summary.seconds:.1f} s into {site_dir}/{packs}{warned}",
        err=True,
    )


@main.command()
@CONFIG_OPTION
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
@handle_errors
def check(config_file: Path, strict: bool):
    """Validate the content; print path:line: message for every problem found."""
    from cxdocs.app.project import check_project

    project, findings = check_project(config_file)
    _print_findings(findings)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    click.echo(f"{len(project.pages)} pages checked: {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@CONFIG_OPTION
@click.option("--format", "formats", multiple=True, metavar="NAME",
              help="A helpdesk format (repeatable): zendesk, freshdesk, helpscout, liveagent, django-helpdesk, "
                   "or one a plugin adds. Default: export_formats from mkdocs.yml, else every format that can carry the responses.")
@click.option("--out", default="site/responses", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write; replaced whole.")
@click.option("--since", type=click.Path(exists=True, path_type=Path), metavar="OLD_PACK",
              help="An older cxdocs.<lang>.json (or a folder of them): report added, changed and removed responses.")
@click.option("--only-changed", is_flag=True, help="With --since: helpdesk formats hold only added and changed responses.")
@handle_errors
def export(config_file: Path, formats: tuple[str, ...], out: Path, since: Path | None, only_changed: bool):
    """Write the response packs, per language, for the helpdesks (without building the sites)."""
    import time

    from cxdocs.app.project import load_checked_project
    from cxdocs.outputs.export import compare_since, describe, export_into, plan_export, skipped_notes

    if only_changed and since is None:
        raise CxdocsError("--only-changed needs --since OLD_PACK")
    started = time.monotonic()
    project, warnings = load_checked_project(config_file)
    _print_findings(warnings)
    chosen = list(formats) if formats else project.settings.export_formats
    plan = plan_export(project, chosen)
    if since is not None:
        compare_since(plan, since)
        plan.only_changed = only_changed
    export_into(plan, out)
    for note in skipped_notes(plan):
        click.echo(note, err=True)
    for changes in plan.changes.values():
        counts = f"{len(changes.added)} added, {len(changes.changed)} changed, {len(changes.removed)} removed"
        click.echo(f"{changes.lang}: {counts} since {changes.since or 'nothing'}")
        for state in ("added", "changed", "removed"):
            for rid in getattr(changes, state):
                click.echo(f"  {state:<8}{rid}")
    click.echo(f"exported {describe(plan)} into {out}/ in {time.monotonic() - started:.1f} s", err=True)


@main.command()
@CONFIG_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON (for CI).")
@click.option("--mark", "marks", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="Record that this translation is up to date with its source (repeatable).")
@handle_errors
def status(config_file: Path, as_json: bool, marks: tuple[Path, ...]):
    """Translation coverage per language: up to date, outdated, untracked and missing pages."""
    import json

    from cxdocs.core.config import read_config
    from cxdocs.core.content import load_project
    from cxdocs.core.translations import STATES, mark_translated
    from cxdocs.core.translations import status as translation_status

    settings = read_config(config_file).settings
    project = load_project(settings)
    for path in marks:
        digest = mark_translated(project, path)
        click.echo(f"marked {path} as translated from {digest}", err=True)
    if marks:
        project = load_project(settings)
    languages = translation_status(project)
    if as_json:
        report = {
            "default_language": project.settings.default_language,
            "languages": {
                entry.lang: {
                    "total": entry.total,
                    "coverage": round(entry.coverage, 4),
                    **{state.replace(" ", "_"): sorted(entry.pages[state]) for state in STATES},
                }
                for entry in languages
            },
        }
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    if not languages:
        click.echo(f"only one language is configured ({project.settings.default_language}): nothing to translate")
        return
    header = f"{'language':<10}" + "".join(f"{state:>12}" for state in STATES) + f"{'coverage':>10}"
    click.echo(header)
    for entry in languages:
        counts = "".join(f"{len(entry.pages[state]):>12}" for state in STATES)
        click.echo(f"{entry.lang:<10}{counts}{entry.coverage:>10.0%}")
    for entry in languages:
        for state in ("outdated", "untracked", "missing"):
            for uri in entry.pages[state]:
                click.echo(f"  {entry.lang}: {state}: {uri}")


@main.command()
@CONFIG_OPTION
@click.option("--audience", type=click.Choice(["public", "internal"]), default="internal", show_default=True)
@click.option("--lang", default=None, help="Language to preview (default: the default language).")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT")
@click.option("--poll", is_flag=True, help="Watch files by polling (network or container file systems).")
@handle_errors
def serve(config_file: Path, audience: str, lang: str | None, dev_addr: str, poll: bool):
    """Live preview of one target while you write; an edit to a page shows without a full build."""
    from cxdocs.adapters.mkdocs.serve import serve as run_serve

    _setup_logging(verbose=True)
    run_serve(config_file, audience, lang, dev_addr, report=lambda message: click.echo(message, err=True), polling=poll)


@main.command()
@CONFIG_OPTION
@click.argument("kind", type=click.Choice(["sop", "faq", "response"]))
@click.argument("path")
@handle_errors
def new(config_file: Path, kind: str, path: str):
    """Create a valid page to start from: cxdocs new sop billing/refund-request."""
    from cxdocs.app.scaffold import scaffold
    from cxdocs.core.config import read_config

    written = scaffold(kind, path, read_config(config_file).settings.content_dir)
    click.echo(f"created {os.path.relpath(written)}")


if __name__ == "__main__":
    main()
