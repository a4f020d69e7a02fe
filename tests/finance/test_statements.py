"""The estimate and the final accounts (B14-TLĐ) from the posted books, rolled up the tree:
a union's figures are its own books and, beside them, its own with every union under it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from tests.finance.helpers import collect
from unionhub.core import official, scope
from unionhub.core.errors import OutOfScope
from unionhub.finance import services, statements
from unionhub.finance.models import Account

JUNE = dt.date(2025, 6, 1)


@pytest.fixture
def books(tree, admit):
    """June 2025: a1 collects 100,000 of dues, a2 70,000 (30 % of each due to the district);
    a1 remits its 30,000; a1 pays 20,000 of support to a member."""
    first, second = admit(), admit(unit=tree.grassroots_a2)
    collect(tree.grassroots_a1, JUNE, {first: 10_000_000}, tree.admin)
    collect(tree.grassroots_a2, JUNE, {second: 7_000_000}, tree.admin)
    services.remittance_record(
        unit=tree.grassroots_a1, month=JUNE, amount=30_000, date=dt.date(2025, 7, 5), by=tree.admin
    )
    services.cash_record(
        unit=tree.grassroots_a1, date=dt.date(2025, 7, 6), account=Account.SUPPORT_EXPENSE,
        amount=20_000, description="Thăm ốm", member=first, by=tree.admin,
    )  # fmt: skip
    return tree


def test_final_accounts_roll_the_subtree_up_beside_the_unions_own_books(books):
    tree = books
    district = statements.statement(
        user=tree.admin, unit=tree.district_a, kind=statements.YEAR, year=2025
    )
    lines = district.figures()
    assert lines["dues_kept"] == (0, 70_000 + 49_000)
    assert lines["dues_share"] == (30_000 + 21_000, 30_000 + 21_000)
    assert lines["revenue"] == (51_000, 170_000)
    assert lines["support"] == (0, 20_000)
    assert lines["received_from_lower"] == (30_000, 30_000)
    assert lines["remitted"] == (0, 30_000)
    # Funds: the district received a1's remittance; the subtree holds every đồng collected
    # less the support paid (the remittance stayed inside it).
    assert district.opening == (0, 0)
    assert district.closing == (30_000, 170_000 - 20_000)
    a1 = statements.statement(
        user=tree.admin, unit=tree.grassroots_a1, kind=statements.YEAR, year=2025
    )
    assert a1.figures()["dues_kept"] == (70_000, 70_000)  # a leaf: own is everything
    assert a1.closing == (100_000 - 30_000 - 20_000,) * 2


def test_half_year_and_estimate_periods(books):
    tree = books
    half = statements.statement(
        user=tree.admin, unit=tree.district_a, kind=statements.HALF_YEAR, year=2025
    )
    assert (half.first, half.last) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    # The dues were posted on 1 June, the remittance and the support in July.
    assert half.figures()["support"] == (0, 0)
    estimate = statements.statement(
        user=tree.admin, unit=tree.district_a, kind=statements.ESTIMATE, year=2026
    )
    assert (estimate.first, estimate.last) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert estimate.figures()["revenue"] == (51_000, 170_000)


def test_a_sibling_unions_officer_is_refused(books, officer_at, client):
    tree = books
    sibling = officer_at(tree.grassroots_a2, scope.FINANCE)
    with pytest.raises(OutOfScope):
        statements.statement(user=sibling, unit=tree.grassroots_a1, kind=statements.YEAR, year=2025)
    client.force_login(sibling)
    url = reverse("finance:accounts", args=[tree.grassroots_a1.pk, 2025])
    assert client.get(url).status_code == 403
    assert client.get(url, {"export": "pdf"}).status_code == 403


def test_the_officer_page_and_its_xlsx_and_pdf(books, officer_at, client):
    tree = books
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    url = reverse("finance:accounts", args=[tree.district_a.pk, 2025])
    page = client.get(url, {"kind": "year"})
    assert page.status_code == 200
    assert "170.000 ₫" in page.content.decode()
    xlsx = client.get(url, {"kind": "year", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "170000" in values and any("B14-TLĐ" in v for v in values)
    with translation.override("vi"):  # the page's language: the officer's
        frame = [gettext("SOCIALIST REPUBLIC OF VIETNAM"), official.SIGNATURES[1][0]()]
    assert all(text in values for text in frame)
    pdf = client.get(url, {"kind": "half", "export": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
