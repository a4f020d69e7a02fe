"""The election's LED slide: turnout while voting, the elected only after release, and only
elections of congresses inside the screen's unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.elections.helpers import candidate_ids, make_election, open_round
from unionhub.core.errors import DomainError
from unionhub.display import kiosk
from unionhub.display import services as display_services
from unionhub.elections import services
from unionhub.elections.slides import SOURCE

pytestmark = pytest.mark.django_db

KIND = "elections.election"


def wall(screen) -> list[str]:
    return [s["html"] for s in kiosk.payload(screen=screen, image_url=lambda s: "")["slides"]]


@pytest.fixture
def screen(setup):
    screen, _token = display_services.screen_create(
        unit=setup.congress.unit, name="LED hội trường", by=setup.organiser
    )
    return screen


def voters(setup):
    return [*setup.elected[:-1], setup.ex_officio]


def test_the_wall_shows_turnout_rising_then_the_elected_once_released(setup, screen):
    election = make_election(setup, seats=1)
    display_services.slide_add(
        screen=screen, kind=KIND, params={"election": election.pk}, by=setup.organiser
    )
    (html,) = wall(screen)
    assert 'data-phase="waiting"' in html

    round = open_round(setup, election, "electronic")
    ids = candidate_ids(round)
    turnouts = []
    for delegate in voters(setup)[:3]:
        services.vote_cast(round=round, delegate=delegate, kept=[ids["Lê Thị Lan"]])
        (html,) = wall(screen)
        turnouts.append(html.split('data-testid="turnout">')[1].split("<")[0])
    assert turnouts == ["1", "2", "3"]
    assert kiosk.payload(screen=screen, image_url=lambda s: "")["refresh"] == kiosk.REFRESH_LIVE

    for delegate in voters(setup)[3:]:
        services.vote_cast(round=round, delegate=delegate, kept=[ids["Lê Thị Lan"]])
    services.round_close(round=round, by=setup.organiser)
    (html,) = wall(screen)
    assert 'data-phase="counting"' in html and "Lê Thị Lan" not in html  # not before release

    services.round_release(round=round, by=setup.organiser)
    (html,) = wall(screen)
    assert 'data-phase="released"' in html
    elected = html.split('data-testid="elected">')[1].split("</ol>")[0]
    assert "Lê Thị Lan" in elected and "Trần Văn Khánh" not in elected


def test_an_election_of_a_congress_outside_the_screen_is_refused(setup, tree):
    district_screen, _token = display_services.screen_create(
        unit=tree.district_b, name="LED Can Lộc", by=setup.other_organiser
    )
    province_election = make_election(setup)
    with pytest.raises(DomainError) as refused:
        display_services.slide_add(
            screen=district_screen,
            kind=KIND,
            params={"election": province_election.pk},
            by=setup.other_organiser,
        )
    assert refused.value.field == "election"
    form = SOURCE.form(user=setup.other_organiser, unit=district_screen.unit)
    assert province_election not in form.fields["election"].queryset


def test_the_organiser_adds_the_slide_from_the_screen_page(client, setup, screen):
    election = make_election(setup)
    client.force_login(setup.organiser)
    page = client.get(reverse("display:screen", args=[screen.pk])).content.decode()
    assert reverse("display:slide_add", args=[screen.pk, KIND]) in page
    response = client.post(
        reverse("display:slide_add", args=[screen.pk, KIND]),
        {"duration": 20, "enabled": "on", "source-election": election.pk},
    )
    assert response.status_code == 302
    assert screen.slides.get().params == {"election": election.pk}
