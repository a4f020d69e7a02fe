"""The PDF of the report: headings wrap between words, numbers fit their cells, and the last
page never holds only the signatures."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from itertools import pairwise

import pytest
from django.utils import translation
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from unionhub.core import pdf
from unionhub.orgs.models import Level, Unit
from unionhub.reports import exports
from unionhub.reports import fluctuation as f

D = dt.date


def _report(unions: int, big: int = 72_059) -> f.FluctuationReport:
    """A province with one commune union holding `unions` unions, figures up to `big`."""
    province = Unit(pk=1, code="HT", name="Liên đoàn Lao động tỉnh Hà Tĩnh", level=Level.PROVINCE)
    commune = Unit(pk=2, code="HT-X", name="Công đoàn xã Đức Thọ", level=Level.DIRECT_UPPER)
    subs = []
    for index in range(unions):
        unit = Unit(
            pk=10 + index,
            code=f"G{index}",
            name=f"Công đoàn Trường Trung học cơ sở số {index}",
            level=Level.GRASSROOTS,
        )
        counts = Counter({f.START: big // max(unions, 1), f.END: big // max(unions, 1)})
        subs.append(f.Row(unit=unit, figures=f.Figures(counts)))
    total = f.Figures()
    for row in subs:
        total.counts.update(row.figures.counts)
    rows = [f.Row(unit=commune, figures=f.Figures(Counter(total.counts)), subs=subs)]
    return f.FluctuationReport(province, D(2025, 7, 1), D(2025, 12, 31), total, rows, True)


def _pdf(report, language="vi") -> PdfReader:
    out = io.BytesIO()
    with translation.override(language):
        exports.write_pdf(report, out, today=D(2026, 1, 10))
    return PdfReader(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_headings_wrap_between_words_never_inside_one(language):
    reader = _pdf(_report(3), language)
    with translation.override(language):
        words = {w for c in exports.COLUMNS for w in str(f.LABELS[c]).split()}
        words |= {w for g, _c in exports.GROUPS for w in str(g).split()}
    tokens = re.findall(r"\S+", reader.pages[0].extract_text())
    split = [(a, b) for a, b in pairwise(tokens) if a + b in words]
    assert split == []
    # And every word of the headings is there whole.
    assert words <= set(tokens) | {w.strip("()") for w in tokens}


def test_four_and_five_digit_numbers_fit_their_cells():
    report = _report(2, big=72_059)
    regular, bold = pdf.register_fonts()
    widths = exports._column_widths(exports.lines(report), regular, bold)
    start = exports.COLUMNS.index(f.START)
    needed = pdfmetrics.stringWidth("72.059", bold, exports.PDF_FIGURE_SIZE)
    assert widths[start] >= needed + 2 * exports.PDF_PAD
    text = _pdf(report).pages[0].extract_text()
    assert "72.058" in text  # the commune union's subtotal: two unions of 36.029


@pytest.mark.parametrize("unions", range(20, 80, 4))
def test_the_last_page_never_holds_only_the_signatures(unions):
    with translation.override("vi"):
        reader = _pdf(_report(unions))
    last = reader.pages[-1].extract_text()
    assert "NGƯỜI LẬP BIỂU" in last
    assert "Tổng cộng" in last  # the total line went with the signatures
    assert f"Công đoàn Trường Trung học cơ sở số {unions - 1}" in last
