"""The import's dry run is no nationwide look-up: a file of document numbers of members the
officer cannot see tells them "a member of another union", never the name or the union; each
such look-up is audited and, past the officer's rate, the row says nothing at all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from unionhub.audit.models import AuditEvent
from unionhub.imports import services
from unionhub.imports.reader import auto_mapping, read_table
from unionhub.members import services as member_services

pytestmark = pytest.mark.django_db
LOOKED_UP = "members.member.document_looked_up"


@pytest.fixture(autouse=True)
def own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def strangers(tree):
    """Three members of the other district: active, left, deceased."""

    def admit(name, number):
        return member_services.member_admit(
            unit=tree.grassroots_b1,
            by=tree.admin,
            joined=dt.date(2015, 1, 1),
            full_name=name,
            gender="male",
            id_number=number,
        )

    active = admit("Trần Bí Mật", "042090000901")
    left = admit("Lê Đã Nghỉ", "042090000902")
    member_services.member_leave(
        member=left, date=dt.date(2020, 1, 1), reason="job_ended", by=tree.admin
    )
    gone = admit("Hồ Đã Mất", "042090000903")
    member_services.member_decease(member=gone, date=dt.date(2021, 1, 1), by=tree.admin)
    return active, left, gone


def preview(tree, registrar, numbers):
    lines = ["Họ và tên,Giới tính,Số CCCD,Ngày vào công đoàn"]
    lines += [f"Người Thử {i},Nam,{n},01/03/2024" for i, n in enumerate(numbers)]
    table = read_table("\n".join(lines).encode(), "probe.csv")
    return services.import_check(
        table=table, unit=tree.grassroots_a1, by=registrar, mapping=auto_mapping(table.headers)
    )


def shown(outcome) -> str:
    return " ".join(p.message for p in outcome.analysis.problems)


def test_a_preview_of_other_unions_numbers_names_nobody(tree, registrar, strangers):
    outcome = preview(tree, registrar, [m.id_number for m in strangers])
    text = shown(outcome)
    assert "another union" in text
    for member in strangers:
        assert member.full_name not in text
    assert tree.grassroots_b1.name not in text
    audited = AuditEvent.objects.filter(action=LOOKED_UP, actor=registrar)
    assert sorted(audited.values_list("target_id", flat=True)) == sorted(
        str(m.pk) for m in strangers
    )
    assert {tuple(sorted(e.data.items())) for e in audited} == {
        (("refused", False), ("via", "import"))
    }


def test_past_the_rate_the_rows_say_nothing_about_the_holder(tree, registrar, strangers, settings):
    settings.DOCUMENT_LOOKUP_RATE = (1, 3600)
    outcome = preview(tree, registrar, [m.id_number for m in strangers])
    limited = [p for p in outcome.analysis.problems if "wait a while" in p.message]
    # The first member found is told of ("another union"); the other two not even that.
    assert [p.row for p in limited] == [3, 4] and outcome.counts["errors"] == 2
    assert "deceased" not in shown(outcome) and "former member" not in shown(outcome)
    assert AuditEvent.objects.filter(action=LOOKED_UP, data__refused=True).count() == 2
