"""Internal text never reaches a byte of the public site, wherever it lives in the tree."""

from __future__ import annotations

import pytest
from conftest import pagefind_pages

MARKERS = {
    "sop_title": "Qzx sop title marker",
    "sop_body": "qzxsopbodymarker",
    "internal_page_title": "Qzx internal page title",
    "internal_page_body": "qzxinternalpagebody",
    "block": "qzxblockmarker",
    "block_title": "Qzx block title marker",
    "details": "qzxdetailsmarker",
    "list_block": "qzxlistblockmarker",
    "snippet_block": "qzxsnippetblockmarker",
    "snippet_in_block": "qzxsnippetinblock",
    "variable": "qzxvariablevalue",
    "response_title": "Qzx response title",
    "response_body": "qzxresponsebody",
    "image": "qzximagebytes",
}


@pytest.fixture
def leaky(project):
    p = project
    p.config(variables={"secret": {"limit": MARKERS["variable"]}, "shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}})
    p.write(
        "content/sop/billing/secret.md",
        f"""
        ---
        title: {MARKERS["sop_title"]}
        department: Billing
        purpose: Internal purpose.
        ---

        1. Step with {MARKERS["sop_body"]}.
        """,
    )
    p.write(
        "content/faq/shipping/agents-only.md",
        f"""
        ---
        title: {MARKERS["internal_page_title"]}
        audience: internal
        ---

        ## What is hidden?

        {MARKERS["internal_page_body"]}
        """,
    )
    p.write("content/snippets/mixed.md", f"Public snippet text.\n\n!!! internal\n    {MARKERS['snippet_block']}\n")
    p.write("content/snippets/agent-only.md", f"{MARKERS['snippet_in_block']} is for agents.\n")
    p.write(
        "content/faq/shipping/returns.md",
        f"""
        ---
        title: Returns
        ---

        ## How do I return an item?

        Use the returns form.

        !!! internal "{MARKERS["block_title"]}"
            Approve up to {{{{ secret.limit }}}} and note {MARKERS["block"]}.

        ??? internal
            {MARKERS["details"]}

        ## Which items can I return?

        - Most items.

            !!! internal
                {MARKERS["list_block"]}

        - Not gift cards.

        --8<-- "snippets/mixed.md"

        !!! internal
            --8<-- "snippets/agent-only.md"
        """,
    )
    p.write(
        "content/responses/refunds/secret-response.md",
        f"""
        ---
        title: {MARKERS["response_title"]}
        ---

        Hi {{{{ customer.first_name }}}}, {MARKERS["response_body"]}.
        """,
    )
    image = p.root / "content/sop/billing/flow.png"
    image.write_bytes(b"\x89PNG\r\n" + MARKERS["image"].encode())
    p.write("content/sop/billing/with-image.md", "---\ntitle: Flow\ndepartment: Billing\npurpose: x\n---\n\n1. See ![flow](flow.png)\n")
    return p


def test_no_internal_byte_reaches_the_public_site(leaky):
    result = leaky.build()
    assert result.exit_code == 0, result.output
    public = leaky.site_files("public")
    internal = leaky.site_files("internal")
    assert "faq/shipping/returns/index.html" in public
    for name, marker in MARKERS.items():
        needle = marker.casefold()
        leaked = [path for path, text in public.items() if needle in text.casefold() or needle in path.casefold()]
        assert not leaked, f"{name} leaked into {leaked}"
        assert any(needle in text.casefold() for text in internal.values()), f"{name} missing from the handbook"


def test_public_page_keeps_its_public_text_and_shared_snippets(leaky):
    leaky.build()
    page = leaky.html("public/faq/shipping/returns/index.html")
    assert "Use the returns form." in page
    assert "Public snippet text." in page
    assert "Not gift cards." in page
    indexed = pagefind_pages(leaky.root / "site" / "public" / "pagefind")
    assert "Public snippet text." in indexed["/faq/shipping/returns/"]["content"]


def test_internal_handbook_shows_agent_notes_as_callouts(leaky):
    leaky.build()
    page = leaky.html("internal/faq/shipping/returns/index.html")
    assert 'class="admonition internal"' in page
    assert MARKERS["block_title"] in page
    assert "<details class=\"internal\"" in page


def test_internal_page_titles_stay_out_of_public_navigation_and_search(leaky):
    leaky.build()
    for path, text in leaky.site_files("public").items():
        assert "agents-only" not in text, path
        assert "sop/" not in text.replace("https://", ""), path
