from __future__ import annotations

import pytest

from tests.factories import admit


@pytest.fixture
def admit_member(tree):
    def make(unit, joined, **kwargs):
        return admit(unit, tree.admin, joined, **kwargs)

    return make
