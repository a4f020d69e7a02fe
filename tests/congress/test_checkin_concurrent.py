"""Two stations scanning the same card at once make one check-in. Its own module: the test
commits for real, so it cannot share the congress the other modules keep for their tests."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests import world
from tests.congress.helpers import build_setup, token_of
from unionhub.congress import services
from unionhub.congress.models import CheckIn


@pytest.fixture
def tree(superuser):
    return world.build_tree(superuser)


@pytest.fixture
def superuser(transactional_db):
    return world.make_superuser()


@pytest.fixture
def setup(tree, officer_at):
    return build_setup(tree, officer_at)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database has table locks that refuse concurrent "
    "writers outright; the file database of a real install queues them (bench/checkin.py "
    "scans the same cards from many threads against gunicorn on it)",
)
def test_two_stations_scanning_the_same_card_at_once_make_one_check_in(setup):
    token = token_of(setup.elected[0])
    stations = 6
    barrier = threading.Barrier(stations)
    results, errors = [], []

    def station(number: int) -> None:
        try:
            barrier.wait()
            results.append(
                services.checkin_scan(
                    session=setup.opening, token=token, by=setup.organiser, station=f"s{number}"
                ).status
            )
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=station, args=(n,)) for n in range(stations)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == ["already"] * (stations - 1) + ["checked_in"]
    assert CheckIn.objects.filter(session=setup.opening).count() == 1
