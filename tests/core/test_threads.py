"""read_ahead: items in order from a producer thread, its failures raised in the caller."""

import threading

import pytest
from django.utils import translation
from django.utils.translation import gettext

from unionhub.core.threads import DatabaseInProducer, read_ahead
from unionhub.orgs.models import Unit


def test_yields_every_item_in_order_from_another_thread():
    threads = []

    def produce():
        for n in range(50):
            threads.append(threading.current_thread())
            yield n

    assert list(read_ahead(produce(), depth=3)) == list(range(50))
    assert set(threads) != {threading.current_thread()}


def test_a_failure_in_the_producer_is_raised_in_the_caller_after_the_items_before_it():
    def produce():
        yield 1
        yield 2
        raise ValueError("bad row")

    seen = []
    with pytest.raises(ValueError, match="bad row"):
        for item in read_ahead(produce()):
            seen.append(item)
    assert seen == [1, 2]


def test_leaving_early_stops_the_producer():
    produced = []

    def produce():
        for n in range(1000):
            produced.append(n)
            yield n

    for item in read_ahead(produce(), depth=1):
        if item == 3:
            break
    count = len(produced)
    assert count < 10  # it stopped within the item or two it had in hand
    assert len(produced) == count


def test_the_producer_speaks_the_callers_language():
    def produce():
        yield gettext("Name")

    for language, expected in (("en", "Name"), ("vi", "Tên")):
        with translation.override(language):
            assert list(read_ahead(produce())) == [expected]


@pytest.mark.django_db
def test_the_producer_may_not_use_the_database():
    def produce():
        yield Unit.objects.count()

    with pytest.raises(DatabaseInProducer):
        list(read_ahead(produce()))
