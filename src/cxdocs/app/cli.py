"""The ``cxdocs`` command. Errors leave here as ``path:line: message`` and a non-zero exit."""

from __future__ import annotations

import functools
import gc
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
    # cxdocs' own notices (the build cache, speed-ups), in the words they are written in.
    notices = logging.StreamHandler(sys.stderr)
    logging.getLogger("cxdocs").handlers[:] = [notices]


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
@click.option("-d", "--site-dir", default="site", show_default=True, type=click.Path(path_type=Path),
              help="Folder to write; replaced whole, only if empty or holding what cxdocs wrote.")
@click.option("--strict", is_flag=True, help="Treat warnings (house style, overdue reviews, MkDocs warnings) as errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs' own progress messages.")
@click.option("--no-cache", is_flag=True, help="Build everything anew: neither read nor write the build cache (.cxdocs/cache/).")
@handle_errors
def build(config_file: Path, targets: tuple[str, ...], site_dir: Path, strict: bool, verbose: bool, no_cache: bool):
    """Build every target (audience x language) into SITE_DIR, swapped in whole or not at all."""
    from cxdocs.app.build import build as run_build

    _setup_logging(verbose)
    from cxdocs.app.progress import terminal

    screen = terminal()
    summary = run_build(config_file, site_dir, list(targets) or None, strict=strict, progress_to=screen,
                        use_cache=not no_cache)
    _print_findings(summary.warnings)
    warned = f", {len(summary.warnings)} warning(s)" if summary.warnings else ""
    unchanged = f" ({summary.unchanged} unchanged, from the build cache)" if summary.unchanged else ""
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
        f"built {len(summary.targets)} target(s){unchanged}, {summary.pages} pages (and {summary.generated} home, topic and health "
        f"pages) in {summary.seconds:.1f} s into {site_dir}/{packs}{warned}",
        err=True,
    )


@main.command()
@CONFIG_OPTION
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
@click.option("--external", is_flag=True, help="Also fetch every link to another site (never done by build).")
@click.option("--timeout", default=10.0, show_default=True, metavar="SECONDS", help="With --external: how long to wait for a site.")
@handle_errors
def check(config_file: Path, strict: bool, external: bool, timeout: float):
    """Validate the content and its links; print path:line: message for every problem found."""
    from cxdocs.app.project import check_project

    project, findings = check_project(config_file, external_timeout=timeout if external else None)
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
              help="Folder to write; replaced whole, only if empty or holding packs cxdocs wrote.")
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
    export_into(plan, out, project.content_dir, config_file.resolve().parent)
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
@click.argument("fmt", metavar="FORMAT")
@click.option("--dry-run", is_flag=True, help="Print the plan; send nothing.")
@click.option("--delete", is_flag=True, help="Delete items cxdocs created whose response is gone.")
@click.option("--lang", default=None, help="Push one language, titles as written (a helpdesk per language).")
@click.option("--state", "state_file", type=click.Path(path_type=Path), help="State file (default .cxdocs/push-FORMAT.json).")
@handle_errors
def push(config_file: Path, fmt: str, dry_run: bool, delete: bool, lang: str | None, state_file: Path | None):
    """Bring a helpdesk up to date with the responses: create, update, and with --delete delete."""
    from cxdocs.app.push import push as run_push

    run_push(config_file, fmt, dry_run=dry_run, delete=delete, lang=lang, state_file=state_file,
             say=click.echo, note=lambda line: click.echo(line, err=True))


@main.command("import")
@CONFIG_OPTION
@click.argument("fmt", metavar="FORMAT")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--folder", default="imported", show_default=True,
              help="Folder below content/responses/ for helpdesks without folders (Help Scout, LiveAgent, django-helpdesk).")
@handle_errors
def import_(config_file: Path, fmt: str, files: tuple[Path, ...], folder: str):
    """Turn a helpdesk's canned replies (its API's listing, saved to FILE) into Markdown responses."""
    from cxdocs.app.importer import run_import

    run_import(config_file, fmt, list(files), folder, say=click.echo, note=lambda line: click.echo(line, err=True))


@main.command()
@CONFIG_OPTION
@click.argument("page", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON (for CI).")
@click.option("--mark", "marks", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
              help="Record that this translation is up to date with its source (repeatable).")
@click.option("--diff", is_flag=True, help="For each outdated translation (of PAGE), show how its source changed since.")
@click.option("--lang", default=None, help="Only translations into this language.")
@handle_errors
def status(config_file: Path, page: str | None, as_json: bool, marks: tuple[Path, ...], diff: bool, lang: str | None):
    """Translation coverage per language: up to date, outdated, untracked and missing pages and snippets."""
    import json

    from cxdocs.app import status as report
    from cxdocs.core.translations import mark_translated

    project = _project(config_file, keep_going=True)
    for path in marks:
        digest = mark_translated(project, path)
        click.echo(f"marked {path} as translated from {digest}", err=True)
    if marks:
        project = _project(config_file, keep_going=True)
    if project.problems:  # reported, but the status of everything else is still worth knowing
        _print_findings(project.problems)
        click.echo(f"{len(project.problems)} content error(s): those files are left out of the status", err=True)
    if page and not diff:
        raise CxdocsError("PAGE goes with --diff: cxdocs status --diff [PAGE] [--lang LANG]")
    translated = project.settings.languages[1:]
    if lang is not None and lang not in translated:
        raise CxdocsError(f"--lang {lang}: the languages translated into are {', '.join(translated) or 'none'}")
    if diff:
        from cxdocs.app.translate import describe_changes, outdated

        found = False
        for source, code in outdated(project, page, lang):
            found = True
            click.echo("\n".join(describe_changes(source, code)))
        if not found:
            click.echo("no outdated translation" + (f" of {page}" if page else "") + (f" into {lang}" if lang else ""))
        return
    if as_json:
        click.echo(json.dumps(report.as_json(project, lang), indent=2, ensure_ascii=False))
        return
    click.echo("\n".join(report.table(project, lang)))


def _project(config_file: Path, keep_going: bool = False):
    from cxdocs.core.config import read_config
    from cxdocs.core.content import load_project

    return load_project(read_config(config_file).settings, keep_going=keep_going)


@main.group()
def translate():
    """Start a translation, or exchange translations with translation tools (XLIFF 1.2, PO)."""


@translate.command("start")
@CONFIG_OPTION
@click.argument("page")
@click.argument("lang")
@handle_errors
def translate_start(config_file: Path, page: str, lang: str):
    """Write PAGE's translation into LANG, beside it, from the source text, to translate in place."""
    from cxdocs.app.translate import start

    written = start(_project(config_file), page, lang)
    click.echo(f"created {os.path.relpath(written)}")


@translate.command("export")
@CONFIG_OPTION
@click.argument("pages", nargs=-1)
@click.option("--lang", required=True, help="The language to translate into.")
@click.option("--format", "fmt", type=click.Choice(["xliff", "po"]), default="xliff", show_default=True)
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Folder to write LANG/<page>.xlf|.po into.")
@click.option("--audience", type=click.Choice(["internal", "public"]), default="internal", show_default=True,
              help="public: only what customers see (no agent notes, no internal pages), for translators outside the team.")
@handle_errors
def translate_export(config_file: Path, pages: tuple[str, ...], lang: str, fmt: str, out: Path, audience: str):
    """One translation file per page and snippet (or per PAGE given), with the translations known."""
    from cxdocs.app.translate import export

    done = export(_project(config_file), lang, fmt, out, audience, pages)
    totals = dict.fromkeys(("new", "fuzzy", "translated"), 0)
    for item in done:
        totals.update({k: totals[k] + v for k, v in item.counts.items()})
        counts = f"{item.counts['new']} to translate, {item.counts['fuzzy']} to review, {item.counts['translated']} translated"
        click.echo(f"{os.path.relpath(item.file)}: {counts}" + (f" ({item.note})" if item.note else ""))
    click.echo(f"exported {len(done)} file(s) into {os.path.relpath(out / lang)}: {totals['new']} segments to "
               f"translate, {totals['fuzzy']} to review, {totals['translated']} translated", err=True)


@translate.command("import")
@CONFIG_OPTION
@click.argument("folder", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the files and say what would be written; write nothing.")
@click.option("--partial", is_flag=True, help="Also write pages with segments still to translate or review.")
@click.option("--force", is_flag=True, help="Write over a translation changed since the export.")
@handle_errors
def translate_import(config_file: Path, folder: Path, dry_run: bool, partial: bool, force: bool):
    """Write the translations in FOLDER's XLIFF and PO files back into the pages, checked against the source."""
    from cxdocs.app.translate import import_file, translation_files

    project = _project(config_file)
    files = [folder] if folder.is_file() else translation_files(folder)
    counts = dict.fromkeys(("written", "unchanged", "incomplete", "refused"), 0)
    for file in files:
        r = import_file(project, file, partial=partial, force=force, dry_run=dry_run)
        if r.problems:
            counts["refused"] += 1
            _print_findings(r.problems)
            continue
        shown, target = os.path.relpath(file), os.path.relpath(r.translation)
        if not r.written:
            counts["incomplete"] += 1
            click.echo(f"{shown}: {r.open} segment(s) still to translate or review; not imported (--partial writes it anyway)")
            continue
        counts["unchanged" if r.unchanged else "written"] += 1
        state = "up to date" if r.complete else f"{r.open} segment(s) still to translate or review, not marked up to date"
        if r.english_notes:
            state += f"; {r.english_notes} agent-note segment(s) left in the source language"
        click.echo(f"{target}: unchanged" if r.unchanged else f"{'would write' if dry_run else 'wrote'} {target} ({state})")
    summary = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
    click.echo(f"{len(files)} translation file(s): {summary or 'nothing to do'}", err=True)
    refused = counts["refused"]
    if refused:
        sys.exit(1)


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
@click.argument("folder", default=".", type=click.Path(path_type=Path))
@click.option("--site-name", default="Help Centre", show_default=True, help="The site's name, in mkdocs.yml.")
@handle_errors
def init(folder: Path, site_name: str):
    """Start a knowledge base in FOLDER (default: here) that builds and passes check at once."""
    from cxdocs.app.init import init as run_init

    written = run_init(folder, site_name)
    for path in written:
        click.echo(f"created {os.path.relpath(path)}")
    where = "" if folder.resolve() == Path.cwd() else f"cd {folder} && "
    click.echo(f"next: {where}cxdocs check && cxdocs build, then cxdocs serve to preview as you write", err=True)


@main.command()
@CONFIG_OPTION
@click.argument("site_dir", type=click.Path(path_type=Path))
@handle_errors
def guard(config_file: Path, site_dir: Path):
    """Run the leak guard on a built folder, whatever built it; exit 1 if it holds internal content."""
    from cxdocs.app.guard import guard_folder

    guarded = guard_folder(config_file, site_dir)
    for leak in guarded.leaks:
        click.echo(str(leak), err=True)
    read = ", ".join(f"{name} ({count} files)" for name, count in guarded.folders)
    if guarded.leaks:
        click.echo(f"{len(guarded.leaks)} leak(s) of internal content in {read}: do not publish it", err=True)
        sys.exit(1)
    click.echo(f"no internal content in {read}", err=True)


@main.command()
@CONFIG_OPTION
@click.argument("kind", type=click.Choice(["sop", "faq", "response"]))
@click.argument("path")
@handle_errors
def new(config_file: Path, kind: str, path: str):
    """Create a valid page to start from: cxdocs new sop billing/refund-request."""
    from cxdocs.app.scaffold import scaffold
    from cxdocs.core.config import read_config

    settings = read_config(config_file).settings
    written = scaffold(kind, path, settings.content_dir, languages=settings.languages)
    click.echo(f"created {os.path.relpath(written)}")



@main.command()
@CONFIG_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@handle_errors
def plugins(config_file: Path, as_json: bool):
    """The plugins loaded (cxdocs' own, installed ones, the project's) and the hooks each implements."""
    import json

    from cxdocs.app.plugin_list import describe, loaded_plugins
    from cxdocs.core.config import read_config
    from cxdocs.core.plugins import plugin_manager

    loaded = loaded_plugins(plugin_manager(read_config(config_file).settings.plugins_dir))
    if as_json:
        click.echo(json.dumps([plugin.as_dict() for plugin in loaded], indent=2))
    else:
        for line in describe(loaded):
            click.echo(line)


def run() -> None:
    """The ``cxdocs`` program: ``main``, in a process that ends with it."""
    try:
        main()
    finally:
        # What a command loaded (a project of thousands of pages: millions of objects in reference
        # cycles) is garbage now. The interpreter's last collection would spend a second or more
        # freeing memory the system takes back as the process exits; frozen objects it leaves alone.
        gc.freeze()


if __name__ == "__main__":
    run()
