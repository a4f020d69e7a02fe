"""Small server-drawn SVG charts for the officers' pages: no script, no external asset, legible
in print (values written out, the second series hatched, not only coloured)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def nice_scale(biggest: int, *, ticks: int = 4) -> tuple[int, int]:
    """The axis's top and its step: the smallest 1, 2 or 5 × 10ⁿ step whose `ticks` steps
    reach `biggest`. The axis follows the data, so a month of 3 and one of 40 look different
    whether the unit holds 90 members or 70,000."""
    if biggest <= 0:
        return ticks, 1
    raw = biggest / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return step * math.ceil(biggest / step), step


def _n(value: int) -> str:
    return escape(number_format(value, use_l10n=True, force_grouping=True))


def paired_columns(
    groups: Sequence[tuple[str, int, int]],
    *,
    title: str,
    series: tuple[str, str],
    width: int = 720,
    height: int = 260,
) -> SafeString:
    """Two columns per group (e.g. admissions and leavers per month) on one axis from zero to
    a round number just above the largest value, with the value above each column."""
    if not groups:
        return mark_safe("")
    left, right, top, bottom = 44, 8, 34, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    axis_top, step = nice_scale(max(max(a, b) for _label, a, b in groups))
    slot = plot_w / len(groups)
    column = slot * 0.36
    base = top + plot_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-paired" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" font-family="sans-serif" font-size="11">'
        f"<title>{escape(title)}</title>"
        '<defs><pattern id="paired-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="5" height="5" fill="#f6c7c3"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#b3261e" stroke-width="2.4"/></pattern></defs>',
    ]
    # Legend.
    parts.append(
        f'<rect x="{left}" y="8" width="12" height="12" fill="#1b6e3a"/>'
        f'<text x="{left + 17}" y="18">{escape(series[0])}</text>'
        f'<rect x="{left + 170}" y="8" width="12" height="12" fill="url(#paired-hatch)" '
        f'stroke="#b3261e"/><text x="{left + 187}" y="18">{escape(series[1])}</text>'
    )
    # Grid lines and the axis's labels.
    for value in range(0, axis_top + 1, step):
        y = base - plot_h * value / axis_top
        line = 'stroke="#000" stroke-width="1"' if value == 0 else 'stroke="#ccc" stroke-width=".6"'
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" {line}/>'
            f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end">{_n(value)}</text>'
        )
    for index, (label, first, second) in enumerate(groups):
        x = left + index * slot + slot * 0.12
        for offset, value, fill in ((0, first, "#1b6e3a"), (column, second, "url(#paired-hatch)")):
            bar = plot_h * value / axis_top
            stroke = ' stroke="#b3261e" stroke-width="0.8"' if offset else ""
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{base - bar:.1f}" width="{column:.1f}" '
                f'height="{bar:.1f}" fill="{fill}"{stroke}/>'
                f'<text x="{x + offset + column / 2:.1f}" y="{base - bar - 3:.1f}" '
                f'text-anchor="middle" font-size="10">{_n(value)}</text>'
            )
        centre = x + column
        parts.append(
            f'<text x="{centre:.1f}" y="{base + 15}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    # Safe: every text above went through escape() or is a number we formatted.
    return mark_safe("".join(parts))
