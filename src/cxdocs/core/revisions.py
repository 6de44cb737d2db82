"""When each page last changed, for its "last updated" line.

Dates come from git: one ``git log`` per build lists every content file's commits, newest first.
A file with changes not yet committed (or outside git) is dated by its modification time. With
``SOURCE_DATE_EPOCH`` set, no date is later than that day, so a rebuild gives the same bytes.
A page's front matter ``updated: 2026-05-01`` wins over both.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from cxdocs.core import clock
from cxdocs.core.history import HistoryUnavailable, _git
from cxdocs.core.source import Document, as_date


class Revisions:
    """The last-change date of the files below one content folder."""

    def __init__(self, content_dir: Path):
        self.content_dir = Path(os.path.abspath(content_dir))
        self.committed: dict[Path, datetime.date] = {}
        self.changed: set[Path] = set()
        try:
            self._read_git()
        except HistoryUnavailable:
            self.committed, self.changed = {}, set()
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        self.latest = clock.today() if epoch else None

    def _read_git(self) -> None:
        top = Path(_git(self.content_dir, "rev-parse", "--show-toplevel").strip())
        log = _git(top, "log", "--no-renames", "--format=%x1e%cs", "--name-only", "-z", "--", str(self.content_dir))
        for commit in log.split("\x1e")[1:]:
            date, *paths = commit.split("\0")
            day = datetime.date.fromisoformat(date.strip())
            for path in paths:
                if path.strip():
                    self.committed.setdefault(top / path.strip("\n"), day)
        status = _git(top, "status", "--porcelain", "-z", "--no-renames", "--untracked-files=all", "--", str(self.content_dir))
        entries = status.split("\0")
        for entry in entries:
            if len(entry) > 3:
                self.changed.add(top / entry[3:])

    def edited(self, paths) -> None:
        """Files changed since the build read git (a served preview's edits): dated by their time."""
        self.changed.update(Path(os.path.abspath(path)) for path in paths)

    def date_of(self, doc: Document) -> datetime.date:
        """When ``doc`` last changed: its front matter ``updated``, its last commit, or its file's time."""
        own = as_date(doc.meta.get("updated"))
        if own is not None:
            return own
        path = Path(os.path.abspath(doc.path))
        day = self.committed.get(path) if path not in self.changed else None
        if day is None:
            try:
                day = datetime.date.fromtimestamp(path.stat().st_mtime)
            except OSError:
                day = clock.today()
        return min(day, self.latest) if self.latest else day


def localized(day: datetime.date, lang: str) -> str:
    """The date as a reader of ``lang`` writes it: 1 May 2026, 1. maj 2026, 1 мая 2026 г."""
    try:
        return format_date(day, "long", locale=Locale.parse(lang.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return day.isoformat()
