"""A leak guard's reference kept in the build cache, by the sources it is derived from.

Deriving a public target's guard reads every page of the project as that target's readers would
see it, and every internal run of words against every public one: about a second for a project of
2,000 pages, for each public target and for the packs, in every build, and again where a build
reads a target's search index after its worker ended. What a guard holds depends only on the
sources, the settings and the text it is handed, so it is kept under a key made of exactly those:

- for every page and every target the guard covers, what that target's readers are shown of it:
  the file of their language (its translation, or its source: decided as the renderer decides)
  as parsed with every file its includes reach, a translation kept from them, the source's front
  matter, and the places of its translations; an edit to a page in one language leaves the
  other languages' guards as they were;
- the project's settings (variables included) and plugins, as the render cache reads them;
- every snippet's bytes (the guard reads all of them, included or not) and the content folder's
  other files by name (an asset that internal text names is internal);
- the text the caller hands it (generated pages, the words around every page, a schema);
- the folder the build runs in (findings name sources by their path from there).

The guard stays independent of the renderer: its key is made from the sources, never from pages
the build rendered.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from cxdocs.core.cache import digest, stable
from cxdocs.core.errors import CxdocsError
from cxdocs.core.render import document_for
from cxdocs.core.source import Line

LAYER = "guard-reference"
NEEDED = {"by_length", "fingerprints", "internal_urls", "lengths", "first_words"}


def kept_guard(project, what: str, targets, texts: Iterable[str], make: Callable, guard_class: type,
               allowed: tuple[type, ...]):
    """The guard ``make(texts)`` derives (``what``: for a target, for the packs), taken from the
    build cache when its sources are as they were. ``guard_class`` makes it again from what it
    held (``from_state``), of the plain data and the ``allowed`` classes."""
    texts = list(texts)
    key = guard_key(project, what, targets, texts)
    if key is None:
        return make(texts)
    kept = project.kept
    state = kept.cache.get_object(LAYER, key, (*allowed, Line))
    if isinstance(state, dict) and NEEDED <= set(state):
        return guard_class.from_state(state)
    guard = make(texts)
    kept.cache.put_object(LAYER, key, guard.state())
    return guard


def guard_key(project, what: str, targets, texts: list[str]) -> str | None:
    """The key the guard is kept under (None: it is not kept), made once per build: the processes
    forked from the build after it is made (the target workers) find it made."""
    kept = getattr(project, "kept", None)
    if kept is None:
        return None
    known = (what, tuple(str(target) for target in targets), digest(*texts))
    if known not in kept.guard_keys:
        kept.guard_keys[known] = _key(project, kept.keys, what, targets, texts)
    return kept.guard_keys[known]


def is_kept(project, what: str, targets, texts: Iterable[str] = ()) -> bool | None:
    """Whether the cache holds the guard derived with ``texts`` handed to it; None: it is not kept."""
    key = guard_key(project, what, targets, list(texts))
    return None if key is None else project.kept.cache.path(LAYER, key).is_file()


def _page_part(keys, page, target, default: str) -> str:
    """What a guard reads of one page for one target's readers (``guard.page_reference``): the
    text they are shown (the translation into their language, or the source: which one is decided
    here as the renderer decides it), any other translation into that language (kept internal),
    the source's front matter (title, audience, ...), the places of all its translations."""
    shown, _ = document_for(page, target, default)
    other = page.document(target.lang)
    return digest(
        page.uri, page.known(("stable meta",), lambda: stable(page.meta)), keys.document(shown),
        keys.document(other) if other is not None and other is not shown else "-",
        *sorted(str(doc.path) for doc in page.translations.values()),
    )


def _key(project, keys, what: str, targets, texts: list[str]) -> str | None:
    parts = [LAYER, what, os.getcwd(), keys.base, *(str(t) for t in targets)]
    default = project.settings.default_language
    try:
        for page in project.pages:
            for target in targets:
                parts.append(_page_part(keys, page, target, default))
    except (TypeError, CxdocsError):  # a value with no stable text; a page the checks refuse
        return None
    snippets = project.settings.snippets_dir + "/"
    for rel, path in sorted(project.files.files.items()):
        if rel.startswith(snippets):
            parts.append(f"{rel}\0{keys.file(path)}")
        elif not rel.endswith(".md"):
            parts.append(rel)
    parts.append("\0texts")
    parts.extend(texts)
    return digest(*parts)
