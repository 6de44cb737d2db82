"""The build cache's store of file contents: a site's files, each kept once, named by its SHA-256.

Stored raw, so that a site's file can be a hard link to its stored bytes: a target taken whole from
the cache (``target_cache``) and a page taken from it (``page_cache``) are links, not copies. A
stored file is known by a record of its name, size and time; one whose size or time differs from
its record was changed in place (through a site's link to it, by someone else) and its bytes decide.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

from cxdocs.core.cache import ENTRY, Cache, write_whole

FILES = "file"
"""The layer of stored files. They are kept while a kept target names them (``target_cache.sweep``
after ``Cache.prune``), not by their times: a site's file shares its time with the stored one it is
linked to. One no target names is kept if it was stored since the build began (a build beside it
stores pages before it keeps the targets naming them)."""

Record = tuple[str, int, int]
"""A stored file as a record names it: its SHA-256, size and time (nanoseconds)."""


def folder(cache: Cache) -> Path | None:
    """The store's real folder (made if need be), or None: it cannot be, or it is a link elsewhere."""
    try:
        (cache.folder / FILES).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return cache.layer_folder(FILES)


def is_record(record) -> bool:
    return (isinstance(record, (list, tuple)) and len(record) == 3 and isinstance(record[0], str)
            and ENTRY.match(record[0]) is not None and all(isinstance(n, int) for n in record[1:]))


def stored(store: Path, record: Record) -> Path | None:
    """The stored file ``record`` names, if it holds the bytes it names; a stored file found
    changed is removed (the next build stores it again)."""
    sha, size, mtime = record
    blob = store / sha
    try:
        status = _plain_file(blob)
        if status is None:
            return None
        # A hard-linked site file edited in place changes the stored one: its size or time tells,
        # and then its bytes decide.
        if (status.st_size, status.st_mtime_ns) != (size, mtime) and digest_of(blob) != sha:
            blob.unlink(missing_ok=True)
            return None
    except OSError:
        return None
    return blob


def keep(store: Path, data: bytes) -> Record | None:
    """Store ``data`` (unless the store holds these bytes already); its record, or None: the
    store cannot be written, or something not a plain file (a link, a folder: not cxdocs') has the
    stored file's name, and is neither read nor replaced."""
    sha = hashlib.sha256(data).hexdigest()
    blob = store / sha
    try:
        present = _plain_file(blob)
        if present is None and os.path.lexists(blob):
            return None  # a link, a folder: someone else's
        if present is None or blob.read_bytes() != data:
            write_whole(blob, data)  # absent, or changed since it was stored
        status = blob.stat()
    except OSError:
        return None
    return sha, status.st_size, status.st_mtime_ns


def _plain_file(blob: Path) -> os.stat_result | None:
    """The stored file's status if it is a plain file, None if not there or not one (a link, a
    folder: not cxdocs')."""
    try:
        status = blob.lstat()
    except FileNotFoundError:
        return None
    return status if stat.S_ISREG(status.st_mode) else None


def place(blob: Path, destination: Path) -> None:
    """Put the stored file at ``destination``; a file there already is replaced whole, never
    written into (it may be a link to a stored file itself)."""
    try:
        link_or_copy(blob, destination)
    except FileExistsError:
        partial = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
        link_or_copy(blob, partial)
        try:
            partial.replace(destination)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise


def link_or_copy(source: Path, destination: Path) -> None:
    """A hard link where the file system has them: a site's files and the cache's are never changed
    in place by cxdocs, and a file changed by anyone else no longer matches its digest."""
    try:
        os.link(source, destination)
    except FileExistsError:
        raise
    except OSError:
        partial = destination.with_name(f".{destination.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, partial)
        partial.replace(destination)


def digest_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
