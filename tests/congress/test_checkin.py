"""Check-in: idempotent, one row per delegate and session even when two stations scan the same
card at once, refused cards say why, and offline uploads reconcile with the server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.congress.helpers import token_of
from tests.factories import tampered
from unionhub.audit.models import AuditEvent
from unionhub.congress import selectors, services
from unionhub.congress.models import CheckIn
from unionhub.core import scope, signing
from unionhub.core.errors import OutOfScope


@pytest.mark.django_db
def test_scan_checks_in_once_and_a_second_scan_says_when(setup):
    delegate = setup.elected[0]
    first = services.checkin_scan(
        session=setup.opening, token=token_of(delegate), by=setup.organiser
    )
    assert first.status == "checked_in"
    assert first.delegate == delegate
    second = services.checkin_scan(
        session=setup.opening, token=token_of(delegate), by=setup.organiser
    )
    assert second.status == "already"
    at = timezone.localtime(first.at).strftime("%H:%M")
    assert second.message == f"Đã điểm danh lúc {at}."
    assert (second.checkin_id, second.at) == (first.checkin_id, first.at)
    assert CheckIn.objects.filter(session=setup.opening, delegate=delegate).count() == 1
    assert AuditEvent.objects.filter(action="congress.checkin.created").count() == 1


def _statements(queries: CaptureQueriesContext, verb: str) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(verb)]


@pytest.mark.django_db
def test_a_scan_reads_the_database_once(setup):
    """A door scan reads one row (the delegate with the session's check-in, if any); a first
    scan then writes the check-in and its audit row, a repeat writes nothing."""
    session = selectors.station_session(user=setup.organiser, pk=setup.opening.pk)
    token = token_of(setup.elected[0])
    with CaptureQueriesContext(connection) as first:
        assert services.checkin_scan(session=session, token=token, by=setup.organiser).status == (
            "checked_in"
        )
    with CaptureQueriesContext(connection) as repeat:
        assert services.checkin_scan(session=session, token=token, by=setup.organiser).status == (
            "already"
        )
    assert len(_statements(first, "SELECT")) == len(_statements(repeat, "SELECT")) == 1
    inserted = _statements(first, "INSERT")
    assert [sql.split()[2].strip('"') for sql in inserted] == [
        "congress_checkin",
        "audit_auditevent",
    ]
    assert _statements(repeat, "INSERT") == []
    event = AuditEvent.objects.get(action="congress.checkin.created")
    assert event.target_repr == "Nguyễn Văn An @ Phiên chính thức"


@pytest.mark.django_db
def test_only_organisers_of_the_congress_unit_get_a_station(setup, officer_at, tree):
    pk = setup.opening.pk
    for outsider in (setup.other_organiser, officer_at(tree.province, scope.REGISTRAR)):
        with pytest.raises(OutOfScope):
            selectors.station_session(user=outsider, pk=pk)
    with pytest.raises(OutOfScope):
        selectors.station_session(user=setup.organiser, pk=setup.opening.pk + 1000)
    admin = officer_at(tree.province, scope.UNIT_ADMIN)  # unit admin implies every role
    assert selectors.station_session(user=admin, pk=pk).congress_id == setup.congress.pk
    scan = services.checkin_scan(
        session=selectors.station_session(user=setup.organiser, pk=pk),
        token=token_of(setup.guest),
        by=setup.organiser,
    )
    assert scan.delegate.full_name == "Bùi Thị Khách"


@pytest.mark.django_db
def test_check_in_is_per_session(setup):
    token = token_of(setup.elected[0])
    services.checkin_scan(session=setup.opening, token=token, by=setup.organiser)
    again = services.checkin_scan(session=setup.closing, token=token, by=setup.organiser)
    assert again.status == "checked_in"
    assert CheckIn.objects.filter(delegate=setup.elected[0]).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make_token", "code"),
    [
        (lambda s: token_of(s.other_delegate), "card_other_congress"),
        (lambda s: token_of(s.elected[0])[:-3] + "AAA", "card_invalid"),
        (lambda s: "not a token", "card_invalid"),
        (
            lambda s: signing.sign(
                signing.verify(token_of(s.elected[0]), purpose=b"delegate"), purpose=b"card"
            ),
            "card_invalid",
        ),
    ],
)
def test_bad_cards_are_refused_with_the_reason(setup, make_token, code):
    result = services.checkin_scan(
        session=setup.opening, token=make_token(setup), by=setup.organiser
    )
    assert (result.status, result.code) == ("refused", code)
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_revoked_and_replaced_cards_are_refused(setup):
    revoked, replaced = setup.elected[0], setup.elected[1]
    old = token_of(replaced)
    services.delegate_card_revoke(delegate=revoked, by=setup.organiser)
    services.delegate_card_reissue(delegate=replaced, by=setup.organiser)
    a = services.checkin_scan(session=setup.opening, token=token_of(revoked), by=setup.organiser)
    b = services.checkin_scan(session=setup.opening, token=old, by=setup.organiser)
    assert (a.code, b.code) == ("card_revoked", "card_replaced")
    c = services.checkin_scan(session=setup.opening, token=token_of(replaced), by=setup.organiser)
    assert c.status == "checked_in"


@pytest.mark.django_db
def test_manual_check_in_and_undo(setup):
    delegate = setup.guest
    result = services.checkin_manual(session=setup.opening, delegate=delegate, by=setup.organiser)
    assert result.status == "checked_in"
    checkin = CheckIn.objects.get(pk=result.checkin_id)
    assert checkin.source == "manual"
    services.checkin_undo(checkin=checkin, by=setup.organiser)
    assert not CheckIn.objects.exists()
    assert AuditEvent.objects.filter(action="congress.checkin.undone").count() == 1
    again = services.checkin_scan(
        session=setup.opening, token=token_of(delegate), by=setup.organiser
    )
    assert again.status == "checked_in"


@pytest.mark.django_db
def test_organiser_of_another_unit_cannot_check_in(setup):
    with pytest.raises(OutOfScope):
        services.checkin_scan(
            session=setup.opening, token=token_of(setup.elected[0]), by=setup.other_organiser
        )
    with pytest.raises(OutOfScope):
        services.checkins_upload(
            session=setup.opening,
            items=[{"token": token_of(setup.elected[0])}],
            by=setup.other_organiser,
        )
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_offline_upload_reconciles_with_the_server(setup):
    now = timezone.now()
    early = now - dt.timedelta(minutes=20)
    online = services.checkin_scan(
        session=setup.opening, token=token_of(setup.elected[0]), by=setup.organiser
    )
    services.delegate_card_revoke(delegate=setup.elected[3], by=setup.organiser)
    items = [
        # Checked in online by another station meanwhile: the first check-in stays.
        {"token": token_of(setup.elected[0]), "at": early.isoformat()},
        # New: recorded at the time the offline station saw the card.
        {"token": token_of(setup.elected[1]), "at": early.isoformat()},
        # The same card twice in one upload (two offline stations): one check-in.
        {"token": token_of(setup.elected[2]), "at": early.isoformat()},
        {"token": token_of(setup.elected[2]), "at": now.isoformat()},
        # A card revoked before the upload; a tampered one; a manual check-in by id.
        {"token": token_of(setup.elected[3]), "at": early.isoformat()},
        {"token": tampered(token_of(setup.elected[4])), "at": early.isoformat()},
        {"delegate": setup.guest.pk, "at": early.isoformat()},
        # A delegate of another congress by id, and a clock far in the future.
        {"delegate": setup.other_delegate.pk, "at": early.isoformat()},
        {"token": token_of(setup.elected[5]), "at": (now + dt.timedelta(days=30)).isoformat()},
    ]
    results = services.checkins_upload(
        session=setup.opening, items=items, by=setup.organiser, station="cửa 2"
    )
    assert [r.status for r in results] == [
        "already",
        "checked_in",
        "checked_in",
        "already",
        "refused",
        "refused",
        "checked_in",
        "refused",
        "checked_in",
    ]
    rows = {c.delegate_id: c for c in CheckIn.objects.filter(session=setup.opening)}
    assert set(rows) == {
        setup.elected[0].pk,
        setup.elected[1].pk,
        setup.elected[2].pk,
        setup.guest.pk,
        setup.elected[5].pk,
    }
    assert rows[setup.elected[0].pk].at == online.at
    assert rows[setup.elected[1].pk].at == early
    assert rows[setup.elected[1].pk].source == "offline"
    assert rows[setup.elected[1].pk].station == "cửa 2"
    assert rows[setup.elected[5].pk].at <= timezone.now()
    # Uploading the same queue again (the answer was lost on the way back) changes nothing.
    again = services.checkins_upload(session=setup.opening, items=items, by=setup.organiser)
    assert CheckIn.objects.filter(session=setup.opening).count() == 5
    assert {r.status for r in again} == {"already", "refused"}


@pytest.mark.django_db
def test_station_that_lost_the_race_reports_the_winners_check_in(setup, monkeypatch):
    """Station B read "not checked in" just before station A wrote: B's insert meets the unique
    constraint and B answers "already checked in" with A's time."""
    token = token_of(setup.elected[0])
    stale = selectors.card_at_station(token, session=setup.opening)  # B's read: not yet
    assert stale[1] is None
    winner = services.checkin_scan(session=setup.opening, token=token, by=setup.organiser)
    monkeypatch.setattr(selectors, "card_at_station", lambda token, session: stale)
    loser = services.checkin_scan(session=setup.opening, token=token, by=setup.organiser)
    assert loser.status == "already"
    assert (loser.checkin_id, loser.at) == (winner.checkin_id, winner.at)
    assert CheckIn.objects.filter(session=setup.opening).count() == 1
    assert AuditEvent.objects.filter(action="congress.checkin.created").count() == 1
