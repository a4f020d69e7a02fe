from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.core import scope
from unionhub.core.widgets import UnitPicker
from unionhub.reports import periods


class ReportForm(forms.Form):
    """Which unit and which period: the year, a half-year, a quarter or a month of it, or other
    dates; the periods are named in words ("Second half (July – December)"), never by a bare
    number."""

    # The view reads the unit through the scoped selector by its code; the picker fills it in.
    unit = forms.CharField(label=_("Unit"), max_length=32, widget=UnitPicker())
    period = forms.ChoiceField(label=_("Period"), choices=periods.choices, initial="year-1")
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)
    first = forms.DateField(label=_("From"), required=False)
    last = forms.DateField(label=_("To"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class RoundForm(forms.Form):
    unit = forms.CharField(label=_("Unit"), max_length=32, widget=UnitPicker(role=scope.REGISTRAR))
    first = forms.DateField(label=_("From"))
    last = forms.DateField(label=_("To"))
    deadline = forms.DateField(label=_("Deadline"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What needs correcting"), max_length=500)
