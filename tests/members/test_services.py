"""Admission, profile edits, transfers on both sides, duplicates, locking, reorganisation."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import cccd
from unionhub.audit.models import AuditEvent
from unionhub.core.errors import Conflict, DomainError, OutOfScope
from unionhub.members import selectors, services
from unionhub.members.models import Member, MembershipPeriod, MemberState, Transfer
from unionhub.orgs import services as orgs_services
from unionhub.orgs.models import Level


def periods(member):
    return list(
        MembershipPeriod.objects.filter(member=member)
        .order_by("start")
        .values_list("unit__code", "start", "end")
    )


def test_admission_normalises_text_and_opens_a_period(tree, registrar_a):
    decomposed = "Nguye\u0302\u0303n Thi\u0323 Thu\u0309y"
    member = services.member_admit(
        unit=tree.grassroots_a1,
        by=registrar_a,
        joined=dt.date(2021, 9, 1),
        full_name=decomposed,
        gender="female",
        id_number="042 193 000 001",
        home_town="Đức  Thọ ",
    )
    assert member.full_name == "Nguyễn Thị Thủy"
    assert member.given_name == "Thủy" and member.name_folded == "nguyen thi thuy"
    assert member.id_number == "042193000001" and member.home_town == "Đức Thọ"
    assert periods(member) == [("HT-DT-0001", dt.date(2021, 9, 1), None)]
    assert AuditEvent.objects.filter(action="members.member.admitted").count() == 1


@pytest.mark.parametrize(
    ("kind", "number"),
    [("cccd", "04219300000"), ("cccd", "04219300000X"), ("cmnd", "12345678"), ("passport", "A1")],
)
def test_malformed_documents_are_refused(tree, kind, number):
    with pytest.raises(DomainError) as refused:
        services.member_admit(
            unit=tree.grassroots_a1,
            by=tree.admin,
            joined=dt.date(2022, 1, 1),
            full_name="Lê Văn Tư",
            gender="male",
            id_kind=kind,
            id_number=number,
        )
    assert refused.value.code == "id_invalid"
    assert not Member.objects.exists()


def test_foreign_worker_with_a_passport_is_admitted(tree):
    member = services.member_admit(
        unit=tree.grassroots_b1,
        by=tree.admin,
        joined=dt.date(2025, 8, 1),
        full_name="Kim Min Jun",
        gender="male",
        id_kind="passport",
        id_number="m1234567",
        nationality="Hàn Quốc",
    )
    assert member.id_number == "M1234567"


def test_cccd_inconsistencies_are_warnings_not_errors(admit):
    member = admit(gender="female", birth_date=dt.date(1985, 1, 1), id_number="999085000001")
    warnings = services.profile_warnings(member)
    assert len(warnings) == 2  # unknown province 999, and digit 4 "0" says male
    good = admit(gender="male", birth_date=dt.date(1990, 2, 2), id_number=cccd(9001))
    assert services.profile_warnings(good) == []
    born_2001 = admit(gender="female", birth_date=dt.date(1999, 1, 1), id_number="042301000002")
    assert any("2001" in w for w in services.profile_warnings(born_2001))


def test_duplicate_document_in_the_same_unit_is_refused(admit):
    admit(id_number="042090000001")
    with pytest.raises(DomainError) as refused:
        admit(id_number="042090000001", full_name="Ai Đó")
    assert refused.value.code == "active_elsewhere"
    assert Member.objects.count() == 1


def test_admitting_someone_active_elsewhere_offers_a_transfer(tree, admit, registrar_b):
    holder = admit(id_number="042090000002")
    with pytest.raises(DomainError) as refused:
        admit(unit=tree.grassroots_b1, by=registrar_b, id_number="042090000002")
    assert refused.value.code == "active_elsewhere"
    # registrar_b cannot see the holder's union: the refusal does not name it.
    assert refused.value.params == {} and holder.unit.name not in refused.value.message
    found = selectors.member_by_document(user=registrar_b, id_kind="cccd", id_number="042090000002")
    assert found == holder


def test_a_person_who_left_may_join_again_elsewhere(tree, admit):
    first = admit(id_number="042090000003")
    services.member_leave(member=first, date=dt.date(2022, 1, 1), reason="job_ended", by=tree.admin)
    again = admit(unit=tree.grassroots_b1, id_number="042090000003", joined=dt.date(2022, 3, 1))
    assert again.state == MemberState.ACTIVE
    with pytest.raises(DomainError) as refused:
        services.member_reinstate(member=first, date=dt.date(2022, 4, 1), by=tree.admin)
    assert refused.value.code == "active_elsewhere"


def test_transfer_requested_by_sending_unit_accepted_by_receiver(
    tree, admit, registrar_a, registrar_b
):
    member = admit(joined=dt.date(2019, 1, 1))
    transfer = services.transfer_request(
        member=member, to_unit=tree.grassroots_b1, effective=dt.date(2023, 3, 1), by=registrar_a
    )
    member.refresh_from_db()
    assert member.unit == tree.grassroots_a1  # stays until accepted
    assert list(selectors.transfers_incoming(user=registrar_b)) == [transfer]
    assert list(selectors.transfers_incoming(user=registrar_a)) == []
    with pytest.raises(OutOfScope):
        services.transfer_accept(transfer=transfer, by=registrar_a)
    services.transfer_accept(transfer=transfer, by=registrar_b, decision="5/QĐ")
    member.refresh_from_db()
    assert member.unit == tree.grassroots_b1 and member.state == MemberState.ACTIVE
    assert periods(member) == [
        ("HT-DT-0001", dt.date(2019, 1, 1), dt.date(2023, 3, 1)),
        ("HT-CL-0001", dt.date(2023, 3, 1), None),
    ]
    assert list(member.events.values_list("kind", "unit__code", "decision")) == [
        ("admitted", "HT-DT-0001", ""),
        ("transferred_out", "HT-DT-0001", "5/QĐ"),
        ("transferred_in", "HT-CL-0001", "5/QĐ"),
    ]
    # The receiving unit now sees the member; the sending one no longer does.
    assert selectors.member_get(user=registrar_b, pk=member.pk) == member
    with pytest.raises(OutOfScope):
        selectors.member_get(user=registrar_a, pk=member.pk)


def test_transfer_requested_by_receiving_unit_accepted_by_sender(
    tree, admit, registrar_a, registrar_b
):
    member = admit(id_number="042090000010")
    found = selectors.member_by_document(user=registrar_b, id_kind="cccd", id_number="042090000010")
    transfer = services.transfer_request(
        member=found, to_unit=tree.grassroots_b1, effective=dt.date(2024, 1, 1), by=registrar_b
    )
    assert transfer.requested_by_receiver
    assert list(selectors.transfers_incoming(user=registrar_a)) == [transfer]
    with pytest.raises(OutOfScope):
        services.transfer_accept(transfer=transfer, by=registrar_b)
    services.transfer_accept(transfer=transfer, by=registrar_a)
    member.refresh_from_db()
    assert member.unit == tree.grassroots_b1


def test_rejected_transfer_leaves_the_member_in_place(tree, admit, registrar_a, registrar_b):
    member = admit()
    transfer = services.transfer_request(
        member=member, to_unit=tree.grassroots_b1, effective=dt.date(2024, 1, 1), by=registrar_a
    )
    services.transfer_reject(transfer=transfer, by=registrar_b, note="Không có hồ sơ")
    member.refresh_from_db()
    assert member.unit == tree.grassroots_a1
    assert Transfer.objects.get().status == "rejected"
    assert periods(member) == [("HT-DT-0001", dt.date(2020, 3, 1), None)]
    with pytest.raises(DomainError) as again:
        services.transfer_accept(transfer=transfer, by=registrar_b)
    assert again.value.code == "transfer_decided"


def test_impossible_transfers_are_refused(tree, admit, registrar_a, officer_at):
    member = admit(joined=dt.date(2020, 3, 1))
    with pytest.raises(DomainError) as early:
        services.transfer_request(
            member=member, to_unit=tree.grassroots_b1, effective=dt.date(2019, 1, 1), by=registrar_a
        )
    assert early.value.code == "date_before_last_event"
    services.member_leave(
        member=member, date=dt.date(2021, 1, 1), reason="resigned", by=registrar_a
    )
    with pytest.raises(DomainError) as left:
        services.transfer_request(
            member=member, to_unit=tree.grassroots_b1, effective=dt.date(2022, 1, 1), by=registrar_a
        )
    assert left.value.code == "member_not_active"
    stranger = officer_at(tree.grassroots_a2, "registrar")
    other = admit()
    with pytest.raises(OutOfScope):
        services.transfer_request(
            member=other, to_unit=tree.grassroots_b1, effective=dt.date(2024, 1, 1), by=stranger
        )


def test_leaving_cancels_a_pending_transfer(tree, admit, registrar_a):
    member = admit()
    services.transfer_request(
        member=member, to_unit=tree.grassroots_b1, effective=dt.date(2024, 1, 1), by=registrar_a
    )
    services.member_leave(
        member=member, date=dt.date(2024, 2, 1), reason="resigned", by=registrar_a
    )
    assert Transfer.objects.get().status == "cancelled"


def test_event_before_admission_is_refused(admit, registrar_a):
    member = admit(joined=dt.date(2020, 3, 1))
    with pytest.raises(DomainError) as refused:
        services.member_retire(member=member, date=dt.date(2020, 2, 1), by=registrar_a)
    assert refused.value.code == "date_before_last_event"
    assert "01/03/2020" in str(refused.value.message)


def test_suspension_ends_the_period_and_resumption_opens_one(admit, registrar_a):
    member = admit(joined=dt.date(2020, 3, 1))
    services.member_suspend(
        member=member, date=dt.date(2022, 1, 1), by=registrar_a, decision="9/QĐ"
    )
    services.member_resume(member=member, date=dt.date(2022, 7, 1), by=registrar_a)
    assert periods(member) == [
        ("HT-DT-0001", dt.date(2020, 3, 1), dt.date(2022, 1, 1)),
        ("HT-DT-0001", dt.date(2022, 7, 1), None),
    ]


def test_second_save_with_a_stale_version_is_refused_with_the_changes(
    admit, registrar_a, officer_at, tree
):
    other = officer_at(tree.grassroots_a1, "registrar")
    member = admit(phone="0912000000")
    services.member_update(member=member, by=other, version=1, phone="0912999999")
    with pytest.raises(Conflict) as refused:
        services.member_update(member=member, by=registrar_a, version=1, address="Xóm 3")
    assert refused.value.code == "edit_conflict"
    assert refused.value.params["changes"][0]["field"] == "phone"
    assert refused.value.params["changes"][0]["new"] == "0912999999"
    member.refresh_from_db()
    assert (member.phone, member.address, member.version) == ("0912999999", "", 2)


def test_update_is_audited_with_before_and_after(admit, registrar_a):
    member = admit(address="")
    services.member_update(member=member, by=registrar_a, version=1, address="Thôn 2, xã Tùng Ảnh")
    entry = AuditEvent.objects.get(action="members.member.updated")
    assert entry.data["changes"] == {"address": ["", "Thôn 2, xã Tùng Ảnh"]}
    assert entry.actor == registrar_a


def test_officer_of_another_unit_cannot_edit_or_record_events(admit, registrar_b):
    member = admit()
    with pytest.raises(OutOfScope):
        services.member_update(member=member, by=registrar_b, version=1, phone="1")
    with pytest.raises(OutOfScope):
        services.member_suspend(member=member, date=dt.date(2024, 1, 1), by=registrar_b)


def test_viewer_may_read_but_not_see_sensitive_fields(tree, admit, officer_at):
    viewer = officer_at(tree.grassroots_a1, "viewer")
    member = admit(ethnicity="Kinh")
    assert selectors.member_get(user=viewer, pk=member.pk) == member
    with pytest.raises(OutOfScope):
        selectors.member_sensitive(user=viewer, member=member)


def test_completeness_is_cached_and_summed_per_subtree(tree, admit):
    full = {
        "ethnicity": "Kinh",
        "religion": "Không",
        "home_town": "Hà Tĩnh",
        "address": "Thôn 1",
        "phone": "0912345678",
        "education": "12/12",
        "qualification": "Đại học",
        "occupation": "Giáo viên",
        "workplace": "Trường THCS",
    }
    member = admit(**full)
    assert member.completeness == 93  # everything but the photo
    member.photo = "members/photos/x.jpg"
    Member.objects.filter(pk=member.pk).update(completeness=100)
    admit(unit=tree.grassroots_a2)
    figures = selectors.unit_completeness(user=tree.admin, unit=tree.district_a)
    assert (figures.members, figures.complete, figures.share) == (2, 1, 50.0)


def test_merging_a_unit_moves_its_members_by_reorganisation(tree, admit):
    staying = admit(joined=dt.date(2019, 1, 1))
    suspended = admit(joined=dt.date(2019, 1, 1))
    services.member_suspend(member=suspended, date=dt.date(2020, 1, 1), by=tree.admin)
    left = admit(joined=dt.date(2019, 1, 1))
    services.member_leave(member=left, date=dt.date(2020, 1, 1), reason="resigned", by=tree.admin)
    day = dt.date(2025, 7, 1)
    orgs_services.unit_dissolve(
        unit=tree.grassroots_a1, effective=day, by=tree.admin, merged_into=tree.grassroots_b1
    )
    for member in (staying, suspended, left):
        member.refresh_from_db()
    assert staying.unit == tree.grassroots_b1 and suspended.unit == tree.grassroots_b1
    assert suspended.state == MemberState.SUSPENDED
    assert left.unit == tree.grassroots_a1  # history stays where it happened
    assert periods(staying) == [
        ("HT-DT-0001", dt.date(2019, 1, 1), day),
        ("HT-CL-0001", day, None),
    ]
    assert periods(suspended) == [("HT-DT-0001", dt.date(2019, 1, 1), dt.date(2020, 1, 1))]
    assert list(staying.events.filter(reorganisation=True).values_list("kind", flat=True)) == [
        "transferred_out",
        "transferred_in",
    ]
    services.member_resume(member=suspended, date=dt.date(2025, 8, 1), by=tree.admin)
    assert periods(suspended)[-1] == ("HT-CL-0001", dt.date(2025, 8, 1), None)


def test_a_unit_with_members_cannot_be_dissolved_without_a_merge(tree, admit):
    admit()
    with pytest.raises(DomainError) as refused:
        orgs_services.unit_dissolve(
            unit=tree.grassroots_a1, effective=dt.date(2025, 7, 1), by=tree.admin
        )
    assert refused.value.code == "unit_has_members"
    tree.grassroots_a1.refresh_from_db()
    assert tree.grassroots_a1.dissolved is None


def test_members_follow_their_unit_when_it_moves(tree, admit):
    member = admit()
    orgs_services.unit_move(
        unit=tree.grassroots_a1,
        new_parent=tree.province,
        effective=dt.date(2025, 7, 1),
        by=tree.admin,
    )
    district_officer_list = selectors.member_list(user=tree.admin, unit=tree.province)
    assert member in district_officer_list
    assert member not in selectors.member_list(user=tree.admin, unit=tree.district_a)


def test_members_cannot_be_admitted_to_the_province_itself(tree):
    with pytest.raises(DomainError) as refused:
        services.member_admit(
            unit=tree.province,
            by=tree.admin,
            joined=dt.date(2020, 1, 1),
            full_name="A B",
            gender="male",
        )
    assert refused.value.code == "unit_takes_no_members"
    assert tree.province.level == Level.PROVINCE


@pytest.mark.parametrize("typed", ["abc", "NaN", "0912 345 678 (Zalo)", "+84 (0) abc"])
def test_a_phone_that_is_not_a_number_is_refused_on_the_field(admit, tree, typed):
    member = admit()
    with pytest.raises(DomainError) as refused:
        services.member_update(member=member, by=tree.admin, version=member.version, phone=typed)
    assert (refused.value.code, refused.value.field) == ("phone_invalid", "phone")
    member.refresh_from_db()
    assert member.phone == ""


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0912 345.678", "0912345678"), ("(+84) 912-345-678", "+84912345678"), ("-", "")],
)
def test_a_phone_keeps_its_digits_without_what_was_typed_between_them(admit, tree, typed, stored):
    member = admit()
    services.member_update(member=member, by=tree.admin, version=member.version, phone=typed)
    member.refresh_from_db()
    assert member.phone == stored


def test_a_transfer_is_dated_at_most_a_year_ahead(admit, tree):
    member = admit()
    far = timezone.localdate() + dt.timedelta(days=400)
    with pytest.raises(DomainError) as refused:
        services.transfer_request(
            member=member, to_unit=tree.grassroots_a2, effective=far, by=tree.admin
        )
    assert (refused.value.code, refused.value.field) == ("transfer_too_far_ahead", "effective")
    assert not member.transfers.exists()
