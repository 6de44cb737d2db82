"""Writing one page through the theme, as MkDocs 1.6 does, with the page's text encoded in slices.

MkDocs encodes each page as one string. One character beyond Latin-1 (an arrow, a dash, any other
script) makes Python store the whole page two bytes per character, and its UTF-8 encoder reads
such a string at about 400 MB/s: 1.7 ms for a page of 630 KB, most of it the navigation, which
is often all ASCII. A slice of ASCII text is stored one byte per character and encodes as a copy:
the page in slices takes 0.55 ms. Characters encode one by one, so the slices' bytes joined are
the bytes of the whole.

The encoding happens inside MkDocs' ``_build_page``, on the string the last ``on_post_page``
returns; a ``str`` subclass returned there would have to copy the page, which cost more than the
encoding saved. So ``write_page`` takes the steps of ``_build_page`` itself: it is used only
while MkDocs' function is the one it follows (the fingerprint of its source), else MkDocs' own
function writes the pages.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable

import mkdocs.commands.build as mkdocs_build
from mkdocs import utils
from mkdocs.exceptions import BuildError

FOLLOWED = "adcdbd14b236112697cafec9171bd281981f15a776e0d2f941a62e7bffd9a0d5"
"""SHA-256 of the source of MkDocs' ``_build_page`` (MkDocs 1.6.1) whose steps ``write_page`` takes."""
SLICE = 1 << 16
DRAFT_MARKER = (
    '<div class="mkdocs-draft-marker" title="This page will not be included into the built site.">DRAFT</div>'
)


def encoded(text: str) -> bytes:
    """``text.encode("utf-8", "xmlcharrefreplace")``, the bytes MkDocs writes for a page."""
    if text.isascii() or len(text) <= SLICE:
        return text.encode("utf-8", "xmlcharrefreplace")
    return b"".join([text[i : i + SLICE].encode("utf-8", "xmlcharrefreplace") for i in range(0, len(text), SLICE)])


def write_page(page, config, doc_files, nav, env, dirty: bool = False, excluded: bool = False) -> None:
    """One page through the theme into the site: MkDocs' ``_build_page``, but for the encoding."""
    config._current_page = page
    log = mkdocs_build.log
    try:
        if dirty and not page.file.is_modified():
            return
        log.debug(f"Building page {page.file.src_uri}")
        page.active = True  # the theme marks the current page and its sections
        context = mkdocs_build.get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        if excluded:
            page.content = DRAFT_MARKER + (page.content or "")
        output = config.plugins.on_post_page(template.render(context), page=page, config=config)
        if output and not output.isspace():  # as ``output.strip()``, without copying the page
            utils.write_file(encoded(output), page.file.abs_dest_path)
        else:
            log.info(f"Page skipped: '{page.file.src_uri}'. Generated empty output.")
    except Exception as error:
        detail = "" if isinstance(error, BuildError) else f" {error}"
        log.error(f"Error building page '{page.file.src_uri}':{detail}")
        raise
    finally:
        page.active = False


def writer_for(mkdocs_build_page: Callable | None) -> Callable | None:
    """``write_page`` where it follows ``mkdocs_build_page``, else that function itself."""
    try:
        source = inspect.getsource(mkdocs_build_page)
    except (OSError, TypeError):
        return mkdocs_build_page
    return write_page if hashlib.sha256(source.encode()).hexdigest() == FOLLOWED else mkdocs_build_page
