"""Cards on the members list: the "has a valid card" filter and search by card number."""

import pytest

from unionhub.cards import services
from unionhub.cards.models import RevokeReason
from unionhub.members.selectors import MemberFilters, member_list

pytestmark = pytest.mark.django_db


def test_has_valid_card_filter(issued_card, admit, registrar):
    without = admit(full_name="Trần Văn Chưa")
    with_card = member_list(user=registrar, filters=MemberFilters(hooks={"has_valid_card": "yes"}))
    assert list(with_card) == [issued_card.member]
    no_card = member_list(user=registrar, filters=MemberFilters(hooks={"has_valid_card": "no"}))
    assert list(no_card) == [without]
    services.card_revoke(card=issued_card, reason=RevokeReason.LOST, by=registrar)
    assert not member_list(
        user=registrar, filters=MemberFilters(hooks={"has_valid_card": "yes"})
    ).exists()


def test_members_are_found_by_card_number(issued_card, admit, registrar):
    admit(full_name="Trần Văn Khác")
    found = member_list(user=registrar, filters=MemberFilters(query=issued_card.number_display))
    assert list(found) == [issued_card.member]
