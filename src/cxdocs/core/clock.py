"""What "today" is for a build: the check and the content health page must agree on it."""

from __future__ import annotations

import datetime
import os

from cxdocs.core.errors import CxdocsError


def today() -> datetime.date:
    """The date of ``SOURCE_DATE_EPOCH`` (UTC) when it is set, so a rebuild gives the same output; else today.

    ``SOURCE_DATE_EPOCH`` is the reproducible-builds convention MkDocs also follows for its dates.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.date.today()
    try:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise CxdocsError(f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {epoch!r}") from None
