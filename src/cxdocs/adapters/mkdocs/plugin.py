"""The MkDocs adapter: one MkDocs build is one cxdocs target (audience x language).

Events only. The build's state is a :class:`~cxdocs.adapters.mkdocs.state.TargetBuild` the caller
hands over (or one made here for a plain ``mkdocs build``); the content model, audience filter,
variables and guard live in the core and the outputs.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from cxdocs.adapters.mkdocs import html_head, page_extras, pagefind_index, site_dir, speedups, target_cache, template_code
from cxdocs.adapters.mkdocs.config import CxdocsConfig
from cxdocs.adapters.mkdocs.configure import (
    configure_markdown,
    configure_search,
    configure_theme,
    search_plugin_of,
)
from cxdocs.adapters.mkdocs.head import edited_head, versions_of
from cxdocs.adapters.mkdocs.page_cache import PageCache
from cxdocs.adapters.mkdocs.page_nav import CompactNavigation
from cxdocs.adapters.mkdocs.shared_assets import SharedAssets
from cxdocs.adapters.mkdocs.sitemap import rewrite_sitemap, write_sitemap_index
from cxdocs.adapters.mkdocs.sources import escaped_nav, generated_source, page_source, url_of
from cxdocs.adapters.mkdocs.state import taken
from cxdocs.builtins.links import target_links
from cxdocs.core import clock
from cxdocs.core.audience import INTERNAL
from cxdocs.core.checks import run_checks
from cxdocs.core.config import read_config
from cxdocs.core.content import load_project
from cxdocs.core.errors import CxdocsError
from cxdocs.core.helpcentre import home_search
from cxdocs.core.labels import label
from cxdocs.core.languages import absolute_url, bcp47, language_name, prefix, relative_link
from cxdocs.core.navigation import GeneratedPage, Site
from cxdocs.core.plugins import plugin_manager
from cxdocs.core.render import pages_for, render_page
from cxdocs.core.revisions import Revisions
from cxdocs.core.settings import Settings
from cxdocs.core.structured_data import page_info, script_tags
from cxdocs.core.targets import Target, parse_target
from cxdocs.outputs import guard as leak_guard
from cxdocs.outputs import guard_cache
from cxdocs.outputs.guard_kept import guard_key
from cxdocs.outputs.health import URI as HEALTH_URI
from cxdocs.outputs.health import health_markdown

log = logging.getLogger("mkdocs.plugins.cxdocs")
INTERNAL_FOLDERS = ("sop/", "responses/")


class CxdocsPluginError(PluginError):
    """A cxdocs error surfacing through MkDocs, keeping the original for ``cxdocs build``."""

    def __init__(self, error: CxdocsError):
        super().__init__(str(error))
        self.error = error


def _raise(error: CxdocsError):
    raise CxdocsPluginError(error) from None


class CxdocsPlugin(BasePlugin[CxdocsConfig]):
    supports_multiple_instances = False

    @event_priority(100)  # before the search plugin reads the theme language
    def on_config(self, config: MkDocsConfig):
        self.build = build = taken()
        try:
            self.settings = self.settings_for(config)
            build.target = self.target = build.target or self._target_from_options()
            self.pm = build.project.plugins if build.project else plugin_manager(self.settings.plugins_dir)
            if build.plain_mkdocs:  # MkDocs empties site_dir next
                site_dir.refuse_replacing(config.site_dir, config.config_file_path, self.settings)
        except CxdocsError as exc:
            _raise(exc)
        if build.serve_url:  # as `mkdocs serve` does: links and canonical URLs work locally
            config.site_url = build.serve_url
        configure_markdown(config)
        configure_theme(config, self.target)
        build.frame = page_extras.configure_frame(config, self.target, self.config, self.settings.default_language)
        quiet_link_validation(config)
        configure_search(config, self.target.lang, self.config.search)
        if self.target.audience == INTERNAL and not build.serve_url and not _previewed(config):
            # The handbook lives elsewhere than the public site: its error page finds the theme from here.
            config.site_url = self.config.internal_site_url or None
        self.site_root = config.site_url or ""
        self.speedups = speedups.enabled(config, self.config.speedups)
        self.page_cache = None
        self.conversions = None
        if build.cache is not None and (conversions := self.speedups.get("conversions")):
            self.conversions = conversions.ConversionCache(config, build.cache, self.speedups.get("markdown_reuse"))
        if self.target.lang != self.settings.default_language and config.site_url:
            config.site_url = config.site_url.rstrip("/") + f"/{self.target.lang}/"
        return config

    def settings_for(self, config: MkDocsConfig) -> Settings:
        """The project's settings, as the core reads mkdocs.yml (the same checks and messages as
        ``cxdocs check``); a build driven by cxdocs hands over the project it already read."""
        handed = getattr(self, "build", None)
        if handed is not None and handed.project is not None:
            return handed.project.settings
        settings = read_config(Path(config.config_file_path)).settings
        settings.content_dir = Path(config.docs_dir)
        settings.use_directory_urls = config.use_directory_urls
        settings.slugify = (config.mdx_configs.get("toc") or {}).get("slugify")
        return settings

    def _target_from_options(self) -> Target:
        audience = os.environ.get("CXDOCS_AUDIENCE") or self.config.audience
        lang = os.environ.get("CXDOCS_LANG") or self.config.lang or self.settings.default_language
        return parse_target(f"{audience}:{lang}", self.settings.languages)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        build = self.build
        try:
            loaded_here = build.project is None
            if loaded_here:
                build.project = load_project(self.settings)
                build.project.plugins = self.pm
            build.rendered = [render_page(build.project, p, self.target, self.pm) for p in pages_for(build.project, self.target)]
            if loaded_here:  # a plain `mkdocs build` or `mkdocs serve`: `cxdocs build` checked links before
                for finding in target_links(build.project, self.target):
                    log.warning(str(finding))
            health = self._health_page(config) if self.target.audience == INTERNAL else None
        except CxdocsError as exc:
            _raise(exc)
        build.site = Site(self.target, build.rendered, config.site_name, health)
        if self.target.is_public:
            build.site.home_extra = home_search(self.settings.popular, build.frame)
        config.extra["cxdocs"].update(page_extras.site_extras(build.project, self.target, self.config))
        build.contact = config.extra["cxdocs"]["contact"]
        build.revisions = Revisions(Path(config.docs_dir))
        nav = build.site_nav = escaped_nav(build.site.build())
        if not config.nav:
            config.nav = nav
        docs = os.path.join(config.docs_dir, "")
        out = Files([f for f in files if self._keep(f, docs)])
        below_root = build.in_site and self.target.lang != self.settings.default_language
        build.shared_assets = SharedAssets(out, config.docs_dir, below_root)
        build.by_uri = {r.page.uri: r for r in build.rendered}
        build.jsonld, build.versions = {}, {}
        for r in build.rendered:
            out.append(File.generated(config, r.page.uri, content=page_source(r, build.site)))
        for g in build.site.generated.values():
            out.append(File.generated(config, g.uri, content=generated_source(g)))
        if self.target.audience == INTERNAL and "robots.txt" not in out.src_uris:
            out.append(File.generated(config, "robots.txt", content="User-agent: *\nDisallow: /\n"))
        assets = build.shared_assets
        self.page_cache = PageCache.for_build(build.cache, config, self.target, f"{assets.digest} {assets.below_root}")
        if self.page_cache is not None:
            self.page_cache.linking = not build.serve_url
        if self.page_cache is not None and not build.serve_url:
            build.target_key = target_cache.target_key(config, build, out, self.page_cache.base)
            if build.target_key:
                build.restored_files = target_cache.restore(build.cache, build.target_key, Path(config.site_dir))
                if build.restored_files is not None:
                    raise target_cache.TargetRestored
        return out

    def restored(self, config: MkDocsConfig) -> None:
        """The target's files came from the cache (``TargetRestored``): count its pages, guard them
        (unless a guard as it is now found these very bytes clean before)."""
        build = self.build
        for _ in build.rendered:
            build.page_done()
        if not self.target.is_public:
            return
        source_key = guard_key(build.project, "target", [self.target], [])
        key = guard_cache.restored_key(build.target_key, source_key, build.restored_files)
        if (key is not None and build.cache.get(guard_cache.RESTORED, key) == guard_cache.CLEAN
                and target_cache.intact(Path(config.site_dir), build.restored_files)):
            return
        self._guard(config)
        if key is not None:
            build.cache.put(guard_cache.RESTORED, key, guard_cache.CLEAN)

    def _health_page(self, config: MkDocsConfig) -> GeneratedPage:
        """The handbook's content health page, in the target's language; never built for a public target."""
        project = self.build.project
        if project.findings is None:
            # A plain `mkdocs build` / `mkdocs serve` loaded the project itself, without `cxdocs check`.
            project.findings = run_checks(project)
        taken_uris = {r.page.uri for r in self.build.rendered}
        uri = HEALTH_URI if HEALTH_URI not in taken_uris else "cxdocs-" + HEALTH_URI  # a writer's own health.md wins
        here = url_of(uri, config.use_directory_urls)
        lang, default = self.target.lang, self.settings.default_language

        def link(page_uri: str, page_lang: str) -> str:
            return relative_link(here, lang, page_lang, url_of(page_uri, config.use_directory_urls), default)

        markdown = health_markdown(project, lang, project.findings, clock.today(), link)
        return GeneratedPage(uri, label("health", lang), markdown, kind="health")

    def _keep(self, file: File, docs: str) -> bool:
        """Theme files and assets stay; content pages are replaced by rendered ones. Of the content
        folder (``docs``, ending in a separator), only the files its listing vetted (regular files
        inside it) may be copied; a public site copies them only if a public page links them (see
        ``_drop_unlinked``)."""
        if not file.abs_src_path or not file.abs_src_path.startswith(docs):
            return True
        if file.is_documentation_page():
            return False
        uri = file.src_uri
        if uri not in self.build.project.files.files or uri.startswith(f"{self.settings.snippets_dir}/"):
            return False
        return self.target.audience == INTERNAL or not uri.startswith(INTERNAL_FOLDERS)

    @staticmethod
    def _drop_unlinked(files, config: MkDocsConfig) -> None:
        """A public site carries a file of the content folder only if a public page of the target
        links it by its path (an image an SOP uses, or one named in an agent note, stays out,
        whatever its name), or the configuration names it (extra CSS and JavaScript, logo, favicon)."""
        docs = Path(config.docs_dir)
        named = {*config.extra_css, *config.extra_javascript, config.theme.get("logo"), config.theme.get("favicon")}
        linked: set[str] = set()
        for page_file in files.documentation_pages():
            page = page_file.page
            if page is not None and page.content:
                linked.update(leak_guard.linked_paths(page_file.dest_uri, page.content))
        for file in list(files):
            if (file.abs_src_path and not file.is_documentation_page() and Path(file.abs_src_path).is_relative_to(docs)
                    and file.src_uri not in named and file.dest_uri not in linked):
                files.remove(file)

    @event_priority(-100)  # after other plugins' files and nav events: the pages are final
    def on_nav(self, nav, config: MkDocsConfig, files):
        self.build.nav, self.build.files = nav, files  # serve's one-page updates render with them
        self.compact = None
        if self.config.navigation == "compact":
            more = label("all_pages", self.target.lang)
            self.compact = CompactNavigation(nav, lambda count: more.format(count=count))
        if self.conversions is not None:
            self.conversions.index(files)
        return nav

    def on_env(self, env, config: MkDocsConfig, files):
        if self.target.is_public:  # every page is converted by now, and no file is copied yet
            self._drop_unlinked(files, config)
        # Every build makes a new environment: within one, a template cannot change, and checking
        # each of a page's ~50 includes for it costs a stat.
        env.auto_reload = False
        self.build.env = env
        env.filters["url"] = self.build.shared_assets.wrap(env.filters["url"])
        template_code.use(env, config)
        if (sections := self.speedups.get("search_sections")) and (search := search_plugin_of(config)) is not None:
            sections.index_with_sections(search)
            if self.build.cache is not None:
                sections.keep_entries(search, self.build.cache)
        if self.page_cache is not None:
            self.page_cache.start([f.page for f in files.documentation_pages()], self.build.nav)
        return env

    @event_priority(-100)  # the last event before MkDocs renders the page's template
    def on_page_context(self, context, page, config: MkDocsConfig, nav):
        rendered = self.build.by_uri.get(page.file.src_uri)
        versions = versions_of(page.url, rendered, self.build.project, self.settings, self.target, self.site_root)
        self.build.versions[page.file.src_uri] = versions
        if len(self.settings.languages) > 1:
            config.extra["alternate"] = page_extras.LanguageMenu(
                [{**vars(v), "current": v.lang == self.target.lang} for v in versions]
            )
        if self.compact is not None:
            context["nav"] = self.compact.for_page(page)
        context["cx_page"] = self._extras(page, config)
        page_extras.storage_scope(config, context["base_url"])
        if self.page_cache is not None:
            # What on_post_page adds to the page's head is part of its key too.
            scripts = self.build.jsonld.get(page.file.src_uri) or ""
            text = f"{rendered.lang}|{rendered.is_fallback}" if rendered is not None else ""
            self.page_cache.choose(context, page, f"{text}|{[vars(v) for v in versions]!r}|{scripts}")
        return context

    def _extras(self, page, config: MkDocsConfig) -> dict:
        """What the templates show around the page's text (``cx_page``): dates, related questions, contact."""
        return page_extras.page_context(
            self.build.by_uri.get(page.file.src_uri), page, self.target, self.settings.default_language,
            self.build.site, self.build.revisions, lambda uri: url_of(uri, config.use_directory_urls),
            config.extra["cxdocs"]["feedback"],
        )

    def on_template_context(self, context, template_name: str, config: MkDocsConfig):
        page_extras.storage_scope(config, context.get("base_url") or "")
        if self.compact is not None:  # the error page: every section one link
            context["nav"] = self.compact.for_page(None)
        if template_name == "404.html" and len(self.settings.languages) > 1:
            # The error page is served at any address: its switcher leads to each language's home.
            root = urlsplit(self.site_root or "/").path.rstrip("/") + "/"
            default = self.settings.default_language
            config.extra["alternate"] = page_extras.LanguageMenu([
                {"lang": lang, "name": language_name(lang), "href": root + prefix(lang, default),
                 "translated": True, "current": lang == self.target.lang, "anchors": None}
                for lang in self.settings.languages
            ])
        return context

    def on_pre_page(self, page, config: MkDocsConfig, files):
        if self.conversions is not None:
            self.conversions.attach(page)
        elif reuse := self.speedups.get("markdown_reuse"):
            reuse.attach(page)
        return page

    @event_priority(100)  # before the search index, the structured data and other plugins read the page
    def on_page_content(self, html: str, page, config: MkDocsConfig, files) -> str:
        build = self.build
        rendered = build.by_uri.get(page.file.src_uri)
        if self.target.is_public:
            html = leak_guard.strip_comments(html)
        if self.target.is_public and rendered is not None:
            info = page_info(rendered, html, page.canonical_url, config.site_name, config.site_url or None, build.site)
            blocks: list = []
            self.pm.hook.cxdocs_structured_data(page=rendered.page, target=self.target, info=info, blocks=blocks)
            if blocks:
                build.jsonld[page.file.src_uri] = script_tags(blocks)
            else:  # a page rendered again (serve) must not keep blocks it no longer has
                build.jsonld.pop(page.file.src_uri, None)
        return html

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        build, uri = self.build, page.file.src_uri
        rendered = build.by_uri.get(uri)
        if rendered is not None:
            build.page_done()
        if self.page_cache is not None and (stored := self.page_cache.stored_output(page)) is not None:
            return stored
        versions, scripts = build.versions.get(uri, []), build.jsonld.get(uri)
        output = html_head.edit_head(
            output, lambda head: edited_head(head, rendered, versions, scripts, self.settings, self.target)
        )
        if self.page_cache is not None:
            return self.page_cache.store(page, output)
        return output

    def quiet(self, record) -> bool:
        """A logging filter for MkDocs' build (``build_target``): see ``PageCache.quiet``."""
        return self.page_cache is None or self.page_cache.quiet(record)

    def on_post_build(self, config: MkDocsConfig) -> None:
        build = self.build
        if self.page_cache is not None:  # first: the steps below read the pages
            try:
                self.page_cache.link_pages(Path(config.site_dir))
            except CxdocsError as exc:
                _raise(exc)
            build.digests = self.page_cache.digests()
        fallbacks = {
            (config.site_url or "") + url_of(r.page.uri, config.use_directory_urls) for r in build.rendered if r.is_fallback
        }
        alternates = self._sitemap_alternates(config) if self.target.is_public else {}
        rewrite_sitemap(Path(config.site_dir), fallbacks, "SOURCE_DATE_EPOCH" in os.environ, alternates)
        if self.target.is_public and self.target.lang == self.settings.default_language and self.site_root:
            write_sitemap_index(Path(config.site_dir), [
                absolute_url(self.site_root, lang, "sitemap.xml", self.settings.default_language)
                for lang in self.settings.languages
            ])
        if build.plain_mkdocs:
            site_dir.mark_target(config.site_dir)
        if pagefind_index.chosen(config) and not build.index_later:
            try:  # before the guard: the index holds the pages' text
                pagefind_index.index_target(Path(config.site_dir), self.target.lang, build.cache, digests=build.digests)
            except CxdocsError as exc:
                _raise(exc)
        if self.target.audience == INTERNAL:
            return
        try:
            self._guard(config)
        except CxdocsError as exc:
            _raise(exc)

    def _guard(self, config: MkDocsConfig) -> None:
        build = self.build
        build.guard = build.make_guard(build.project, self.target, build.generated_text())
        build.guard.allowed_comments = theme_comments(config)
        site, url = Path(config.site_dir), config.site_url or ""
        if not pagefind_index.chosen(config):
            leaks = guard_cache.scan(build.guard, site, url, build.cache, self.target)
        else:  # the index in a scan of its own: the build may make it after the pages (see ``indexing``)
            leaks = guard_cache.scan(build.guard, site, url, build.cache, self.target, skip=(pagefind_index.BUNDLE,))
            if os.path.lexists(site / pagefind_index.BUNDLE):
                leaks += guard_cache.scan(build.guard, site, url, build.cache, self.target, under=pagefind_index.BUNDLE)
        if leaks:
            # Nothing of a leaking public build may stay on disk, even for a plain `mkdocs build`;
            # only a folder cxdocs provably wrote is removed.
            site_dir.remove_target(config.site_dir, config.config_file_path, self.settings)
            raise guard_cache.stopped(self.target, leaks)

    def _sitemap_alternates(self, config: MkDocsConfig) -> dict[str, list[tuple[str, str]]]:
        """Each page's real translations plus ``x-default``, by the URL the sitemap lists it under."""
        if len(self.settings.languages) < 2 or not config.site_url:
            return {}
        alternates = {}
        for uri, versions in self.build.versions.items():
            real = [v for v in versions if v.translated]
            links = [(bcp47(v.lang), v.url) for v in real]
            if real and real[0].lang == self.settings.default_language:
                links.append(("x-default", real[0].url))
            alternates[config.site_url + url_of(uri, config.use_directory_urls)] = links
        return alternates


def theme_comments(config: MkDocsConfig) -> frozenset[str]:
    """The HTML comments the theme's templates write: the only ones a public page may hold."""
    return frozenset(leak_guard.comments_in_templates(config.theme.dirs))


def quiet_link_validation(config: MkDocsConfig) -> None:
    """cxdocs checks links itself, naming the line (see builtins.links): MkDocs' own warnings named
    only the page, once per process that converted it. What mkdocs.yml sets stays."""
    chosen = set()
    for user_config in config.user_configs:
        validation = user_config.get("validation")
        if isinstance(validation, dict):
            chosen.update(validation.get("links") or {} if isinstance(validation.get("links"), dict) else {})
    for option in ("not_found", "anchors", "unrecognized_links", "absolute_links"):
        if option not in chosen:
            config.validation.links[option] = logging.DEBUG


def _previewed(config: MkDocsConfig) -> bool:
    """Whether ``mkdocs serve`` builds: it sets site_url to its own address (no on_startup event
    for this: a plugin with one is kept from one build to the next)."""
    host, port = config.dev_addr
    return bool(config.site_url) and urlsplit(config.site_url).netloc == f"{host}:{port}"
