"""The helpdesk placeholder vocabulary: names kept to the end and mapped per helpdesk on export."""

from __future__ import annotations

NAMESPACES = ("customer", "agent", "ticket")

VOCABULARY: dict[str, str] = {
    "customer.first_name": "The customer's first name",
    "customer.last_name": "The customer's last name",
    "customer.name": "The customer's full name",
    "customer.email": "The customer's email address",
    "agent.first_name": "The replying agent's first name",
    "agent.name": "The replying agent's full name",
    "ticket.id": "The ticket number",
    "ticket.subject": "The ticket's subject line",
}
"""Every placeholder a page or response may use, with what it stands for."""


def is_placeholder(name: str) -> bool:
    """Whether ``name`` is in a helpdesk namespace (known or not)."""
    return name.split(".", 1)[0] in NAMESPACES
