"""Compiled templates, shared by every target a build renders.

MkDocs makes a new Jinja environment for every build of a target (``Theme.get_env``), and a new
environment compiles again each template it renders: about fifty for a page of the theme, a
fifth of a second of each target's worker. Jinja takes compiled code from a bytecode cache handed
to the environment (``jinja2.BytecodeCache``, ``Environment.bytecode_cache``), by the template's
name and file, and only while the template's source is what it was compiled from (the bucket's
checksum). Here that cache is this process's memory: a worker hands back what it compiled
(``compiled_here``), the build keeps it (``known``), and every worker forked afterwards starts
with it. Nothing is read from a file: code comes from this build's own processes only.

Code compiled in one environment serves another only if both compile alike: the key holds the
environment's syntax and compiler settings, its extensions and its filters and tests by name. With
another MkDocs plugin in the build (which may change the environment as it likes), nothing is shared.
"""

from __future__ import annotations

import jinja2

from cxdocs.adapters.mkdocs.page_cache import KNOWN_PLUGINS
from cxdocs.core.cache import digest, stable

CODE: dict[tuple[str, str], bytes] = {}
"""Compiled templates by the settings of the environments that compile alike and the bucket's key."""
FRESH: set[tuple[str, str]] = set()
"""The entries this process compiled (and has not handed back)."""


class EnvironmentCode(jinja2.BytecodeCache):
    """The shared code, as one environment reads and adds to it: ``settings`` is how it compiles."""

    def __init__(self, settings: str) -> None:
        self.settings = settings

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = CODE.get((self.settings, bucket.key))
        if data is not None:
            bucket.bytecode_from_string(data)  # left empty if the source changed since

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = (self.settings, bucket.key)
        CODE[key] = bucket.bytecode_to_string()
        FRESH.add(key)


def use(env: jinja2.Environment, config) -> None:
    """Give the target's environment the shared compiled templates, once its filters are set and
    before it renders any template; not with another MkDocs plugin in the build."""
    if not set(config.plugins) - KNOWN_PLUGINS:
        share(env)


def share(env: jinja2.Environment) -> None:
    """Let ``env`` take and add to the shared code, if how it compiles has a stable text."""
    settings = _compiles_as(env)
    if settings is not None:
        env.bytecode_cache = EnvironmentCode(settings)


def compiled_here() -> dict[tuple[str, str], bytes]:
    """What this process compiled since it last said so."""
    made = {key: CODE[key] for key in FRESH}
    FRESH.clear()
    return made


def known(code: dict[tuple[str, str], bytes]) -> None:
    """Templates another process compiled: processes forked from this one start with them."""
    CODE.update(code)


def _compiles_as(env: jinja2.Environment) -> str | None:
    """What the code Jinja compiles in ``env`` depends on, beyond the template's source; None
    if some part has no stable text (then nothing is shared)."""
    try:
        return digest(
            jinja2.__version__,
            stable([env.block_start_string, env.block_end_string, env.variable_start_string,
                    env.variable_end_string, env.comment_start_string, env.comment_end_string,
                    env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
                    env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
                    env.optimized, env.is_async, env.autoescape, env.finalize]),
            stable([env.code_generator_class, env.context_class, env.template_class]),
            stable(sorted(env.extensions)),
            stable(dict(env.filters)), stable(dict(env.tests)),
        )
    except TypeError:
        return None
