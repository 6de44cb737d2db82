"""A horizontal stacked bar chart as inline SVG, drawn at build time: no script, nothing fetched.

Colours come from CSS classes (``cxdocs.css``, on mkdocs-material's colour variables), so the
theme's light and dark schemes and print apply. Every segment carries its numbers in a ``<title>``
(a tooltip), the chart as a whole in ``<desc>`` for screen readers; the page shows a table too.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

WIDTH = 400
"""In SVG units; the chart scales to the column, so a row's label stays readable on a phone."""
ROW = 44
LABEL_BASELINE = 15
BAR_TOP, BAR_HEIGHT = 21, 16


@dataclass(frozen=True)
class Segment:
    css_class: str
    count: int
    description: str
    """The segment's numbers in words: the tooltip and the screen reader's text."""


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    """Shown at the right end of the label line (the coverage as a percentage)."""
    segments: list[Segment]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.segments)


def _num(value: float) -> str:
    """Coordinates with two decimals at most and no trailing zeros: the same bytes on every build."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def bar_chart(chart_id: str, title: str, bars: list[Bar], legend: list[tuple[str, str]]) -> str:
    """A ``<figure>`` with the chart and its legend (``legend``: css class, label), on single lines.

    Single lines because Markdown ends a raw HTML block at a blank line.
    """
    height = ROW * len(bars)
    summary = " ".join(" ".join(s.description + "." for s in bar.segments) for bar in bars)
    parts = [
        f'<svg class="cx-chart__svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{html.escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{html.escape(summary)}</desc>',
    ]
    for row, bar in enumerate(bars):
        parts.append(_row(bar, row * ROW))
    parts.append("</svg>")
    items = "".join(
        f'<span class="cx-chart__key"><svg class="cx-chart__swatch" viewBox="0 0 10 10" width="10" height="10" '
        f'aria-hidden="true"><rect class="{css}" x="0.5" y="0.5" width="9" height="9"/></svg>{html.escape(text)}</span>'
        for css, text in legend
    )
    svg = "".join(parts)
    return f'<figure class="cx-chart" id="{chart_id}">{svg}\n<figcaption class="cx-chart__legend">{items}</figcaption></figure>'


def _row(bar: Bar, top: int) -> str:
    label = html.escape(bar.label)
    out = [
        f'<g class="cx-chart__row" aria-label="{label}: {html.escape(bar.value)}">',
        f'<text class="cx-chart__label" x="0" y="{top + LABEL_BASELINE}">{label}</text>',
        f'<text class="cx-chart__value" x="{WIDTH}" y="{top + LABEL_BASELINE}" text-anchor="end">{html.escape(bar.value)}</text>',
        f'<rect class="cx-chart__track" x="0" y="{top + BAR_TOP}" width="{WIDTH}" height="{BAR_HEIGHT}"/>',
    ]
    done = 0
    for segment in bar.segments:
        if not segment.count:
            continue
        # Edges from the running total, so rounding never leaves a gap or an overlap between segments.
        start, done = WIDTH * done / bar.total, done + segment.count
        end = WIDTH * done / bar.total
        out.append(
            f'<rect class="{segment.css_class}" x="{_num(start)}" y="{top + BAR_TOP}" width="{_num(end - start)}" '
            f'height="{BAR_HEIGHT}"><title>{html.escape(segment.description)}</title></rect>'
        )
    out.append("</g>")
    return "".join(out)
