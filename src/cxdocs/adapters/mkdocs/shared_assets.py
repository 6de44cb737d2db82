"""The theme's files (and cxdocs' own) once per site, in a folder named by their content.

Every language of a site is its own MkDocs build, and each would copy the theme's files (6 MB)
into its folder. The files go to ``assets/<digest>/`` instead, ``<digest>`` a hash of their
bytes: the same in every language, and new whenever a file changes, so a browser can cache
them for good across languages and deploys. A language below the site's root points at the
root's copy; ``cxdocs build`` keeps that one copy (``app.build.assemble``).

Every URL of these files in the theme's templates goes through MkDocs' ``url`` filter, which is
wrapped here. Paths between the files (the search worker loads its language files from
``../lunr/``) keep working, as the files keep their layout below the new folder.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

from jinja2 import pass_context

FOLDER = "assets"
DIGEST_LENGTH = 10
HASHED = re.compile(rf"^[0-9a-f]{{{DIGEST_LENGTH}}}$")
"""The name of such a folder."""


class SharedAssets:
    def __init__(self, files, docs_dir: str, below_root: bool):
        """``below_root``: this build's pages sit one folder below the site's root (a language
        other than the default), where the files are."""
        docs = Path(docs_dir).resolve()
        self.files = sorted(
            (f for f in files if f.src_uri.startswith(f"{FOLDER}/") and f.abs_src_path
             and not Path(f.abs_src_path).resolve().is_relative_to(docs)),
            key=lambda f: f.src_uri,
        )
        self.digest = digest(self.files)
        self.below_root = below_root
        self.moved: dict[str, str] = {}
        for file in self.files:
            moved = f"{FOLDER}/{self.digest}/{file.src_uri[len(FOLDER) + 1:]}"
            self.moved[file.src_uri] = moved
            file.dest_uri = moved
            file.url = moved

    def wrap(self, url_filter):
        """MkDocs' ``url`` filter, leading the theme's files to their folder (at the site's root)."""

        @pass_context
        def url(context, value):
            moved = self.moved.get(str(value))
            if moved is None:
                return url_filter(context, value)
            if not self.below_root:
                return url_filter(context, moved)
            base = context["base_url"]
            if base.startswith("/"):  # the error page, served at any address, links from the site's path
                return posixpath.normpath(f"{base.rstrip('/')}/../{moved}")
            return posixpath.normpath(f"{base or '.'}/../{moved}")

        return url


def digest(files) -> str:
    """A short hash of the files' paths and bytes."""
    sha = hashlib.sha256()
    for file in files:
        sha.update(file.src_uri.encode("utf-8") + b"\0")
        sha.update(Path(file.abs_src_path).read_bytes())
        sha.update(b"\0")
    return sha.hexdigest()[:DIGEST_LENGTH]
