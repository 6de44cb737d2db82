"""The row of labelled facts at the top of an SOP or a response in the handbook."""

from __future__ import annotations

import html


def facts_html(facts: list[tuple[str, str]], kind: str) -> str:
    """``<dl>`` of label/value pairs, values escaped; pairs without a value are left out."""
    rows = "".join(
        f'<div class="cx-fact"><dt>{html.escape(name)}</dt><dd>{html.escape(value)}</dd></div>'
        for name, value in facts
        if value
    )
    return f'<dl class="cx-facts cx-facts--{kind}">{rows}</dl>'
