"""Words cxdocs itself puts on pages (headers, generated index pages), per language."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "department": "Department",
        "purpose": "Purpose",
        "owner": "Owner",
        "review_by": "Review by",
        "terms": "Terms",
        "home": "Home",
        "faq": "Frequently asked questions",
        "sop": "SOP handbook",
        "responses": "Response library",
        "internal_banner": "Internal handbook for support agents: do not share with customers.",
        "welcome_public": "Find answers to common questions, by topic.",
        "welcome_internal": "Standard operating procedures, the FAQ with agent notes, and canned responses.",
        "questions": "questions",
        "placeholders": "Placeholders",
        "subject": "Subject",
        "tags": "Tags",
        "response_id": "Response id",
        "overdue": "review overdue",
    },
}


def label(key: str, lang: str) -> str:
    """The label in ``lang``, or in English where no translation exists yet."""
    return LABELS.get(lang.split("-")[0], {}).get(key) or LABELS["en"][key]
