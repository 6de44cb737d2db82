"""Snippet inclusion with pymdown-extensions' line syntax: ``--8<-- "snippets/name.md"``.

We expand includes ourselves instead of letting ``pymdownx.snippets`` do it inside Python-Markdown
because the audience filter and variable substitution must run on the expanded text, and every
expanded line has to keep its own ``path:line`` for error messages. pymdownx.snippets also skips a
circular include silently, where a writer needs an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cxdocs.core.errors import CxdocsError
from cxdocs.core.source import Line

INCLUDE = re.compile(r"^(?P<indent>[ \t]*)(?P<escape>;?)--8<--(?P<rest>.*)$")
QUOTED = re.compile(r"""^\s+(?P<quote>["'])(?P<target>[^"']+)(?P=quote)\s*$""")
MAX_DEPTH = 16

Reader = Callable[[Path], list[Line]]


def expand_includes(lines: list[Line], content_dir: Path, read: Reader, real: dict[Path, Path] | None = None) -> list[Line]:
    """Replace each include line with the snippet's lines, indented like the include, recursively.

    ``real`` keeps paths already resolved (symbolic links followed) for the caller's next pages:
    resolving costs a system call per folder of the path, and a knowledge base includes the same
    snippets from hundreds of pages.
    """
    real = {} if real is None else real

    def resolve(path: Path) -> Path:
        return resolved(path, real)

    return _expand(lines, resolve(content_dir), read, (), resolve)


def resolved(path: Path, known: dict[Path, Path]) -> Path:
    """``path.resolve()``, with every folder's real path found once in ``known`` for all the files
    below it: a file then costs one system call (is it a link?), not one per folder of its path,
    and a knowledge base's pages and snippets share a few folders."""
    real = known.get(path)
    if real is None:
        parent = path.parent
        if parent == path or path.name in ("", ".", ".."):
            real = path.resolve()
        else:
            real = resolved(parent, known) / path.name
            if real.is_symlink():
                real = path.resolve()  # a link: the system's answer (a loop through it is refused as there)
        known[path] = real
    return real


def _expand(lines: list[Line], root: Path, read: Reader, chain: tuple[Path, ...], resolve) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        match = INCLUDE.match(line.text)
        if not match:
            out.append(line)
            continue
        indent = match["indent"]
        if match["escape"]:
            # ';--8<--' is pymdownx's escape: show the include line itself.
            out.append(line._replace(text=indent + "--8<--" + match["rest"]))
            continue
        quoted = QUOTED.match(match["rest"])
        if not quoted:
            raise CxdocsError(
                'an include must be one line of the form --8<-- "snippets/name.md"', line.path, line.lineno
            )
        target = resolve_include(quoted["target"], root, line, resolve)
        if target in chain or target == resolve(line.path):
            cycle = " -> ".join(p.name for p in (*chain, target))
            raise CxdocsError(f"circular include: {cycle}", line.path, line.lineno)
        if len(chain) >= MAX_DEPTH:
            raise CxdocsError(f"includes nested deeper than {MAX_DEPTH} levels", line.path, line.lineno)
        # The chain is every file on the way from the page to this snippet, each named once.
        included = _expand(read(target), root, read, (*(chain or (resolve(line.path),)), target), resolve)
        out.extend(
            inc._replace(text=indent + inc.text if inc.text.strip() else inc.text, via=(*line.via, line, *inc.via))
            for inc in included
        )
    return out


def resolve_include(name: str, root: Path, line: Line, resolve=Path.resolve) -> Path:
    """The snippet file, which must exist inside the content folder (no ``..``, no absolute path, no symlink out)."""
    where = (line.path, line.lineno)
    relative = Path(name)
    if relative.is_absolute() or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise CxdocsError(f"include {name!r} is an absolute path; give a path relative to the content folder", *where)
    if ".." in relative.parts:
        raise CxdocsError(f"include {name!r} reaches outside the content folder", *where)
    try:
        target = resolve(root / relative)
    except (RuntimeError, OSError):  # Python raises RuntimeError for a loop before 3.13, OSError after
        raise CxdocsError(f"include {name!r} is a symbolic link that leads round in a loop; link to the file itself", *where) from None
    if not target.is_relative_to(root):
        raise CxdocsError(f"include {name!r} resolves outside the content folder (a symbolic link?)", *where)
    if not target.is_file():
        raise CxdocsError(f"include {name!r} not found in the content folder", *where)
    return target
