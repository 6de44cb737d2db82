"""The leak guard over a public target, reading only the files it has not already found clean.

A file's verdict depends on its bytes, its place and what the guard looks for: the runs of internal
words no public source holds, the internal pages and files, the comments the theme writes, the
site's addresses. A build keeps, per
target, the digests of the files the guard found clean together with a digest of that reference;
the next build reads again every file whose bytes changed, and every file at all when the reference
is not the same. Every file of a public target is guarded in every build: those it skips are
exactly the bytes it already read with the same reference.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from cxdocs.core.cache import Cache, digest
from cxdocs.core.errors import CxdocsError
from cxdocs.outputs.guard import Leak, LeakGuard, SiteScan, site_files

LAYER = "guard"


MESSAGES_ONLY = {"fingerprints", "first_words", "lengths", "locate", "url_sources"}
"""The guard's attributes that only word a finding (where its text comes from) or that it derives
from the others (``by_length``): a file's verdict does not depend on them."""


def reference_digest(guard: LeakGuard, site_url: str) -> str | None:
    """What decides the guard's verdict on a file, in an order that does not depend on the process:
    every attribute of the guard but those that only word findings. None if one of them is not
    plain data (a verdict it shapes cannot be kept)."""
    sha = hashlib.sha256(site_url.encode() + b"\0")
    names = set(vars(guard)) | {n for klass in type(guard).__mro__ for n in getattr(klass, "__annotations__", {})}
    for name in sorted(names - MESSAGES_ONLY):
        value = getattr(guard, name, None)
        sha.update(name.encode() + b"\0")
        if name == "by_length":  # the runs of words: many, and plain tuples of words
            for n in sorted(value):
                sha.update(b"%d\0" % n)
                for gram in sorted("\x1f".join(g) for g in value[n]):
                    sha.update(gram.encode("utf-8", "surrogatepass") + b"\0")
            continue
        try:
            sha.update(_plain(value).encode("utf-8", "surrogatepass") + b"\0")
        except TypeError:
            return None
    return sha.hexdigest()


def _plain(value) -> str:
    if value is None or isinstance(value, (bool, int, float, str, bytes, Path)):
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ",".join(sorted(f"{_plain(k)}:{_plain(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_plain(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_plain(v) for v in value)) + "}"
    raise TypeError(type(value).__name__)


def scan(guard: LeakGuard, site_dir: Path, site_url: str, cache: Cache | None, target,
         under: str = "", skip: tuple[str, ...] = ()) -> list[Leak]:
    """Every leak in the written target, as ``guard.scan`` finds them, reading again only what changed.

    ``under``: only the files in this folder of the target; ``skip``: all but the files in these
    (a folder written, and guarded, after the rest: the search index)."""
    reference = reference_digest(guard, site_url) if cache is not None else None
    if reference is None and not under:
        return SiteScan(guard, site_dir, site_url, skip).finish()
    paths = site_files(site_dir / under) if under else site_files(site_dir, skip)
    # The files a scan covers are part of its key (a target's pages and its index are two scans).
    part = [f"under {under}"] if under else [f"skip {name}" for name in skip]
    key = None if reference is None else digest(LAYER, str(target), reference, *part)
    clean = (cache.get_object(LAYER, key) or set()) if key is not None else set()
    files = {path: _file_digest(site_dir, path) if key is not None else None for path in paths}
    reader = SiteScan(guard, site_dir, site_url)
    for path, file_digest in files.items():
        if file_digest is None or file_digest not in clean:
            reader.read_file(path)
    leaks = [leak for path in files if path in reader.read for leak in reader.read[path][1]]
    found_clean = {d for d in files.values() if d is not None}
    if key is not None and not leaks and found_clean != clean:
        cache.put_object(LAYER, key, found_clean)
    return leaks


RESTORED = "guard-restored"
"""Targets taken whole from the build cache that the guard read and found clean."""
CLEAN = b"clean"


def restored_key(target_key: str | None, source_key: str | None, files: Mapping | None) -> str | None:
    """The key a target taken whole from the cache is known clean under: its ``files`` (each path
    and the SHA-256 of its bytes; the caller checks the restored files hold them), and the guard
    that reads them: the target's source guard (kept under ``source_key``) with the text its build
    generates and the comments its theme writes, inputs ``target_key`` covers. The same files and
    guard, the same verdict. None: no key (the guard reads the target)."""
    if target_key is None or source_key is None or not files:
        return None
    return digest(RESTORED, target_key, source_key, *(f"{path}\0{record[0]}" for path, record in sorted(files.items())))


def stopped(target, leaks: list[Leak]) -> CxdocsError:
    """The error a public target's build stops with when the guard found internal text in it."""
    listing = "\n".join(f"  {leak}" for leak in leaks[:20])
    more = f"\n  ... and {len(leaks) - 20} more" if len(leaks) > 20 else ""
    return CxdocsError(f"public build of {target} stopped: internal content reached the output\n{listing}{more}")


def _file_digest(site_dir: Path, path: Path) -> str | None:
    """A file's place and bytes; None for what is read every time (a symbolic link, a folder)."""
    if path.is_symlink() or not path.is_file():
        return None
    sha = hashlib.sha256(path.relative_to(site_dir).as_posix().encode() + b"\0")
    sha.update(path.read_bytes())
    return sha.hexdigest()
