"""The build cache: results of earlier builds, each stored under a key made of everything that feeds it.

``cxdocs build`` keeps it in ``.cxdocs/cache/`` beside ``mkdocs.yml``. An entry is one file, found
by its key (a SHA-256 of its inputs), written whole or not at all (a temporary file renamed into
place), and it carries a digest of its own bytes: an entry that does not match its digest was
damaged (a disk, an interrupted copy, a CI cache restored in part) and is ignored with a notice.

The keys never name a version: the folder as a whole belongs to one cxdocs and one set of installed
packages (:func:`environment_stamp`). A folder written by anything else is ignored with a notice
and started afresh, so no result of another version's code is ever read.

Structured entries are pickled, and read back with an unpickler that builds only the classes the
caller names: a cache file can hold data, never code to run.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import os
import pickle
import platform
import re
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path, PurePath

log = logging.getLogger("cxdocs.cache")
"""Not under ``mkdocs``: a cache notice is no warning ``--strict`` should fail on."""

FORMAT = 1
"""The layout of the folder and of its entries; a change makes older folders foreign."""
MAGIC = b"cxdocs-cache-1\n"
STAMP = "stamp.txt"
ENTRY = re.compile(r"^[0-9a-f]{64}$")
FOLDER = Path(".cxdocs") / "cache"
PACKAGE = Path(__file__).resolve().parent.parent
"""cxdocs' own files (found from here: the package's ``__init__`` imports the layers above the core)."""


def folder_for(config_file: Path) -> Path:
    """Where a project keeps its cache: ``.cxdocs/cache/`` beside its ``mkdocs.yml``."""
    return config_file.resolve().parent / FOLDER


def digest(*parts: str | bytes) -> str:
    """The key of ``parts``: each part is length-prefixed, so no two different lists share a key."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        sha.update(b"%d:" % len(data))
        sha.update(data)
    return sha.hexdigest()


def stable(value) -> str:
    """A text for ``value`` that is the same in every process that has the same value.

    ``repr`` is not: a function's shows its address, a set's order follows the hash seed. A value
    of a kind not known here raises TypeError (a key that leaves part of its input out is worse
    than no key): the caller then does without the cache.
    """
    if value is None or isinstance(value, (bool, int, float, str, bytes, datetime.date, datetime.time,
                                           datetime.timedelta)):
        return repr(value)
    if isinstance(value, PurePath):
        return f"Path({str(value)!r})"
    if isinstance(value, dict):
        items = sorted((stable(k), stable(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return type(value).__name__ + "[" + ", ".join(stable(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "set[" + ", ".join(sorted(stable(v) for v in value)) + "]"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '?')}.{value.__qualname__}"
    if is_dataclass(value):
        return type(value).__qualname__ + stable({f.name: getattr(value, f.name) for f in fields(value)})
    if hasattr(value, "items"):  # a mapping that is no dict (MkDocs' Config)
        return type(value).__qualname__ + stable(dict(value.items()))
    shown = repr(value)
    if " at 0x" in shown or shown.startswith("<"):
        raise TypeError(f"no stable text for a {type(value).__qualname__}")
    return f"{type(value).__qualname__}:{shown}"


def code_fingerprint() -> str:
    """A digest of cxdocs' own files (code, templates, assets): an edited checkout is another version."""
    root = PACKAGE
    sha = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            sha.update(path.relative_to(root).as_posix().encode() + b"\0")
            sha.update(path.read_bytes())
    return sha.hexdigest()


def installed_packages() -> list[str]:
    """The installed distributions, from their metadata folders' names (``mkdocs-1.6.1.dist-info``):
    listing the folders of ``sys.path`` costs far less than reading every distribution's metadata."""
    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(name for name in names if name.endswith((".dist-info", ".egg-info", ".egg-link")))
    return sorted(found)


def environment_stamp() -> tuple[str, str]:
    """What a cache belongs to: a line a person can read, and a digest that also covers cxdocs'
    code and every installed package (MkDocs, the theme, Markdown extensions, plugins)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        own = version("cxdocs")
    except PackageNotFoundError:
        own = "unknown"
    code = code_fingerprint()
    python = f"{platform.python_implementation()} {platform.python_version()}"
    described = f"cxdocs {own} (code {code[:12]}), {python}, cache format {FORMAT}"
    return described, digest(str(FORMAT), own, code, sys.version, *installed_packages())


class Cache:
    """One project's cache folder, for one build (and the worker processes it forks)."""

    def __init__(self, folder: Path, stamp: tuple[str, str] | None = None):
        self.folder = folder
        self.described, self.stamp = stamp or environment_stamp()
        self.started = time.time()
        self.hits = self.misses = 0
        self._damaged_said: set[str] = set()
        self.used: set[tuple[str, str]] = set()
        """The entries this process read or wrote, by (layer, key): what a whole target's build used."""
        self.detaching = True
        """Objects are pickled ``detached``; False in a process that keeps none of what it stores and
        ends once it is stored (the copies would cost time and save no memory that outlives it)."""

    @classmethod
    def open(cls, folder: Path, stamp: tuple[str, str] | None = None) -> Cache | None:
        """The cache in ``folder``; one another version wrote is ignored with a notice and emptied.
        None (build without a cache) when the folder holds files cxdocs' stamp does not vouch for:
        nothing in it is read or removed."""
        cache = cls(folder, stamp)
        stamp_file = folder / STAMP
        try:
            written = stamp_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            written = None
        ours = written is not None and bool(written) and written[0].startswith("cxdocs ")
        if not ours and folder.is_dir() and any(folder.iterdir()):
            log.warning(
                f"cxdocs: {_shown(folder)} holds files without the build cache's stamp, which cxdocs neither reads "
                "nor removes; building without the cache (move the folder away to let cxdocs start one)"
            )
            return None
        if written is not None and written[-1:] != [cache.stamp]:
            said = written[0] if written and written[0] != cache.stamp else "another version"
            log.warning(
                f"cxdocs: the build cache in {_shown(folder)} was made by {said}, not by this {cache.described}; "
                "it is ignored and started afresh"
            )
            cache._clear()
        folder.mkdir(parents=True, exist_ok=True)
        if written is None or written[-1:] != [cache.stamp]:
            write_whole(stamp_file, f"{cache.described}\n{cache.stamp}\n".encode())
        return cache

    def _clear(self) -> None:
        """Remove the entries of a cache another cxdocs stamped (only files named as entries: nothing
        else in the folder is ours)."""
        for entry in self.entries():
            entry.unlink(missing_ok=True)
        (self.folder / STAMP).unlink(missing_ok=True)

    def layer_folder(self, layer: str) -> Path | None:
        """The folder of ``layer`` if it is a real folder of this cache; None if it is absent, or a
        link to a folder elsewhere (whose files are not the cache's to read, write or remove)."""
        folder = self.folder / layer
        return folder if folder.is_dir() and not folder.is_symlink() else None

    def _layers(self) -> list[str]:
        return sorted(p.name for p in self.folder.iterdir()) if self.folder.is_dir() else []

    def entries(self, layers: Iterable[str] | None = None) -> Iterator[Path]:
        """The files of this cache named as entries: plain files in the real folders of ``layers``
        (default: every layer). The only files cxdocs ever removes from the cache."""
        for _, entry in self._listed(layers):
            yield Path(entry.path)

    def _listed(self, layers: Iterable[str] | None = None) -> Iterator[tuple[str, os.DirEntry]]:
        """``entries``, each with its layer, as the folder's listing gives it."""
        if layers is None:
            layers = self._layers()
        for layer in layers:
            folder = self.layer_folder(layer)
            if folder is None:
                continue
            with os.scandir(folder) as listing:
                for entry in listing:
                    # The listing knows each name's type: a cache of 70,000 entries is read without a call per file.
                    if ENTRY.match(entry.name) and entry.is_file(follow_symlinks=False):
                        yield layer, entry

    def path(self, layer: str, key: str) -> Path:
        return self.folder / layer / key

    def get(self, layer: str, key: str, touch: bool = True) -> bytes | None:
        """The bytes stored under ``key``, or None: absent, or damaged (said once per layer).
        ``touch``: the entry counts as used (pruning keeps it)."""
        path = self.path(layer, key)
        try:
            with path.open("rb") as stream:
                data = stream.read()
        except OSError:
            self.misses += 1
            return None
        payload = _payload(data)
        if payload is None:
            if layer not in self._damaged_said:
                self._damaged_said.add(layer)
                log.warning(f"cxdocs: a damaged build cache entry was ignored and is made again ({_shown(path)})")
            path.unlink(missing_ok=True)
            self.misses += 1
            return None
        self.hits += 1
        self.used.add((layer, key))
        if touch:
            try:  # a used entry is kept when the cache is pruned
                os.utime(path)
            except OSError:
                pass
        return payload

    def touch(self, entries) -> None:
        """Count the entries as used (pruning keeps them) without reading them: those of a target
        taken whole from the cache, which the next edit to it will read."""
        for layer, key in entries:
            self.used.add((layer, key))
            try:
                os.utime(self.path(layer, key))
            except OSError:
                continue

    def put(self, layer: str, key: str, payload: bytes) -> None:
        path = self.path(layer, key)
        self.used.add((layer, key))
        compressed = zlib.compress(payload, 1)
        data = MAGIC + hashlib.sha256(compressed).digest() + compressed
        try:
            write_whole(path, data)
        except OSError as exc:  # a full disk or a read-only checkout: the build goes on without
            if "write" not in self._damaged_said:
                self._damaged_said.add("write")
                log.warning(f"cxdocs: the build cache cannot be written ({exc.strerror or exc}); building without it")

    def get_object(self, layer: str, key: str, allowed: Iterable[type] = (), touch: bool = True):
        """A stored object, built only from plain data and the ``allowed`` classes; None if absent."""
        data = self.get(layer, key, touch)
        if data is None:
            return None
        try:
            return _Unpickler(io.BytesIO(data), allowed).load()
        except Exception:  # noqa: BLE001 - whatever the bytes hold, a bad entry is only a miss
            if layer not in self._damaged_said:
                self._damaged_said.add(layer)
                log.warning(f"cxdocs: a build cache entry could not be read and is made again ({_shown(self.path(layer, key))})")
            self.path(layer, key).unlink(missing_ok=True)
            return None

    def put_object(self, layer: str, key: str, value) -> None:
        value = detached(value) if self.detaching else value
        self.put(layer, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def forget_partial(self, pid: int) -> None:
        """Remove what a process of this build, stopped mid-write, left of an entry: the plain
        files named as ``write_whole`` names an entry's partial copy for that process, in the
        cache's real layer folders. Nothing else is touched, whatever its name."""
        for layer in self._layers():
            folder = self.layer_folder(layer)
            if folder is None:
                continue
            with os.scandir(folder) as listing:
                for entry in listing:
                    name = entry.name.removeprefix(".").removesuffix(f".{pid}.tmp")
                    if (entry.name == _partial_name(name, pid) and ENTRY.match(name)
                            and entry.is_file(follow_symlinks=False)):
                        os.unlink(entry.path)

    def prune(self, by_use: Iterable[str] = (), used: Iterable[tuple[str, str]] = ()) -> int:
        """Remove the entries this build neither wrote nor read (a full build reads all it needs).
        ``by_use``: layers whose entries are kept by what names them, not by their times.
        ``used``: entries the build's other processes said they read or wrote, kept without
        asking the system for their times (tens of thousands of calls); any other is kept if
        its time is this build's (a process that did not say, another build beside this one)."""
        removed = 0
        skipped = set(by_use)
        known = self.used.union(used)
        for layer, entry in self._listed([layer for layer in self._layers() if layer not in skipped]):
            if (layer, entry.name) not in known and self.remove_if_older(entry):
                removed += 1
        return removed

    def remove_if_older(self, entry: os.DirEntry | Path) -> bool:
        """Remove an entry (one ``entries`` lists) whose time is older than this build's start, a
        second's margin for the file system's times: no process of this build, nor of one beside
        it, wrote or read it since. Whether it was removed."""
        try:
            if entry.stat(follow_symlinks=False).st_mtime < self.started - 1:
                os.unlink(entry)
                return True
        except OSError:
            pass
        return False


def _payload(data: bytes) -> bytes | None:
    head = len(MAGIC) + 32
    if len(data) < head or not data.startswith(MAGIC):
        return None
    compressed = data[head:]
    if hashlib.sha256(compressed).digest() != data[len(MAGIC) : head]:
        return None
    try:
        return zlib.decompress(compressed)
    except zlib.error:
        return None


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file, the new one or none: never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(_partial_name(path.name, os.getpid()))
    try:
        with partial.open("wb") as stream:
            stream.write(data)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _partial_name(name: str, pid: int) -> str:
    """The partial copy process ``pid`` writes of the file ``name`` (``write_whole``)."""
    return f".{name}.{pid}.tmp"


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


SAFE_BUILTINS = {"builtins": {"set", "frozenset", "list", "dict", "tuple", "bytes", "bytearray", "str", "int",
                              "float", "bool", "complex", "slice", "range"},
                 "datetime": {"date", "datetime", "time", "timedelta", "timezone"},
                 "pathlib": {"PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath", "Path"},
                 "collections": {"OrderedDict"}}


def detached(value, copies: dict[int, object] | None = None):
    """``value`` with every non-ASCII string in it a copy, for pickling.

    CPython's pickler asks each string for its UTF-8 form (``PyUnicode_AsUTF8AndSize``), and the
    string keeps that form for the rest of its life: every Greek, Russian or Slovenian text a build
    keeps in the cache would take twice its memory for the whole build, in the main process and in
    every worker forked from it (about 0.1 GB at 2,000 pages in five languages). Copies are pickled
    instead, and dropped with the pickle. Containers, named tuples and dataclasses are copied where
    they hold such a string, an object held twice is copied once (the pickle keeps it one object);
    anything else is pickled as it is."""
    kind = type(value)
    if kind is str:
        return value if value.isascii() else value.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
    if kind in (int, float, bool, bytes) or value is None:
        return value
    copies = {} if copies is None else copies
    if (made := copies.get(id(value))) is not None:
        return made
    if kind in (list, tuple, set, frozenset):
        made = kind(detached(item, copies) for item in value)
    elif kind is dict:
        made = {detached(name, copies): detached(item, copies) for name, item in value.items()}
    elif isinstance(value, tuple) and hasattr(kind, "_fields"):
        made = kind._make(detached(item, copies) for item in value)
    elif is_dataclass(value) and not isinstance(value, type) and hasattr(value, "__dict__"):
        made = object.__new__(kind)
        made.__dict__.update({name: detached(item, copies) for name, item in vars(value).items()})
    else:
        made = value
    copies[id(value)] = made
    return made


class _Unpickler(pickle.Unpickler):
    """Builds plain data, paths, dates and the classes the caller allows; refuses any other name."""

    def __init__(self, stream, allowed: Iterable[type]):
        super().__init__(stream)
        self.allowed = {(cls.__module__, cls.__qualname__): cls for cls in allowed}

    def find_class(self, module: str, name: str):
        if (module, name) in self.allowed:
            return self.allowed[(module, name)]
        if name in SAFE_BUILTINS.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a cache entry names {module}.{name}, which it may not")
