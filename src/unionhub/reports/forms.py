from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.reports.periods import CUSTOM, HALF, QUARTER, YEAR


class ReportForm(forms.Form):
    """Which unit and which period: a quarter, a half-year, a year, or custom dates."""

    unit = forms.CharField(label=_("Unit code"), max_length=32)
    kind = forms.ChoiceField(
        label=_("Period"),
        choices=[
            (YEAR, _("Year")),
            (HALF, _("Half-year")),
            (QUARTER, _("Quarter")),
            (CUSTOM, _("Custom dates")),
        ],
        initial=YEAR,
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    number = forms.TypedChoiceField(
        label=_("Quarter or half"),
        choices=[(1, "1"), (2, "2"), (3, "3"), (4, "4")],
        coerce=int,
        required=False,
    )
    first = forms.DateField(label=_("From"), required=False)
    last = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class RoundForm(forms.Form):
    unit = forms.CharField(label=_("Unit code"), max_length=32)
    first = forms.DateField(label=_("From"))
    last = forms.DateField(label=_("To"))
    deadline = forms.DateField(label=_("Deadline"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What needs correcting"), max_length=500)
