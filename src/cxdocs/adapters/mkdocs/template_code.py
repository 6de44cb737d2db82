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


class SharedCode(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.code: dict[tuple[str, str], bytes] = {}
        """Compiled templates by the environment's settings and the bucket's key."""
        self.fresh: set[tuple[str, str]] = set()
        """The entries this process compiled (and has not handed back)."""
        self.settings: dict[int, tuple[jinja2.Environment, str | None]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = self._key(bucket)
        if key is not None and key in self.code:
            bucket.bytecode_from_string(self.code[key])  # left empty if the source changed since

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        key = self._key(bucket)
        if key is not None:
            self.code[key] = bucket.bytecode_to_string()
            self.fresh.add(key)

    def _key(self, bucket: jinja2.bccache.Bucket) -> tuple[str, str] | None:
        env = bucket.environment
        known = self.settings.get(id(env))
        if known is None or known[0] is not env:
            known = self.settings[id(env)] = (env, _compiles_as(env))
        return None if known[1] is None else (known[1], bucket.key)


SHARED = SharedCode()


def use(env: jinja2.Environment, config) -> None:
    """Give the target's environment the shared compiled templates (before it renders any)."""
    if not set(config.plugins) - KNOWN_PLUGINS:
        env.bytecode_cache = SHARED


def compiled_here() -> dict[tuple[str, str], bytes]:
    """What this process compiled since it last said so."""
    made = {key: SHARED.code[key] for key in SHARED.fresh}
    SHARED.fresh.clear()
    return made


def known(code: dict[tuple[str, str], bytes]) -> None:
    """Templates another process compiled: processes forked from this one start with them."""
    SHARED.code.update(code)


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
