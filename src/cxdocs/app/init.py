"""``cxdocs init [DIR]``: a new knowledge base that builds and passes ``cxdocs check`` at once.

Every file it writes explains itself: the configuration in comments, each page in its own words
(a FAQ page about FAQ pages, an SOP about SOPs, a reply about replies), so a team learns the
format by reading what it got and replacing it. It writes nothing when any of its files exists.
"""

from __future__ import annotations

import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from cxdocs.core.errors import CxdocsError, display_path

MKDOCS_YML = """\
# The knowledge base's configuration. cxdocs reads it, and so does MkDocs, which draws the pages.
# Check this file and every page with:  cxdocs check

site_name: {site_name}                # the name in the public site's header and the browser's tab
site_url: https://help.example.com/   # where the public site will live: its pages' addresses in
                                      # search engines' structured data, hreflang links and the sitemap
docs_dir: content                     # the pages: content/faq/, content/sop/, content/responses/

theme:
  name: material                      # cxdocs' pages are drawn by mkdocs-material
  font: false                         # the system's own fonts: pages load nothing from another host
  features:
    - navigation.indexes
    - navigation.sections
    - search.highlight

plugins:
  - search
  - cxdocs:
      # Language codes, the default first. [en, sl] adds Slovenian: a page's translation is
      # page.sl.md beside page.md, started with  cxdocs translate start PAGE sl
      languages: [en]
      # A public page not translated yet: shown in the default language with a notice
      # (fallback), or left out of that language's site (omit).
      untranslated: fallback
      # Values used in many pages, written once: {{{{ company.name }}}} in any page or reply.
      variables:
        company:
          name: {site_name}
          support_email: support@example.com
        limits:
          refund_without_approval: 30 EUR
      # Values that differ by language, merged key by key over the ones above:
      # language_variables:
      #   sl:
      #     limits:
      #       refund_without_approval: 30 €
      # The helpdesks your team imports replies into (zendesk, freshdesk, helpscout, liveagent,
      # django-helpdesk); without this line, every format that can carry every reply.
      # export_formats: [zendesk]
"""

FAQ = """\
---
title: How this help centre works
description: Where customers find answers, and how writers add questions to this page.
---

This is a FAQ page: customers see it on the public site, and search engines read its questions
and answers. Replace these questions with your customers' own.

## How do I add a question?

Write it as a heading that starts with `## `, like the one above, and the answer below it. Every
`## ` heading of a FAQ page is a question; what follows it, up to the next one, is its answer.

## How do I start a new FAQ page?

Run `cxdocs new faq orders/delivery-times`. FAQ pages are grouped by topic: the folder below
`content/faq/` is the topic, and every topic gets a page that lists its questions.

## Where do shared facts like our support email live?

In `mkdocs.yml`, under `variables`: write `\\{{ company.support_email }}` in a page and the site
shows the address set there, {{ company.support_email }}. Text several pages share goes in
`content/snippets/`, included with a line like the one below:

--8<-- "snippets/contact.md"

!!! internal "Agent note"
    Text in a block like this one is for agents only: the handbook shows it, the public site never does.
"""

SNIPPET = """\
Write to us at {{ company.support_email }}: we answer within one working day.
"""

SOP = """\
---
title: Write a standard operating procedure
department: Support
purpose: Agents handle a case the same way every time, and new agents learn it from one page.
owner: Support team lead
review_by: {review_by}
terms:
  SOP: Standard operating procedure, a page like this one.
---

SOPs are for agents: they appear in the internal handbook, never on the public site. Every SOP
has a title, a department and a purpose (in the front matter above); the handbook shows them in a
header with the owner, the review date and the terms.

## Steps

1. Start the page with `cxdocs new sop support/handle-a-complaint`; the folder below
   `content/sop/` is the department.
2. Say why the procedure exists in `purpose`, and who keeps it up to date in `owner`.
3. Write the steps as a numbered list, one action an agent takes per step.
4. Put limits that several pages share in variables: agents may refund up to
   {{ limits.refund_without_approval }} without a manager's approval.
5. Set `review_by` to the date someone reads the page again; `cxdocs check` warns once it has passed.
"""

RESPONSE = """\
---
title: Thank you for getting in touch
tags: [general]
subject: Thank you for getting in touch
---

Hello,

Thank you for writing to {{ company.name }}. We have your message and will answer within one
working day.

Kind regards,<br>
The {{ company.name }} support team
"""
"""A reply every helpdesk format carries: helpdesks fill in different placeholders
(``{{ customer.first_name }}`` has no equivalent in some), and ``<br>`` keeps the sign-off's line
break in every format (Markdown joins the lines of a paragraph)."""

GITIGNORE = """\
# Made by cxdocs build, mkdocs build and cxdocs serve: never committed.
/site/
/.site-*/
/.cxdocs/cache/
__pycache__/
"""

REQUIREMENTS = """\
# What the CI workflow (.github/workflows/cxdocs.yml) installs to check and build the site.
# cxdocs is not published on PyPI under this name: point this line at where your team gets it,
# for example  cxdocs @ git+https://github.com/your-team/cxdocs@v{version}
cxdocs=={version}
"""

WORKFLOW = """\
# Checks every change to the knowledge base and builds the site; the built site (public site,
# internal handbook and response packs) is kept as the run's artifact "site".
name: Knowledge base

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install cxdocs
        run: python -m pip install -r requirements.txt
      - name: Check the pages
        run: cxdocs check           # add --strict to fail on warnings too (overdue reviews, house style)
      - name: Build the site
        run: cxdocs build
      - name: Upload the site
        uses: actions/upload-artifact@v4
        with:
          name: site
          path: site/
          if-no-files-found: error
"""


def files_for(site_name: str, today: datetime.date) -> dict[str, str]:
    """What ``cxdocs init`` writes, by path below the project folder."""
    review = today.replace(year=today.year + 1) if (today.month, today.day) != (2, 29) else today + datetime.timedelta(days=365)
    try:
        installed = version("cxdocs")
    except PackageNotFoundError:
        installed = "0.1.0"
    return {
        "mkdocs.yml": MKDOCS_YML.format(site_name=site_name),
        "content/faq/getting-started/how-this-help-centre-works.md": FAQ,
        "content/snippets/contact.md": SNIPPET,
        "content/sop/support/write-an-sop.md": SOP.format(review_by=review.isoformat()),
        "content/responses/general/thank-you.md": RESPONSE,
        ".gitignore": GITIGNORE,
        "requirements.txt": REQUIREMENTS.format(version=installed),
        ".github/workflows/cxdocs.yml": WORKFLOW,
    }


def init(folder: Path, site_name: str = "Help Centre", today: datetime.date | None = None) -> list[Path]:
    """Write a new project into ``folder`` (made if missing); nothing at all if any file exists."""
    files = files_for(site_name, today or datetime.date.today())
    if folder.exists() and not folder.is_dir():
        raise CxdocsError("is a file; give a folder for the new project", display_path(folder))
    taken = [rel for rel in files if (folder / rel).exists() or (folder / rel).is_symlink()]
    if taken:
        listing = ", ".join(display_path(folder / rel) for rel in taken)
        raise CxdocsError(
            f"{display_path(folder)} already has {listing}; cxdocs init writes nothing over a file: "
            "start in an empty folder, or move these away"
        )
    written = []
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as out:  # "x": never over a file made meanwhile
            out.write(text)
        written.append(path)
    return written
