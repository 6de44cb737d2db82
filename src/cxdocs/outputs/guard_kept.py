"""A leak guard's reference kept in the build cache, by the sources it is derived from.

Deriving a public target's guard reads every page of the project as that target's readers would
see it, and every internal run of words against every public one: about a second for a project of
2,000 pages, for each public target and for the packs, in every build, and again where a build
reads a target's search index after its worker ended. What a guard holds depends only on the
sources, the settings and the text it is handed, so it is kept under a key made of exactly those:

- the render cache's key of every page for every target the guard covers (the page's and its
  translations' files as parsed, every file their includes reach, the settings, the plugins);
- every snippet's bytes (the guard reads all of them, included or not) and the content folder's
  other files by name (an asset that internal text names is internal);
- the text the caller hands it (generated pages, the words around every page, a schema);
- the folder the build runs in (findings name sources by their path from there).

The guard stays independent of the renderer: its key is made from the sources, never from pages
the build rendered.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable

from cxdocs.core.cache import digest
from cxdocs.core.source import Line

LAYER = "guard-reference"
NEEDED = {"by_length", "fingerprints", "internal_urls", "lengths", "first_words"}


def kept_guard(project, what: str, targets, texts: Iterable[str], make: Callable, guard_class: type,
               allowed: tuple[type, ...]):
    """The guard ``make(texts)`` derives (``what``: for a target, for the packs), taken from the
    build cache when its sources are as they were. ``guard_class`` makes it again from what it
    held (``from_state``), of the plain data and the ``allowed`` classes."""
    texts = list(texts)
    kept = getattr(project, "kept", None)
    key = _key(project, kept.keys, what, targets, texts) if kept is not None else None
    if key is None:
        return make(texts)
    state = kept.cache.get_object(LAYER, key, (*allowed, Line))
    if isinstance(state, dict) and NEEDED <= set(state):
        return guard_class.from_state(state)
    guard = make(texts)
    kept.cache.put_object(LAYER, key, guard.state())
    return guard


def _key(project, keys, what: str, targets, texts: list[str]) -> str | None:
    parts = [LAYER, what, os.getcwd(), keys.base, *(str(t) for t in targets)]
    for page in project.pages:
        for target in targets:
            page_key = keys.of(page, target)
            if page_key is None:
                return None
            parts.append(page_key)
    snippets = project.settings.snippets_dir + "/"
    for rel, path in sorted(project.files.files.items()):
        if rel.startswith(snippets):
            try:
                parts.append(f"{rel}\0{hashlib.sha256(path.read_bytes()).hexdigest()}")
            except OSError:
                return None
        elif not rel.endswith(".md"):
            parts.append(rel)
    parts.append("\0texts")
    parts.extend(texts)
    return digest(*parts)
