"""Earlier versions of a file from git: the version of a source a translation was made from.

``translated_from`` is a hash of the source's translatable text, which no git object id matches,
so versions are read and hashed, newest first, until one matches. One ``git log --follow --raw``
lists every version's blob (following renames), and one ``git cat-file --batch`` process reads
them: a process per version would cost about ten times as much on a long history.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

LIMIT = 500
"""Versions searched before giving up."""


class HistoryUnavailable(Exception):
    """Why no earlier version can be read (not a git work tree, a shallow clone, git missing)."""


@dataclass
class Version:
    commit: str
    date: str
    path: str
    """The file's path at that commit, relative to the repository's top."""
    text: str


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "--no-optional-locks", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed") from None
    if done.returncode:
        raise HistoryUnavailable(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed")
    return done.stdout


def _versions(top: Path, rel: str, limit: int) -> list[tuple[str, str, str, str]]:
    """(commit, date, path, blob) of each committed version of ``rel``, newest first."""
    out = _git(top, "log", "--follow", f"--max-count={limit}", "--format=%x00%H %cs", "--raw", "--no-abbrev", "--", rel)
    found = []
    for chunk in out.split("\0")[1:]:
        head, *rest = chunk.strip("\n").split("\n")
        commit, date = head.split()
        for line in rest:
            if line.startswith(":"):
                meta, *paths = line.split("\t")
                fields = meta.split()
                if not fields[4].startswith("D"):
                    found.append((commit, date, paths[-1], fields[3]))
    return found


class _Blobs:
    """Blob contents through one long-running ``git cat-file --batch``."""

    def __init__(self, top: Path):
        self.process = subprocess.Popen(["git", "--no-optional-locks", "cat-file", "--batch"], cwd=top,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def read(self, blob: str) -> bytes:
        self.process.stdin.write(blob.encode() + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            return b""
        data = self.process.stdout.read(int(header[2]))
        self.process.stdout.read(1)
        return data

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def find_version(file: Path, matches: Callable[[Path, str], bool], limit: int = LIMIT) -> Version | None:
    """The newest committed version of ``file`` for which ``matches(path, text)`` holds, or None.

    Raises ``HistoryUnavailable`` when the file's history cannot be read at all.
    """
    folder = file.parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    if _git(folder, "rev-parse", "--is-shallow-repository").strip() == "true":
        raise HistoryUnavailable("this clone is shallow (fetch the history with git fetch --unshallow)")
    rel = file.resolve().relative_to(top.resolve()).as_posix()
    blobs, seen = _Blobs(top), set()
    try:
        for commit, date, path, blob in _versions(top, rel, limit):
            if blob in seen:
                continue
            seen.add(blob)
            text = blobs.read(blob).decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
            if matches(top / path, text):
                return Version(commit, date, path, text)
        return None
    finally:
        blobs.close()
