"""The files of the content folder: regular files inside it, and nothing else.

MkDocs follows symbolic links wherever they lead and copies what it finds: a link to
``/etc/passwd`` would be published, one to ``/dev/zero`` would fill the disk, a named pipe would
hang the build. Every file cxdocs reads or lets a target copy is one this listing vetted.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from cxdocs.core.errors import Finding


@dataclass
class ContentFiles:
    """The content folder's files by their path below it (``faq/topic/page.md``), as listed."""

    files: dict[str, Path] = field(default_factory=dict)
    real: dict[str, Path] = field(default_factory=dict)
    """The file each entry is, symbolic links followed (only for entries that are links or lie below one)."""
    problems: list[Finding] = field(default_factory=list)


def list_content(root: Path) -> ContentFiles:
    """Every file below ``root`` but hidden ones (``.git``, ``.DS_Store``), which MkDocs leaves out too.

    A symbolic link is followed only when it stays inside ``root``; special files (pipes, devices,
    sockets), links that lead outside or nowhere, and folders that link back to a folder holding
    them are reported, and left out.
    """
    listing = ContentFiles()
    real_root = root.resolve()
    # (folder as listed, its path below root, the real folders on the way down, whether it is linked)
    stack: list[tuple[Path, str, tuple[Path, ...], bool]] = [(root, "", (real_root,), False)]
    while stack:
        folder, prefix, ancestors, linked = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            listing.problems.append(Finding(f"cannot read folder: {exc.strerror}", folder))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            path = Path(entry.path)
            is_link = entry.is_symlink()
            try:
                real = path.resolve() if is_link or linked else None
            except (OSError, RuntimeError):  # links that lead to each other (Python 3.11 raises)
                listing.problems.append(Finding("is a symbolic link that leads round in a loop; link to the file itself", path))
                continue
            if real is not None and not _inside(real, real_root):
                listing.problems.append(Finding(
                    f"links outside the content folder (to {real}): cxdocs reads only files inside it", path
                ))
                continue
            try:
                mode = os.stat(path).st_mode
            except OSError as exc:
                what = ("is a symbolic link that leads round in a loop; link to the file itself" if exc.errno == errno.ELOOP
                        else "is a symbolic link to nothing" if is_link else f"cannot be read: {exc.strerror}")
                listing.problems.append(Finding(what, path))
                continue
            if stat.S_ISDIR(mode):
                if real is not None and any(real == a or _inside(a, real) for a in ancestors):
                    listing.problems.append(Finding("links to a folder that holds it: a loop", path))
                    continue
                stack.append((path, rel + "/", (*ancestors, real or path.resolve()), linked or is_link))
            elif stat.S_ISREG(mode):
                if not os.access(path, os.R_OK):
                    listing.problems.append(Finding("cannot be read (permission denied): cxdocs would leave it out", path))
                    continue
                listing.files[rel] = path
                if real is not None:
                    listing.real[rel] = real
            else:
                kind = "a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
                listing.problems.append(Finding(f"is {kind}, not a regular file: cxdocs reads only files", path))
    listing.files = dict(sorted(listing.files.items()))
    return listing


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)
