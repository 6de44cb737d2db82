"""File names and addresses (a default plugin): every page gets an address of its own, on every file system."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cxdocs.core.content import FAQ, RESPONSE, SOP, Project
from cxdocs.core.errors import Finding
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.links import url_of
from cxdocs.outputs.health import URI as HEALTH_URI

UNSAFE = re.compile(r"""[#?%"'<>\\\[\]()\s]""")
"""Characters that end or change an address (``#``, ``?``, ``%``), a Markdown link (spaces,
brackets) or an HTML attribute (quotes, ``<``): a page named with one is linked wrongly."""
ROOTS = {SOP: "sop", FAQ: "faq", RESPONSE: "responses"}


@hookimpl
def cxdocs_register_checks(register):
    register("file-names", check_file_names)
    register("addresses", check_addresses)


def check_file_names(project: Project) -> Iterator[Finding]:
    root = project.content_dir
    for path in _content_files(project):
        relative = path.relative_to(root)
        if relative.parts[0] == project.settings.snippets_dir:
            continue  # never published: an include names it in quotes
        for part in relative.parts:
            bad = UNSAFE.search(part)
            if bad:
                char = "a space" if bad[0].isspace() else f"'{bad[0]}'"
                yield Finding(
                    f"the name '{part}' has {char}, which breaks links to it: rename it with letters, digits, "
                    "'-' and '_'",
                    path,
                    1,
                )
                break


def check_addresses(project: Project) -> Iterator[Finding]:
    """Two pages at one address overwrite each other; two that differ only in case do on Windows and macOS."""
    directory_urls = getattr(project.settings, "use_directory_urls", True)
    by_url: dict[str, list[tuple[str, Path | None]]] = {}
    writers = {page.uri: page for page in project.pages}
    for uri in sorted(set(writers) | generated_uris(project)):
        page = writers.get(uri)
        by_url.setdefault(url_of(uri, directory_urls), []).append((uri, page.path if page else None))
    for url, owners in sorted(by_url.items()):
        if len(owners) < 2:
            continue
        uris = " and ".join(uri for uri, _ in owners)
        for uri, path in owners:
            if path is not None:
                yield Finding(
                    f"{uris} are both published at /{url}: one would overwrite the other; rename or remove one",
                    path,
                    1,
                )
    # Folders and files of the output, compared as a file system that ignores case compares them.
    spelled: dict[str, dict[str, list[Path | None]]] = {}
    outputs = [(url.rstrip("/"), path) for url, owners in sorted(by_url.items()) for _, path in owners if url]
    root = project.content_dir
    outputs += [(p.relative_to(root).as_posix(), p) for p in _content_files(project) if p.suffix != ".md"]
    for name, path in outputs:
        parts = name.split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            spelled.setdefault(prefix.casefold(), {}).setdefault(prefix, []).append(path)
    for names in spelled.values():
        if len(names) < 2:
            continue
        # The spelling most of the tree uses stays; the others are named where they come from.
        first, *others = sorted(names, key=lambda n: (-len(names[n]), n != n.lower(), n))
        for other in others:
            path = next((p for p in names[other] if p is not None), None)
            if path is not None:
                yield Finding(
                    f"'{other}' and '{first}' differ only in case: on Windows and macOS one would overwrite the "
                    "other; rename one",
                    path,
                    1,
                )


def generated_uris(project: Project) -> set[str]:
    """The landing pages the site adds (home, sections, topics, departments' printable pages, health)."""
    uris = {"index.md", HEALTH_URI}
    for page in project.pages:
        root = ROOTS.get(page.kind)
        if root is None:
            continue
        uris.add(f"{root}/index.md")
        if page.folder:
            uris.add(f"{root}/{page.folder}/index.md")
            if page.kind == SOP:
                uris.add(f"{root}/{page.folder}/print-all.md")
    return uris


def _content_files(project: Project) -> list[Path]:
    root = project.content_dir
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )

