"""Loading and checking a project: mkdocs.yml read by the core, the tree parsed, every check run.

Without MkDocs: ``cxdocs check``, ``status``, ``export`` and ``new`` start here and never import it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cxdocs.core.cache import Cache
from cxdocs.core.checks import run_checks
from cxdocs.core.config import read_config
from cxdocs.core.content import Project, load_project
from cxdocs.core.errors import CxdocsErrors, Finding
from cxdocs.core.plugins import plugin_manager
from cxdocs.core.render_cache import rendered_from
from cxdocs.core.targets import parse_target


def load_checked_project(config_file: Path, targets: list[str] | None = None, cache: Cache | None = None,
                         keyed: Callable[[Project], object] | None = None) -> tuple[Project, list[Finding]]:
    """Load the project once and run every check; errors raise, warnings are returned.

    With ``targets``, checks read what those targets build: each shard of a CI matrix checks its part.
    With a build ``cache``, pages rendered by an earlier build are read from it; ``keyed`` is called
    once its keys can be made, before the checks run.
    """
    project, findings = check_project(config_file, targets, cache=cache, keyed=keyed)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise CxdocsErrors(errors)
    return project, findings


def check_project(
    config_file: Path, targets: list[str] | None = None, external_timeout: float | None = None,
    cache: Cache | None = None, keyed: Callable[[Project], object] | None = None,
) -> tuple[Project, list[Finding]]:
    """Load what loads and run every check: every finding of the tree, in one run.

    ``external_timeout``: fetch links to other sites too (``cxdocs check --external``), never in a build."""
    settings = read_config(config_file).settings
    project = load_project(settings, keep_going=True)
    project.checked_targets = sorted({parse_target(t, settings.languages) for t in targets}) if targets else None
    project.plugins = plugin_manager(settings.plugins_dir)
    project.external_timeout = external_timeout
    with rendered_from(cache, project, keyed):
        project.findings = run_checks(project)
    return project, project.findings
