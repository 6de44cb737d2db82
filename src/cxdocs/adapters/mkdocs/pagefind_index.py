"""The Pagefind index of one written target (``search: pagefind``).

Pagefind (from PyPI, the binary ships in its wheel) reads the target's HTML pages after MkDocs
wrote them and writes ``pagefind/`` beside them: a bundle the browser loads piece by piece, only
the parts a query needs. Its output is a function of the target's files alone, so it runs as a
step of its own once the target is written, one bundle per target (one language each).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cxdocs.adapters.mkdocs import file_store, pagefind_input
from cxdocs.core.cache import Cache, digest
from cxdocs.core.errors import CxdocsError

BUNDLE = "pagefind"
"""The bundle's folder below the target's root."""
LAYER = "pagefind"
"""The build cache's layer of bundles, by the target's pages."""

EXCLUDED = (
    ".headerlink",  # the heading's permalink sign
    ".md-source-file",  # "last update" dates
    ".md-content__button",  # edit / view source buttons
    ".md-tags",
    ".cx-after",  # below the text: last updated, "Was this helpful?", related questions, contact
    ".cx-print-note",  # on paper only
    ".cx-hero-search",  # the home page's search box: its label and button
)
"""Parts of a page's article that are not its text. Navigation, header and footer are outside the
article Pagefind reads (``data-pagefind-body``, set by cxdocs' page template on every page search
should find). Each one a class alone: Pagefind reads the article without the elements around it
(``pagefind_input``), where a selector naming one of them would no longer match."""

MEMORY = Path("/dev/shm")
"""Where Linux keeps a folder in memory (tmpfs). A target's cut pages are thousands of small
files written, read once by Pagefind and removed: on a disk that costs more CPU time than the
cut saves Pagefind (benchmarks/results/2026-12-05-pagefind-staging.md). Pagefind's bundle follows
the order in which the file system lists the pages, so the bundle of the same pages staged on a
disk instead (no room in memory) holds the same index in other bytes."""

UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
"""Pagefind's own interfaces, which cxdocs does not use (the theme's search box is answered by
assets/cxdocs/search.js): left out of every language's folder."""

STEMMED_AS = {
    # Pagefind has no Croatian or Slovenian stemmer. Snowball's Serbian one reads Latin script too
    # and strips the endings these languages share; without it, an inflected form finds only the
    # words it is a prefix of, and a query such as "pošiljkami" ranks pages holding "po" first
    # (tests/test_browser_search_languages.py shows what each one finds).
    "hr": "sr",
    "bs": "sr",
    "sl": "sr",
}


def chosen(config) -> bool:
    """The site is searched with Pagefind (``search: pagefind``, the default) rather than lunr."""
    return config.extra["cxdocs"].get("search") == "pagefind"


def index_language(lang: str) -> str:
    """The language Pagefind indexes a target's pages as: its stemmer's, where ours has none."""
    base = lang.split("-")[0].lower()
    return STEMMED_AS.get(base, base)


def index_target(site_dir: Path, lang: str, cache: Cache | None = None, bundle: Path | None = None,
                 digests: dict[str, str] | None = None) -> Path:
    """Index the written target in ``site_dir`` (its own folder: one language) into ``site_dir/pagefind``
    (or into ``bundle``, a folder to move there once it is complete).

    Every page is indexed in the target's language, whatever its ``<html lang>``: a fallback page
    in the default language belongs to this language's search, where its readers look for it.
    With a build cache, a target whose pages are all as before gets the bundle it had (Pagefind's
    output is the same for the same pages: it has no state but them).
    """
    return start_index(site_dir, lang, cache, bundle, digests).wait()


def start_index(site_dir: Path, lang: str, cache: Cache | None = None, bundle: Path | None = None,
                digests: dict[str, str] | None = None) -> Indexing:
    """``index_target`` begun: Pagefind runs while the caller does other work, until ``wait``."""
    return prepare_index(site_dir, lang, cache, bundle, digests).start()


def prepare_index(site_dir: Path, lang: str, cache: Cache | None = None, bundle: Path | None = None,
                  digests: dict[str, str] | None = None) -> Indexing:
    """What ``start_index`` does before Pagefind runs: the bundle taken from the cache, or
    Pagefind's input cut from the pages (the part a build does for one target while Pagefind
    indexes another). ``digests``: pages whose SHA-256 the build knows (``TargetBuild.digests``)."""
    language = index_language(lang)
    bundle = bundle or site_dir / BUNDLE
    _refuse_others(bundle)
    pages = _pages(site_dir)
    key = _key(site_dir, pages, language, digests or {}) if cache is not None else None
    if key is not None and (stored := cache.get_object(LAYER, key)) is not None:
        for name, data in stored.items():
            path = bundle / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return Indexing(site_dir, bundle)
    indexing = Indexing(site_dir, bundle, cache, key)
    try:
        # Pagefind reads the pages cut to what it indexes: the same bundle for less of its time.
        indexing.staging = _staged(site_dir, pages)
        site = Path(indexing.staging.name)
    except OSError:  # no temporary folder, or no room in it: Pagefind reads the pages as written
        site = site_dir
    indexing.command = [
        sys.executable, "-m", "pagefind",
        "--site", str(site),
        "--output-path", str(bundle),
        "--exclude-selectors", ", ".join(EXCLUDED),
        "--force-language", language,
        "--silent",
    ]
    return indexing


def _staged(site_dir: Path, pages: list[Path]) -> tempfile.TemporaryDirectory:
    """A temporary folder holding the target's pages cut for Pagefind: in memory where the system
    keeps a folder there with room for every page as written, else the usual temporary folder.
    Nothing is left of a staging that failed."""
    if _room_in_memory() >= sum(p.stat().st_size for p in pages if p.is_file()):
        try:
            return _staged_in(site_dir, str(MEMORY))
        except OSError:  # another process took the room meanwhile
            pass
    return _staged_in(site_dir, None)


def _staged_in(site_dir: Path, place: str | None) -> tempfile.TemporaryDirectory:
    staging = tempfile.TemporaryDirectory(prefix="cxdocs-pagefind-", dir=place)
    try:
        pagefind_input.stage(site_dir, Path(staging.name), BUNDLE)
    except BaseException:
        staging.cleanup()
        raise
    return staging


def _room_in_memory() -> int:
    """Bytes free in ``MEMORY``, or 0 where there is no such folder for this user to write in."""
    try:
        if not MEMORY.is_dir() or not os.access(MEMORY, os.W_OK | os.X_OK):
            return 0
        stats = os.statvfs(MEMORY)
    except OSError:
        return 0
    return stats.f_bavail * stats.f_frsize


def _pages(site_dir: Path) -> list[Path]:
    """The target's HTML files, in order, but the search bundle's."""
    return [p for p in sorted(site_dir.rglob("*.html")) if not p.is_relative_to(site_dir / BUNDLE)]


def _refuse_others(bundle: Path) -> None:
    """The bundle's folder is cxdocs' alone: it writes there, and removes the Pagefind files it
    does not ship. A folder that holds anything already (``content/pagefind/`` copied into the
    site, a folder of someone else's) is left as it is."""
    if bundle.is_symlink() or (bundle.exists() and (not bundle.is_dir() or any(bundle.iterdir()))):
        raise CxdocsError(
            f"search index: {bundle} already exists and is not cxdocs' to write into; "
            f"the search index goes to '{BUNDLE}/' below each language's pages: rename a '{BUNDLE}' folder in the content"
        )


@dataclass
class Indexing:
    """A target's search index being made (a Pagefind process), or already in place."""

    site_dir: Path
    bundle: Path
    cache: Cache | None = None
    key: str | None = None
    process: subprocess.Popen | None = None
    staging: tempfile.TemporaryDirectory | None = None
    """The cut pages Pagefind reads."""
    command: list[str] | None = None
    """How Pagefind is to be run; None: the bundle is in place (taken from the cache)."""

    def start(self) -> Indexing:
        """Run Pagefind (if the bundle is not in place); ``wait`` for it."""
        if self.command is None:
            return self
        try:
            self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as exc:
            self.clean()
            raise CxdocsError(f"search index: could not run Pagefind ({exc}); reinstall cxdocs: pip install cxdocs") from None
        return self

    def wait(self) -> Path:
        """The bundle, once Pagefind has written it and it is kept in the cache."""
        if self.process is None:
            return self.bundle
        try:
            out, err = self.process.communicate()
        finally:
            self.clean()
        if self.process.returncode != 0:
            said = (err or out).strip().splitlines()
            raise CxdocsError(
                f"search index: Pagefind failed on {self.site_dir}: {' '.join(said[-3:]) or self.process.returncode}"
            )
        for name in UNUSED:
            (self.bundle / name).unlink(missing_ok=True)
        if self.cache is not None and self.key is not None:
            self.cache.put_object(LAYER, self.key, {p.relative_to(self.bundle).as_posix(): p.read_bytes()
                                                    for p in sorted(self.bundle.rglob("*")) if p.is_file()})
        return self.bundle

    def stop(self) -> None:
        """The build stopped meanwhile: end Pagefind, leave nothing of its input behind."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        self.clean()

    def clean(self) -> None:
        if self.staging is not None:
            self.staging.cleanup()
            self.staging = None


def _key(site_dir: Path, pages: list[Path], language: str, digests: dict[str, str]) -> str:
    """Everything Pagefind reads: every HTML file of the target (path and bytes), and how it is run
    (the Pagefind version is in the cache's stamp, with every installed package's)."""
    read = []
    for path in pages:
        relative = path.relative_to(site_dir).as_posix()
        read += [relative, digests.get(relative) or file_store.digest_of(path)]
    return digest(language, *EXCLUDED, *UNUSED, *read)
