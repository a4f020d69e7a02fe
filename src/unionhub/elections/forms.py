from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.core.forms import MAX_COUNT
from unionhub.elections.models import Body, Choice, Method, MotionMethod, TooFew


class ElectionForm(forms.Form):
    session = forms.TypedChoiceField(label=_("Session"), coerce=int)
    body = forms.ChoiceField(label=_("What is elected"), choices=Body.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)
    candidates = forms.CharField(
        label=_("Candidates"), widget=forms.Textarea, help_text=_("One full name per line.")
    )
    too_few = forms.ChoiceField(
        label=_("When too few are elected"), choices=TooFew.choices, initial=TooFew.FURTHER_ROUND
    )

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [(s.pk, s.title) for s in sessions]

    def clean_candidates(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["candidates"].splitlines() if line.strip()
        ]


class MotionForm(forms.Form):
    session = forms.TypedChoiceField(label=_("Session"), coerce=int)
    title = forms.CharField(label=_("Resolution"), max_length=255)
    method = forms.ChoiceField(
        label=_("How delegates vote"), choices=MotionMethod.choices, initial=MotionMethod.HANDS
    )

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [(s.pk, s.title) for s in sessions]


class MotionVoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("My vote"), choices=Choice.choices, widget=forms.RadioSelect)


class RoundForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)


class CountForm(forms.Form):
    votes_for = forms.IntegerField(label=_("For"), min_value=0, max_value=MAX_COUNT)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, max_value=MAX_COUNT)
    votes_abstain = forms.IntegerField(label=_("Abstain"), min_value=0, max_value=MAX_COUNT)


class BallotForm(forms.Form):
    """What one ballot keeps (or, for a paper entry, whether it is an official ballot)."""

    official = forms.BooleanField(label=_("Official ballot"), required=False, initial=True)
    kept = forms.TypedMultipleChoiceField(
        label=_("Names kept"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kept"].choices = [(c.pk, c.full_name) for c in candidates]


class EntryForm(BallotForm):
    entry = forms.TypedChoiceField(
        label=_("Entry"), coerce=int, choices=[(1, _("First entry")), (2, _("Second entry"))]
    )
