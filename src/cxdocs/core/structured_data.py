"""schema.org JSON-LD for public pages: built with a serializer, safe inside ``<script>``.

Answer HTML is limited to the tags Google Search reads in a FAQ answer. Google's FAQPage
documentation (developers.google.com/search/docs/appearance/structured-data/faqpage, property
``Answer.text``) lists them: ``<h1>`` to ``<h6>``, ``<br>``, ``<ol>``, ``<ul>``, ``<li>``, ``<a>``,
``<p>``, ``<div>``, ``<b>``, ``<strong>``, ``<i>`` and ``<em>``; all other tags are ignored. We
sanitize with nh3 (the Ammonia sanitizer) instead of by hand: other tags are removed, their text kept.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import nh3

SCHEMA_CONTEXT = "https://schema.org"
ANSWER_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "br", "ol", "ul", "li", "a", "p", "div", "b", "strong", "i", "em"}
DROPPED_WITH_CONTENT = {"script", "style", "svg", "button", "template", "textarea", "select"}
H2 = re.compile(r"<h2\b(?P<attrs>[^>]*)>(?P<inner>.*?)</h2>", re.DOTALL)
ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
HEADERLINK = re.compile(r"""<a\b[^>]*\bclass=["'][^"']*\bheaderlink\b[^"']*["'][^>]*>.*?</a>""", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@dataclass
class QuestionAnswer:
    question: str
    anchor: str
    answer_html: str


@dataclass
class PageInfo:
    """What a structured-data plugin knows about one public page, after audience filtering."""

    kind: str
    lang: str
    """The language the page's text is in (``inLanguage``), which may differ from the target's."""
    title: str
    description: str
    url: str | None
    """The page's absolute URL, or None when the project sets no ``site_url``."""
    site_name: str
    site_url: str | None
    breadcrumbs: list[tuple[str, str | None]] = field(default_factory=list)
    questions: list[QuestionAnswer] = field(default_factory=list)


def plain_text(fragment: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", fragment)).split())


def split_questions(page_html: str, anchors: list[str]) -> list[tuple[str, str, str]]:
    """(anchor, question text, answer HTML) for each ``<h2>`` whose id is a question anchor.

    The answer is everything after the heading up to the next ``<h2>``: exactly what the page shows.
    """
    wanted = set(anchors)
    heads = list(H2.finditer(page_html))
    found = []
    for i, head in enumerate(heads):
        ident = ID.search(head["attrs"])
        if not ident or ident.group(1) not in wanted:
            continue
        end = heads[i + 1].start() if i + 1 < len(heads) else len(page_html)
        question = plain_text(HEADERLINK.sub("", head["inner"]))
        found.append((ident.group(1), question, page_html[head.end() : end]))
    return found


def clean_answer(fragment: str, base_url: str | None) -> str:
    """Answer HTML reduced to the tags Google reads, links made absolute, whitespace folded."""
    cleaned = _ANSWERS.clean(HEADERLINK.sub("", fragment), base_url)
    return " ".join(cleaned.split())


class _AnswerCleaner:
    """One nh3 sanitizer for every answer: making one costs more than cleaning an answer with it."""

    def __init__(self):
        self.base_url: str | None = None
        self.cleaner = nh3.Cleaner(
            tags=ANSWER_TAGS,
            clean_content_tags=DROPPED_WITH_CONTENT,
            attributes={"a": {"href"}},
            attribute_filter=self._attribute,
            url_schemes={"http", "https", "mailto", "tel"},
            link_rel=None,
            strip_comments=True,
        )

    def clean(self, fragment: str, base_url: str | None) -> str:
        self.base_url = base_url
        return self.cleaner.clean(fragment)

    def _attribute(self, tag: str, name: str, value: str) -> str | None:
        if tag == "a" and name == "href":
            return urljoin(self.base_url, value) if self.base_url else value
        return None


_ANSWERS = _AnswerCleaner()


def faq_page(info: PageInfo) -> dict[str, Any]:
    data: dict[str, Any] = {"@context": SCHEMA_CONTEXT, "@type": "FAQPage"}
    if info.url:
        data["@id"] = info.url + "#faq"
        data["url"] = info.url
    data["name"] = info.title
    if info.description:
        data["description"] = info.description
    data["inLanguage"] = info.lang
    data["mainEntity"] = [
        {
            "@type": "Question",
            "name": qa.question,
            "acceptedAnswer": {"@type": "Answer", "text": qa.answer_html},
        }
        for qa in info.questions
    ]
    return data


def breadcrumb_list(info: PageInfo) -> dict[str, Any] | None:
    """Home > topic > page, or None without URLs (Google needs an ``item`` URL on all but the last)."""
    if not info.url or not all(url for _, url in info.breadcrumbs[:-1]):
        return None
    items = []
    for position, (name, url) in enumerate(info.breadcrumbs, start=1):
        item: dict[str, Any] = {"@type": "ListItem", "position": position, "name": name}
        if url:
            item["item"] = url
        items.append(item)
    return {"@context": SCHEMA_CONTEXT, "@type": "BreadcrumbList", "itemListElement": items}


def script_json(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element: ``<``, ``>`` and ``&`` become \\u escapes.

    The escapes decode to the same characters, so a crawler's JSON parser sees the original text.
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    for char, escape in SCRIPT_UNSAFE.items():
        text = text.replace(char, escape)
    return text


def script_tags(blocks: list[dict[str, Any]]) -> str:
    return "".join(f'<script type="application/ld+json">\n{script_json(block)}\n</script>\n' for block in blocks)


def page_info(rendered, html: str, url: str | None, site_name: str, site_url: str | None, site) -> PageInfo:
    """What structured-data plugins get to know about a page, taken from its final HTML."""
    info = PageInfo(
        kind=rendered.page.kind,
        lang=rendered.lang,
        title=rendered.title,
        description=rendered.description,
        url=url,
        site_name=site_name,
        site_url=site_url,
    )
    info.breadcrumbs = [(site_name, site_url)]
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
