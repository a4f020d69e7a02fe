"""A member imported in bulk is indistinguishable from one admitted through member_admit (or
recorded through member_record)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unionhub.audit.models import AuditEvent
from unionhub.imports import pipeline, services
from unionhub.imports.services.admissions import _Names
from unionhub.members import selectors as member_selectors
from unionhub.members import services as member_services
from unionhub.members import signals
from unionhub.members.models import EventKind, Member

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "Nguyễn Thị Ánh Tuyết",
    "gender": "female",
    "birth_date": dt.date(1991, 4, 3),
    "ethnicity": "Kinh",
    "religion": "Không",
    "home_town": "Đức Thọ, Hà Tĩnh",
    "address": "Xóm 3, Tùng Ảnh",
    "phone": "0912000301",
    "education": "12/12",
    "qualification": "Đại học",
    "occupation": "Giáo viên",
    "workplace": "Trường THCS Tùng Ảnh",
}
JOINED = dt.date(2015, 8, 15)
BOOKS_OPEN = dt.date(2025, 7, 1)
STATE_FIELDS = [
    f.attname
    for f in Member._meta.concrete_fields
    if f.attname not in ("id", "public_id", "id_number", "search_text", "created", "updated")
]


def event_facts(member):
    return list(
        member.events.values_list(
            "kind", "date", "unit_id", "other_unit_id", "reason", "reorganisation", "decision",
            "note", "by_id",
        )
    )  # fmt: skip


@pytest.mark.parametrize("kind", [EventKind.ADMITTED, EventKind.RECORDED])
def test_bulk_admission_equals_member_admit(tree, registrar, kind):
    received = []
    recording = kind == EventKind.RECORDED
    create = member_services.member_record if recording else member_services.member_admit
    books = {"books_open": BOOKS_OPEN} if recording else {}

    def receiver(sender, member, event, by, **kwargs):
        received.append((member.full_name, member.pk, event.kind, event.pk, by))

    signals.membership_changed.connect(receiver)
    try:
        single = create(
            unit=tree.grassroots_a1, by=registrar, joined=JOINED, decision="12/QĐ-CĐ",
            id_number="042191000301", **books, **PROFILE,
        )  # fmt: skip
        plan = pipeline.RowPlan(
            number=2,
            cells=[],
            unit=tree.grassroots_a1,
            data={
                **PROFILE,
                "id_kind": "cccd",
                "id_number": "042191000302",
                "admission_decision": "12/QĐ-CĐ",
                "joined": JOINED,
            },
            on=BOOKS_OPEN if recording else JOINED,
        )
        [pk] = services.members_bulk_create(plans=[plan], kind=kind, by=registrar, source="f.xlsx")
    finally:
        signals.membership_changed.disconnect(receiver)
    bulk = Member.objects.get(pk=pk)
    single = Member.objects.get(pk=single.pk)
    assert {f: getattr(bulk, f) for f in STATE_FIELDS} == {
        f: getattr(single, f) for f in STATE_FIELDS
    }
    assert bulk.search_text.replace("302", "301") == single.search_text
    assert event_facts(bulk) == event_facts(single)
    assert list(bulk.periods.values_list("unit_id", "start", "end")) == list(
        single.periods.values_list("unit_id", "start", "end")
    )
    action = "members.member.recorded" if recording else "members.member.admitted"
    audit = {
        m.pk: AuditEvent.objects.get(target_id=str(m.pk), action=action) for m in (bulk, single)
    }
    assert audit[bulk.pk].actor == audit[single.pk].actor == registrar
    assert audit[bulk.pk].target_repr == audit[single.pk].target_repr
    assert audit[bulk.pk].data == {**audit[single.pk].data, "import": "f.xlsx"}
    assert [r[2] for r in received] == [kind, kind]
    assert bulk.joined == single.joined == JOINED
    assert bulk.events.get().date == (BOOKS_OPEN if recording else JOINED)
    assert received[1][:2] == (bulk.full_name, bulk.pk)
    assert received[1][3] == bulk.events.get().pk and received[1][4] == registrar
    # The search index (FTS5 on SQLite, pg_trgm on PostgreSQL) finds both the same way.
    for query in ("nguyen thi anh tuyet", "Tuyết", "anh tuy", "0912000301"):
        hits = {m.pk for m in member_selectors.member_search(user=registrar, query=query)}
        assert hits == {bulk.pk, single.pk}, query
    hits = member_selectors.member_search(user=registrar, query="042191000302")
    assert [m.pk for m in hits] == [bulk.pk]
    figures = member_selectors.unit_completeness(user=registrar, unit=tree.grassroots_a1)
    assert (figures.members, figures.complete) == (2, 0)
    assert bulk.completeness == single.completeness == 93  # all but the photo


def test_bulk_admission_without_optional_fields_takes_the_model_defaults(tree, registrar):
    plan = pipeline.RowPlan(
        number=2,
        cells=[],
        unit=tree.grassroots_a1,
        data={"full_name": "Lê Văn An", "gender": "male", "joined": JOINED},
    )
    [pk] = services.members_bulk_create(
        plans=[plan], kind=EventKind.ADMITTED, by=registrar, source="f.xlsx"
    )
    single = member_services.member_admit(
        unit=tree.grassroots_a1, by=registrar, joined=JOINED, full_name="Lê Văn An", gender="male"
    )
    bulk = Member.objects.get(pk=pk)
    single.refresh_from_db()
    assert {f: getattr(bulk, f) for f in STATE_FIELDS} == {
        f: getattr(single, f) for f in STATE_FIELDS
    }
    assert bulk.nationality == "Việt Nam" and bulk.id_kind == "cccd" and bulk.id_number == ""


names = st.lists(
    st.one_of(
        st.sampled_from(["Nguyễn", "Thị", "Đặng", "Ánh", "Tuyết", "Ngọc", "Ư", "Ơn", "Đ"]),
        st.text(min_size=0, max_size=6),
    ),
    max_size=5,
).map(" ".join)


@settings(max_examples=300)
@given(st.lists(names, min_size=1, max_size=8))
def test_bulk_name_fields_are_the_ones_member_save_derives(full_names):
    """Word by word and cached, the import's name fields are Member.derive_name_fields', for
    any text: NFD input, odd white space, combining marks at the start of a word."""
    derive = _Names()
    for full_name in full_names + full_names:  # the second time from the caches
        assert derive(full_name) == Member.derive_name_fields(full_name)
        decomposed = unicodedata.normalize("NFD", full_name)
        assert derive(decomposed) == Member.derive_name_fields(decomposed)
