"""Secret electronic ballots: one per eligible delegate per round, unlinkable to the delegate."""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.db import connection, models

from tests.congress.helpers import token_of
from tests.elections.helpers import candidate_ids, make_election, open_round
from unionhub.congress import services as congress_services
from unionhub.core.errors import DomainError
from unionhub.elections import selectors, services
from unionhub.elections.models import ElectronicBallot, RoundState, VoteCast

pytestmark = pytest.mark.django_db


def voters(setup):
    return [*setup.elected[:-1], setup.ex_officio]  # the checked-in official delegates


def test_each_eligible_delegate_votes_once_and_the_count_adds_up(setup):
    round = open_round(setup, make_election(setup), "electronic")
    ids = candidate_ids(round)
    receipts = [
        services.vote_cast(round=round, delegate=d, kept=[ids["Nguyễn Thị Hoa"]])
        for d in voters(setup)
    ]
    assert round.eligible == len(voters(setup)) == 7
    assert len(set(receipts)) == 7
    services.round_close(round=round, by=setup.organiser)
    result = selectors.round_result(round=round)
    assert result.valid == 7 and result.votes[ids["Nguyễn Thị Hoa"]] == 7
    assert all(selectors.receipt_counted(delegate=setup.ex_officio, code=c) for c in receipts)
    assert not selectors.receipt_counted(delegate=setup.ex_officio, code="ABCDEFGHJK")


def test_no_ballot_can_be_tied_to_a_delegate_from_the_whole_database(setup):
    round = open_round(setup, make_election(setup, seats=1), "electronic")
    ids = list(candidate_ids(round).values())
    order = voters(setup)
    choices = {}
    for n, delegate in enumerate(order):
        choices[delegate.pk] = ids[n % len(ids)]
        services.vote_cast(round=round, delegate=delegate, kept=[choices[delegate.pk]])
    services.round_close(round=round, by=setup.organiser)

    # No column of the ballot table refers to a delegate, a user or a moment.
    for field in ElectronicBallot._meta.get_fields():
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
        if field.is_relation:
            assert field.related_model._meta.label == "elections.Round"
    # No other table references a ballot (nothing joins it to anything but its round).
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is ElectronicBallot:
                pytest.fail(f"{model.__name__}.{field.name} points at a ballot")

    # Neither the keys nor the storage order follow the order of voting: read both tables as
    # a database reader would, without ORDER BY, and by key.
    def stored(table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table} WHERE round_id = %s", [round.pk])
            return [row[0] for row in cursor.fetchall()]

    casts_stored = [_uuid(key) for key in stored(VoteCast._meta.db_table)]
    ballots_stored = [_uuid(key) for key in stored(ElectronicBallot._meta.db_table)]
    # Both tables were rewritten in the order of their own random keys at the close, so the
    # n-th stored cast and the n-th stored ballot are paired by nothing but chance.
    assert casts_stored == sorted(casts_stored)
    assert ballots_stored == sorted(ballots_stored)
    assert len(casts_stored) == len(ballots_stored) == len(order)
    kept_of = dict(ElectronicBallot.objects.filter(round=round).values_list("id", "kept"))
    assert sorted(kept_of[key][0] for key in ballots_stored) == sorted(choices.values())


def _uuid(value):
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def test_two_phones_at_once_count_one_ballot(setup):
    round = open_round(setup, make_election(setup), "electronic")
    delegate = setup.elected[0]
    services.vote_cast(round=round, delegate=delegate, kept=[])
    with pytest.raises(DomainError) as refused:
        services.vote_cast(round=round, delegate=delegate, kept=[])
    assert refused.value.code == "already_voted"
    assert VoteCast.objects.filter(round=round).count() == 1
    assert ElectronicBallot.objects.filter(round=round).count() == 1


def test_a_reissued_card_cannot_vote_again_and_the_old_card_is_refused(setup, client):
    round = open_round(setup, make_election(setup), "electronic")
    delegate = setup.elected[1]
    old_token = token_of(delegate)
    services.vote_cast(round=round, delegate=services.delegate_for_vote(old_token), kept=[])
    delegate = congress_services.delegate_card_reissue(delegate=delegate, by=setup.organiser)
    with pytest.raises(DomainError) as old:
        services.delegate_for_vote(old_token)
    assert old.value.code == "card_replaced"
    with pytest.raises(DomainError) as again:
        services.vote_cast(
            round=round, delegate=services.delegate_for_vote(token_of(delegate)), kept=[]
        )
    assert again.value.code == "already_voted"


def test_a_delegate_not_checked_in_a_guest_and_a_revoked_card_are_refused(setup):
    round = open_round(setup, make_election(setup), "electronic")
    for delegate in (setup.presidium, setup.guest):  # not checked in; invited guest
        with pytest.raises(DomainError) as refused:
            services.vote_cast(round=round, delegate=delegate, kept=[])
        assert refused.value.code == "not_eligible"
    revoked = congress_services.delegate_card_revoke(delegate=setup.elected[2], by=setup.organiser)
    with pytest.raises(DomainError) as refused:
        services.delegate_for_vote(token_of(revoked))
    assert refused.value.code == "card_revoked"
    assert not selectors.is_eligible(delegate=revoked, session=setup.opening)
    assert VoteCast.objects.filter(round=round).count() == 0


def test_a_closed_round_takes_no_vote(setup):
    round = open_round(setup, make_election(setup), "electronic")
    services.round_close(round=round, by=setup.organiser)
    with pytest.raises(DomainError):
        services.vote_cast(round=round, delegate=setup.elected[0], kept=[])
    round.refresh_from_db()
    assert round.state == RoundState.CLOSED
