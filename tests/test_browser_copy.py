"""An agent copies a canned reply from the handbook in a real browser and pastes it into their helpdesk."""

from __future__ import annotations

from browser import browser, serve


def test_copy_button_puts_the_reply_on_the_clipboard_with_placeholders_as_tokens(project):
    project.write(
        "content/responses/refunds/refund-confirmed.md",
        """
        ---
        title: Refund confirmed
        ---

        Hi {{ customer.first_name }},

        Your refund of up to {{ limits.refund }} is on its way. [Track it](https://shop.example/refunds).

        !!! internal "Agent note"
            Qzxnote: check the payment first.

        {{ agent.first_name }}
        """,
    )
    assert project.build().exit_code == 0
    with serve(project.root / "site") as base, browser() as chromium:
        context = chromium.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        page = context.new_page()
        page.goto(f"{base}/internal/responses/refunds/refund-confirmed/")
        button = page.get_by_role("button", name="Copy reply text")
        button.click()
        page.get_by_role("button", name="Copied").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        "Hi {{ customer.first_name }},\n\n"
        "Your refund of up to 30 EUR is on its way. Track it (https://shop.example/refunds).\n\n"
        "{{ agent.first_name }}"
    )
