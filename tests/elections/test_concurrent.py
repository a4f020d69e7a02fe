"""Two phones of the same delegate voting at the same moment count one ballot. Its own module:
the test commits for real, so it cannot share the congress the other modules keep."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests import world
from tests.congress.helpers import build_setup
from tests.elections.helpers import make_election, open_round
from unionhub.congress import services as congress_services
from unionhub.core.errors import DomainError
from unionhub.elections import services
from unionhub.elections.models import ElectronicBallot, VoteCast


@pytest.fixture
def superuser(transactional_db):
    return world.make_superuser()


@pytest.fixture
def setup(superuser):
    tree = world.build_tree(superuser)
    setup = build_setup(tree, lambda unit, role: world.make_officer(tree, unit, role))
    congress_services.checkin_manual(
        session=setup.opening, delegate=setup.elected[0], by=setup.organiser
    )
    return setup


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database refuses concurrent writers outright; "
    "bench/election.py votes from many threads against a server on a file database",
)
def test_two_phones_voting_at_once_count_one_ballot(setup):
    round = open_round(setup, make_election(setup), "electronic")
    phones = 6
    barrier = threading.Barrier(phones)
    receipts, refusals, errors = [], [], []

    def phone() -> None:
        try:
            barrier.wait()
            receipts.append(services.vote_cast(round=round, delegate=setup.elected[0], kept=[]))
        except DomainError as error:
            refusals.append(error.code)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=phone) for _ in range(phones)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(receipts) == 1 and refusals == ["already_voted"] * (phones - 1)
    assert VoteCast.objects.filter(round=round).count() == 1
    assert ElectronicBallot.objects.filter(round=round).count() == 1
