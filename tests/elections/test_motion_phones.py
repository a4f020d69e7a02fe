"""Votes on resolutions from the delegates' phones: one vote per checked-in official delegate,
counted when the presidium closes the voting, shown once released."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.congress.helpers import token_of
from unionhub.core.errors import DomainError
from unionhub.elections import selectors, services
from unionhub.elections.models import MotionVote

pytestmark = pytest.mark.django_db


@pytest.fixture
def motion(setup):
    return services.motion_create(
        congress=setup.congress,
        session=setup.opening,
        title="Thông qua Nghị quyết Đại hội",
        method="phones",
        by=setup.organiser,
    )


def voters(setup):
    return [*setup.elected[:-1], setup.ex_officio]  # the checked-in official delegates


def test_phones_vote_then_the_count_and_release_follow_the_votes(setup, motion):
    choices = ["for", "for", "for", "for", "against", "abstain", "for"]
    for delegate, choice in zip(voters(setup), choices, strict=True):
        services.motion_vote(motion=motion, delegate=delegate, choice=choice)
    assert selectors.motion_phone_tally(motion=motion) == {"for": 5, "against": 1, "abstain": 1}
    with pytest.raises(DomainError) as by_hand:
        services.motion_record(
            motion=motion, votes_for=1, votes_against=0, votes_abstain=0, by=setup.organiser
        )
    assert by_hand.value.code == "motion_by_phones"

    services.motion_count(motion=motion, by=setup.organiser)
    motion.refresh_from_db()
    assert (motion.votes_for, motion.votes_against, motion.votes_abstain) == (5, 1, 1)
    assert motion.present >= 7 and motion.passed
    with pytest.raises(DomainError) as late:
        services.motion_vote(motion=motion, delegate=setup.presidium, choice="for")
    assert late.value.code == "motion_counted"
    services.motion_release(motion=motion, by=setup.organiser)
    assert list(selectors.delegate_released_motions(delegate=setup.ex_officio)) == [motion]


def test_each_delegate_votes_once_and_only_the_eligible(setup, motion):
    first = voters(setup)[0]
    services.motion_vote(motion=motion, delegate=first, choice="for")
    with pytest.raises(DomainError) as twice:
        services.motion_vote(motion=motion, delegate=first, choice="against")
    assert twice.value.code == "already_voted"
    for outsider in (setup.guest, setup.elected[-1], setup.other_delegate):
        with pytest.raises(DomainError) as refused:
            services.motion_vote(motion=motion, delegate=outsider, choice="for")
        assert refused.value.code == "not_eligible"
    assert MotionVote.objects.filter(motion=motion).count() == 1


def test_a_show_of_hands_motion_takes_no_phone_vote(setup):
    hands = services.motion_create(
        congress=setup.congress, session=setup.opening, title="Biểu quyết", by=setup.organiser
    )
    with pytest.raises(DomainError) as refused:
        services.motion_vote(motion=hands, delegate=voters(setup)[0], choice="for")
    assert refused.value.code == "motion_not_open"
    with pytest.raises(DomainError):
        services.motion_count(motion=hands, by=setup.organiser)


def test_the_phone_page_votes_and_the_organiser_counts(client, setup, motion):
    delegate = voters(setup)[0]
    token = token_of(delegate)
    page = client.get(reverse("elections_delegate", args=[token])).content.decode()
    assert "Thông qua Nghị quyết Đại hội" in page and 'data-testid="motion-vote"' in page
    url = reverse("elections_motion_vote", args=[token, motion.pk])
    response = client.post(url, {f"m{motion.pk}-choice": "against"})
    assert response.status_code == 200
    assert 'data-testid="motion-vote"' not in response.content.decode()
    assert MotionVote.objects.get(motion=motion, delegate=delegate).choice == "against"
    assert client.post(url, {f"m{motion.pk}-choice": "for"}).status_code == 403

    client.force_login(setup.organiser)
    page = client.get(reverse("elections:motion", args=[motion.pk])).content.decode()
    assert 'data-testid="phone-tally"' in page
    client.post(reverse("elections:motion", args=[motion.pk]), {"count": "1"})
    motion.refresh_from_db()
    assert (motion.votes_for, motion.votes_against, motion.counted) == (0, 1, True)


def test_a_sibling_organiser_cannot_count(client, setup, motion):
    with pytest.raises(DomainError):
        services.motion_count(motion=motion, by=setup.other_organiser)
    client.force_login(setup.other_organiser)
    response = client.post(reverse("elections:motion", args=[motion.pk]), {"count": "1"})
    assert response.status_code in (403, 404)
    motion.refresh_from_db()
    assert not motion.counted
