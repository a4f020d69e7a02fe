import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.finance.helpers import collect
from unionhub.core import scope
from unionhub.finance.models import DuesLine, Remittance, SalaryBase

JUNE = dt.date(2025, 6, 1)


def _url(name, unit, month=JUNE):
    return reverse(name, args=[unit.pk, month.year, month.month])


@pytest.fixture
def treasurer(tree, officer_at, client):
    officer = officer_at(tree.grassroots_a1, scope.FINANCE)
    client.force_login(officer)
    return officer


def test_officer_computes_marks_paid_and_posts_from_the_roll(tree, admit, treasurer, client):
    first, second = admit(full_name="Lê Thị Mai"), admit(full_name="Phan Văn Đức")
    for member in (first, second):
        SalaryBase.objects.create(member=member, month=JUNE, amount=7_000_000)
    client.post(_url("finance:compute", tree.grassroots_a1))
    page = client.get(_url("finance:roll", tree.grassroots_a1)).content.decode()
    assert "Lê Thị Mai" in page and "70.000 ₫" in page
    client.post(
        _url("finance:paid", tree.grassroots_a1), {"member": [first.pk], "paid_on": "2025-06-20"}
    )
    assert DuesLine.objects.get(member=first).paid_on == dt.date(2025, 6, 20)
    assert DuesLine.objects.get(member=second).paid_on is None
    client.post(_url("finance:post", tree.grassroots_a1), {"on": "2025-06-30"})
    book = client.get(reverse("finance:cash_book", args=[tree.grassroots_a1.pk, 2025]))
    assert "70.000 ₫" in book.content.decode()
    client.post(
        _url("finance:remit", tree.grassroots_a1),
        {"amount": 21_000, "date": "2025-07-02", "account": "112"},
    )
    assert Remittance.objects.get().amount == 21_000


def test_officer_marks_every_unpaid_member_the_filter_shows_paid(tree, admit, treasurer, client):
    mai, duc = admit(full_name="Lê Thị Mai"), admit(full_name="Phan Văn Đức")
    for member in (mai, duc):
        SalaryBase.objects.create(member=member, month=JUNE, amount=7_000_000)
    client.post(_url("finance:compute", tree.grassroots_a1))
    page = client.get(_url("finance:roll", tree.grassroots_a1), {"q": "mai"}).content.decode()
    assert 'name="everyone"' in page and 'name="q" value="mai"' in page
    client.post(
        _url("finance:paid", tree.grassroots_a1),
        {"everyone": "1", "q": "mai", "status": "", "paid_on": "2025-06-20"},
    )
    assert DuesLine.objects.get(member=mai).paid_on == dt.date(2025, 6, 20)
    assert DuesLine.objects.get(member=duc).paid_on is None


def test_filter_and_export(tree, admit, treasurer, client):
    member = admit(full_name="Lê Thị Mai")
    admit(full_name="Phan Văn Đức")
    SalaryBase.objects.create(member=member, month=JUNE, amount=7_000_000)
    client.post(_url("finance:compute", tree.grassroots_a1))
    page = client.get(_url("finance:roll", tree.grassroots_a1), {"q": "mai"}).content.decode()
    assert "Lê Thị Mai" in page and "Phan Văn Đức" not in page
    partial = client.get(
        _url("finance:roll", tree.grassroots_a1),
        {"status": "no_salary"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="roll",
    ).content.decode()
    assert "Phan Văn Đức" in partial and "<html" not in partial
    response = client.get(_url("finance:roll", tree.grassroots_a1), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Mã đoàn viên" and len(rows) == 3
    assert (member.pk, "Lê Thị Mai", 70_000) in [(r[0], r[1], r[7]) for r in rows[1:]]


def test_payroll_upload_with_error_report(tree, admit, treasurer, client):
    member = admit()
    bad = SimpleUploadedFile("l.csv", f"Mã đoàn viên,Lương\n{member.pk},abc\n".encode())
    page = client.post(_url("finance:payroll", tree.grassroots_a1), {"file": bad}).content.decode()
    assert "không phải số tiền" in page and not SalaryBase.objects.exists()
    good = SimpleUploadedFile("l.csv", f"Mã đoàn viên,Lương\n{member.pk},5000000\n".encode())
    client.post(_url("finance:payroll", tree.grassroots_a1), {"file": good, "dry_run": ""})
    assert SalaryBase.objects.get().amount == 5_000_000


def test_upper_level_reads_remittances_and_cannot_write(tree, admit, officer_at, client):
    member = admit()
    collect(tree.grassroots_a1, JUNE, {member: 10_000_000}, tree.admin)
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    page = client.get(reverse("finance:remittances", args=[tree.district_a.pk, 2025]))
    assert tree.grassroots_a1.name in page.content.decode() and "30.000 ₫" in page.content.decode()
    client.post(_url("finance:compute", tree.grassroots_a1))
    client.post(_url("finance:paid", tree.grassroots_a1), {"member": [member.pk]})
    assert not DuesLine.objects.filter(paid_on=None).exists()  # nothing changed


def test_sibling_officer_is_refused_everywhere(tree, admit, officer_at, client):
    admit()
    client.force_login(officer_at(tree.grassroots_a2, scope.FINANCE))
    unit = tree.grassroots_a1
    for url in (
        _url("finance:roll", unit),
        _url("finance:payroll", unit),
        reverse("finance:arrears", args=[unit.pk]),
        reverse("finance:cash_book", args=[unit.pk, 2025]),
        reverse("finance:remittances", args=[unit.pk, 2025]),
    ):
        assert client.get(url).status_code == 403, url
    for name in ("finance:compute", "finance:paid", "finance:post", "finance:remit"):
        assert client.post(_url(name, unit)).status_code == 403, name
    assert not DuesLine.objects.exists()


def test_api_lists_dues_entries_and_remittances_in_scope_only(tree, admit, officer_at, client):
    member = admit()
    collect(tree.grassroots_a1, JUNE, {member: 10_000_000}, tree.admin)
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    dues = client.get("/api/v1/finance/dues/", {"month": "2025-06-01"}).json()
    assert [(d["member"], d["amount"]) for d in dues["results"]] == [(member.pk, 100_000)]
    entries = client.get("/api/v1/finance/entries/", {"unit": tree.grassroots_a1.pk}).json()
    assert [sum(p["amount"] for p in e["postings"]) for e in entries["results"]] == [0]
    client.force_login(officer_at(tree.district_b, scope.FINANCE))
    assert client.get("/api/v1/finance/dues/").json()["results"] == []
    assert (
        client.get("/api/v1/finance/entries/", {"unit": tree.grassroots_a1.pk}).status_code == 403
    )


def test_api_mark_paid_for_own_books(tree, admit, treasurer, client):
    member = admit()
    SalaryBase.objects.create(member=member, month=JUNE, amount=7_000_000)
    client.post(_url("finance:compute", tree.grassroots_a1))
    response = client.post(
        "/api/v1/finance/dues/mark-paid/",
        {
            "unit": tree.grassroots_a1.pk,
            "month": "2025-06-01",
            "members": [member.pk],
            "paid_on": "2025-06-10",
        },
        content_type="application/json",
    )
    assert response.json() == {"marked": 1}


def test_api_marks_the_whole_filtered_roll_paid_or_asks_for_a_selection(
    tree, admit, treasurer, client
):
    mai, duc = admit(full_name="Lê Thị Mai"), admit(full_name="Phan Văn Đức")
    client.post(_url("finance:compute", tree.grassroots_a1))
    body = {"unit": tree.grassroots_a1.pk, "month": "2025-06-01", "paid_on": "2025-06-10"}
    url = "/api/v1/finance/dues/mark-paid/"
    neither = client.post(url, body, content_type="application/json")
    assert neither.status_code == 400
    response = client.post(
        url, {**body, "everyone": True, "q": "mai"}, content_type="application/json"
    )
    assert response.json() == {"marked": 1}
    assert DuesLine.objects.get(member=mai).paid_on == dt.date(2025, 6, 10)
    assert DuesLine.objects.get(member=duc).paid_on is None


def test_member_page_shows_dues_and_support_to_finance_roles(tree, admit, officer_at, client):
    from unionhub.finance import services
    from unionhub.finance.models import Account

    member = admit()
    collect(tree.grassroots_a1, JUNE, {member: 10_000_000}, tree.admin)
    services.entry_record(
        unit=tree.grassroots_a1,
        date=dt.date(2025, 8, 2),
        description="Thăm ốm",
        by=tree.admin,
        lines=[
            services.Line(Account.SUPPORT_EXPENSE, 500_000, member=member),
            services.Line(Account.CASH, -500_000),
        ],
    )
    client.force_login(officer_at(tree.district_a, scope.FINANCE))
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert 'data-testid="finance-member-panel"' in page
    assert "100.000 ₫" in page and "Thăm ốm" in page and "500.000 ₫" in page
    client.force_login(officer_at(tree.grassroots_a1, scope.REGISTRAR))
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert 'data-testid="finance-member-panel"' not in page


def test_support_to_a_member_recorded_from_the_cash_book(tree, admit, treasurer, client):
    from unionhub.finance.models import Posting

    member, stranger = admit(), admit(unit=tree.grassroots_b1)
    url = reverse("finance:cash_record", args=[tree.grassroots_a1.pk, 2025])
    data = {
        "account": "6111",
        "amount": 300_000,
        "date": "2025-08-01",
        "description": "Hỗ trợ khó khăn",
        "via": "111",
    }
    client.post(url, {**data, "member": stranger.pk})
    assert not Posting.objects.exists()  # not a member of this union
    client.post(url, {**data, "member": member.pk})
    support = Posting.objects.get(account="6111")
    assert (support.member, support.amount) == (member, 300_000)
    assert Posting.objects.get(account="111").amount == -300_000
