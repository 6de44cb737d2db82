#!/usr/bin/env python3
"""Generate a realistic cxdocs project of any size, for benchmarks.

    python3 benchmarks/generate_corpus.py OUT_DIR --pages 1000 --languages en,sl,hr,el,ru --translated 0.8 --seed 1

writes OUT_DIR/mkdocs.yml and OUT_DIR/content/ with N default-language pages: about 40% FAQ pages,
35% SOPs and 25% canned responses, spread over ten topics (FAQ topic / SOP department / response
folder), a few shared snippets, and pseudo-translations of a share of the pages into every other
language. The same arguments always give byte-identical files.

Pages look like the example knowledge base: FAQ pages have five ``## `` questions with
multi-paragraph answers, lists, sometimes a table, a snippet or a link, and an ``!!! internal``
agent note in about a third of the answers; SOPs have the full front matter (title, department,
purpose, owner, review_by in the future, terms), numbered steps with nested items and snippet
includes, and sometimes a Mermaid flowchart; responses have title, tags, subject and helpdesk
placeholders. Variables (``{{ limits.refund }}``, ...) are defined in the generated mkdocs.yml.

Translations are pseudo-translations: a small dictionary of common words, every other word
transformed letter by letter (into Greek or Cyrillic script for el and ru), and the language code
after the title. Markdown syntax, variables, placeholders, includes, link targets and code stay
as they are, so a translation is valid content with the same structure as its source.
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus_text as T  # noqa: E402

SHARES = {"faq": 0.40, "sop": 0.35, "response": 0.25}
DEFAULT_SITE_URL = "https://help.larkspur.example/"


# --------------------------------------------------------------------------------------------- helpers


def plural(noun: str) -> str:
    if noun.endswith(("s", "sh", "ch", "x")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def article(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def fill(template: str, item: str) -> str:
    return (
        template.replace("<a_item>", article(item))
        .replace("<items>", plural(item))
        .replace("<Item>", item[:1].upper() + item[1:])
        .replace("<item>", item)
    )


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "page"


def pick(rng: random.Random, pool: list, k: int) -> list:
    """k distinct elements, or all of them in random order if the pool is smaller."""
    return rng.sample(pool, min(k, len(pool)))


def pick_in_order(rng: random.Random, pool: list, k: int) -> list:
    """k distinct elements in the order of the pool (steps of a procedure, lines of a letter)."""
    return [pool[i] for i in sorted(rng.sample(range(len(pool)), min(k, len(pool))))]


@dataclass
class Page:
    kind: str  # faq | sop | response
    uri: str  # below content/, e.g. faq/returns/returning-a-kettle.md
    meta: dict
    body: str
    translations: dict[str, tuple[dict, str]] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------- pages


class Generator:
    def __init__(self, seed: int):
        self.seed = seed
        self.used_titles: dict[str, set[str]] = {}
        self.used_slugs: dict[str, set[str]] = {}
        self.by_folder: dict[str, list[Page]] = {}

    def rng(self, *parts) -> random.Random:
        # A string seed is hashed with SHA-512 by random: stable across runs and Python processes.
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def unique_title(self, rng: random.Random, folder: str, products: list[str], make) -> tuple[str, str]:
        """A title not yet used in the folder, and the product it is about."""
        used = self.used_titles.setdefault(folder, set())
        for product in products[:12]:
            title = make(product)
            if title.casefold() not in used:
                break
        else:
            product = products[0]
            base = make(product)
            for qualifier in pick(rng, T.QUALIFIERS, len(T.QUALIFIERS)):
                title = f"{base} ({qualifier})"
                if title.casefold() not in used:
                    break
            else:
                number = 2
                while f"{base} ({number})".casefold() in used:
                    number += 1
                title = f"{base} ({number})"
        used.add(title.casefold())
        return title, product

    def uri_for(self, root: str, folder: str, title: str) -> str:
        used = self.used_slugs.setdefault(f"{root}/{folder}", set())
        slug, number = slugify(title), 2
        candidate = slug
        while candidate in used or candidate == "index":
            candidate = f"{slug}-{number}"
            number += 1
        used.add(candidate)
        return f"{root}/{folder}/{candidate}.md"

    def earlier(self, rng: random.Random, root: str, folder: str | None = None) -> Page | None:
        """A page generated before this one, to link to (same root, same folder if given)."""
        candidates = [
            p for key, pages in self.by_folder.items() if key.startswith(root + "/") and (folder is None or key == f"{root}/{folder}")
            for p in pages
        ]
        return rng.choice(candidates) if candidates else None

    def register(self, page: Page) -> Page:
        key = page.uri.rsplit("/", 1)[0]
        self.by_folder.setdefault(key, []).append(page)
        return page

    @staticmethod
    def link(from_uri: str, to: Page) -> str:
        same = from_uri.rsplit("/", 1)[0] == to.uri.rsplit("/", 1)[0]
        target = to.uri.rsplit("/", 1)[1] if same else "../" + "/".join(to.uri.split("/")[1:])
        return f"[{to.meta['title']}]({target})"

    # -- FAQ ----------------------------------------------------------------------------------

    def sentences(self, rng: random.Random, pool: list[str], item: str, k: int, generic: list[str]) -> list[str]:
        """k distinct sentences from the topic's pool, sometimes ending with a generic one."""
        own = pick(rng, pool, k)
        if rng.random() < 0.4:
            own[-1:] = [rng.choice(generic)]
        return [fill(s, item) for s in own]

    def bullets(self, rng: random.Random, items: list[str], item: str, k: int) -> str:
        chosen = [fill(b, item).rstrip(";.") for b in pick(rng, items, k)]
        return "\n".join(f"- {b}{'.' if i == len(chosen) - 1 else ';'}" for i, b in enumerate(chosen))

    def answer(self, rng: random.Random, topic: dict, item: str, uri: str) -> list[str]:
        first, second = rng.randint(2, 3), rng.randint(1, 2) if rng.random() < 0.55 else 0
        text = self.sentences(rng, topic["answers"], item, first + second, T.GENERIC_SENTENCES)
        blocks = [" ".join(text[:first])]
        roll = rng.random()
        if roll < 0.35:
            lead, bullets = topic["lists"]
            blocks.append(fill(lead, item) + "\n\n" + self.bullets(rng, bullets, item, rng.randint(3, 5)))
        elif roll < 0.47:
            blocks.append(rng.choice(T.TABLES).rstrip("\n"))
        elif roll < 0.55:
            blocks.append(f'--8<-- "snippets/{rng.choice(T.PUBLIC_SNIPPETS)}.md"')
        if text[first:]:
            blocks.append(" ".join(text[first:]))
        if rng.random() < 0.12:
            other = self.earlier(rng, "faq")
            if other is not None:
                blocks.append(f"See also {self.link(uri, other)}.")
        if rng.random() < 1 / 3:
            blocks.append(self.internal_block(rng, topic, item))
        return blocks

    def internal_block(self, rng: random.Random, topic: dict, item: str) -> str:
        marker = "???" if rng.random() < 0.2 else "!!!"
        title = rng.choice(T.NOTE_TITLES)
        body = [" ".join(fill(s, item) for s in pick(rng, topic["notes"], rng.randint(1, 2)))]
        if rng.random() < 0.4:
            body.append(rng.choice(T.GENERIC_NOTES))
        if rng.random() < 0.2:
            body.append("\n".join(f"{i}. {fill(s, item)}" for i, s in enumerate(pick_in_order(rng, topic["steps"], 3), 1)))
        indented = "\n\n".join("\n".join("    " + line for line in part.split("\n")) for part in body)
        return f'{marker} internal "{title}"\n{indented}'

    def faq(self, index: int, topic: dict) -> Page:
        rng = self.rng("faq", index)
        folder, name = topic["faq"]
        products = pick(rng, T.PRODUCTS, len(T.PRODUCTS))
        title, item = self.unique_title(rng, f"faq/{folder}", products, lambda p: fill(rng.choice(topic["faq_titles"]), p))
        uri = self.uri_for("faq", folder, title)
        blocks: list[str] = []
        if rng.random() < 0.5:
            blocks.append(" ".join(self.sentences(rng, topic["answers"], item, rng.randint(1, 2), T.GENERIC_SENTENCES)))
        for question in pick(rng, topic["questions"], 5):
            blocks.append("## " + fill(question, item))
            blocks.extend(self.answer(rng, topic, item, uri))
        meta = {"title": title, "description": f"{name}: answers about {plural(item)}, from ordering to aftercare."}
        return self.register(Page("faq", uri, meta, "\n\n".join(blocks) + "\n"))

    # -- SOP ----------------------------------------------------------------------------------

    def sop(self, index: int, topic: dict) -> Page:
        rng = self.rng("sop", index)
        folder, department = topic["dept"]
        products = pick(rng, T.PRODUCTS, len(T.PRODUCTS))
        title, item = self.unique_title(rng, f"sop/{folder}", products, lambda p: f"{rng.choice(topic['sop_titles'])} ({plural(p)})")
        uri = self.uri_for("sop", folder, title)
        review = datetime.date(2030 + rng.randint(0, 3), rng.randint(1, 12), rng.randint(1, 28))
        terms = dict(pick(rng, sorted(topic["terms"].items()), rng.randint(3, 5)))
        meta = {
            "title": title,
            "department": department,
            "purpose": rng.choice(topic["purposes"]),
            "owner": rng.choice(T.OWNERS),
            "review_by": review,
            "terms": terms,
        }
        base = title.split(" (")[0]
        when = [f"Use this SOP when you need to {base[:1].lower() + base[1:]}, for orders that include {plural(item)}."]
        # SOP prose is the SOP's own: quoting FAQ sentences verbatim right after a product name can
        # form word runs that cxdocs' leak guard also finds across a public page's title and first
        # paragraph (a guard false positive, see benchmarks/README.md).
        when += [f"This procedure {p[:1].lower()}{p[1:]}" for p in topic["purposes"] if p != meta["purpose"]][:1]
        when.append(rng.choice(topic["steps"]).split(";")[0].rstrip(".") + " before anything else.")
        other = self.earlier(rng, "sop", folder if rng.random() < 0.7 else None)
        if other is not None:
            when.append(f"For related cases, see {self.link(uri, other)}.")
        blocks = ["## When to use", " ".join(when), "## Steps"]
        steps = pick_in_order(rng, topic["steps"], rng.randint(7, 11))
        lines = []
        for number, step in enumerate(steps, 1):
            lines.append(f"{number}. {fill(step, item)}")
            extra = rng.random()
            if extra < 0.3:
                lines.append("")
                lines.extend(f"    - {fill(s, item)}" for s in pick(rng, topic["substeps"], rng.randint(2, 3)))
                lines.append("")
            elif extra < 0.42:
                snippet = "identity-check" if number <= 2 else rng.choice(T.PUBLIC_SNIPPETS)
                lines += ["", f'    --8<-- "snippets/{snippet}.md"', ""]
        blocks.append("\n".join(lines).strip("\n"))
        if rng.random() < 0.3:
            blocks.append(self.mermaid(rng))
        blocks.append("## Escalation")
        blocks.append("\n".join("- " + fill(s, item) for s in pick(rng, topic["notes"], rng.randint(2, 3))))
        blocks.append("## Before you close the ticket")
        blocks.append(" ".join(fill(s, item) for s in pick(rng, topic["notes"] + T.GENERIC_NOTES, 2)))
        blocks.append("## Notes")
        blocks.append("\n".join("- " + s for s in pick(rng, T.GENERIC_NOTES, rng.randint(2, 3))))
        return self.register(Page("sop", uri, meta, "\n\n".join(blocks) + "\n"))

    def mermaid(self, rng: random.Random) -> str:
        decisions = pick(rng, T.MERMAID_DECISIONS, rng.randint(2, 3))
        actions = pick(rng, T.MERMAID_ACTIONS, len(decisions) * 2 + 1)
        lines = ["```mermaid", "flowchart TD", f"    A[Ticket received] --> D0{{{decisions[0]}}}"]
        for i, decision in enumerate(decisions):
            yes = f"D{i + 1}" if i + 1 < len(decisions) else f"Y{i}"
            if i + 1 < len(decisions):
                lines.append(f"    D{i} -- Yes --> D{i + 1}{{{decisions[i + 1]}}}")
            else:
                lines.append(f"    D{i} -- Yes --> {yes}[{actions[2 * i]}]")
            lines.append(f"    D{i} -- No --> N{i}[{actions[2 * i + 1]}]")
        lines.append(f"    Y{len(decisions) - 1} --> Z[{actions[-1]}]")
        lines.append("```")
        return "\n".join(lines)

    # -- responses ----------------------------------------------------------------------------

    def response(self, index: int, topic: dict) -> Page:
        rng = self.rng("response", index)
        folder = topic["responses"]
        products = pick(rng, T.PRODUCTS, len(T.PRODUCTS))
        title, item = self.unique_title(rng, f"responses/{folder}", products, lambda p: f"{rng.choice(topic['resp_titles'])}: {p}")
        uri = self.uri_for("responses", folder, title)
        subject = rng.choice(T.SUBJECTS).format(title=title, title_lower=title[:1].lower() + title[1:])
        meta = {"title": title, "tags": pick(rng, topic["tags"], 2) + [slugify(item)], "subject": subject}
        blocks = [rng.choice(T.RESPONSE_OPENINGS)]
        sentences = pick_in_order(rng, topic["resp_sentences"], rng.randint(4, 6))
        while sentences:
            take, sentences = sentences[: rng.randint(1, 2)], sentences[2:]
            blocks.append(" ".join(fill(s, item) for s in take))
        roll = rng.random()
        if roll < 0.3:
            blocks.append("Here's what happens next:\n\n" + "\n".join(
                f"{i}. {fill(s, item)}" for i, s in enumerate(pick(rng, topic["answers"], 3), 1)))
        elif roll < 0.4:
            blocks.append("You can reach us any time:\n\n--8<-- \"snippets/contact-hours.md\"")
        blocks.extend(pick_in_order(rng, T.RESPONSE_MIDDLES, rng.randint(1, 3)))
        if rng.random() < 0.1:
            blocks.append(self.internal_block(rng, topic, item))
        blocks.append(rng.choice(T.RESPONSE_CLOSINGS))
        return self.register(Page("response", uri, meta, "\n\n".join(blocks) + "\n"))


# --------------------------------------------------------------------------------------------- pseudo-translation

PROTECTED = re.compile(
    r"(\{\{.*?\}\}|`[^`\n]*`|\]\([^)\n]*\)|<[^>\n]*>|\{[#:.][^}\n]*\}|https?://[^\s)]+|[\w.+-]+@[\w-]+\.[\w.-]+)"
)
WORD = re.compile(r"[A-Za-z][A-Za-z']*")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
TABLE_RULE = re.compile(r"^\s*\|?[\s:|-]+\|[\s:|-]*$")
ADMONITION = re.compile(r'^(\s*(?:!!!|\?\?\?\+?)\s*internal\s+)"(.*)"\s*$')


def translate_word(word: str, lang: str) -> str:
    if len(word) > 1 and word.isupper():
        return word  # RMA, SKU, VAT, PIN: kept as written
    lower = word.lower()
    out = T.DICTIONARIES.get(lang, {}).get(lower)
    if out is None:
        if lang in T.SCRIPTS:
            pairs, letters = T.SCRIPTS[lang]
            out = lower.replace("'", "")
            for a, b in pairs:
                out = out.replace(a, b)
            out = "".join(letters.get(ch, ch) for ch in out)
            if lang == "el" and out.endswith("σ"):
                out = out[:-1] + "ς"
        else:
            out = lower
            for a, b in T.LATIN_RULES.get(lang, T.GENERIC_RULES):
                out = out.replace(a, b)
    if word[0].isupper():
        out = out[:1].upper() + out[1:]
    return out


def translate_text(text: str, lang: str) -> str:
    parts = PROTECTED.split(text)
    return "".join(
        part if i % 2 else WORD.sub(lambda m: translate_word(m.group(), lang), part) for i, part in enumerate(parts)
    )


def translate_body(body: str, lang: str) -> str:
    out, fence = [], None
    for line in body.split("\n"):
        match = FENCE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            out.append(line)
        elif match:
            fence = match.group(1)
            out.append(line)
        elif line.lstrip().startswith("--8<--") or TABLE_RULE.match(line):
            out.append(line)
        elif ADMONITION.match(line):
            m = ADMONITION.match(line)
            out.append(f'{m.group(1)}"{translate_text(m.group(2), lang)}"')
        else:
            out.append(translate_text(line, lang))
    return "\n".join(out)


def dedupe_questions(body: str) -> str:
    """Two questions can translate to the same words; a page may not ask the same question twice."""
    seen: set[str] = set()
    lines = []
    for line in body.split("\n"):
        if line.startswith("## "):
            text, number = line, 2
            while text.casefold() in seen:
                text = f"{line} ({number})"
                number += 1
            seen.add(text.casefold())
            line = text
        lines.append(line)
    return "\n".join(lines)


def translate_page(page: Page, lang: str) -> tuple[dict, str]:
    meta = {}
    for key, value in page.meta.items():
        if key in ("title", "description", "purpose", "subject", "department"):
            value = translate_text(str(value), lang)
            if key == "title":
                value = f"{value} [{lang}]"
        elif key == "terms":
            value = {translate_text(k, lang): translate_text(v, lang) for k, v in value.items()}
        meta[key] = value
    body = translate_body(page.body, lang)
    if page.kind == "faq":
        body = dedupe_questions(body)
    return meta, body


# --------------------------------------------------------------------------------------------- project


def counts(pages: int) -> dict[str, int]:
    faq = round(pages * SHARES["faq"])
    sop = round(pages * SHARES["sop"])
    return {"faq": faq, "sop": sop, "response": max(pages - faq - sop, 0)}


def build_pages(pages: int, languages: list[str], translated: float, seed: int) -> list[Page]:
    gen = Generator(seed)
    out: list[Page] = []
    for kind, n in counts(pages).items():
        make = {"faq": gen.faq, "sop": gen.sop, "response": gen.response}[kind]
        for i in range(n):
            out.append(make(i, T.TOPICS[i % len(T.TOPICS)]))
    for page in out:
        for lang in languages[1:]:
            if gen.rng("translate", lang, page.uri).random() < translated:
                page.translations[lang] = translate_page(page, lang)
    return out


def mkdocs_config(pages: int, languages: list[str], site_url: str) -> dict:
    language_variables = {lang: T.LANGUAGE_VARIABLES[lang] for lang in languages[1:] if lang in T.LANGUAGE_VARIABLES}
    cxdocs = {"languages": list(languages), "untranslated": "fallback", "variables": T.VARIABLES}
    if language_variables:
        cxdocs["language_variables"] = language_variables
    return {
        "site_name": f"Larkspur Home Help Centre ({pages} pages)",
        "site_url": site_url,
        "docs_dir": "content",
        "theme": {
            "name": "material",
            "font": False,
            "features": ["navigation.indexes", "navigation.sections", "navigation.top", "search.highlight", "content.code.copy"],
        },
        "plugins": ["search", {"cxdocs": cxdocs}],
    }


def dump_yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100000, default_flow_style=False)


def write_page(path: Path, meta: dict, body: str) -> int:
    text = "---\n" + dump_yaml(meta) + "---\n\n" + body
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def generate(out: Path, pages: int, languages: list[str], translated: float = 0.8, seed: int = 1,
             site_url: str = DEFAULT_SITE_URL, force: bool = False) -> dict:
    """Write the project into ``out``; returns a summary (page counts, translations, bytes)."""
    if not languages:
        raise ValueError("at least one language")
    content = out / "content"
    if content.exists() or (out / "mkdocs.yml").exists():
        if not force:
            raise FileExistsError(f"{out} already holds a project; pass --force to replace it")
        shutil.rmtree(content, ignore_errors=True)
        (out / "mkdocs.yml").unlink(missing_ok=True)
        shutil.rmtree(out / "site", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    all_pages = build_pages(pages, languages, translated, seed)
    size = 0
    per_lang = {lang: 0 for lang in languages[1:]}
    for page in all_pages:
        size += write_page(content / page.uri, page.meta, page.body)
        for lang, (meta, body) in page.translations.items():
            size += write_page(content / page.uri.replace(".md", f".{lang}.md"), meta, body)
            per_lang[lang] += 1
    for name, text in T.SNIPPETS.items():
        (content / "snippets").mkdir(parents=True, exist_ok=True)
        (content / "snippets" / f"{name}.md").write_text(text, encoding="utf-8")
        for lang in languages[1:]:
            (content / "snippets" / f"{name}.{lang}.md").write_text(translate_body(text, lang), encoding="utf-8")
    (out / "mkdocs.yml").write_text(dump_yaml(mkdocs_config(pages, languages, site_url)), encoding="utf-8")
    kinds = {k: sum(p.kind == k for p in all_pages) for k in ("faq", "sop", "response")}
    return {"pages": len(all_pages), **kinds, "translations": per_lang, "bytes": size, "languages": languages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="project folder to write (mkdocs.yml and content/)")
    parser.add_argument("--pages", type=int, default=100, help="pages in the default language (default 100)")
    parser.add_argument("--languages", default="en", help="comma-separated language codes, default first (default en)")
    parser.add_argument("--translated", type=float, default=0.8, help="share of pages translated into each other language (default 0.8)")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same files (default 1)")
    parser.add_argument("--site-url", default=DEFAULT_SITE_URL)
    parser.add_argument("--force", action="store_true", help="replace an existing mkdocs.yml and content/ in OUT")
    args = parser.parse_args(argv)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]
    if not 0 <= args.translated <= 1:
        parser.error("--translated must be between 0 and 1")
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    try:
        summary = generate(args.out, args.pages, languages, args.translated, args.seed, args.site_url, args.force)
    except FileExistsError as exc:
        print(f"generate_corpus: {exc}", file=sys.stderr)
        return 1
    translations = ", ".join(f"{lang} {n}" for lang, n in summary["translations"].items()) or "none"
    print(
        f"wrote {summary['pages']} pages ({summary['faq']} FAQ, {summary['sop']} SOP, {summary['response']} responses), "
        f"translations: {translations}; {summary['bytes'] / 1024:.0f} KiB into {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
