"""Output folders: which ones cxdocs may replace, how a new one is swapped in, and what an
interrupted run left behind.

cxdocs never deletes what it did not write. Every output it writes (``site/``, the response
packs, one target written by ``mkdocs build``) holds a marker file saying what it is; a folder
that is not empty and has no marker is refused, and so are the content folder, the project
folder and every folder above them. Work in progress goes to a staging folder beside the output,
marked and locked while its run lives, so the next run can tell a dead run's folder from a live
one and remove only the former.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cxdocs.core.errors import CxdocsError, display_path

try:
    import fcntl
except ImportError:  # Windows: no locks, so leftovers are never removed
    fcntl = None  # type: ignore[assignment]

MARKER = ".cxdocs-output"
"""In every output cxdocs writes: its kind, ``site``, ``target`` or ``packs``."""
STAGING_MARKER = ".cxdocs-staging"
"""In every staging folder, locked by the run that made it for as long as it (or a worker of it) lives."""

SITE, TARGET, PACKS = "site", "target", "packs"
DESCRIBED = {
    SITE: "the site cxdocs build made",
    TARGET: "one target mkdocs build made",
    PACKS: "the response packs cxdocs made",
}


def output_kind(folder: Path) -> str | None:
    """What cxdocs output ``folder`` holds, from its marker; None when it has none."""
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8")).get("kind")
    except (OSError, ValueError, AttributeError):
        return None


def mark_output(folder: Path, kind: str) -> None:
    (folder / MARKER).write_text(
        json.dumps({"kind": kind, "written_by": "cxdocs", "note": "cxdocs replaces this folder whole on its next run"})
        + "\n", encoding="utf-8",
    )


def refuse_unsafe(out: Path, kinds: tuple[str, ...], content_dir: Path, project_dir: Path, option: str,
                  legacy: Callable[[Path], bool] = lambda folder: False) -> Path:
    """``out`` resolved, or a CxdocsError saying why cxdocs will not replace it.

    ``kinds``: the outputs this command replaces. ``legacy``: recognises an output written before
    markers existed.
    """
    resolved = out.resolve()
    content, project = content_dir.resolve(), project_dir.resolve()

    def refuse(why: str) -> CxdocsError:
        return CxdocsError(f"{why}; cxdocs never replaces it: choose another {option}", display_path(out))

    why = protected(resolved, content, project)
    if why is not None:
        raise refuse(why)
    if resolved.exists() or resolved.is_symlink():
        if not resolved.is_dir():
            raise refuse("is a file, not a folder")
        kind = output_kind(resolved)
        if kind is None and any(resolved.iterdir()) and not legacy(resolved) and not _only_outputs(resolved):
            raise CxdocsError(
                f"is not empty and holds nothing cxdocs wrote (no {MARKER} file); cxdocs replaces only its own "
                f"output: choose another {option}, or empty the folder yourself",
                display_path(out),
            )
        if kind is not None and kind not in kinds:
            raise CxdocsError(
                f"holds {DESCRIBED.get(kind, kind)}, not {' or '.join(DESCRIBED[k] for k in kinds)}: "
                f"choose another {option}", display_path(out),
            )
    return resolved


def remove_own(folder: Path, kinds: tuple[str, ...], content_dir: Path, project_dir: Path) -> bool:
    """Remove ``folder`` when cxdocs provably wrote it: it carries the marker of one of ``kinds``,
    or it lies inside the staging folder of a cxdocs run; never the content or project folder or
    one holding them. Anything else is left as it is. Returns whether it was removed."""
    folder = Path(folder)
    if folder.is_symlink() or not folder.is_dir():
        return False
    resolved = folder.resolve()
    if protected(resolved, content_dir.resolve(), project_dir.resolve()) is not None:
        return False
    staged = any((parent / STAGING_MARKER).is_file() for parent in resolved.parents)
    if output_kind(resolved) not in kinds and not staged:
        return False
    shutil.rmtree(resolved, ignore_errors=True)
    return True


def protected(resolved: Path, content: Path, project: Path) -> str | None:
    """Why no output (nor the build cache) may be written at ``resolved``: it is, holds or lies in the content folder,
    or is or holds the project folder; None when it may."""
    named = ((content, "content folder"), (project, "project folder (it holds mkdocs.yml)"))
    for folder, name in named:
        if resolved == folder:
            return f"is the {name}"
    for folder, name in reversed(named):
        if resolved in folder.parents:
            return f"holds the {name}"
    if content in resolved.parents:
        return "is inside the content folder, where the output would be read back as pages"
    return None


def _only_outputs(folder: Path) -> bool:
    """A folder holding nothing but cxdocs outputs (``site/responses/`` that ``cxdocs export``
    wrote before the first ``cxdocs build``): all of it is provably cxdocs'."""
    return all(child.is_dir() and not child.is_symlink() and output_kind(child) is not None for child in folder.iterdir())


# --- Staging folders -----------------------------------------------------------------------------


@contextlib.contextmanager
def staging(parent: Path, prefix: str) -> Iterator[Path]:
    """A new folder in ``parent``, marked and locked while this run lives, removed at the end.

    Leftovers of earlier runs with the same prefix whose run is dead are removed first.
    """
    parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(parent, prefix)
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    lock = os.open(folder / STAGING_MARKER, os.O_CREAT | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        os.write(lock, json.dumps({"pid": os.getpid(), "written_by": "cxdocs"}).encode() + b"\n")
        yield folder
    finally:
        try:
            _remove_staging(folder)
        finally:
            os.close(lock)


def remove_leftovers(parent: Path, prefix: str) -> list[Path]:
    """Remove the staging folders an earlier run left in ``parent`` (killed, or its machine stopped).

    Only folders named ``prefix...`` whose marker's lock can be taken: their run and all its
    workers are gone (the kernel releases a lock when the last process holding it ends). A staging
    folder that still holds an output swapped out half-way (see ``swap_in``) is swapped back first.
    """
    removed = []
    if fcntl is None or not parent.is_dir():
        return removed
    for folder in sorted(parent.glob(f"{prefix}*")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        marker = folder / STAGING_MARKER
        if not marker.is_file():
            with contextlib.suppress(OSError):
                folder.rmdir()  # empty: made, then killed before marking; anything else is not provably ours
            continue
        try:
            lock = os.open(marker, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)
            continue  # a live run
        try:
            _restore_swapped_out(folder)
            _remove_staging(folder)
            removed.append(folder)
        finally:
            os.close(lock)
    return removed


def _remove_staging(folder: Path) -> None:
    """Everything but the marker first, so a folder half removed is still known as cxdocs'."""
    if not folder.exists():
        return
    trees = []
    for child in folder.iterdir():
        if child.name == STAGING_MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            trees.append(child)
        else:
            child.unlink()
    _remove_trees(trees)
    (folder / STAGING_MARKER).unlink(missing_ok=True)
    folder.rmdir()


def _remove_trees(trees: list[Path]) -> None:
    """Remove the folders, their subfolders two at a time: a site swapped out is tens of thousands
    of folders and files, and the system removes entries of two folders side by side (the calls
    leave Python's lock) faster than one after the other."""
    parts = []
    for tree in trees:
        for child in tree.iterdir():
            if child.is_dir() and not child.is_symlink():
                parts.extend(grandchild for grandchild in child.iterdir() if grandchild.is_dir() and not grandchild.is_symlink())
    if len(parts) > 1:
        with ThreadPoolExecutor(2) as pool:
            for done in [pool.submit(shutil.rmtree, part) for part in parts]:
                done.result()
    for tree in trees:
        shutil.rmtree(tree)


# --- Swapping an output in -------------------------------------------------------------------------

SWAPPED_OUT = "swapped-out"
"""Where the two-rename swap moves the old output; also read by ``remove_leftovers``."""
SWAPPED_FOR = "swapped-for"
"""The path of the output a staging folder's ``swapped-out`` came from."""


def swap_in(new: Path, out: Path) -> None:
    """Make ``new`` (a folder inside a staging folder) the output ``out``, atomically where the
    system can: at every instant ``out`` is the old tree or the new one, never missing.

    Linux (renameat2 with RENAME_EXCHANGE) and macOS (renamex_np with RENAME_SWAP) exchange two
    folders in one step; the old tree is left where the new one was, inside the staging folder,
    which is then removed. Elsewhere, the old tree is renamed into the staging folder and the new
    one into place: a crash between the two leaves no ``out``, and the next run puts the old tree
    back (``remove_leftovers``).
    """
    if not out.exists() and not out.is_symlink():
        os.rename(new, out)
        return
    if _exchange(new, out):
        return
    staging_dir = new.parent
    (staging_dir / SWAPPED_FOR).write_text(str(out), encoding="utf-8")
    os.rename(out, staging_dir / SWAPPED_OUT)
    try:
        os.rename(new, out)
    except OSError:
        os.rename(staging_dir / SWAPPED_OUT, out)
        raise


def _restore_swapped_out(folder: Path) -> None:
    old, record = folder / SWAPPED_OUT, folder / SWAPPED_FOR
    if not (old.is_dir() and record.is_file()):
        return
    out = Path(record.read_text(encoding="utf-8"))
    if not out.exists() and out.parent == folder.parent:
        os.rename(old, out)


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths in one system call; False where the system or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    renameat2 = getattr(libc, "renameat2", None)  # glibc 2.28+
    renamex_np = getattr(libc, "renamex_np", None)  # macOS 10.12+
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    elif renamex_np is not None:
        rename_swap = 2
        result = renamex_np(os.fsencode(a), os.fsencode(b), rename_swap)
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # a file system without atomic exchange
    raise OSError(code, os.strerror(code), str(b))
