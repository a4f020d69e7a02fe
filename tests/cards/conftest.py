"""Fixtures for the cards tests: a numbering series for the province, members admitted through
the members services, and the officers of the card workflow."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests import factories
from tests.factories import jpeg
from unionhub.cards import services
from unionhub.core import scope


@pytest.fixture
def series(tree):
    return services.card_series_set(unit=tree.province, code="042", by=tree.admin)


@pytest.fixture
def registrar(tree, officer_at):
    """The grassroots union's registrar: requests, prints and delivers."""
    return officer_at(tree.grassroots_a1, scope.REGISTRAR)


@pytest.fixture
def approver(tree, officer_at):
    """A registrar of the district above: approves."""
    return officer_at(tree.district_a, scope.REGISTRAR)


@pytest.fixture
def admit(tree):
    serials = itertools.count(1)

    def make(unit=None, full_name="Nguyễn Thị Hồng Nhung", photo=False, **profile):
        serial = next(serials)
        return factories.admit(
            unit or tree.grassroots_a1,
            tree.admin,
            dt.date(2020, 3, 1),
            full_name=full_name,
            gender="female",
            birth_date=dt.date(1990, 5, 17),
            id_number=f"042190{serial:06d}",
            **({"photo": jpeg()} if photo else {}),
            **profile,
        )

    return make


@pytest.fixture
def member(admit):
    return admit()


@pytest.fixture
def issued_card(member, registrar, approver, series):
    card = services.card_request(member=member, by=registrar)
    return services.card_approve(card=card, by=approver)
