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


def test_the_copy_buttons_speak_the_teams_helpdesk_and_copy_the_subject_too(project):
    project.config(variables={"shipping": {"days": "3-5 days"}, "limits": {"refund": "30 EUR"}}, export_formats=["zendesk"])
    assert project.build().exit_code == 0
    with serve(project.root / "site") as base, browser() as chromium:
        context = chromium.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        page = context.new_page()
        page.goto(f"{base}/internal/responses/refunds/refund-confirmed/")
        page.get_by_role("button", name="Copy reply text (Zendesk)").click()
        page.locator('button.cx-copy__button--done[data-cx-copy^="Hi "]').wait_for()
        reply = page.evaluate("navigator.clipboard.readText()")
        page.get_by_role("button", name="Copy subject (Zendesk)").click()
        page.locator('button.cx-copy__button--done[data-cx-copy^="Your refund"]').wait_for()
        subject = page.evaluate("navigator.clipboard.readText()")
    assert reply == "Hi {{ticket.requester.first_name}},\n\nYour refund is on its way.\n\n{{current_user.first_name}}"
    assert subject == "Your refund for {{ticket.title}}"
