"""Kinds of slide contributed by other apps (core.registry.SlideSource): chosen on the slide
form, checked by their app's service-side check, drawn on the wall or left out when their app
has nothing to show."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django import forms
from django.urls import reverse

from unionhub.core import registry, scope
from unionhub.core.errors import DomainError
from unionhub.display import kiosk, services
from unionhub.display.models import Slide
from unionhub.orgs.models import Unit


class UnitNameForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label="Unit")

    def __init__(self, *args: Any, user: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope.units(user).filter(path__startswith=unit.path)

    def params(self) -> dict[str, Any]:
        return {"unit": self.cleaned_data["unit"].pk}


def check(params: dict[str, Any], *, user: Any, unit: Unit) -> dict[str, Any]:
    chosen = Unit.objects.filter(pk=params.get("unit")).first()
    if chosen is None or not chosen.path.startswith(unit.path) or not scope.can(user, None, chosen):
        raise DomainError("unit_outside_screen", "Not inside the screen's unit.", field="unit")
    return {"unit": chosen.pk}


def content(params: dict[str, Any], *, unit: Unit, now: Any) -> dict[str, Any] | None:
    chosen = Unit.objects.filter(pk=params["unit"], path__startswith=unit.path).first()
    if chosen is None or chosen.name.startswith("Hidden"):
        return None
    return {"shown_name": chosen.name}


SOURCE = registry.SlideSource(
    kind="tests.unit_name",
    label="The name of a unit",
    template="tests_unit_name.html",
    form=UnitNameForm,
    check=check,
    content=content,
    live=True,
)


@pytest.fixture(autouse=True)
def unit_name_source(monkeypatch, settings, tmp_path):
    (tmp_path / "tests_unit_name.html").write_text(
        '<section data-kind="unit-name">{{ slide.title }}: {{ shown_name }}</section>'
    )
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0].get("DIRS", []), tmp_path]
    settings.TEMPLATES = templates
    monkeypatch.setattr(registry, "slide_sources", lambda: {SOURCE.kind: SOURCE})


def test_the_screen_page_offers_the_contributed_kind(client, world):
    client.force_login(world.organiser)
    page = client.get(reverse("display:screen", args=[world.screen.pk])).content.decode()
    assert reverse("display:slide_add", args=[world.screen.pk, SOURCE.kind]) in page
    assert "The name of a unit" in page


def test_organiser_adds_the_slide_and_the_wall_draws_it(client, world):
    client.force_login(world.organiser)
    response = client.post(
        reverse("display:slide_add", args=[world.screen.pk, SOURCE.kind]),
        {
            "duration": 12,
            "enabled": "on",
            "title": "Công đoàn",
            "source-unit": world.tree.district_a.pk,
        },
    )
    assert response.status_code == 302
    slide = Slide.objects.get()
    assert (slide.kind, slide.params, slide.duration) == (
        SOURCE.kind,
        {"unit": world.tree.district_a.pk},
        12,
    )
    assert str(slide) == "Công đoàn" and slide.kind_label == "The name of a unit"

    data = kiosk.payload(screen=world.screen, image_url=lambda s: "")
    (drawn,) = data["slides"]
    assert drawn["html"] == (
        f'<section data-kind="unit-name">Công đoàn: {world.tree.district_a.name}</section>'
    )
    assert data["refresh"] == kiosk.REFRESH_LIVE  # the source says its figures are live

    edit = client.get(reverse("display:slide", args=[slide.pk])).content.decode()
    assert f'value="{world.tree.district_a.pk}" selected' in edit


def test_a_choice_outside_the_screen_is_refused_and_nothing_is_stored(client, world):
    district_screen, _token = services.screen_create(
        unit=world.tree.district_a, name="Đức Thọ", by=world.organiser
    )
    client.force_login(world.organiser)
    response = client.post(
        reverse("display:slide_add", args=[district_screen.pk, SOURCE.kind]),
        {"duration": 12, "source-unit": world.tree.district_b.pk},
    )
    assert response.status_code == 200  # district B is not offered on a district A screen
    assert not Slide.objects.exists()
    with pytest.raises(DomainError) as refused:
        services.slide_add(
            screen=district_screen,
            kind=SOURCE.kind,
            params={"unit": world.tree.district_b.pk},
            by=world.organiser,
        )
    assert refused.value.field == "unit"
    assert not Slide.objects.exists()


def test_editing_keeps_or_replaces_the_choices_through_the_check(world):
    slide = services.slide_add(
        screen=world.screen,
        kind=SOURCE.kind,
        params={"unit": world.tree.district_a.pk},
        by=world.organiser,
    )
    services.slide_update(slide=slide, duration=30, by=world.organiser)
    slide.refresh_from_db()
    assert (slide.duration, slide.params) == (30, {"unit": world.tree.district_a.pk})
    services.slide_update(
        slide=slide, params={"unit": world.tree.district_b.pk}, by=world.organiser
    )
    slide.refresh_from_db()
    assert slide.params == {"unit": world.tree.district_b.pk}


def test_a_slide_with_nothing_to_show_is_left_out_of_the_playlist(world):
    services.slide_add(
        screen=world.screen,
        kind=SOURCE.kind,
        params={"unit": world.tree.district_a.pk},
        by=world.organiser,
    )
    Unit.objects.filter(pk=world.tree.district_a.pk).update(name="Hidden district")
    data = kiosk.payload(screen=world.screen, image_url=lambda s: "")
    assert data["slides"] == []
    assert data["refresh"] == kiosk.REFRESH


def test_an_unknown_kind_is_refused(client, world):
    client.force_login(world.organiser)
    assert (
        client.get(reverse("display:slide_add", args=[world.screen.pk, "news.none"])).status_code
        == 404
    )
    with pytest.raises(DomainError):
        services.slide_add(screen=world.screen, kind="news.none", by=world.organiser)
