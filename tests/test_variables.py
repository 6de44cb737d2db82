"""Variables and placeholders as readers see them: values on pages, placeholders as visible tokens."""

from __future__ import annotations

import re

import pytest
from conftest import pagefind_pages

FAQ_PAGE = "faq/shipping/delivery/index.html"


def article(html: str) -> str:
    """The page's content, without the theme around it."""
    match = re.search(r'<article class="md-content__inner[^"]*"[^>]*>(.*?)</article>', html, re.S)
    assert match, "no article in page"
    return match[1]


def built(project) -> None:
    result = project.build()
    assert result.exit_code == 0, result.output


def test_variable_in_a_faq_answer_shows_its_value_everywhere_customers_look(project):
    built(project)
    public = project.site_files("public")
    page = article(public[FAQ_PAGE])
    assert "<p>Standard delivery takes 3-5 days.</p>" in page
    assert "3-5 days" in pagefind_pages(project.root / "site" / "public" / "pagefind")["/faq/shipping/delivery/"]["content"]
    leftovers = [name for name, text in public.items() if "shipping.days" in text]
    assert leftovers == []


def test_nested_variables_and_variables_in_the_title(project):
    project.config(variables={"company": "Acme", "policy": {"returns": {"window": "30 days", "fee": "5 EUR"}}})
    project.write(
        "content/faq/returns/returns.md",
        """
        ---
        title: "Returns at {{ company }}"
        ---

        ## How long do I have to return an item?

        You have {{ policy.returns.window }}; the restocking fee is {{ policy.returns.fee }}.
        """,
    )
    project.write("content/faq/shipping/delivery.md", "---\ntitle: Shipping\n---\n\n## Fast?\n\nYes.\n")
    project.write("content/sop/billing/refund.md", "---\ntitle: R\ndepartment: B\npurpose: P.\n---\n\n1. Step.\n")
    built(project)
    html = project.html("public/faq/returns/returns/index.html")
    assert "<h1>Returns at Acme</h1>" in article(html)
    assert re.search(r"<title>Returns at Acme\b", html)
    assert "You have 30 days; the restocking fee is 5 EUR." in article(html)


def test_placeholder_shows_as_a_visible_token_but_stays_literal_in_code(project):
    project.write(
        "content/faq/account/greeting.md",
        """
        ---
        title: Greetings
        ---

        ## How will you address me?

        Our emails start with {{ customer.first_name }} and quote `{{ ticket.id }}` in the subject.

        ```text
        Dear {{ customer.first_name }},
        ```
        """,
    )
    built(project)
    page = article(project.html("public/faq/account/greeting/index.html"))
    token = re.search(r'<span class="cx-placeholder"[^>]*>([^<]*)</span>', page)
    assert token, page
    assert token[1].strip() == "{{ customer.first_name }}"
    assert 'title="The customer&#x27;s first name"' in token[0]  # explained on hover
    # Inline code and fenced code keep the placeholder as the literal text a writer typed.
    assert "<code>{{ ticket.id }}</code>" in page
    code = re.search(r"<pre>.*?</pre>", page, re.S)
    assert code and "Dear {{ customer.first_name }}," in code[0]
    assert "cx-placeholder" not in code[0]
    assert page.count("cx-placeholder") == 1


def test_placeholder_in_a_response_shows_as_a_token_in_the_handbook(project):
    built(project)
    page = article(project.site_files("internal")["responses/refunds/refund-confirmed/index.html"])
    names = re.findall(r'<span class="cx-placeholder"[^>]*>\{\{ ([\w.]+) \}\}</span>', page)
    assert names == ["customer.first_name", "agent.first_name"]


def test_placeholder_in_a_link_keeps_the_link_working(project):
    project.write(
        "content/responses/orders/order-status.md",
        """
        ---
        title: Order status
        ---

        Hi {{ customer.first_name }}, see [your orders](https://shop.example/orders?email={{ customer.email }}).
        You can also [track your parcel][track].

        [track]: https://track.example/?ticket={{ ticket.id }}
        """,
    )
    built(project)
    page = article(project.site_files("internal")["responses/orders/order-status/index.html"])
    assert '<a href="https://shop.example/orders?email={{ customer.email }}">your orders</a>' in page
    assert '<a href="https://track.example/?ticket={{ticket.id}}">track your parcel</a>' in page
    assert "&lt;span" not in page
    assert page.count("cx-placeholder") == 1  # only the greeting is running text


def test_escaped_braces_render_literally(project):
    project.write(
        "content/faq/shipping/delivery.md",
        """
        ---
        title: Shipping
        ---

        ## How do templates look?

        Our templates write \\{{ not_a_var }} where a value goes, next to {{ shipping.days }}.
        """,
    )
    built(project)
    page = article(project.html(f"public/{FAQ_PAGE}"))
    assert "write {{ not_a_var }} where a value goes, next to 3-5 days." in page
    assert "\\{{" not in page


def test_variables_in_the_sop_header_are_substituted(project):
    project.write(
        "content/sop/billing/refund.md",
        """
        ---
        title: Refund a customer
        department: Billing
        purpose: "Refund up to {{ limits.refund }} without a manager's approval."
        owner: Ana Novak
        review_by: 2099-01-31
        terms:
          Refund limit: "{{ limits.refund }} per order."
        ---

        1. Check the order.
        """,
    )
    built(project)
    page = article(project.site_files("internal")["sop/billing/refund/index.html"])
    purpose = re.search(r'<div class="cx-sop-purpose">(.*?)</div>', page, re.S)
    assert purpose, page
    assert "Refund up to 30 EUR without a manager" in purpose[1]
    assert "<dt>Refund limit</dt>\n<dd>30 EUR per order.</dd>" in page
    assert "limits.refund" not in page


def test_variables_in_snippets_and_internal_blocks(project):
    project.write("content/snippets/delivery.md", "Parcels arrive in {{ shipping.days }}.\n")
    project.write(
        "content/faq/shipping/delivery.md",
        """
        ---
        title: Shipping
        ---

        ## How long does delivery take?

        --8<-- "snippets/delivery.md"

        !!! internal "Agent note"
            Refund up to {{ limits.refund }} if it is late.
        """,
    )
    built(project)
    public = article(project.html(f"public/{FAQ_PAGE}"))
    internal = article(project.html(f"internal/{FAQ_PAGE}"))
    assert "Parcels arrive in 3-5 days." in public
    assert "Parcels arrive in 3-5 days." in internal
    assert "Refund up to 30 EUR if it is late." in internal
    assert "30 EUR" not in public


@pytest.fixture
def bilingual(project):
    project.config(
        languages=["en", "sl"],
        variables={"shipping": {"days": "3-5 days", "carrier": "PostExpress"}, "limits": {"refund": "30 EUR"}},
        language_variables={"sl": {"shipping": {"days": "3-5 delovnih dni"}}},
    )
    project.write(
        "content/faq/shipping/delivery.sl.md",
        """
        ---
        title: Dostava
        ---

        ## Kako dolgo traja dostava?

        Dostava traja {{ shipping.days }} s prevoznikom {{ shipping.carrier }}.
        """,
    )
    project.write(
        "content/sop/billing/refund.sl.md",
        """
        ---
        title: Vračilo kupnine
        purpose: "Vračilo do {{ shipping.days }} po nakupu."
        ---

        1. Preveri naročilo.
        """,
    )
    return project


def test_language_override_shows_on_translated_pages(bilingual):
    built(bilingual)
    public = bilingual.site_files("public")
    sl = article(public[f"sl/{FAQ_PAGE}"])
    en = article(public[FAQ_PAGE])
    # The sl value replaces the default; a variable sl does not override keeps the default value.
    assert "Dostava traja 3-5 delovnih dni s prevoznikom PostExpress." in sl
    assert "3-5 days" not in sl
    assert "Standard delivery takes 3-5 days." in en
    assert "delovnih" not in en

    # The translated SOP's header shows its own purpose, with the sl value.
    internal = bilingual.site_files("internal")
    sl_sop = re.search(r'<div class="cx-sop-purpose">(.*?)</div>', article(internal["sl/sop/billing/refund/index.html"]), re.S)
    assert sl_sop and "Vračilo do 3-5 delovnih dni po nakupu." in sl_sop[1]
    assert "Refund correctly" not in sl_sop[1]
    en_sop = re.search(r'<div class="cx-sop-purpose">(.*?)</div>', article(internal["sop/billing/refund/index.html"]), re.S)
    assert en_sop and "Refund correctly and within limits." in en_sop[1]
