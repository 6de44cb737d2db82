"""Faster paths through MkDocs and mkdocs-material internals, each optional: a build goes on at
MkDocs' own speed without any of them.

Each speed-up is a module of this package and uses upstream names a release may change or remove.
This module is the one place that imports them, and only while the installed MkDocs and
mkdocs-material are versions the speed-up was checked against (``CHECKED``); with any other version,
a missing name, or ``speedups: false`` in the plugin options, the speed-up is off, one line says so
(once per process), and the plain path runs. The tests build the example with speed-ups on and off
and compare the sites byte for byte.
"""

from __future__ import annotations

import importlib
import logging
import os
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from types import ModuleType

log = logging.getLogger("cxdocs.speedups")
"""Not under ``mkdocs``: a speed-up turned off is no warning ``--strict`` should fail on."""

MKDOCS_CHECKED = ("1.6.0", "1.6.1")
MATERIAL_CHECKED = ("9.7.0", "9.8.2")


@dataclass(frozen=True)
class Speedup:
    module: str
    what: str
    checked: dict[str, tuple[str, ...]]
    """Distribution -> the versions whose internals this speed-up was checked against."""


SPEEDUPS = {
    "markdown_reuse": Speedup(
        "markdown_reuse", "one Markdown instance per process", {"mkdocs": MKDOCS_CHECKED}
    ),
    "conversions": Speedup(
        "conversions", "Markdown converted once for the targets that show it alike", {"mkdocs": MKDOCS_CHECKED}
    ),
    "search_sections": Speedup(
        "search_sections", "search sections read without HTMLParser", {"mkdocs-material": MATERIAL_CHECKED}
    ),
    "pagebuild": Speedup(
        "pagebuild", "cxdocs serve shows an edit by rendering only the pages it changed",
        {"mkdocs": MKDOCS_CHECKED, "mkdocs-material": MATERIAL_CHECKED},
    ),
    "live_reload": Speedup(
        "live_reload", "cxdocs serve tells MkDocs' live-reload server which files changed", {"mkdocs": MKDOCS_CHECKED}
    ),
}

_said: set[str] = set()


def _installed(distribution: str) -> str | None:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def why_off(name: str) -> str | None:
    """Why the speed-up cannot run with what is installed, or None when it can."""
    for distribution, checked in SPEEDUPS[name].checked.items():
        found = _installed(distribution)
        if found not in checked:
            return f"checked against {distribution} {', '.join(checked)}, found {found or 'none'}"
    return None


def load(name: str) -> ModuleType | None:
    """The speed-up's module, or None (said once) when its upstream internals are not the checked ones."""
    reason = why_off(name)
    module = None
    if reason is None:
        try:
            module = importlib.import_module(f"{__name__}.{SPEEDUPS[name].module}")
        except (ImportError, AttributeError) as exc:  # an upstream name that is gone
            reason = f"{type(exc).__name__}: {exc}"
    if reason is not None and name not in _said:
        _said.add(name)
        log.warning(f"cxdocs: speed-up off ({SPEEDUPS[name].what}): {reason}; the build runs at MkDocs' own speed")
    return module


def enabled(config, wanted: bool = True) -> dict[str, ModuleType]:
    """The speed-ups this build uses: none when the project turned them off (``speedups: false``).

    ``CXDOCS_SPEEDUPS_OFF=name,name`` turns single ones off, to measure what each one saves
    (``benchmarks/speedups.py``)."""
    if not wanted:
        return {}
    off = set(filter(None, os.environ.get("CXDOCS_SPEEDUPS_OFF", "").split(",")))
    return {name: module for name in SPEEDUPS if name not in off and (module := load(name)) is not None}
