"""A page's text encodes, in slices, to the bytes MkDocs would write for it."""

from __future__ import annotations

from cxdocs.page_text import SLICE, PageText


def test_a_page_s_text_encodes_to_the_bytes_of_the_whole():
    page = list("<li>a</li>\n" * 30_000)
    for at, char in ((SLICE - 1, "→"), (SLICE, "😀"), (SLICE + 1, "–"), (2 * SLICE, "\ud800"), (len(page) - 1, "Ω")):
        page[at] = char
    text = "".join(page)
    for errors in ("xmlcharrefreplace", "surrogatepass"):
        assert PageText(text).encode("utf-8", errors) == text.encode("utf-8", errors)
    assert PageText("ascii only " * 10_000).encode() == ("ascii only " * 10_000).encode()
