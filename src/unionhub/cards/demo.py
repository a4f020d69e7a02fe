"""Demo data: the Hà Tĩnh card series (042) and cards for a sample of members in every state."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from unionhub.cards import services
from unionhub.cards.models import Card, RevokeReason
from unionhub.core.types import User
from unionhub.members.models import Member, MemberState

SAMPLE = 400


def populate(*, province: Any, rng: random.Random, by: User, log: Callable[[str], None]) -> None:
    services.card_series_set(unit=province.province, code="042", by=by)
    members = list(Member.objects.filter(state=MemberState.ACTIVE).order_by("pk")[: SAMPLE * 3])
    chosen = rng.sample(members, min(SAMPLE, len(members)))
    if not chosen:
        log("  cards: no members, only the 042 series")
        return
    requested = []
    for member in chosen:
        requested.append(services.card_request(member=member, by=by))
    approved = services.card_approve_batch(cards=requested[: len(requested) * 3 // 4], by=by)
    printed = approved[: len(approved) * 2 // 3]
    services.card_mark_printed(cards=printed, by=by)
    delivered = [
        services.card_mark_delivered(card=card, by=by) for card in printed[: len(printed) // 2]
    ]
    for card in delivered[: min(5, len(delivered) // 2)]:  # lost after delivery: re-issued
        services.card_reissue(card=card, reason=RevokeReason.LOST, by=by)
    log(f"  cards: series 042, {Card.objects.count()} cards in every state")
