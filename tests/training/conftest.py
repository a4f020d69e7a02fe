from __future__ import annotations

import pytest

from unionhub.core import scope


@pytest.fixture
def organiser(tree, officer_at):
    """A unit admin of district A, which organises the tests' courses."""
    return officer_at(tree.district_a, scope.UNIT_ADMIN)
