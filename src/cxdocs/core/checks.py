"""Running the registered checks: every finding of the tree, tagged with the check that found it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from cxdocs.core.content import Project
from cxdocs.core.errors import CxdocsError, Finding

Check = Callable[[Project], Iterable[Finding]]


def registered_checks(project: Project) -> list[tuple[str, Check]]:
    checks: list[tuple[str, Check]] = []
    project.plugins.hook.cxdocs_register_checks(register=lambda name, check: checks.append((name, check)))
    return checks


def run_checks(project: Project) -> list[Finding]:
    """Every finding of every registered check, in a stable order, duplicates removed.

    Each finding is tagged with the name of the check that produced it.
    """
    findings: list[Finding] = list(project.problems)
    for name, check in registered_checks(project):
        try:
            findings.extend(replace(finding, check=name) for finding in check(project))
        except CxdocsError as exc:
            findings.append(replace(exc.finding, check=name))
    unique = dict.fromkeys(findings)
    return sorted(unique, key=lambda f: (str(f.path or ""), f.line or 0, f.message))
