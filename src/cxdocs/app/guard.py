"""``cxdocs guard SITE_DIR``: the leak guard on any built folder, whatever built it.

Another generator (``zensical build``, a plain ``mkdocs build`` without the cxdocs plugin) ignores
cxdocs and publishes the SOPs, the responses and every agent note. The guard derives what is
internal from the project's sources and reads every file of the folder: it needs nothing from
whatever built it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cxdocs.adapters.mkdocs.build import load_mkdocs
from cxdocs.adapters.mkdocs.configure import TEMPLATES
from cxdocs.core.content import Project, load_project
from cxdocs.core.errors import CxdocsError
from cxdocs.core.navigation import Site
from cxdocs.core.plugins import plugin_manager
from cxdocs.core.render import pages_for, render_page
from cxdocs.core.targets import Target
from cxdocs.outputs.guard import Leak, SiteScan, comments_in_templates, guard_for_folder, guard_for_packs
from cxdocs.outputs.packs import SCHEMA_FILE, SCHEMA_PATH


@dataclass
class Guarded:
    """What the guard read, and what it found."""

    folders: list[tuple[str, int]] = field(default_factory=list)
    """Each folder read, as given on the command line, and its number of files."""
    leaks: list[Leak] = field(default_factory=list)


def guard_folder(config_file: Path, folder: Path) -> Guarded:
    """Read ``folder`` as a public site (with its languages below ``<lang>/``), as a cxdocs build's
    output (``public/`` and ``responses/``; the handbook in ``internal/`` is not public), or as a
    folder of response packs."""
    if not folder.is_dir():
        raise CxdocsError("no such folder: give the folder a build wrote (site/, or another generator's output)", folder)
    config, plugin = load_mkdocs(config_file)
    project = load_project(plugin.settings_for(config))
    project.plugins = plugin_manager(project.settings.plugins_dir)
    guarded = Guarded()
    if _is_packs(folder):
        _guard_packs(project, folder, guarded)
        return guarded
    if (folder / "public").is_dir() and not (folder / "index.html").exists():
        site = folder / "public"
        if (folder / "responses").is_dir():
            _guard_packs(project, folder / "responses", guarded)
    else:
        site = folder
    guard = guard_for_folder(project, _generated_text(project, config.site_name))
    guard.allowed_comments = frozenset(comments_in_templates([*config.theme.dirs, TEMPLATES]))
    settings = project.settings
    others = [lang for lang in settings.languages[1:] if (site / lang).is_dir()]
    roots = [(site, settings.site_url, others)] + [(site / lang, _url(settings.site_url, lang), []) for lang in others]
    for root, site_url, skip in roots:
        scan = SiteScan(guard, root, site_url, skip)
        leaks = scan.finish()
        guarded.folders.append((root.as_posix(), len(scan.read)))
        guarded.leaks += [Leak(root / leak.file, leak.reason, leak.source) for leak in leaks]
    guarded.folders.sort()
    return guarded


def _guard_packs(project: Project, packs: Path, guarded: Guarded) -> None:
    scan = SiteScan(guard_for_packs(project, [SCHEMA_PATH.read_text(encoding="utf-8")]), packs)
    leaks = scan.finish()
    guarded.folders.append((packs.as_posix(), len(scan.read)))
    guarded.leaks += [Leak(packs / leak.file, leak.reason, leak.source) for leak in leaks]


def _is_packs(folder: Path) -> bool:
    return (folder / SCHEMA_FILE).is_file() or any(folder.glob("cxdocs.*.json"))


def _generated_text(project: Project, site_name: str) -> list[str]:
    """The text of the pages a cxdocs build generates (landing pages, listings): public in every language."""
    texts: list[str] = []
    for lang in project.settings.languages:
        target = Target("public", lang)
        rendered = [render_page(project, page, target, project.plugins) for page in pages_for(project, target)]
        site = Site(target, rendered, site_name)
        site.build()
        texts += [text for g in site.generated.values() for text in (g.markdown, g.title)]
    return texts


def _url(site_url: str, lang: str) -> str:
    return site_url.rstrip("/") + f"/{lang}/" if site_url else ""
