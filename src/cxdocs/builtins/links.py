"""Links (a default plugin): every link of every target leads somewhere, and no public page links
anything internal; with ``cxdocs check --external``, links to other sites answer too."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field

from cxdocs.core.content import RESPONSE, SOP, Page, Project
from cxdocs.core.errors import CxdocsError, Finding, display_path
from cxdocs.core.helpcentre import home_search, site_names, words
from cxdocs.core.hookspecs import hookimpl
from cxdocs.core.languages import prefix
from cxdocs.core.links import (
    OTHER_SCHEME,
    Anchors,
    Link,
    is_external,
    links_in,
    relative,
    site_path,
    source_target,
    split_url,
    suggest,
    url_of,
)
from cxdocs.core.labels import label
from cxdocs.core.navigation import GeneratedPage, Site
from cxdocs.core.render import document_for, pages_for, render_page
from cxdocs.core.source import Line
from cxdocs.core.targets import Target, all_targets
from cxdocs.outputs.health import URI as HEALTH_URI

INTERNAL_FOLDERS = ("sop/", "responses/")
"""Files beside internal pages, which a public site never publishes."""
THEME_FOLDERS = ("assets/", "search/")


@hookimpl
def cxdocs_register_checks(register):
    register("links", check_links)
    register("external-links", check_external_links)


def check_links(project: Project) -> Iterator[Finding]:
    """Every link of every page, in every target it is shown in, as that target's readers follow it."""
    tree = Tree(project)
    for target in link_targets(project):
        yield from target_links(project, target, tree)
    project.external_links = tree.external


def target_links(project: Project, target: Target, tree: Tree | None = None) -> Iterator[Finding]:
    """The link findings of one target (``mkdocs build`` reports its own target's this way)."""
    tree = tree or Tree(project)
    site = TargetSite(project, target, tree)
    for uri, rendered in site.rendered.items():
        doc, _ = document_for(rendered.page, target, project.settings.default_language)
        for link in links_in(rendered.lines):
            if is_external(link.url) and not tree.on_site(link.url):
                tree.external.setdefault(link.url, []).append(link.line)
                continue
            try:
                message = site.follow(link, uri)
            except ValueError as exc:  # urllib's parser: an address such as 'http://[x'
                message = f"broken link '{link.url}': not a valid address ({exc})"
            if message:
                if link.line.path != doc.path:
                    message += f" (in a snippet, as {display_path(doc.path)} includes it)"
                yield Finding(message, link.line.path, link.line.lineno)


def link_targets(project: Project) -> list[Target]:
    return list(project.checked_targets or all_targets(project.settings.languages))


@dataclass
class Tree:
    """What the whole project holds, whatever the target: pages, translation files, other files."""

    project: Project
    pages: dict[str, Page] = field(init=False)
    translation_files: dict[str, str] = field(init=False)
    files: set[str] = field(init=False)
    external: dict[str, list[Line]] = field(default_factory=dict)
    anchors: Anchors = field(init=False)

    def __post_init__(self):
        settings = self.project.settings
        root = settings.content_dir
        self.pages = {p.uri: p for p in self.project.pages}
        self.translation_files = {
            doc.path.relative_to(root).as_posix(): page.uri
            for page in self.project.pages
            for doc in page.translations.values()
            if doc.path.is_relative_to(root)
        }
        self.files = {
            path.relative_to(root).as_posix()
            for path in root.rglob("*")
            if path.suffix != ".md" and path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
        }
        self.anchors = Anchors(getattr(settings, "slugify", None))

    @property
    def site_url(self) -> str:
        url = self.project.settings.site_url
        return url if not url or url.endswith("/") else url + "/"

    def on_site(self, url: str) -> bool:
        return bool(self.site_url) and url.lower().startswith(self.site_url.lower())


class TargetSite:
    """One target's pages (the writer's and the generated landing pages) by content path and address."""

    def __init__(self, project: Project, target: Target, tree: Tree):
        self.project, self.target, self.tree = project, target, tree
        settings = project.settings
        self.directory_urls = getattr(settings, "use_directory_urls", True)
        self.rendered = {}
        for page in pages_for(project, target):
            try:
                self.rendered[page.uri] = render_page(project, page, target, project.plugins)
            except CxdocsError:
                continue  # reported by the 'renders' check
        # The handbook's content health page is made from the checks' findings: its place, not its text.
        health = None if target.is_public or HEALTH_URI in self.rendered else GeneratedPage(
            HEALTH_URI, label("health", target.lang), "", kind="health"
        )
        names = site_names(target.lang, settings.site_name, settings.internal_site_name, settings.labels)
        site = Site(target, list(self.rendered.values()), names[0] if target.is_public else names[1], health)
        if target.is_public:  # the home page's popular questions, as the build adds them
            site.home_extra = home_search(settings.popular, words(target.lang, settings.labels))
        site.build()
        self.text = {uri: r.markdown + "\n\n" + site.appendix.get(uri, "") for uri, r in self.rendered.items()}
        self.text.update({uri: g.markdown for uri, g in site.generated.items()})
        self.by_url = {url_of(uri, self.directory_urls): uri for uri in self.text}

    def follow(self, link: Link, page_uri: str) -> str | None:
        """What is wrong with the link on the page, or None when it leads where it should."""
        url = link.url
        if self.tree.on_site(url):
            return self._absolute(url)
        if OTHER_SCHEME.match(url):
            return None  # mailto:, tel:, ...
        path, fragment = split_url(url)
        if link.html or url.startswith("/"):
            return self._by_address(url, page_uri, fragment)
        if not path:
            return self._anchor(url, page_uri, fragment) if fragment else None
        target = source_target(page_uri, path)
        if target is None:
            return f"broken link '{url}': it leads outside the content folder"
        if target.endswith(".md"):
            return self._page(url, page_uri, target, fragment)
        if target in self.tree.files:
            if self.target.is_public and target.startswith(INTERNAL_FOLDERS):
                return (
                    f"public page links to '{url}', a file beside internal pages that the public site does not "
                    f"publish: move it out of {target.split('/', 1)[0]}/"
                )
            return None
        # MkDocs leaves any other link as written: the browser follows it from the page's address.
        found = self._address(url, page_uri)
        if found is not None:
            return self._anchor(url, found, fragment) if fragment else None
        index = posixpath.join(target, "index.md") if target else "index.md"
        if index in self.text:
            return f"broken link '{url}': from this page's address it leads nowhere; link to the page's file: '{relative(page_uri, index)}'"
        return f"broken link '{url}': there is no file or page {target or '.'} in the content folder"

    def _page(self, url: str, page_uri: str, target: str, fragment: str) -> str | None:
        if target in self.text:
            return self._anchor(url, target, fragment) if fragment else None
        page = self.tree.pages.get(target)
        if page is not None:
            if self.target.is_public and page.audience != "public":
                return internal_link(target, page)
            return (
                f"broken link '{url}' on the {self.target.lang} public site: {target} has no "
                f"{self.target.lang} translation and 'untranslated: omit' leaves it out there"
            )
        if target in self.tree.translation_files:
            source = relative(page_uri, self.tree.translation_files[target])
            return f"broken link '{url}': link to '{source}', which each language's site shows in its own language"
        if (self.project.content_dir / target).is_file():
            return f"broken link '{url}': {target} is a snippet, which is not published; link to a page that includes it"
        candidates = [relative(page_uri, uri) for uri in self.text if uri.endswith(".md")]
        hint = suggest(relative(page_uri, target), candidates)
        if hint is None:  # the right name in another folder
            by_name = {posixpath.basename(c): c for c in sorted(candidates, key=len, reverse=True)}
            name = suggest(posixpath.basename(target), by_name)
            hint = by_name[name] if name else None
        return f"broken link '{url}': there is no page {target}" + (f"; did you mean '{hint}'?" if hint else "")

    def _anchor(self, url: str, uri: str, fragment: str) -> str | None:
        ids = self.tree.anchors.of(self.text.get(uri, ""))
        if fragment in ids:
            return None
        hint = suggest(fragment, ids)
        return (
            f"broken link '{url}': {uri} has no heading or question with the anchor '#{fragment}'"
            + (f"; did you mean '#{hint}'?" if hint else "")
        )

    def _address(self, url: str, page_uri: str) -> str | None:
        """The page a link leads to when followed from the page's address, or None."""
        lang, default = self.target.lang, self.project.settings.default_language
        here = prefix(lang, default) + url_of(page_uri, self.directory_urls)
        path = site_path(here, url, self.tree.site_url)
        if path is None:
            return None
        return self._lookup(path.removeprefix(prefix(lang, default)))

    def _lookup(self, path: str) -> str | None:
        for candidate in (path, path + "/", path.removesuffix("index.html")):
            if candidate in self.by_url:
                return self.by_url[candidate]
        return None

    def _by_address(self, url: str, page_uri: str, fragment: str) -> str | None:
        lang, default = self.target.lang, self.project.settings.default_language
        here = prefix(lang, default) + url_of(page_uri, self.directory_urls)
        path = site_path(here, url, self.tree.site_url)
        if path is None:
            return None
        return self._site_path(url, path, fragment)

    def _absolute(self, url: str) -> str | None:
        """A link to the public site by its full address (``site_url``), from any target."""
        path = site_path("", url, self.tree.site_url)
        return self._site_path(url, path or "", split_url(url)[1])

    def _site_path(self, url: str, path: str, fragment: str) -> str | None:
        first = path.split("/", 1)[0]
        if first in self.project.settings.languages[1:]:
            path = path[len(first) + 1 :]
        if path.startswith(THEME_FOLDERS) or path in self.tree.files:
            return None
        found = self._lookup(path)
        if found is not None:
            return self._anchor(url, found, fragment) if fragment else None
        for page in self.tree.pages.values():
            if url_of(page.uri, self.directory_urls) in (path, path + "/"):
                if self.target.is_public and page.audience != "public":
                    return internal_link(page.uri, page)
                return None
        return f"broken link '{url}': the site has no page at /{path}"


def internal_link(uri: str, page: Page) -> str:
    what = {SOP: "an SOP", RESPONSE: "a response"}.get(page.kind, "an internal page")
    return (
        f"public page links to {uri} ({what}): customers cannot open it, and the link tells them it exists; "
        "remove the link or put it in an '!!! internal' block"
    )


def check_external_links(project: Project) -> Iterator[Finding]:
    """With ``cxdocs check --external``: each link to another site answers (never during a build)."""
    timeout = project.external_timeout
    if timeout is None:
        return
    urls = project.external_links if project.external_links is not None else _collect(project)
    from cxdocs.builtins.external import fetch_statuses

    for url, (problem, severity) in fetch_statuses(sorted(urls), timeout).items():
        if problem is None:
            continue
        for line in dict.fromkeys(urls[url]):
            yield Finding(f"external link '{url}' {problem}", line.path, line.lineno, severity)


def _collect(project: Project) -> dict[str, list[Line]]:
    for _ in check_links(project):
        pass
    return project.external_links or {}
