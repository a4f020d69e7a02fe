"""The card's life: request → approve → print → deliver, revocation and re-issue; every step
audited, every refusal with its code; cards die with the membership."""

import datetime as dt

import pytest

from unionhub.audit.models import AuditEvent
from unionhub.cards import numbers, services
from unionhub.cards.models import Card, CardState, RevokeReason
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.members import services as member_services

pytestmark = pytest.mark.django_db


def actions(card):
    return list(
        AuditEvent.objects.filter(target_id=str(card.pk), action__startswith="cards.card.")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_full_life_of_a_card_is_audited(member, registrar, approver, series):
    card = services.card_request(member=member, by=registrar)
    assert card.state == CardState.REQUESTED and card.number is None
    card = services.card_approve(card=card, by=approver)
    assert card.state == CardState.APPROVED
    assert numbers.is_valid(card.number) and card.number.startswith("042")
    assert card.issued == dt.date.today()
    assert services.card_mark_printed(cards=[card], by=registrar) == 1
    card.refresh_from_db()
    assert card.state == CardState.PRINTED and card.printed_at
    card = services.card_mark_delivered(card=card, by=registrar)
    assert card.state == CardState.DELIVERED
    assert actions(card) == [
        "cards.card.requested",
        "cards.card.approved",
        "cards.card.printed",
        "cards.card.delivered",
    ]


def test_only_active_members_without_a_valid_card_can_be_requested(member, registrar, tree, series):
    services.card_request(member=member, by=registrar)
    with pytest.raises(DomainError) as error:
        services.card_request(member=member, by=registrar)
    assert error.value.code == "card_already_valid"
    assert Card.objects.filter(member=member).count() == 1


def test_suspended_member_cannot_get_a_card(admit, registrar, tree):
    member = admit()
    member_services.member_suspend(member=member, date=dt.date.today(), by=tree.admin)
    member.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.card_request(member=member, by=registrar)
    assert error.value.code == "member_not_active"


def test_registrar_of_another_unit_cannot_request(member, tree, officer_at):
    other = officer_at(tree.grassroots_b1, scope.REGISTRAR)
    with pytest.raises(OutOfScope):
        services.card_request(member=member, by=other)
    assert not Card.objects.exists()


def test_viewer_cannot_request(member, tree, officer_at):
    viewer = officer_at(tree.grassroots_a1, scope.VIEWER)
    with pytest.raises(OutOfScope):
        services.card_request(member=member, by=viewer)


def test_grassroots_registrar_cannot_approve(member, registrar, tree, officer_at, series):
    card = services.card_request(member=member, by=registrar)
    colleague = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    with pytest.raises(DomainError) as error:
        services.card_approve(card=card, by=colleague)
    assert error.value.code == "approve_not_allowed"
    card.refresh_from_db()
    assert card.state == CardState.REQUESTED and card.number is None


def test_unit_admin_can_approve_but_not_their_own_request(member, tree, officer_at, series):
    admin = officer_at(tree.grassroots_a1, scope.UNIT_ADMIN)
    card = services.card_request(member=member, by=admin)
    with pytest.raises(DomainError) as error:
        services.card_approve(card=card, by=admin)
    assert error.value.code == "approve_own_request"
    other_admin = officer_at(tree.grassroots_a1, scope.UNIT_ADMIN)
    assert services.card_approve(card=card, by=other_admin).state == CardState.APPROVED


def test_registrar_of_another_district_cannot_approve(member, registrar, tree, officer_at, series):
    card = services.card_request(member=member, by=registrar)
    with pytest.raises(DomainError):
        services.card_approve(card=card, by=officer_at(tree.district_b, scope.REGISTRAR))


def test_approval_needs_a_numbering_series(member, registrar, approver):
    card = services.card_request(member=member, by=registrar)
    with pytest.raises(DomainError) as error:
        services.card_approve(card=card, by=approver)
    assert error.value.code == "no_card_series"


def test_states_cannot_be_skipped_or_repeated(member, registrar, approver, series):
    card = services.card_request(member=member, by=registrar)
    with pytest.raises(DomainError) as error:
        services.card_mark_printed(cards=[card], by=registrar)
    assert error.value.code == "card_wrong_state"
    with pytest.raises(DomainError):
        services.card_mark_delivered(card=card, by=registrar)
    card = services.card_approve(card=card, by=approver)
    with pytest.raises(DomainError):
        services.card_approve(card=card, by=approver)
    with pytest.raises(DomainError):
        services.card_mark_delivered(card=card, by=registrar)
    services.card_mark_printed(cards=[card], by=registrar)
    assert services.card_mark_printed(cards=[card], by=registrar) == 0  # re-print is harmless
    card = services.card_mark_delivered(card=card, by=registrar)
    with pytest.raises(DomainError):
        services.card_mark_delivered(card=card, by=registrar)


def test_revoked_card_cannot_move_again(issued_card, registrar, approver):
    card = services.card_revoke(card=issued_card, reason=RevokeReason.LOST, by=registrar)
    assert card.state == CardState.REVOKED and card.revoked_at
    for attempt in (
        lambda: services.card_revoke(card=card, reason=RevokeReason.LOST, by=registrar),
        lambda: services.card_mark_printed(cards=[card], by=registrar),
        lambda: services.card_reissue(card=card, reason=RevokeReason.LOST, by=registrar),
    ):
        with pytest.raises(DomainError) as error:
            attempt()
        assert error.value.code == "card_wrong_state"


def test_withdrawn_request_frees_the_member_for_a_new_one(member, registrar):
    card = services.card_request(member=member, by=registrar)
    services.card_revoke(card=card, reason=RevokeReason.WITHDRAWN, by=registrar)
    assert services.card_request(member=member, by=registrar).state == CardState.REQUESTED


def test_reissue_revokes_the_old_card_and_requests_a_linked_new_one(
    issued_card, registrar, approver
):
    new = services.card_reissue(card=issued_card, reason=RevokeReason.LOST, by=registrar)
    issued_card.refresh_from_db()
    assert issued_card.state == CardState.REVOKED
    assert issued_card.revoke_reason == RevokeReason.LOST
    assert new.replaces == issued_card and new.state == CardState.REQUESTED
    new = services.card_approve(card=new, by=approver)
    assert new.number != issued_card.number
    assert actions(issued_card)[-1] == "cards.card.revoked"


def test_reissue_needs_a_reissue_reason(issued_card, registrar):
    with pytest.raises(DomainError) as error:
        services.card_reissue(card=issued_card, reason=RevokeReason.MEMBER_LEFT, by=registrar)
    assert error.value.code == "reissue_reason_invalid"
    issued_card.refresh_from_db()
    assert issued_card.state == CardState.APPROVED


def test_out_of_scope_registrar_cannot_revoke(issued_card, tree, officer_at):
    with pytest.raises(OutOfScope):
        services.card_revoke(
            card=issued_card,
            reason=RevokeReason.LOST,
            by=officer_at(tree.grassroots_b1, scope.REGISTRAR),
        )


@pytest.mark.parametrize(
    ("leave", "reason"),
    [
        (
            lambda m, by: member_services.member_leave(
                member=m, date=dt.date.today(), reason="struck_off", by=by
            ),
            RevokeReason.MEMBER_LEFT,
        ),
        (
            lambda m, by: member_services.member_decease(member=m, date=dt.date.today(), by=by),
            RevokeReason.MEMBER_DECEASED,
        ),
        (
            lambda m, by: member_services.member_retire(member=m, date=dt.date.today(), by=by),
            RevokeReason.MEMBER_LEFT,
        ),
    ],
    ids=["struck_off", "deceased", "retired"],
)
def test_card_is_revoked_when_the_holder_leaves(issued_card, tree, leave, reason):
    leave(issued_card.member, tree.admin)
    issued_card.refresh_from_db()
    assert issued_card.state == CardState.REVOKED
    assert issued_card.revoke_reason == reason
    assert actions(issued_card)[-1] == "cards.card.revoked"


def test_pending_request_is_withdrawn_too_when_the_holder_leaves(member, registrar, tree):
    card = services.card_request(member=member, by=registrar)
    member_services.member_leave(
        member=member, date=dt.date.today(), reason="resigned", by=tree.admin
    )
    card.refresh_from_db()
    assert card.state == CardState.REVOKED


def test_suspension_keeps_the_card(issued_card, tree):
    member_services.member_suspend(member=issued_card.member, date=dt.date.today(), by=tree.admin)
    issued_card.refresh_from_db()
    assert issued_card.state == CardState.APPROVED


def test_batch_request_covers_active_members_without_a_valid_card(
    admit, tree, registrar, approver, series
):
    a1 = [admit() for _ in range(3)]
    a2 = admit(unit=tree.grassroots_a2)
    b1 = admit(unit=tree.grassroots_b1)
    gone = admit()
    member_services.member_leave(
        member=gone, date=dt.date.today(), reason="resigned", by=tree.admin
    )
    services.card_request(member=a1[0], by=registrar)
    district_registrar = approver
    created = services.card_request_batch(unit=tree.district_a, by=district_registrar)
    assert {c.member_id for c in created} == {a1[1].pk, a1[2].pk, a2.pk}
    assert not Card.objects.filter(member__in=[b1, gone]).exists()
    assert AuditEvent.objects.filter(action="cards.card.requested").count() == 4
    again = services.card_request_batch(unit=tree.district_a, by=district_registrar)
    assert again == []


def test_batch_request_outside_scope_is_refused(tree, registrar):
    with pytest.raises(OutOfScope):
        services.card_request_batch(unit=tree.district_a, by=registrar)


def test_batch_approval_numbers_consecutively_and_checks_every_card(
    admit, tree, registrar, officer_at, series
):
    members = [admit() for _ in range(4)]
    cards = [services.card_request(member=m, by=registrar) for m in members]
    province_registrar = officer_at(tree.province, scope.REGISTRAR)
    approved = services.card_approve_batch(cards=cards, by=province_registrar)
    serials = sorted(int(c.number[3:11]) for c in approved)
    assert serials == [1, 2, 3, 4]
    assert all(c.state == CardState.APPROVED for c in Card.objects.all())

    other = services.card_request(member=admit(unit=tree.grassroots_b1), by=tree.admin)
    mine = services.card_request(member=admit(), by=registrar)
    with pytest.raises(DomainError):
        services.card_approve_batch(
            cards=[mine, other], by=officer_at(tree.district_a, scope.REGISTRAR)
        )
    assert Card.objects.filter(state=CardState.REQUESTED).count() == 2
