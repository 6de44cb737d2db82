"""Where a plain ``mkdocs build`` may write: never over what cxdocs did not write, and never over
the whole site ``cxdocs build`` made (MkDocs would empty it and write one target in its place)."""

from __future__ import annotations

from pathlib import Path

from cxdocs.core.errors import CxdocsError, display_path
from cxdocs.core.settings import Settings
from cxdocs.outputs.folders import SITE, TARGET, mark_output, output_kind, refuse_unsafe, remove_own


def refuse_replacing(site_dir: str, config_file: str, settings: Settings) -> None:
    """Raise before MkDocs empties ``site_dir``, unless it is empty or one target MkDocs wrote."""
    folder = Path(site_dir)
    if output_kind(folder) == SITE:
        raise CxdocsError(
            "holds the site cxdocs build made (every audience and language); mkdocs build writes one target "
            "and would replace it: run cxdocs build (or cxdocs build --target public:en for one target), "
            "or give mkdocs build another folder with -d DIR", display_path(folder),
        )
    refuse_unsafe(folder, (TARGET,), settings.content_dir, Path(config_file).parent, "folder with mkdocs build -d DIR")


def mark_target(site_dir: str) -> None:
    mark_output(Path(site_dir), TARGET)


def remove_target(site_dir: str, config_file: str, settings: Settings) -> bool:
    """Remove a target MkDocs wrote (marked, or in a cxdocs build's or serve's staging folder)."""
    return remove_own(Path(site_dir), (TARGET,), settings.content_dir, Path(config_file).parent)
