"""One exception type for bad input, carrying where the problem is."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def display_path(path: Path | str | None) -> str:
    """A path as a writer would type it: relative to the working directory when inside it."""
    if path is None:
        return "<config>"
    try:
        relative = os.path.relpath(path)
    except ValueError:  # a different drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


@dataclass(frozen=True)
class Finding:
    """One problem found in the content: an error stops a build, a warning is reported."""

    message: str
    path: Path | None = None
    line: int | None = None
    severity: str = "error"
    check: str | None = field(default=None, compare=False)
    """The registered check that found it (the content health page groups findings by check).

    Left out of comparisons, so the same problem found by two checks is still reported once.
    """

    def __str__(self) -> str:
        if self.path is None:
            return ("warning: " if self.severity == "warning" else "") + self.message
        where = display_path(self.path)
        if self.line:
            where = f"{where}:{self.line}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"


class CxdocsError(Exception):
    """Bad input. Printed as ``path:line: message`` at the command-line edge, never as a traceback."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.finding = Finding(message, Path(path) if path is not None else None, line)

    def __reduce__(self):
        # Errors cross from build workers to the main process whole, path and line included.
        return (CxdocsError, (self.finding.message, self.finding.path, self.finding.line))

    @property
    def message(self) -> str:
        return self.finding.message

    @property
    def path(self) -> Path | None:
        return self.finding.path

    @property
    def line(self) -> int | None:
        return self.finding.line

    def __str__(self) -> str:
        return str(self.finding)


class CxdocsErrors(CxdocsError):
    """Several problems at once, so a writer fixes them all in one round."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("\n".join(str(f) for f in findings))
        self.finding = findings[0]

    def __reduce__(self):
        return (CxdocsErrors, (self.findings,))

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)
