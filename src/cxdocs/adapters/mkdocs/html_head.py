"""Small, exact edits to a rendered page's ``<html>`` and ``<head>``."""

from __future__ import annotations

import html
import re

HTML_LANG = re.compile(r"<html\b[^>]*?\blang=\"[^\"]*\"")
CANONICAL = re.compile(r"<link rel=\"canonical\" href=\"[^\"]*\">")


def edit_head(page: str, edit) -> str:
    """Apply ``edit`` to the page up to its ``</head>`` only: the body, most of a page, is not copied."""
    end = page.find("</head>")
    if end < 0:
        return edit(page)
    head = page[: end + len("</head>")]
    # str.replace copies the page once, in one block, where slicing off the body and joining
    # the parts copies it piecewise (slow for a long page with non-ASCII text). An unchanged head
    # is not copied at all.
    return page.replace(head, edit(head), 1)


def set_lang(page: str, lang: str) -> str:
    """``<html lang>`` says the language the page's text is in."""
    return HTML_LANG.sub(lambda m: re.sub(r'lang="[^"]*"', f'lang="{html.escape(lang)}"', m.group(0)), page, count=1)


def insert_in_head(page: str, markup: str) -> str:
    end = page.find("</head>")
    return page[:end] + markup + page[end:] if end >= 0 else page


def set_canonical(page: str, url: str) -> str:
    tag = f'<link rel="canonical" href="{html.escape(url)}">'
    if CANONICAL.search(page):
        return CANONICAL.sub(tag, page, count=1)
    return insert_in_head(page, tag + "\n")
