"""The election's slide on the LED wall (core.registry.SlideSource): the turnout while the
latest round is open or being counted, the elected once the presidium releases the results, and
nothing of the votes before that."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.core import registry
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.elections import selectors
from unionhub.elections.models import Election, Method, Round, RoundState
from unionhub.orgs.models import Unit


def _elections_under(unit: Unit) -> Any:
    return Election.objects.filter(congress__unit__path__startswith=unit.path)


class ElectionSlideForm(forms.Form):
    election = forms.ModelChoiceField(
        label=gettext_lazy("Election"), queryset=Election.objects.none()
    )

    def __init__(self, *args: Any, user: User, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["election"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.election_list(user=user).filter(
            congress__unit__path__startswith=unit.path
        )

    def params(self) -> dict[str, Any]:
        return {"election": self.cleaned_data["election"].pk}


def check(params: dict[str, Any], *, user: User, unit: Unit) -> dict[str, Any]:
    """The officer organises the election's congress, held by the screen's unit or below it."""
    pk = params.get("election")
    election = (
        selectors.election_list(user=user)
        .filter(congress__unit__path__startswith=unit.path, pk=pk)
        .first()
        if isinstance(pk, int)
        else None
    )
    if election is None:
        raise DomainError(
            "election_outside_screen",
            _("Choose an election of a congress held by %(unit)s or a unit under it.")
            % {"unit": unit.name},
            field="election",
        )
    return {"election": election.pk}


def _percent(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def content(params: dict[str, Any], *, unit: Unit, now: dt.datetime) -> dict[str, Any] | None:
    election = _elections_under(unit).filter(pk=params.get("election")).first()
    if election is None:
        return None
    latest: Round | None = election.rounds.order_by("-number").first()
    context: dict[str, Any] = {"election": election, "round": latest}
    if latest is None or latest.state == RoundState.PREPARED:
        context["phase"] = "waiting"
    elif latest.state == RoundState.RELEASED:
        report = selectors.round_report(round=latest)
        context["phase"] = "released"
        context["elected"] = [line for line in report.lines if line.elected]
        context["tied"] = [line for line in report.lines if line.tied]
        context["valid"] = report.result.valid
    else:
        cast = selectors.turnout(round=latest)
        share = _percent(cast, latest.eligible)
        context.update(
            phase="voting" if latest.state == RoundState.OPEN else "counting",
            paper=latest.method == Method.PAPER,
            cast=cast,
            eligible=latest.eligible,
            share=share,
            # For a style attribute: never localised (a decimal comma breaks CSS).
            share_css=f"{min(100.0, share):.1f}%",
        )
    return context


SOURCE = registry.SlideSource(
    kind="elections.election",
    label=gettext_lazy("Election: turnout, then the elected"),
    template="elections/slides/election.html",
    form=ElectionSlideForm,
    check=check,
    content=content,
    live=True,
)
