"""The LED wall's live-stream slide (core.registry.SlideSource "congress.stream"): while a
session of the chosen congress is streamed, "live now" with a QR code to the stream; after it,
the QR code of its recording. Left out of the playlist when there is neither."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unionhub.congress import selectors
from unionhub.congress.models import Congress
from unionhub.core.errors import DomainError
from unionhub.core.pdf import qr_svg
from unionhub.core.types import User


class StreamSlideForm(forms.Form):
    congress: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Congress"), queryset=Congress.objects.none()
    )

    def __init__(self, *args: Any, user: User, unit: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = selectors.screen_congresses(  # type: ignore[attr-defined]
            user=user, unit=unit
        )

    def params(self) -> dict[str, Any]:
        return {"congress": self.cleaned_data["congress"].pk}


def check(params: dict[str, Any], *, user: User, unit: Any) -> dict[str, Any]:
    chosen = params.get("congress")
    congresses = selectors.screen_congresses(user=user, unit=unit)
    congress = congresses.filter(pk=chosen).first() if isinstance(chosen, int) else None
    if congress is None:
        raise DomainError(
            "congress_outside_screen",
            _("Choose a congress of the screen's unit that you organise."),
            field="congress",
        )
    return {"congress": congress.pk}


def content(params: dict[str, Any], *, unit: Any, now: Any) -> dict[str, Any] | None:
    congress = selectors.screen_congress(unit=unit, pk=params.get("congress"))
    if congress is None:
        return None
    on_air = selectors.on_air(selectors.public_sessions(congress))
    if on_air.live:
        session, live = on_air.live[0], True
    elif on_air.recordings:
        session, live = on_air.recordings[-1], False
    else:
        return None
    return {
        "congress": congress,
        "session": session,
        "live": live,
        "url": session.stream_url,
        "qr": qr_svg(session.stream_url),
    }
