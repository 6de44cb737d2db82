"""The MkDocs adapter: one MkDocs build is one cxdocs target (audience x language).

Events stay short; the content model, audience filter, variables and guard live in the core.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
from pathlib import Path
from types import MethodType
from urllib.parse import urlsplit

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from cxdocs.adapters.mkdocs import html_head, page_extras, site_dir
from cxdocs.adapters.mkdocs.config import CxdocsConfig
from cxdocs.adapters.mkdocs.sitemap import rewrite_sitemap, write_sitemap_index
from cxdocs.adapters.mkdocs.speedups import markdown_reuse, search_sections
from cxdocs.adapters.mkdocs.speedups.conversions import ConversionCache
from cxdocs.adapters.mkdocs.speedups.navcache import NavCache
from cxdocs.adapters.mkdocs.speedups.page_split import PageSplit, can_split
from cxdocs.adapters.mkdocs.speedups.pagebuild import search_plugin
from cxdocs.adapters.mkdocs.speedups.second_core import ConvertAhead, GuardBeside
from cxdocs.builtins.links import target_links
from cxdocs.core import clock
from cxdocs.core.audience import INTERNAL
from cxdocs.core.checks import run_checks
from cxdocs.core.config import read_config
from cxdocs.core.content import Project, load_project
from cxdocs.core.errors import CxdocsError
from cxdocs.core.labels import label
from cxdocs.core.languages import Version, absolute_url, bcp47, language_name, prefix, relative_link
from cxdocs.core.navigation import GeneratedPage, Site
from cxdocs.core.plugins import call_in_order, plugin_manager
from cxdocs.core.render import Rendered, pages_for, render_page
from cxdocs.core.settings import Settings
from cxdocs.core.structured_data import PageInfo, QuestionAnswer, clean_answer, script_tags, split_questions
from cxdocs.core.targets import Target, parse_target
from cxdocs.outputs.guard import guard_for_target
from cxdocs.outputs.health import URI as HEALTH_URI
from cxdocs.outputs.health import health_markdown

log = logging.getLogger("mkdocs.plugins.cxdocs")
TEMPLATES = Path(__file__).parent / "templates"
INTERNAL_FOLDERS = ("sop/", "responses/")
# libyaml's writer, where PyYAML has it: the pure-Python one cost a fifth of a second per 800 pages.
FRONT_MATTER_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MERMAID = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*mermaid\b", re.M)


def _lunr_languages() -> set[str]:
    """Languages mkdocs-material's search can stem: the lunr-languages files it ships."""
    import material

    folder = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr" / "min"
    return {"en"} | {p.name.split(".")[1] for p in folder.glob("lunr.*.min.js")} - {"stemmer", "multi"}


LUNR_LANGUAGES = _lunr_languages()


class CxdocsPluginError(PluginError):
    """A cxdocs error surfacing through MkDocs, keeping the original for ``cxdocs build``."""

    def __init__(self, error: CxdocsError):
        super().__init__(str(error))
        self.error = error


def _raise(error: CxdocsError):
    raise CxdocsPluginError(error) from None


class CxdocsPlugin(BasePlugin[CxdocsConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.project: Project | None = None
        """Set by ``cxdocs build`` to share one loaded and checked project across its targets."""
        self.forced_target: Target | None = None
        """Set by ``cxdocs build``; wins over the plugin options and the environment."""
        self.count_page = lambda: None
        """Set by ``cxdocs build`` to count pages for its progress line."""
        self.head_pending: str | None = None
        """The page whose template renders next, whose head ``_joined`` edits."""
        self.head_edited: str | None = None
        self.conversions_dir: Path | None = None
        """Set by ``cxdocs build``: where targets share the Markdown conversions of identical pages."""
        self.conversions: ConversionCache | None = None
        self.make_guard = guard_for_target
        """Builds the public leak guard; ``cxdocs serve`` uses one it can update page by page."""
        self.second_core = False
        """Set by ``cxdocs build`` when a core would be idle: see ``second_core``."""
        self.guard_beside: GuardBeside | None = None
        """Set by ``cxdocs build`` for a public target built alone: the guard, already started."""
        self.converting_ahead: ConvertAhead | None = None
        self.page_index: dict[str, int] = {}
        self.page_split: PageSplit | None = None
        self.write_error_pages = lambda: None
        """Set by ``cxdocs build``, which writes the theme's error page after the pages: see ``page_split``."""
        self.serving = False
        """Set by ``cxdocs serve``: site_url is the preview's address."""

    @event_priority(100)  # before the search plugin reads the theme language
    def on_config(self, config: MkDocsConfig):
        try:
            self.settings = self.settings_for(config)
            self.target = self._target()
            if self.forced_target is None:  # a plain `mkdocs build`: MkDocs empties site_dir next
                site_dir.refuse_replacing(config.site_dir, config.config_file_path, self.settings)
            self.pm = self.project.plugins if self.project else plugin_manager(self.settings.plugins_dir)
        except CxdocsError as exc:
            _raise(exc)
        self._configure_markdown(config)
        self._configure_theme(config)
        # cxdocs checks links itself, naming the line (see builtins.links): MkDocs' own warnings
        # named only the page, once per process that converted it. What mkdocs.yml sets stays.
        chosen = set()
        for user_config in config.user_configs:
            validation = user_config.get("validation")
            if isinstance(validation, dict):
                chosen.update(validation.get("links") or {} if isinstance(validation.get("links"), dict) else {})
        for option in ("not_found", "anchors", "unrecognized_links", "absolute_links"):
            if option not in chosen:
                config.validation.links[option] = logging.DEBUG
        self._configure_search(config)
        if self.target.audience == INTERNAL and not self.serving and not _previewed(config):
            # The handbook lives elsewhere than the public site: its error page finds the theme from here.
            config.site_url = self.config.internal_site_url or None
        self.site_root = config.site_url or ""
        if self.conversions_dir is not None or self.second_core:
            self.conversions = ConversionCache(config, self.conversions_dir)
        if self.target.lang != self.settings.default_language and config.site_url:
            config.site_url = config.site_url.rstrip("/") + f"/{self.target.lang}/"
        return config

    def _configure_search(self, config: MkDocsConfig) -> None:
        """One search index per language, with lunr's stemmer where lunr has one for the language.

        For a language lunr does not know (Slovenian, Croatian, ...) words are indexed as written:
        no English stemmer or stop words that would mangle them; prefix search still matches.
        """
        search = next((p for name, p in config.plugins.items() if name in ("search", "material/search")), None)
        if search is None or search.config.lang:
            return
        base = self.target.lang.split("-")[0]
        if base in LUNR_LANGUAGES:
            search.config.lang = [base]
        else:
            search.config.lang = ["en"]
            if search.config.pipeline is None:
                search.config.pipeline = []

    def settings_for(self, config: MkDocsConfig) -> Settings:
        """The project's settings, as the core reads mkdocs.yml (the same checks and messages as
        ``cxdocs check``); a build driven by cxdocs hands over the project it already read."""
        if self.project is not None:
            return self.project.settings
        settings = read_config(Path(config.config_file_path)).settings
        settings.content_dir = Path(config.docs_dir)
        settings.use_directory_urls = config.use_directory_urls
        settings.slugify = (config.mdx_configs.get("toc") or {}).get("slugify")
        return settings

    def _target(self) -> Target:
        if self.forced_target:
            return self.forced_target
        audience = os.environ.get("CXDOCS_AUDIENCE") or self.config.audience
        lang = os.environ.get("CXDOCS_LANG") or self.config.lang or self.settings.default_language
        return parse_target(f"{audience}:{lang}", self.settings.languages)

    def _configure_markdown(self, config: MkDocsConfig) -> None:
        """The extensions cxdocs content relies on, added when the project has not configured them."""
        import pymdownx.superfences

        wanted = {
            "admonition": {},
            "pymdownx.details": {},
            "pymdownx.superfences": {
                "custom_fences": [
                    {"name": "mermaid", "class": "mermaid", "format": pymdownx.superfences.fence_code_format}
                ]
            },
            "attr_list": {},
            "md_in_html": {},
            "def_list": {},
            "toc": {"permalink": True},
        }
        for name, options in wanted.items():
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
                config.mdx_configs.setdefault(name, options)

    def _configure_theme(self, config: MkDocsConfig) -> None:
        theme = config.theme
        theme.dirs.insert(1 if theme.custom_dir else 0, str(TEMPLATES))
        if any((Path(d) / "partials" / "languages" / f"{self.target.lang}.html").is_file() for d in theme.dirs):
            theme["language"] = self.target.lang
        config.extra["cxdocs"] = {
            "audience": self.target.audience,
            "lang": self.target.lang,
            "internal": self.target.audience == INTERNAL,
            "banner": label("internal_banner", self.target.lang),
        }

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        try:
            loaded_here = self.project is None
            if loaded_here:
                self.project = load_project(self.settings)
                self.project.plugins = self.pm
            project = self.project
            self.rendered = [render_page(project, p, self.target, self.pm) for p in pages_for(project, self.target)]
            if loaded_here:  # a plain `mkdocs build` or `mkdocs serve`: `cxdocs build` checked links before
                for finding in target_links(project, self.target):
                    log.warning(str(finding))
            health = self._health_page(config) if self.target.audience == INTERNAL else None
        except CxdocsError as exc:
            _raise(exc)
        self.site = Site(self.target, self.rendered, config.site_name, health)
        nav = self.site_nav = escaped_nav(self.site.build())
        if not config.nav:
            config.nav = nav
        out = Files([f for f in files if self._keep(f, config)])
        self.by_uri = {r.page.uri: r for r in self.rendered}
        self.jsonld: dict[str, str] = {}
        self.versions: dict[str, list[Version]] = {}
        for r in self.rendered:
            out.append(File.generated(config, r.page.uri, content=self.page_source(r)))
        for g in self.site.generated.values():
            out.append(File.generated(config, g.uri, content=self.generated_source(g)))
        if self.target.audience == INTERNAL and "robots.txt" not in out.src_uris:
            out.append(File.generated(config, "robots.txt", content="User-agent: *\nDisallow: /\n"))
        return out

    def _health_page(self, config: MkDocsConfig) -> GeneratedPage:
        """The handbook's content health page, in the target's language; never built for a public target."""
        project = self.project
        if project.findings is None:
            # A plain `mkdocs build` / `mkdocs serve` loaded the project itself, without `cxdocs check`.
            project.findings = run_checks(project)
        taken = {r.page.uri for r in self.rendered}
        uri = HEALTH_URI if HEALTH_URI not in taken else "cxdocs-" + HEALTH_URI  # a writer's own health.md wins
        here = _url_of(uri, config)
        lang, default = self.target.lang, self.settings.default_language

        def link(page_uri: str, page_lang: str) -> str:
            return relative_link(here, lang, page_lang, _url_of(page_uri, config), default)

        markdown = health_markdown(project, lang, project.findings, clock.today(), link)
        return GeneratedPage(uri, label("health", lang), markdown, kind="health")

    def page_source(self, r: Rendered, site: Site | None = None) -> str:
        """What MkDocs reads for a content page: its rendered Markdown and any listing below it."""
        appendix = (site or self.site).appendix.get(r.page.uri)
        markdown = r.markdown + ("\n\n" + appendix if appendix is not None else "")
        return _page_source(r.title, r.description, markdown, kind=r.page.kind)

    @staticmethod
    def generated_source(g: GeneratedPage) -> str:
        return _page_source(g.title, "", g.markdown, kind=g.kind)

    def generated_text(self) -> list[str]:
        """The generated pages' text: public by construction, part of the leak guard's reference."""
        generated = self.site.generated.values()
        return [g.markdown for g in generated] + [g.title for g in generated]

    def _keep(self, file: File, config: MkDocsConfig) -> bool:
        """Theme files and assets stay; content pages are replaced by rendered ones."""
        if not file.abs_src_path or not Path(file.abs_src_path).is_relative_to(Path(config.docs_dir)):
            return True
        if file.is_documentation_page():
            return False
        uri = file.src_uri
        if uri.startswith(f"{self.settings.snippets_dir}/"):
            return False
        if self.target.audience == INTERNAL or uri in config.extra_css or uri in config.extra_javascript:
            return True
        # A public site only carries files a public page refers to: an image used only by an SOP
        # or inside an internal block must not be published.
        if uri.startswith(INTERNAL_FOLDERS):
            return False
        name = uri.rsplit("/", 1)[-1]
        return any(name in r.markdown for r in self.rendered)

    @event_priority(-100)  # after other plugins' files and nav events: the pages are final
    def on_nav(self, nav, config: MkDocsConfig, files):
        self.nav = nav  # kept, with the files and the environment, for serve's one-page updates
        pages = [f.page for f in files.documentation_pages()]
        self.page_index = {p.file.src_uri: i for i, p in enumerate(pages) if p is not None}
        if self.guard_beside is not None:
            self.guard_beside.site(Path(config.site_dir), config.site_url or "", self.generated_text())
        if self.second_core and self.conversions is not None and self.conversions.ahead is not None:
            self._convert_ahead(pages, config, files)
        return nav

    def _convert_ahead(self, pages, config: MkDocsConfig, files) -> None:
        cache = self.conversions

        def convert_ahead():
            for index in range(len(pages) - 1, -1, -1):
                if index <= cache.position.value:
                    break
                if pages[index] is not None:
                    pages[index].read_source(config)
                    cache.convert_ahead(pages[index], config, files)
            cache.stop_ahead()

        self.converting_ahead = ConvertAhead(convert_ahead)

    def on_env(self, env, config: MkDocsConfig, files):
        enabled = self.config.nav_cache and os.environ.get("CXDOCS_NAV_CACHE", "1") != "0"
        env.globals["cx_nav"] = NavCache(enabled=enabled)
        # Every build (and serve's full build on a theme change) makes a new environment: within
        # one, a template cannot change, and checking each of a page's ~50 includes for it costs a stat.
        env.auto_reload = False
        self.env, self.files = env, files
        # The page's head is edited as the theme's output is joined (see on_page_context).
        env.concat = self._joined
        self.head_pending = self.head_edited = None
        if (material_search := search_plugin(config)) is not None:
            search_sections.index_with_sections(material_search)
        if self.second_core and can_split(config, len(self.page_index)):
            search = next((p for name, p in config.plugins.items() if name in ("search", "material/search")), None)
            self.page_split = PageSplit(config, files, self.nav, env, search, self.versions, self.guard_beside)
        return env

    @event_priority(-100)  # the last event before MkDocs renders the page's template
    def on_page_context(self, context, page, config: MkDocsConfig, nav):
        versions = self._versions(page)
        self.versions[page.file.src_uri] = versions
        if len(self.settings.languages) > 1:
            config.extra["alternate"] = page_extras.LanguageMenu(
                [{**vars(v), "current": v.lang == self.target.lang} for v in versions]
            )
        self.head_pending = page.file.src_uri
        return context

    def on_template_context(self, context, template_name: str, config: MkDocsConfig):
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

    def _joined(self, chunks) -> str:
        """The environment's ``concat``: the next template rendered is the page's, whose head is
        edited before the page is joined. Edited in ``on_post_page``, the page is copied once more
        (0.5 ms for 600 KB with one character beyond Latin-1)."""
        uri, self.head_pending = self.head_pending, None
        if uri is None:
            return "".join(chunks)
        rendered = self.by_uri.get(uri)
        page, edited = html_head.joined_with_head(chunks, lambda head: self._head(head, uri, rendered))
        self.head_edited = uri if edited else None  # else on_post_page edits what MkDocs writes
        return page

    def _versions(self, page) -> list[Version]:
        """This page in every configured language: the same page where it exists, else that language's home."""
        default = self.settings.default_language
        rendered = self.by_uri.get(page.file.src_uri)
        omit = self.target.is_public and self.settings.untranslated == "omit"
        versions = []
        for lang in self.settings.languages:
            if rendered is None:  # a generated landing page exists in every language
                exists = translated = True
            else:
                translated = lang == default or rendered.page.document(lang) is not None
                exists = translated or not omit
            url = page.url if exists else ""
            href = relative_link(page.url, self.target.lang, lang, url, default)
            # site_url is where the public site lives; the handbook is served elsewhere, so it links relatively.
            public = self.site_root and self.target.is_public
            absolute = absolute_url(self.site_root, lang, url, default) if public else href
            shared = page_extras.shared_anchors(self.project, rendered, lang) if rendered and exists else None
            versions.append(Version(lang, language_name(lang), href, absolute, translated and exists, shared))
        return versions

    def on_pre_page(self, page, config: MkDocsConfig, files):
        index = self.page_index.get(page.file.src_uri)
        if self.conversions is not None and index is not None:
            self.conversions.attach(page, index)
        else:
            page.render = MethodType(markdown_reuse.render, page)
        return page

    def on_page_content(self, html: str, page, config: MkDocsConfig, files) -> str:
        rendered = self.by_uri.get(page.file.src_uri)
        if self.target.is_public and rendered is not None:
            info = page_info(rendered, html, page.canonical_url, config, self.site)
            blocks: list = []
            call_in_order(self.pm.hook.cxdocs_structured_data, page=rendered.page, target=self.target, info=info, blocks=blocks)
            if blocks:
                self.jsonld[page.file.src_uri] = script_tags(blocks)
            else:  # a page rendered again (serve) must not keep blocks it no longer has
                self.jsonld.pop(page.file.src_uri, None)
        return html

    def on_post_page(self, output: str, page, config: MkDocsConfig) -> str:
        uri = page.file.src_uri
        rendered = self.by_uri.get(uri)
        if rendered is not None:
            self.count_page()
        if self.guard_beside is not None:  # MkDocs writes the page after this event
            self.guard_beside.writing(page.file.abs_dest_path)
        edited, self.head_edited = self.head_edited == uri, None
        return output if edited else html_head.edit_head(output, lambda head: self._head(head, uri, rendered))

    def _head(self, head: str, uri: str, rendered: Rendered | None) -> str:
        text_lang = rendered.lang if rendered else self.target.lang
        head = html_head.set_lang(head, bcp47(text_lang))
        # hreflang alternates are in the sitemaps (on_post_build), not here: see LanguageMenu.
        versions = self.versions.get(uri, [])
        if versions and rendered is not None and rendered.is_fallback:
            # The same text lives at the default-language URL: that one is canonical.
            head = html_head.set_canonical(head, versions[0].url)
        scripts = self.jsonld.get(uri)
        if scripts:
            head = html_head.insert_in_head(head, scripts)
        return head

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.write_error_pages()
        fallbacks = {(config.site_url or "") + _url_of(r.page.uri, config) for r in self.rendered if r.is_fallback}
        alternates = self._sitemap_alternates(config) if self.target.is_public else {}
        rewrite_sitemap(Path(config.site_dir), fallbacks, "SOURCE_DATE_EPOCH" in os.environ, alternates)
        if self.target.is_public and self.target.lang == self.settings.default_language and self.site_root:
            write_sitemap_index(Path(config.site_dir), [
                absolute_url(self.site_root, lang, "sitemap.xml", self.settings.default_language)
                for lang in self.settings.languages
            ])
        beside, self.guard_beside = self.guard_beside, None
        if self.forced_target is None:
            site_dir.mark_target(config.site_dir)
        if self.target.audience == INTERNAL:
            return
        leaks = beside.leaks() if beside is not None else None
        if leaks is None:
            guard = self.guard = self.make_guard(self.project, self.target, self.generated_text())
            leaks = guard.scan(Path(config.site_dir), config.site_url or "")
        if leaks:
            # Nothing of a leaking public build may stay on disk, even for a plain `mkdocs build`.
            shutil.rmtree(config.site_dir, ignore_errors=True)
            listing = "\n".join(f"  {leak}" for leak in leaks[:20])
            more = f"\n  ... and {len(leaks) - 20} more" if len(leaks) > 20 else ""
            raise PluginError(
                f"public build of {self.target} stopped: internal content reached the output\n{listing}{more}"
            )

    def _sitemap_alternates(self, config: MkDocsConfig) -> dict[str, list[tuple[str, str]]]:
        """Each page's real translations plus ``x-default``, by the URL the sitemap lists it under."""
        if len(self.settings.languages) < 2 or not config.site_url:
            return {}
        alternates = {}
        for uri, versions in self.versions.items():
            real = [v for v in versions if v.translated]
            links = [(bcp47(v.lang), v.url) for v in real]
            if real and real[0].lang == self.settings.default_language:
                links.append(("x-default", real[0].url))
            alternates[config.site_url + _url_of(uri, config)] = links
        return alternates

    def on_build_error(self, error) -> None:
        self.stop_second_core()

    def stop_second_core(self) -> None:
        """Stop the processes working beside the build if they still run (a failed or interrupted build)."""
        for helper in (self.guard_beside, self.converting_ahead, self.page_split):
            if helper is not None:
                helper.stop()
        self.guard_beside = self.converting_ahead = self.page_split = None


def _previewed(config: MkDocsConfig) -> bool:
    """Whether ``mkdocs serve`` builds: it sets site_url to its own address (no on_startup event
    for this: a plugin with one is kept from one build to the next)."""
    host, port = config.dev_addr
    return bool(config.site_url) and urlsplit(config.site_url).netloc == f"{host}:{port}"


def page_info(rendered: Rendered, html: str, url: str | None, config: MkDocsConfig, site: Site) -> PageInfo:
    """What structured-data plugins get to know about a page, taken from its final HTML."""
    site_url = config.site_url or None
    info = PageInfo(
        kind=rendered.page.kind,
        lang=rendered.lang,
        title=rendered.title,
        description=rendered.description,
        url=url,
        site_name=config.site_name,
        site_url=site_url,
    )
    info.breadcrumbs = [(config.site_name, site_url)]
    if rendered.page.folder:
        section = f"{rendered.page.uri.split('/', 1)[0]}/{rendered.page.folder}"
        info.breadcrumbs.append((site.title_of(f"{section}/index.md"), f"{site_url}{section}/" if site_url else None))
    info.breadcrumbs.append((rendered.title, url))
    anchors = [q.anchor for q in rendered.questions]
    info.questions = [
        QuestionAnswer(question, anchor, clean_answer(answer, url))
        for anchor, question, answer in split_questions(html, anchors)
    ]
    return info


def _url_of(uri: str, config: MkDocsConfig) -> str:
    return File(uri, "", "", config.use_directory_urls).url


def _page_source(title: str, description: str, markdown: str, kind: str) -> str:
    # The theme writes a page's title and description into the HTML as they are (<title>, the
    # description's attribute, <h1>, navigation): they are text, so they go in escaped.
    meta = {"title": html_text(title), "cx_kind": kind}
    if MERMAID.search(markdown):
        meta["cx_mermaid"] = True
    if description:
        meta["description"] = html_text(description)
    return "---\n" + yaml.dump(meta, Dumper=FRONT_MATTER_DUMPER, allow_unicode=True, sort_keys=True) + "---\n\n" + markdown


def html_text(text: str) -> str:
    """Text for the theme's HTML, in an element or a double-quoted attribute."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def escaped_nav(nav):
    """The navigation with its titles escaped: the theme writes a section's title as it is."""
    if isinstance(nav, list):
        return [escaped_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {html_text(str(title)): escaped_nav(entry) for title, entry in nav.items()}
    return nav
