"""A whole target taken from the build cache when nothing MkDocs would read for it has changed.

With an edit to one page, most targets (the other languages, the other audience) receive exactly
the inputs they had last time. Once cxdocs' ``on_files`` has made every page's source, the
target's key is made from all that MkDocs and cxdocs' events will read for it:

- the build-level part of the page cache's key (the configuration as written, the theme, its
  overrides' files, ``SOURCE_DATE_EPOCH``, the site's address, the frame's words, where the
  theme's shared files are) and the build date MkDocs writes into the sitemap;
- every file of the build: its paths and URL, and its bytes (the pages' generated sources, the
  content folder's files, the overrides'), but for the installed theme's files, which the cache's
  stamp covers;
- the navigation, ``config.extra``, the Markdown extensions and their settings, the project's
  plugins' code (their structured data hooks run in the build);
- what every page shows from outside its source: its language versions (other languages' anchors
  included), the language its text is in, and its last-updated date.

A target whose key is in the cache is not built: its files are linked (or copied) from the cache's
store of file contents, each checked against its digest first, and the public leak guard reads them
like a built target's. A build that logged a warning is not kept, so ``--strict`` fails the same
way with or without the cache.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

from mkdocs.utils import get_build_date

from cxdocs.adapters.mkdocs import file_store
from cxdocs.core.cache import Cache, digest, stable
from cxdocs.core.render_cache import plugins_digest

LAYER = "target"
"""A target's files (each path with the SHA-256, size and time of its stored bytes) and the cache
entries its build used (its pages' conversions, finished pages, search index), kept alive while
the target is taken whole."""


class TargetRestored(Exception):
    """Raised from ``on_files`` to stop MkDocs: the target's files are in place already."""


def target_key(config, build, files, base: str) -> str | None:
    """The key of everything the target's build would read; None: some input has no stable text."""
    theme_dirs = tuple(os.path.join(d, "") for d in config.theme.dirs if d != config.theme.custom_dir)
    try:
        parts = [
            LAYER, base, get_build_date(), stable(dict(config.extra)), stable(config.nav),
            stable(config.markdown_extensions), stable(config.mdx_configs), plugins_digest(build.project.plugins),
        ]
    except TypeError:
        return None
    for file in sorted(files, key=lambda f: f.src_uri):
        parts.append(f"{file.src_uri}|{file.dest_uri}|{file.url}|{file.inclusion}")
        source = file.abs_src_path
        if source is not None and source.startswith(theme_dirs):
            continue  # an installed theme's file: the cache's stamp covers it
        try:
            parts.append(hashlib.sha256(file.content_bytes).hexdigest())
        except OSError:
            return None
    return digest(*parts, *_around_pages(build))


def _around_pages(build):
    """What each page shows from outside its source: its language versions (whether each language
    has it, the questions they share), the language its text is in, its date."""
    from cxdocs.adapters.mkdocs.page_extras import shared_anchors

    project, audience = build.project, build.target.audience
    languages, default = project.settings.languages, project.settings.default_language
    for r in build.rendered:
        versions = [(lang, r.page.translation(lang, audience) is not None, shared_anchors(project, r, lang))
                    for lang in languages]
        doc = r.page.source if r.lang == default else r.page.document(r.lang)
        day = build.revisions.date_of(doc)
        yield f"{r.page.uri}|{r.lang}|{r.is_fallback}|{day.isoformat()}|{versions!r}"


def restore(cache: Cache, key: str, out: Path) -> dict | None:
    """Put the target's files stored under ``key`` into ``out``; their manifest (each path with
    the SHA-256, size and time of its stored bytes), or None (nothing written): not stored, or a
    stored file changed since (it is removed, and the target is built)."""
    stored = cache.get_object(LAYER, key)
    manifest, folder = _manifest(stored), cache.layer_folder(file_store.FILES)
    if manifest is None or folder is None:
        return None
    if not all(file_store.stored(folder, tuple(record)) for record in manifest.values()):
        return None
    made: set[Path] = set()
    for relative, (sha, _, _) in manifest.items():
        destination = out / relative
        if destination.parent not in made:
            destination.parent.mkdir(parents=True, exist_ok=True)
            made.add(destination.parent)
        file_store.link_or_copy(folder / sha, destination)
    # The pages' entries the target was built from stay: an edit to it later renders only that page.
    cache.touch(tuple(entry) for entry in stored.get("entries", ()))
    return manifest


def intact(out: Path, manifest: dict) -> bool:
    """Every file restored into ``out`` holds the bytes its manifest names (a stored file changed
    in place with its size and time kept would pass ``restore``'s test)."""
    try:
        return all(file_store.digest_of(out / relative) == sha for relative, (sha, _, _) in manifest.items())
    except OSError:
        return False


def _manifest(stored) -> dict | None:
    """The files of a stored target, if its record is one this module writes: each a path inside
    the target and the entry name, size and time of its stored bytes. Any other record (damaged,
    or naming a file outside the cache or the site) is not trusted: its files are neither read,
    linked nor removed."""
    files = stored.get("files") if isinstance(stored, dict) else None
    if not isinstance(files, dict):
        return None
    for relative, record in files.items():
        parts = PurePosixPath(relative).parts if isinstance(relative, str) else ()
        if not parts or parts[0] == "/" or ".." in parts or "\\" in relative or not file_store.is_record(record):
            return None
    return files


def store(cache: Cache, key: str, out: Path, entries, digests: dict[str, str] | None = None) -> None:
    """Keep the files of a built target under ``key``, and the cache ``entries`` its build used;
    a target holding anything but plain files is not kept, nor one whose store of files is a link
    to a folder elsewhere. ``digests``: files linked from the store by this build, by their place
    (``TargetBuild.digests``), not read again."""
    digests = digests or {}
    folder = file_store.folder(cache)
    if folder is None:
        return
    manifest = {}
    for path in sorted(out.rglob("*")):
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            return
        if path.is_dir():
            continue
        relative = path.relative_to(out).as_posix()
        sha = digests.get(relative) or file_store.digest_of(path)
        blob = folder / sha
        try:
            if not blob.exists():
                file_store.link_or_copy(path, blob)
            stat = blob.stat()
        except FileExistsError:  # the same bytes, stored by another target's build just now
            stat = blob.stat()
        except OSError:
            return
        manifest[relative] = (sha, stat.st_size, stat.st_mtime_ns)
    cache.put_object(LAYER, key, {"files": manifest, "entries": sorted(entries)})


def files_in_use(cache: Cache) -> set[str]:
    """The stored files the kept targets name: what pruning the cache keeps of ``FILES``."""
    used: set[str] = set()
    for entry in cache.entries([LAYER]):
        manifest = _manifest(cache.get_object(LAYER, entry.name, touch=False))
        if manifest is not None:
            used.update(sha for sha, _, _ in manifest.values())
    return used


def sweep(cache: Cache) -> None:
    """After ``Cache.prune``: remove the stored files no kept target names (of the cache's own
    entries only: ``Cache.entries``), but those written since this build started: a build running
    beside this one stores its pages before it keeps the targets that name them."""
    used = files_in_use(cache)
    for entry in cache.entries([file_store.FILES]):
        if entry.name not in used:
            cache.remove_if_older(entry)
