"""The consents on the union's paper forms, carried by the member list: each consent column read
as a date, a yes or a no, recorded with the members in the import's transaction, a standing
consent kept as it was, nothing recorded for a member who only transfers in, and the service
refusing what lies outside the registrar's reach."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone, translation

from tests.factories import admit, cccd
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import OutOfScope
from unionhub.imports import services as imports
from unionhub.imports.reader import auto_mapping, read_table
from unionhub.privacy import services
from unionhub.privacy.actions import Action
from unionhub.privacy.models import Consent, Method, Purpose

pytestmark = pytest.mark.django_db

HEADERS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Ngày vào công đoàn",
    "Đồng ý dùng ảnh",
    "Đồng ý nhận tin nhắn",
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def registrar(tree, officer_at):
    return officer_at(tree.district_a, scope.REGISTRAR)


@pytest.fixture
def known(tree):
    """A member of the union already on the books, whose photo consent was signed in 2023."""
    member = admit(tree.grassroots_a1, tree.admin, full_name="Võ Thị Hằng", id_number=cccd(71))
    services.consent_record(
        member=member,
        purpose=Purpose.PHOTO,
        given_on=dt.date(2023, 1, 1),
        method=Method.IN_PERSON,
        by=tree.admin,
    )
    return member


@pytest.fixture
def elsewhere(tree):
    """A member of a union in the other district: the list asks for her by transfer."""
    return admit(tree.grassroots_b1, tree.admin, full_name="Đặng Thị Ngọc", id_number=cccd(72))


def workbook(known, elsewhere) -> tuple[bytes, list[str]]:
    rows = [
        [1, "Lê Thị An", "17/05/1990", "Nữ", cccd(61), "01/06/2015", "Có", "03/02/2024"],
        [2, "Trần Văn Bình", "02/09/1985", "Nam", cccd(62), "01/06/2015", "x", None],
        [3, "Nguyễn Văn Cường", "1988-01-20", "Nam", cccd(63), "01/06/2015", "Không", "2/3/24"],
        [4, "Phạm Thị Dung", "11/11/1991", "Nữ", cccd(64), "01/06/2015", "có lẽ", None],
        [5, "Võ Thị Hằng", None, "Nữ", known.id_number, "01/03/2020", "01/01/2025", "Có"],
        [6, "Đặng Thị Ngọc", None, "Nữ", elsewhere.id_number, "01/03/2020", "Có", None],
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN TRƯỜNG THCS TÙNG ẢNH"])  # the title row
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), HEADERS


def run(tree, registrar, data: bytes, *, commit: bool):
    table = read_table(data, "danh-sach.xlsx")
    mapping = auto_mapping(table.headers)
    kwargs = {"table": table, "unit": tree.grassroots_a1, "by": registrar, "mapping": mapping}
    if commit:
        return imports.members_import(**kwargs, filename="danh-sach.xlsx")
    return imports.import_check(**kwargs)


def consents() -> set[tuple[str, str, dt.date, str]]:
    return set(
        Consent.objects.filter(withdrawn_on__isnull=True).values_list(
            "member__full_name", "purpose", "given_on", "method"
        )
    )


def test_the_consent_columns_are_recognised_and_checked_in_the_dry_run(
    tree, registrar, known, elsewhere
):
    data, _headers = workbook(known, elsewhere)
    table = read_table(data, "danh-sach.xlsx")
    mapping = auto_mapping(table.headers)
    assert mapping[6] == "privacy.photo" and mapping[7] == "privacy.contact"

    outcome = run(tree, registrar, data, commit=False)

    assert outcome.counts["errors"] == 1
    refused = [p for p in outcome.analysis.problems if p.severity == "error"]
    assert [(p.row, p.column, p.letter) for p in refused] == [(6, "Đồng ý dùng ảnh", "G")]
    assert "neither a date nor a yes or a no" in refused[0].message
    transfer_note = [p for p in outcome.analysis.problems if p.row == 8 and p.letter == "G"]
    assert "Not recorded for a member asked for by transfer" in transfer_note[0].message
    assert Consent.objects.count() == 1  # the dry run writes nothing


def test_the_commit_records_each_consent_on_its_day_and_keeps_the_standing_ones(
    tree, registrar, known, elsewhere
):
    data, _headers = workbook(known, elsewhere)
    today = timezone.localdate()

    outcome = run(tree, registrar, data, commit=True)

    assert (outcome.counts["new"], outcome.counts["transfer"], outcome.counts["errors"]) == (
        3,
        1,
        1,
    )
    assert consents() == {
        ("Lê Thị An", Purpose.PHOTO, today, Method.PAPER),
        ("Lê Thị An", Purpose.CONTACT, dt.date(2024, 2, 3), Method.PAPER),
        ("Trần Văn Bình", Purpose.PHOTO, today, Method.PAPER),
        ("Nguyễn Văn Cường", Purpose.CONTACT, dt.date(2024, 3, 2), Method.PAPER),
        # The consent signed in 2023 stands as it was; the new column adds the contact one.
        ("Võ Thị Hằng", Purpose.PHOTO, dt.date(2023, 1, 1), Method.IN_PERSON),
        ("Võ Thị Hằng", Purpose.CONTACT, today, Method.PAPER),
    }
    assert not Consent.objects.filter(member=elsewhere).exists()
    assert outcome.analysis.recorded == {"privacy.photo": 2, "privacy.contact": 3}
    logged = AuditEvent.objects.filter(action=Action.CONSENT_GIVEN, data__source="danh-sach.xlsx")
    assert sorted(logged.values_list("target_repr", flat=True)) == sorted(
        ["Lê Thị An", "Lê Thị An", "Trần Văn Bình", "Nguyễn Văn Cường", "Võ Thị Hằng"]
    )

    again = run(tree, registrar, data, commit=True)

    assert again.analysis.recorded == {"privacy.photo": 0, "privacy.contact": 0}
    assert Consent.objects.count() == 6


def test_the_service_records_only_inside_the_registrars_reach(tree, registrar, officer_at):
    inside = admit(tree.grassroots_a1, tree.admin, full_name="Hồ Văn Nam")
    other_district = admit(tree.grassroots_b1, tree.admin, full_name="Lê Văn Tám")
    day = dt.date(2024, 5, 1)
    values = [(inside.pk, day), (other_district.pk, day)]

    with pytest.raises(OutOfScope):
        services.consents_import(
            values=values,
            purpose=Purpose.PHOTO,
            unit=tree.grassroots_a1,
            by=officer_at(tree.district_b, scope.REGISTRAR),
            source="x.xlsx",
        )
    recorded = services.consents_import(
        values=values, purpose=Purpose.PHOTO, unit=tree.grassroots_a1, by=registrar, source="x"
    )

    assert recorded == 1
    assert list(Consent.objects.values_list("member", flat=True)) == [inside.pk]


def test_the_declared_columns_name_real_purposes():
    from unionhub.core import registry

    columns = registry.import_columns()
    assert {key for key in columns if key.startswith("privacy.")} == {
        f"privacy.{purpose}" for purpose in Purpose.values
    }
