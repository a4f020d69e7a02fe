"""Charts drawn on the server as SVG, legible when printed in black and white: every bar has its
value written beside it, and neighbouring bars differ by hatching, not only by colour."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Fills that stay distinct on a black-and-white printer: solid, hatches, dots.
_PATTERNS = """<defs>
<pattern id="p1" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="6" height="6" fill="#fff"/>
<line x1="0" y1="0" x2="0" y2="6" stroke="#222" stroke-width="3"/></pattern>
<pattern id="p2" width="5" height="5" patternUnits="userSpaceOnUse">
<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.3" fill="#222"/></pattern>
<pattern id="p3" width="6" height="6" patternUnits="userSpaceOnUse">
<rect width="6" height="6" fill="#fff"/>
<path d="M0 3h6M3 0v6" stroke="#222" stroke-width="1.2"/></pattern>
</defs>"""
_FILLS = ("#444", "url(#p1)", "url(#p2)", "url(#p3)")


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def bar_chart(items: Sequence[tuple[str, int]], *, title: str, width: int = 640) -> SafeString:
    """Horizontal bars, one per (label, value), labels left, values right of each bar."""
    if not items:
        return mark_safe("")
    label_width, bar_height, gap, top = 190, 18, 6, 26
    chart_width = width - label_width - 70
    biggest = max(value for _label, value in items) or 1
    height = top + len(items) * (bar_height + gap) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" viewBox="0 0 {width} '
        f'{height}" width="100%" style="max-width:{width}px" font-family="sans-serif" '
        f'font-size="12"><title>{escape(title)}</title>{_PATTERNS}',
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(items):
        y = top + index * (bar_height + gap)
        length = max(1, round(chart_width * value / biggest)) if value else 0
        fill = _FILLS[index % len(_FILLS)]
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
            f'fill="{fill}" stroke="#000" stroke-width="0.8"/>'
            f'<text x="{label_width + length + 5}" y="{y + 13}">{_number(value)}</text>'
        )
    parts.append("</svg>")
    # Safe: every text put in above went through escape().
    return mark_safe("".join(parts))


def column_chart(items: Sequence[tuple[str, int]], *, title: str, width: int = 640) -> SafeString:
    """Vertical columns over time, the value above each column, the label below."""
    if not items:
        return mark_safe("")
    height, top, bottom, left = 240, 40, 24, 10
    slot = (width - left) / len(items)
    biggest = max(value for _label, value in items) or 1
    plot = height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" viewBox="0 0 {width} '
        f'{height}" width="100%" style="max-width:{width}px" font-family="sans-serif" '
        f'font-size="11"><title>{escape(title)}</title>{_PATTERNS}',
        f'<text x="0" y="16" font-weight="bold" font-size="12">{escape(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        f'stroke="#000"/>',
    ]
    for index, (label, value) in enumerate(items):
        bar = max(1, round(plot * value / biggest)) if value else 0
        x = left + index * slot + slot * 0.15
        y = height - bottom - bar
        centre = x + slot * 0.35
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{slot * 0.7:.1f}" height="{bar}" fill="url(#p1)" '
            f'stroke="#000" stroke-width="0.8"/>'
            f'<text x="{centre:.1f}" y="{y - 4}" text-anchor="middle">{_number(value)}</text>'
            f'<text x="{centre:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    # Safe: every text put in above went through escape().
    return mark_safe("".join(parts))
