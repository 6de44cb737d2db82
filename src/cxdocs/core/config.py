"""The project's configuration, read from mkdocs.yml without MkDocs.

``cxdocs check``, ``status``, ``export`` and ``new`` read the project with this module alone, and
``cxdocs build`` and the MkDocs plugin validate through it, so a mistake in mkdocs.yml gets the
same ``mkdocs.yml:line: message`` from every command. It validates the cxdocs plugin's options and
the MkDocs keys cxdocs relies on (``site_name``, ``site_url``, ``docs_dir``, ``theme``, ``plugins``,
the form of ``markdown_extensions``); MkDocs still validates the rest when it builds.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global

from cxdocs.core import helpcentre
from cxdocs.core.audience import AUDIENCES, PUBLIC
from cxdocs.core.errors import CxdocsError, CxdocsErrors, Finding
from cxdocs.core.settings import UNTRANSLATED_POLICIES, Settings
from cxdocs.core.yaml_errors import context_line, hint, problem_of

PLUGIN = "cxdocs"
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
"""What a file name suffix ``page.<lang>.md`` can hold (``core.content.SUFFIX``)."""

Key = tuple  # a path into the YAML document: ("plugins", 1, "cxdocs", "languages", 0)


class OptionError(ValueError):
    """A bad option value; ``key`` is where below the option it is (an item of a list).
    ``more``: other bad values found with it, as (message, key)."""

    def __init__(self, message: str, key: Key = (), more: list[tuple[str, Key]] | None = None):
        super().__init__(message)
        self.key = key
        self.more = more or []

    @property
    def problems(self) -> list[tuple[str, Key]]:
        return [(str(self), self.key), *self.more]


@dataclass(frozen=True)
class Option:
    default: Any
    check: Callable[[Any], Any]
    """Returns the value to use, or raises OptionError."""


def _choice(*allowed: str) -> Callable[[Any], Any]:
    def check(value):
        if value not in allowed:
            raise OptionError(f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    return check


def _of_type(kind: type, what: str, optional: bool = False) -> Callable[[Any], Any]:
    def check(value):
        if value is None and optional:
            return None
        if value is None and kind is dict:
            return {}
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise OptionError(f"must be {what}, not {_shown(value)}")
        return value

    return check


def _list_of_text(optional: bool) -> Callable[[Any], Any]:
    def check(value):
        if value is None and optional:
            return None
        if isinstance(value, str):
            raise OptionError(f"must be a list, like [{value}]")
        if not isinstance(value, list):
            raise OptionError(f"must be a list, not {_shown(value)}")
        for index, item in enumerate(value):
            if not isinstance(item, str):
                raise OptionError(f"{_shown(item)} is not text", (index,))
        return list(value)

    return check


def _languages(value) -> list[str]:
    codes = _list_of_text(optional=False)(value)
    if not codes:
        raise OptionError("must list at least one language code, the default first, like [en]")
    problems: list[tuple[str, Key]] = []
    seen = set()
    for index, code in enumerate(codes):
        problem = language_problem(code) or (f"{code!r} is listed twice" if code in seen else None)
        if problem:
            problems.append((problem, (index,)))
        seen.add(code)
    if problems:
        raise OptionError(problems[0][0], problems[0][1], problems[1:])
    return codes


def _from(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def checked(value):
        try:
            return check(value)
        except helpcentre.OptionProblem as exc:
            raise OptionError(str(exc), exc.key) from None

    return checked


SEARCH_ENGINES = ("pagefind", "lunr")
"""Pagefind (the default) loads only the parts of the index a query needs; lunr, the theme's own
search, loads the whole index on every page."""

OPTIONS: dict[str, Option] = {
    "languages": Option(["en"], _languages),
    "variables": Option({}, _of_type(dict, "a mapping of names to values")),
    "language_variables": Option({}, _of_type(dict, "a mapping of language codes to variables")),
    "untranslated": Option("fallback", _choice(*UNTRANSLATED_POLICIES)),
    "audience": Option(PUBLIC, _choice(*AUDIENCES)),
    "lang": Option(None, _of_type(str, "a language code", optional=True)),
    "navigation": Option("compact", _choice("compact", "full")),
    "search": Option("pagefind", _choice(*SEARCH_ENGINES)),
    "speedups": Option(True, _of_type(bool, "true or false")),
    "plugins_dir": Option("plugins", _of_type(str, "a folder name")),
    "export_formats": Option(None, _list_of_text(optional=True)),
    "internal_site_url": Option(None, _of_type(str, "the handbook's address, like https://handbook.example/", optional=True)),
    "internal_site_name": Option(None, _of_type(str, "the handbook's name", optional=True)),
    "labels": Option({}, _from(helpcentre.check_labels)),
    "contact": Option(dict(helpcentre.DEFAULT_CONTACT), _from(helpcentre.check_contact)),
    "feedback": Option(None, _from(helpcentre.check_feedback)),
    "popular": Option([], _list_of_text(optional=False)),
}
"""The cxdocs plugin's options (``plugins: [cxdocs: {...}]``) and their defaults; the MkDocs
plugin's configuration is made from this table."""


@dataclass
class ProjectConfig:
    """mkdocs.yml as cxdocs reads it."""

    path: Path
    data: dict[str, Any]
    options: dict[str, Any]
    """The cxdocs plugin's options, validated, with defaults for those not set."""
    settings: Settings
    lines: dict[Key, tuple[Path, int]] = field(default_factory=dict)

    def where(self, *key) -> tuple[Path, int]:
        return _where(self.lines, key, self.path)


def read_config(config_file: Path) -> ProjectConfig:
    """Read and validate mkdocs.yml; every problem found at once, as ``mkdocs.yml:line: message``."""
    config_file = Path(os.path.abspath(config_file))
    if not config_file.is_file():
        raise CxdocsError(
            f"no {config_file.name} here: run cxdocs in a project folder, pass --config-file, "
            "or start a project with: cxdocs init", config_file.name,
        )
    data, lines = load_yaml(config_file)
    problems: list[Finding] = []

    def problem(message: str, *key) -> None:
        problems.append(Finding(message, *_where(lines, key, config_file)))

    site_name = data.get("site_name")
    if not isinstance(site_name, str) or not site_name.strip():
        problem("site_name is missing: add a line like  site_name: Example Help Centre", "site_name")
    site_url = _site_url(data.get("site_url"), lambda message: problem(message, "site_url"))
    _check_theme(data, problem)
    content_dir = _content_dir(data, config_file, problem)
    _check_markdown_extensions(data.get("markdown_extensions"), problem)
    _refuse_file_readers(data, problem)
    found = _plugin_options(data.get("plugins"), problem)
    options: dict[str, Any] = {}
    if found is not None:
        key, raw = found
        try:
            options = plugin_options(raw)
        except OptionError as exc:
            for message, where in exc.problems:
                problem(message, *key, *where)
    if problems:
        raise CxdocsErrors(problems)
    settings = Settings(
        content_dir=content_dir,
        languages=options["languages"],
        variables=options["variables"],
        language_variables=options["language_variables"],
        untranslated=options["untranslated"],
        plugins_dir=config_file.parent / options["plugins_dir"],
        site_name=str(site_name),
        site_url=site_url,
        export_formats=options["export_formats"],
        popular=options["popular"],
        internal_site_name=options["internal_site_name"],
        labels=options["labels"],
    )
    settings.use_directory_urls = data.get("use_directory_urls") is not False
    settings.slugify = _toc_slugify(data.get("markdown_extensions"))
    settings.origins = {
        f"{name}.{i}": _where(lines, (*found[0], name, i), config_file)
        for name in ("languages", "popular") for i in range(len(options[name]))
    } if found else {}
    return ProjectConfig(config_file, data, options, settings, lines)


def plugin_options(raw: Any) -> dict[str, Any]:
    """The cxdocs plugin's options with defaults filled in; OptionError names the first bad one.

    The key of the error is below the plugin's own: ``("languages", 1)``.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise OptionError(f"the cxdocs plugin's options must be 'name: value' lines, not {_shown(raw)}")
    for name in raw:
        if name not in OPTIONS:
            close = difflib.get_close_matches(str(name), list(OPTIONS), n=1, cutoff=0.6)
            suggestion = f"did you mean {close[0]!r}? " if close else ""
            raise OptionError(
                f"unknown cxdocs option {name!r}; {suggestion}the options are: {', '.join(OPTIONS)}", (name,)
            )
    options = {}
    for name, option in OPTIONS.items():
        if name not in raw:
            options[name] = _copy(option.default)
            continue
        try:
            options[name] = option.check(raw[name])
        except OptionError as exc:
            problems = [(f"{name}: {message}", (name, *key)) for message, key in exc.problems]
            raise OptionError(problems[0][0], problems[0][1], problems[1:]) from None
    languages = options["languages"]
    for lang, values in options["language_variables"].items():
        if lang not in languages:
            raise OptionError(
                f"language_variables: {lang!r} is not one of the languages ({', '.join(languages)})",
                ("language_variables", lang),
            )
        if not isinstance(values, dict) and values is not None:
            raise OptionError(f"language_variables: {lang}: must be a mapping of variables", ("language_variables", lang))
    for lang in options["labels"]:
        if lang not in languages:
            raise OptionError(f"labels: {lang!r} is not one of the languages ({', '.join(languages)})", ("labels", lang))
    if options["lang"] is not None and options["lang"] not in languages:
        raise OptionError(f"lang: {options['lang']!r} is not one of the languages ({', '.join(languages)})", ("lang",))
    return options


# --- Languages --------------------------------------------------------------------------------------


def language_problem(code: str) -> str | None:
    """Why ``code`` is not a language code to publish in (checked against CLDR), or None."""
    if not LANGUAGE_CODE.match(code):
        return f"{code!r} is not a language code: write letters, like en, sl or pt-BR"
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return f"unknown language code {code!r}: CLDR has no such language{_did_you_mean(code, None)}"
    canonical = str(locale).replace("_", "-")
    if canonical.lower() != code.replace("_", "-").lower():
        return (
            f"{code!r} is not the code of a language: CLDR reads it as an alias of {canonical} "
            f"({locale.english_name}){_did_you_mean(code, locale.language)}"
        )
    return None


def _did_you_mean(code: str, alias_of: str | None) -> str:
    candidates: list[str] = []
    if alias_of:
        candidates.append(alias_of)
    candidates += country_languages(code)
    english = Locale("en").languages
    if len(code) >= 2:
        candidates += sorted(
            c for c, name in english.items()
            if len(c) == 2 and name.lower().startswith(code.lower()) and _known(c)
        )
    chosen = list(dict.fromkeys(c for c in candidates if c != code))[:3]
    if not chosen:
        return "; write a code like en, sl or pt-BR"
    named = [f"{c!r} ({english.get(c, c)})" for c in chosen]
    return "; did you mean " + (" or ".join(named) if len(named) < 3 else ", ".join(named[:-1]) + " or " + named[-1]) + "?"


def country_languages(code: str) -> list[str]:
    """The official language of the country whose code ``code`` is (``SI`` -> ``sl``): a common mistake."""
    territory = get_global("territory_languages").get(code.upper(), {})
    official = [lang for lang, info in territory.items() if info.get("official_status") == "official" and _known(lang)]
    return sorted(official, key=lambda lang: -territory[lang].get("population_percent", 0))[:1]


def _known(code: str) -> bool:
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


# --- MkDocs keys -------------------------------------------------------------------------------------


def _site_url(value: Any, problem: Callable[[str], None]) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        problem(f"site_url must be an address like https://help.example.com/, not {_shown(value)}")
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problem(f"site_url {value!r} is not a web address: write it in full, like https://help.example.com/")
        return ""
    if not parts.path.endswith("/"):  # as MkDocs does
        parts = parts._replace(path=parts.path + "/")
    return urlunsplit(parts)


def _check_theme(data: dict, problem: Callable[..., None]) -> None:
    theme = data.get("theme")
    name = theme.get("name") if isinstance(theme, dict) else theme
    if theme is None:
        problem("no theme: cxdocs pages need mkdocs-material; add the line  theme: material", "theme")
    elif not isinstance(theme, (str, dict)):
        problem(f"theme must be material or a mapping with name: material, not {_shown(theme)}", "theme")
    elif name != "material":
        shown = f"{name!r}" if name else "no name"
        problem(
            f"theme {shown}: cxdocs pages need mkdocs-material; set  theme: material  "
            "(or name: material under theme:)", "theme", *(("name",) if isinstance(theme, dict) and "name" in theme else ()),
        )


def _content_dir(data: dict, config_file: Path, problem: Callable[..., None]) -> Path:
    docs_dir = data.get("docs_dir", "docs")
    project = config_file.parent
    if not isinstance(docs_dir, str) or not docs_dir.strip():
        problem("docs_dir must name the content folder, like  docs_dir: content", "docs_dir")
        return project / "content"
    path = Path(os.path.normpath(project / docs_dir))
    if not path.is_dir():
        fix = "  docs_dir: content" if (project / "content").is_dir() and docs_dir != "content" else ""
        where = "set" if "docs_dir" in data else "MkDocs' default; set"
        problem(
            f"docs_dir {docs_dir!r} is not a folder ({where} docs_dir to the folder that holds sop/, faq/ "
            f"and responses/{': ' + fix.strip() if fix else ''})", "docs_dir",
        )
    elif path == project or path in project.parents:
        problem(f"docs_dir {docs_dir!r} is the project folder or above it: put the pages in a folder of their own, like content/", "docs_dir")
    return path


def _check_markdown_extensions(value: Any, problem: Callable[..., None]) -> None:
    """Only the form: cxdocs adds the extensions it needs to the list, which must be one."""
    if value is None:
        return
    if isinstance(value, dict):
        return  # MkDocs takes a mapping of names to options too
    if not isinstance(value, list):
        problem(f"markdown_extensions must be a list of extension names, not {_shown(value)}", "markdown_extensions")
        return
    for index, item in enumerate(value):
        if isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item)), str):
            continue
        if not isinstance(item, str):
            problem(
                "each item of markdown_extensions is a name, or a name with its options indented below it",
                "markdown_extensions", index,
            )


def _toc_slugify(extensions: Any) -> Any:
    """The ``toc`` extension's slugify as mkdocs.yml names it (a :class:`Tagged` value), or None."""
    items = extensions.items() if isinstance(extensions, dict) else [
        next(iter(item.items())) for item in extensions if isinstance(item, dict) and len(item) == 1
    ] if isinstance(extensions, list) else []
    for name, options in items:
        if name in ("toc", "markdown.extensions.toc") and isinstance(options, dict):
            return options.get("slugify")
    return None


FILE_READERS = {
    "markdown_extensions": ("pymdownx.snippets", "pymdownx.b64", "markdown_include.include", "mdx_include"),
    "plugins": ("include-markdown", "macros", "markdown-exec"),
}
"""Markdown extensions and MkDocs plugins that read files while a page is rendered: they would
include text after the audience filter ran, from anywhere the build can read (``-8<- "mkdocs.yml"``;
pymdownx.b64 writes any image it finds into the page, an SOP's included)."""


def _refuse_file_readers(data: dict, problem: Callable[..., None]) -> None:
    for setting, refused in FILE_READERS.items():
        value = data.get(setting)
        items = list(value.items()) if isinstance(value, dict) else list(enumerate(value)) if isinstance(value, list) else []
        for key, item in items:
            name = key if isinstance(value, dict) else next(iter(item), None) if isinstance(item, dict) else item
            if isinstance(name, str) and name.split("/")[-1] in refused:
                problem(
                    f"{name} reads files itself, around the filter that keeps agent notes out of the public site "
                    f"(and from outside content/): remove it from {setting}. cxdocs includes snippets itself: "
                    '--8<-- "snippets/name.md"',
                    setting, key,
                )


def _plugin_options(plugins: Any, problem: Callable[..., None]) -> tuple[Key, Any] | None:
    """Where the cxdocs plugin is configured and its raw options."""
    hint_line = "add it:  plugins: [search, cxdocs]"
    if isinstance(plugins, dict):
        for name, options in plugins.items():
            if name == PLUGIN:
                return ("plugins", name), options
    elif isinstance(plugins, list):
        for index, item in enumerate(plugins):
            if item == PLUGIN:
                return ("plugins", index), {}
            if isinstance(item, dict) and PLUGIN in item:
                if len(item) != 1:
                    others = ", ".join(str(k) for k in item if k != PLUGIN)
                    problem(
                        f"the cxdocs plugin's options must be indented below it (found {others} beside it)",
                        "plugins", index,
                    )
                    return None
                return ("plugins", index, PLUGIN), item[PLUGIN]
    elif plugins is not None:
        problem(f"plugins must be a list, like [search, cxdocs], not {_shown(plugins)}", "plugins")
        return None
    problem(f"the cxdocs plugin is not enabled: {hint_line}", "plugins")
    return None


# --- Reading YAML as MkDocs does -----------------------------------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """A value behind a tag only MkDocs resolves (``!relative``, ``!!python/name:...``): kept as written."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    """Safe YAML plus the tags mkdocs.yml files use: ``!ENV`` is resolved from the environment,
    as MkDocs does; ``!relative`` and ``!!python/...`` are kept as :class:`Tagged`, never run."""


def _construct_env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # pyyaml-env-tag's rule, which MkDocs uses: the first variable set wins, the last item of a
    # list is the default, and the value is read as YAML reads a plain scalar.
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    elif isinstance(node, yaml.SequenceNode):
        items = [loader.construct_scalar(child) for child in node.value]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        raise yaml.constructor.ConstructorError(None, None, "!ENV takes a variable name or a list of them", node.start_mark)
    for name in names:
        if name in os.environ:
            text = os.environ[name]
            tag = loader.resolve(yaml.ScalarNode, text, (True, False))
            return loader.construct_object(yaml.ScalarNode(tag, text))
    return default


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node)
    else:
        value = loader.construct_mapping(node)
    return Tagged(node.tag, value)


_Loader.add_constructor("!ENV", _construct_env)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: _construct_tagged(loader, suffix, node))
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


def load_yaml(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], dict[Key, tuple[Path, int]]]:
    """mkdocs.yml as a mapping, following ``INHERIT``, with the file and line of every key and item."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CxdocsError(f"cannot read the configuration: {exc.strerror}", path) from None
    except UnicodeDecodeError:
        raise CxdocsError("not valid UTF-8; save the file as UTF-8", path, 1) from None
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = hint(problem_of(exc), context_line(exc, text.splitlines()))
        raise CxdocsError(f"not valid YAML: {problem}", path, _line(text, mark) if mark else 1) from None
    except yaml.reader.ReaderError as exc:
        raise CxdocsError(
            f"not valid YAML: character U+{exc.character:04X} is not allowed", path, text[: exc.position].count("\n") + 1
        ) from None
    except yaml.YAMLError as exc:
        raise CxdocsError(f"not valid YAML: {exc}", path, 1) from None
    except RecursionError:
        raise CxdocsError("not valid YAML: values nested too deeply", path, 1) from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CxdocsError("the configuration must be a mapping of 'key: value' lines", path, 1)
    lines: dict[Key, tuple[Path, int]] = {}
    if node is not None:
        _record_lines(node, (), path, lines, text)
    parent = data.pop("INHERIT", None)
    if parent is not None:
        if not isinstance(parent, str):
            raise CxdocsError("INHERIT must name a file", path, lines.get(("INHERIT",), (path, None))[1])
        parent_path = Path(os.path.normpath(path.parent / parent))
        if parent_path in seen or parent_path == path:
            raise CxdocsError(f"INHERIT: {parent!r} inherits from this file again", path, lines[("INHERIT",)][1])
        if not parent_path.is_file():
            raise CxdocsError(f"INHERIT: {parent!r} is not a file", path, lines[("INHERIT",)][1])
        base, base_lines = load_yaml(parent_path, (*seen, path))
        data = _merged(base, data)
        lines = {**base_lines, **lines}
    return data, lines


def _record_lines(node: yaml.Node, key: Key, path: Path, lines: dict[Key, tuple[Path, int]], text: str) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                child = (*key, key_node.value)
                lines[child] = (path, _line(text, key_node.start_mark))
                _record_lines(value_node, child, path, lines, text)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*key, index)
            lines[child] = (path, _line(text, item.start_mark))
            _record_lines(item, child, path, lines, text)


def _line(text: str, mark: yaml.Mark) -> int:
    """The line as an editor counts it: YAML also breaks lines at U+0085, U+2028 and U+2029."""
    return text.count("\n", 0, mark.index) + 1


def _merged(base: dict, override: dict) -> dict:
    """MkDocs' INHERIT: mappings merge key by key, anything else in the child replaces the parent's."""
    out = dict(base)
    for key, value in override.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _where(lines: dict[Key, tuple[Path, int]], key: Key, default: Path) -> tuple[Path, int]:
    """The file and line of ``key``, or of the nearest key above it that is written down (line 1
    for a key the file does not have: it goes at the top level)."""
    for end in range(len(key), 0, -1):
        if key[:end] in lines:
            return lines[key[:end]]
    return default, 1


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return repr(value)


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else value
