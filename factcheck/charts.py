"""Small SVG bar charts, drawn on the server (no script, no CDN), readable and labelled.

Each chart is a ``<figure>``-ready SVG with a title, axis labels, a value on every bar and a
``<desc>`` listing the data, so that it reads the same to a screen reader as on screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: str = "#0b4f8a"


def bar_chart(bars: Sequence[Bar], *, title: str, y_label: str, width: int = 560, height: int = 240) -> Markup:
    left, right, top, bottom = 44, 12, 30, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([b.value for b in bars] + [1])
    step = plot_w / max(len(bars), 1)
    bar_w = step * 0.7
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="t-{_id(title)} d-{_id(title)}">',
        f'<title id="t-{_id(title)}">{escape(title)}</title>',
        f'<desc id="d-{_id(title)}">{escape("; ".join(f"{b.label}: {b.value}" for b in bars))}</desc>',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold" fill="#1b1f23">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#5b6470"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#5b6470"/>',
        f'<text x="{left - 6}" y="{top + plot_h}" font-size="10" text-anchor="end" fill="#5b6470">0</text>',
        f'<text x="{left - 6}" y="{top + 8}" font-size="10" text-anchor="end" fill="#5b6470">{peak}</text>',
        f'<text transform="translate(12 {top + plot_h / 2:.0f}) rotate(-90)" font-size="10" '
        f'text-anchor="middle" fill="#5b6470">{escape(y_label)}</text>',
    ]
    for i, bar in enumerate(bars):
        h = plot_h * bar.value / peak
        x = left + i * step + (step - bar_w) / 2
        y = top + plot_h - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{bar.colour}"/>')
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" font-size="10" text-anchor="middle" '
            f'fill="#1b1f23">{bar.value}</text>'
        )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 14}" font-size="10" text-anchor="middle" '
            f'fill="#1b1f23">{escape(bar.label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _id(title: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in title.lower())[:40]
