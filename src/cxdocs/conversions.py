"""Markdown converted once per build: a page the public site and the handbook show alike.

Each target is its own MkDocs build in its own process, and a public page without internal blocks
reaches the handbook with the same Markdown. Its conversion (HTML and table of contents) is kept in
a folder of the build's staging area, and the second target reads it instead of converting again.

Only pages without relative links qualify: MkDocs resolves those against the files of the target,
and a link to an SOP resolves in the handbook but not on the public site.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from pathlib import Path
from types import MethodType

from mkdocs.structure.pages import Page

LINK = re.compile(r"\]\(\s*<?([^)\s>]*)|^[ \t]{0,3}\[[^\]]+\]:[ \t]*<?(\S*)|\b(?:href|src)\s*=", re.M)
ABSOLUTE = ("http://", "https://", "mailto:", "tel:")


def qualifies(markdown: str) -> bool:
    """No link or image whose target MkDocs would resolve against the target's files."""
    for match in LINK.finditer(markdown):
        target = match[1] if match[1] is not None else match[2]
        if target is None or not target.startswith(ABSOLUTE):
            return False
    return True


class ConversionCache:
    def __init__(self, folder: Path, config):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        setup = repr((config["markdown_extensions"], sorted((config["mdx_configs"] or {}).items(), key=str)))
        self.setup = hashlib.sha256(setup.encode("utf-8")).hexdigest()
        self.hits = self.misses = 0

    def attach(self, page: Page) -> None:
        """Make ``page.render`` read a conversion another target wrote, or write one."""
        page.render = MethodType(self._render, page)

    def _key(self, page: Page) -> Path:
        digest = hashlib.sha256(
            "\0".join([self.setup, page.file.src_uri, page.url, page.markdown or ""]).encode("utf-8")
        )
        return self.folder / f"{digest.hexdigest()}.pickle"

    def _render(self, page: Page, config, files) -> None:
        if not qualifies(page.markdown or ""):
            Page.render(page, config, files)
            return
        path = self._key(page)
        try:
            with path.open("rb") as stream:
                page.content, page.toc, page._title_from_render, page.present_anchor_ids = pickle.load(stream)
            page.links_to_anchors = {}
            self.hits += 1
            return
        except (OSError, EOFError, pickle.UnpicklingError):
            pass
        Page.render(page, config, files)
        self.misses += 1
        state = (page.content, page.toc, page._title_from_render, page.present_anchor_ids)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as stream:
            pickle.dump(state, stream, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)  # whole or absent: another worker never reads half a file
