from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.privacy.models import Method, Purpose

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    method = forms.ChoiceField(label=_("How it was given"), choices=Method.choices)
    given_on = forms.DateField(label=_("Given on"), initial=timezone.localdate, widget=DATE_INPUT)


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), initial=timezone.localdate, widget=DATE_INPUT
    )
