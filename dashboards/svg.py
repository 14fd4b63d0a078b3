"""Bar charts as SVG markup, drawn on the server.

The same markup works in the browser and in a PDF (WeasyPrint renders inline
SVG), so a chart never needs JavaScript. Charts scale with their viewBox down
to a 360 px phone; every chart and every bar has a <title> for screen readers,
and labels are escaped text in the user's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "PingFang SC, Microsoft YaHei, Noto Sans CJK SC, Noto Sans SC, sans-serif"
BAR = "#b22222"
BAR_MUTED = "#d0d7de"
INK = "#1f2328"
MUTED = "#57606a"
_ids = count(1)


def _number(value: Decimal | int | float) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _scale_max(values: Sequence[Decimal | int]) -> Decimal:
    top = max((Decimal(v) for v in values), default=Decimal(0))
    return top if top > 0 else Decimal(1)


def _open(title: str, width: int, height: int, css_class: str) -> tuple[str, list[str]]:
    ident = f"chart-{next(_ids)}"
    parts = [
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="{FONT}" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{ident}">{escape(title)}</title>',
    ]
    return ident, parts


def column_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[Decimal | int],
    bar_titles: Sequence[str] | None = None,
    axis_label: str = "",
    muted: Sequence[bool] | None = None,
) -> SafeString:
    """Vertical bars, e.g. activities per month (labels 1..12 under the bars)."""
    width, height = 360, 220
    left, right, top, bottom = 8, 8, 22, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(values), 1)
    slot = plot_w / n
    bar_w = slot * 0.64
    peak = _scale_max(values)
    _, parts = _open(title, width, height, "chart chart-columns")
    base_y = top + plot_h
    parts.append(f'<line x1="{left}" y1="{base_y}" x2="{width - right}" y2="{base_y}" stroke="{MUTED}" />')
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = float(Decimal(value) / peak) * plot_h
        x = left + i * slot + (slot - bar_w) / 2
        y = base_y - h
        fill = BAR_MUTED if muted and muted[i] else BAR
        tip = bar_titles[i] if bar_titles else f"{label}: {_number(value)}"
        parts.append(
            f"<g><title>{escape(tip)}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{fill}" rx="2" />'
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" font-size="11" text-anchor="middle" fill="{INK}">'
            f"{escape(_number(value))}</text>"
            f'<text x="{x + bar_w / 2:.1f}" y="{base_y + 15:.1f}" font-size="12" text-anchor="middle" '
            f'fill="{MUTED}">{escape(label)}</text></g>'
        )
    if axis_label:
        parts.append(
            f'<text x="{width / 2:.1f}" y="{height - 6}" font-size="12" text-anchor="middle" fill="{MUTED}">'
            f"{escape(axis_label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and number above is escaped


def bar_chart(
    *,
    title: str,
    labels: Sequence[str],
    values: Sequence[Decimal | int],
    empty_text: str = "",
) -> SafeString:
    """Horizontal bars with the label on the left, e.g. activities per kind."""
    width, row, label_w, pad = 360, 28, 118, 8
    rows = max(len(values), 1)
    height = rows * row + pad * 2
    peak = _scale_max(values)
    plot_w = width - label_w - pad * 2 - 34  # room for the number after the bar
    _, parts = _open(title, width, height, "chart chart-bars")
    if not values:
        parts.append(
            f'<text x="{width / 2:.1f}" y="{height / 2 + 5:.1f}" font-size="13" text-anchor="middle" '
            f'fill="{MUTED}">{escape(empty_text)}</text>'
        )
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = pad + i * row
        w = float(Decimal(value) / peak) * plot_w
        x0 = label_w + pad
        parts.append(
            f"<g><title>{escape(label)}: {escape(_number(value))}</title>"
            f'<text x="{label_w:.1f}" y="{y + row / 2 + 5:.1f}" font-size="13" text-anchor="end" fill="{INK}">'
            f"{escape(label)}</text>"
            f'<rect x="{x0:.1f}" y="{y + 5:.1f}" width="{max(w, 1):.1f}" height="{row - 10}" fill="{BAR}" rx="2" />'
            f'<text x="{x0 + w + 5:.1f}" y="{y + row / 2 + 5:.1f}" font-size="12" fill="{INK}">'
            f"{escape(_number(value))}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label and number above is escaped
