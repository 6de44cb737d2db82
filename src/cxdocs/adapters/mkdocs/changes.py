"""What an edit changes in a served target, and whether showing it needs a full build.

A page's HTML depends on its own source, on the navigation (the set of pages and their titles), on
the configuration, theme, snippets and plugins, and, for the generated landing pages, listings and
printable pages, on the Markdown of the pages they gather. ``plan_update`` reloads the changed
page files, renders them for the target and compares with the last build: when only page sources
and generated Markdown differ, the plan names the pages MkDocs must render again. Anything else
raises :class:`FullBuild`, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cxdocs.adapters.mkdocs.sources import generated_source, page_source
from cxdocs.core.audience import sees
from cxdocs.core.content import FAQ, Page, read_page_file, split_language
from cxdocs.core.errors import CxdocsError, Finding, display_path
from cxdocs.core.navigation import Site
from cxdocs.core.related import related_questions
from cxdocs.core.render import Rendered, render_page

EDITOR_LEFTOVERS = ("~", ".swp", ".swx", ".tmp")
"""Backup and swap files editors leave beside a page: a full build for them would help nobody."""


class FullBuild(Exception):
    """The change needs a full build; the message says why, for the writer."""


@dataclass
class Plan:
    rendered: list[Rendered]
    """The target's pages after the change, in build order."""
    site: Site
    replaced: list[tuple[Page, Page]] = field(default_factory=list)
    """(old, new) for every page whose files changed and loaded, in the target or not."""
    edited: list[Path] = field(default_factory=list)
    """The files those pages were loaded again from."""
    sources: dict[str, str] = field(default_factory=dict)
    """MkDocs source of each page to render again, by its path below the content folder."""
    own: set[str] = field(default_factory=set)
    """Those of them whose own text changed; the others gather them (listings, home, printable pages)."""
    errors: list[Finding] = field(default_factory=list)
    failed: set[Path] = field(default_factory=set)
    """Files whose change cannot be shown yet (errors): tried again with the next change."""


def content_files(content_dir: Path) -> set[Path]:
    """Every file of the content tree a build reads or copies (hidden files and folders left out).

    Paths are resolved, as the changed paths are compared with them resolved.
    """
    found = set()
    for folder, dirs, names in os.walk(content_dir.resolve()):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.update(Path(folder, name) for name in names if not name.startswith("."))
    return found


def plan_update(build, changed: Iterable[Path], known: set[Path]) -> Plan:
    """Reload and render what changed; raise FullBuild unless one-page updates can show it all."""
    project, target = build.project, build.target
    by_page = _page_files(project, changed, known)
    plan = Plan(list(build.rendered), build.site)
    new_rendered: dict[str, Rendered] = {}
    for old, files in by_page:
        paths = {path for path, _ in files}
        try:
            new = _reloaded(project, old, files)
            if any(sees(target.audience, old.audience_in(lang)) != sees(target.audience, new.audience_in(lang))
                   for lang in {project.settings.default_language, target.lang}):
                raise FullBuild(f"{display_path(old.path)}: its audience changed")
            for key in [k for k in project.responses if k[0] == old.uri]:
                del project.responses[key]  # a response's pack entry (copy button) is cached per run
            for key in [k for k in project.rendered if k[0] == old.uri]:
                del project.rendered[key]  # so is the page as each target shows it
            # The target reads the page in its own language or the default one: a translation into
            # a third language changes nothing it shows (it exists before and after).
            shown = {None, project.settings.default_language, target.lang}
            if old.uri in build.by_uri and any(lang in shown for _, lang in files):
                new_rendered[old.uri] = render_page(project, new, target, project.plugins)
        except CxdocsError as exc:
            plan.errors.extend(getattr(exc, "findings", [exc.finding]))
            plan.failed.update(paths)
            continue
        plan.replaced.append((old, new))
        plan.edited.extend(sorted(paths))
    if not new_rendered:
        return plan
    for uri, r in new_rendered.items():
        if r.title != build.by_uri[uri].title:
            raise FullBuild(f"{display_path(r.page.path)}: its title changed (navigation)")
    plan.rendered = [new_rendered.get(r.page.uri, r) for r in build.rendered]
    plan.site = Site(target, plan.rendered, build.site.site_name, build.site.health, previous=build.site)
    if plan.site.build() != build.site_nav:
        raise FullBuild("the navigation changed")
    old_generated = build.site.generated
    if {u: g.title for u, g in plan.site.generated.items()} != {u: g.title for u, g in old_generated.items()}:
        raise FullBuild("a generated page's title changed (navigation)")
    if target.is_public:
        _same_published_files(build, plan.rendered, new_rendered, known)
    by_uri = {r.page.uri: r for r in plan.rendered}
    appendix_changed = {u for u, text in plan.site.appendix.items() if build.site.appendix.get(u) != text}
    for uri in sorted(set(new_rendered) | appendix_changed):
        plan.sources[uri] = page_source(by_uri[uri], plan.site)
    plan.own = set(new_rendered)
    # A FAQ page lists questions of its topic's other pages and of those its front matter names.
    topics = {r.page.folder for r in new_rendered.values() if r.page.kind == FAQ}
    for r in plan.rendered:
        if r.page.uri in plan.sources or r.page.kind != FAQ:
            continue
        if r.page.folder in topics or r.page.meta.get("related"):
            if related_questions(r, plan.site) != related_questions(build.by_uri[r.page.uri], build.site):
                plan.sources[r.page.uri] = page_source(r, plan.site)
    for uri, g in plan.site.generated.items():
        if g.markdown != old_generated[uri].markdown:
            plan.sources[uri] = generated_source(g)
    return plan


PageFiles = list[tuple[Page, list[tuple[Path, str | None]]]]


def _page_files(project, changed: Iterable[Path], known: set[Path]) -> PageFiles:
    """The changed files (and their language) by page; FullBuild for anything that is not a page edit."""
    settings = project.settings
    root = settings.content_dir.resolve()
    pages = {page.uri: page for page in project.pages}
    grouped: dict[str, list[tuple[Path, str | None]]] = {}
    for path in sorted({Path(p).resolve() for p in changed}):
        if not path.is_relative_to(root):
            raise FullBuild(f"{display_path(path)} changed")
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in rel.split("/")) or rel.endswith(EDITOR_LEFTOVERS):
            continue
        was, now = path in known, path.is_file()
        if not was and not now:
            if any(file.is_relative_to(path) for file in known):
                raise FullBuild(f"{display_path(path)} was removed")  # a folder moved away
            continue  # created and removed again (an editor's temporary file)
        if was != now:
            raise FullBuild(f"{display_path(path)} was {'added' if now else 'removed'}")
        if rel.split("/", 1)[0] == settings.snippets_dir:
            raise FullBuild(f"{display_path(path)}: a snippet changed")
        if not rel.endswith(".md"):
            raise FullBuild(f"{display_path(path)} changed")
        try:
            stem, lang = split_language(rel, settings, path)
        except CxdocsError:
            raise FullBuild(f"{display_path(path)} changed") from None
        page = pages.get(stem)
        if page is None or (lang not in (None, settings.default_language) and lang not in page.translations):
            raise FullBuild(f"{display_path(path)} is a new page or translation")
        grouped.setdefault(stem, []).append((path, lang))
    return [(pages[stem], files) for stem, files in grouped.items()]


def _reloaded(project, old: Page, files: list[tuple[Path, str | None]]) -> Page:
    """The page with its changed files read again (a new object: the old one stays valid until applied)."""
    default = project.settings.default_language
    source, translations = old.source, dict(old.translations)
    for path, lang in files:
        # Named as the loader names it (below the configured content folder), for path:line messages.
        doc = read_page_file(old.path.parent / path.name)
        if lang in (None, default):
            source = doc
        else:
            translations[lang] = doc
    new = Page(old.uri, old.kind, source, translations)
    new.audience  # noqa: B018 - validates front matter now, with the page's path, as loading does
    for lang in translations:
        new.audience_in(lang)
    return new


def _same_published_files(build, rendered: list[Rendered], new: dict[str, Rendered], known: set[Path]) -> None:
    """A public site copies an image only if a page refers to it: an edit must not change which ones."""
    root = build.project.content_dir.resolve()
    names = {path.name for path in known if path.suffix != ".md" and path.is_relative_to(root)}
    for uri, r in new.items():
        before = build.by_uri[uri].markdown
        for name in names:
            if (name in before) != (name in r.markdown):
                was = any(name in x.markdown for x in build.rendered)
                if was != any(name in x.markdown for x in rendered):
                    raise FullBuild(f"{display_path(r.page.path)}: the public site now {'omits' if was else 'needs'} {name}")
