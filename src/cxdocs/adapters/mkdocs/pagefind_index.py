"""The Pagefind index of one written target (``search: pagefind``).

Pagefind (from PyPI, the binary ships in its wheel) reads the target's HTML pages after MkDocs
wrote them and writes ``pagefind/`` beside them: a bundle the browser loads piece by piece, only
the parts a query needs. Its output is a function of the target's files alone, so it runs as a
step of its own once the target is written, one bundle per target (one language each).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cxdocs.core.errors import CxdocsError

BUNDLE = "pagefind"
"""The bundle's folder below the target's root."""

EXCLUDED = (
    ".headerlink",  # the heading's permalink sign
    ".md-source-file",  # "last update" dates
    ".md-content__button",  # edit / view source buttons
    ".md-tags",
    "[data-cx-search-skip]",  # cxdocs' own blocks after the text: contact, related questions, feedback
)
"""Parts of a page's article that are not its text. Navigation, header and footer are outside the
article Pagefind reads (``data-pagefind-body``, set by cxdocs' page template on every page search
should find)."""

UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
"""Pagefind's own interfaces, which cxdocs does not use (the theme's search box is answered by
assets/cxdocs/search.js): left out of every language's folder."""

STEMMED_AS = {
    # Pagefind has no Croatian or Slovenian stemmer. Snowball's Serbian one reads Latin script too
    # and strips the endings these languages share; without it, an inflected form finds only the
    # words it is a prefix of (tests/test_browser_search_languages.py shows what each one finds).
    "hr": "sr",
    "bs": "sr",
    "sl": "sr",
}


def index_language(lang: str) -> str:
    """The language Pagefind indexes a target's pages as: its stemmer's, where ours has none."""
    base = lang.split("-")[0].lower()
    return STEMMED_AS.get(base, base)


def index_target(site_dir: Path, lang: str) -> Path:
    """Index the written target in ``site_dir`` (its own folder: one language) into ``site_dir/pagefind``.

    Every page is indexed in the target's language, whatever its ``<html lang>``: a fallback page
    in the default language belongs to this language's search, where its readers look for it.
    """
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(site_dir),
        "--output-subdir", BUNDLE,
        "--exclude-selectors", ", ".join(EXCLUDED),
        "--force-language", index_language(lang),
        "--silent",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise CxdocsError(f"search index: could not run Pagefind ({exc}); reinstall cxdocs: pip install cxdocs") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise CxdocsError(f"search index: Pagefind failed on {site_dir}: {' '.join(said[-3:]) or done.returncode}")
    bundle = site_dir / BUNDLE
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    return bundle
