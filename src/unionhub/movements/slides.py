"""Kinds of LED slide this app gives the screens (core.registry.SlideSource): a campaign's
results, the award ceremony (names appear as the organiser announces them from the control
page) and the care given this year (aggregates only). What the wall shows is public: entry
titles and units, the names read out at the ceremony, totals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.core import registry, scope
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.movements import selectors
from unionhub.movements.models import (
    Award,
    Campaign,
    Entry,
    ShelterHouse,
    ShelterState,
    SupportRecord,
    SupportState,
)
from unionhub.orgs.models import Unit

TOP = 10


def _campaigns(user: User, unit: Unit) -> Any:
    return selectors.campaign_list(user=user).filter(scope.subtree_q(unit.path, "unit"))


class CampaignForm(forms.Form):
    campaign: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"), queryset=Campaign.objects.none()
    )

    def __init__(self, *args: Any, user: User, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = _campaigns(user, unit)  # type: ignore[attr-defined]

    def params(self) -> dict[str, Any]:
        return {"campaign": self.cleaned_data["campaign"].pk}


def check_campaign(params: dict[str, Any], *, user: User, unit: Unit) -> dict[str, Any]:
    chosen = params.get("campaign")
    campaign = _campaigns(user, unit).filter(pk=chosen).first() if isinstance(chosen, int) else None
    if campaign is None:
        raise DomainError(
            "campaign_outside_screen",
            _("Choose a campaign of the screen's unit that you can see."),
            field="campaign",
        )
    return {"campaign": campaign.pk}


def _campaign(params: dict[str, Any], unit: Unit) -> Campaign | None:
    chosen = params.get("campaign")
    if not isinstance(chosen, int):
        return None
    return Campaign.objects.filter(scope.subtree_q(unit.path, "unit"), pk=chosen).first()


def results_content(params: dict[str, Any], *, unit: Unit, now: Any) -> dict[str, Any] | None:
    campaign = _campaign(params, unit)
    if campaign is None:
        return None
    entries = Entry.objects.filter(registration__campaign=campaign).select_related(
        "registration__unit"
    )
    ranked = selectors.ranking(campaign, entries)[:TOP]
    if not ranked:
        return None
    return {"campaign": campaign, "ranking": ranked}


def ceremony_content(params: dict[str, Any], *, unit: Unit, now: Any) -> dict[str, Any] | None:
    campaign = _campaign(params, unit)
    if campaign is None:
        return None
    announced = list(
        Award.objects.filter(campaign=campaign, announced__isnull=False, revoked__isnull=True)
        .select_related("level", "member", "unit")
        .order_by("-announced", "-pk")[:TOP]
    )
    return {"campaign": campaign, "announced": announced, "latest": announced[:1]}


class NoChoiceForm(forms.Form):
    def __init__(self, *args: Any, user: User, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def params(self) -> dict[str, Any]:
        return {}


def check_nothing(params: dict[str, Any], *, user: User, unit: Unit) -> dict[str, Any]:
    return {}


def care_content(params: dict[str, Any], *, unit: Unit, now: dt.datetime) -> dict[str, Any]:
    figures = SupportRecord.objects.filter(
        scope.subtree_q(unit.path, "unit"),
        state=SupportState.APPROVED,
        date__year=now.year,
    ).aggregate(records=Count("pk"), members=Count("member", distinct=True), amount=Sum("amount"))
    figures["shelters"] = ShelterHouse.objects.filter(
        scope.subtree_q(unit.path, "unit"),
        state=ShelterState.HANDED_OVER,
        handed_over_on__year=now.year,
    ).count()
    return {"year": now.year, "figures": figures}


SOURCES = [
    registry.SlideSource(
        kind="movements.results",
        label=gettext_lazy("Campaign results"),
        template="movements/slides/results.html",
        form=CampaignForm,
        check=check_campaign,
        content=results_content,
    ),
    registry.SlideSource(
        kind="movements.ceremony",
        label=gettext_lazy("Award ceremony"),
        template="movements/slides/ceremony.html",
        form=CampaignForm,
        check=check_campaign,
        content=ceremony_content,
        live=True,
    ),
    registry.SlideSource(
        kind="movements.care",
        label=gettext_lazy("Care for members this year"),
        template="movements/slides/care.html",
        form=NoChoiceForm,
        check=check_nothing,
        content=care_content,
    ),
]
