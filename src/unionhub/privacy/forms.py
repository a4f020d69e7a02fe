from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.core.forms import MAX_COUNT
from unionhub.orgs.models import Unit
from unionhub.privacy.models import DataClass, Method, Purpose, Risk

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    method = forms.ChoiceField(label=_("How it was given"), choices=Method.choices)
    given_on = forms.DateField(label=_("Given on"), initial=timezone.localdate, widget=DATE_INPUT)


class WithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Withdrawn on"), initial=timezone.localdate, widget=DATE_INPUT
    )


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("Your phone number or e-mail, as your union registered it"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("The six-digit code you received"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has six digits.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6}
        ),
    )


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("What is wrong"), choices=())
    requested = forms.CharField(label=_("The correct value"), max_length=300)
    note = forms.CharField(
        label=_("A note for your union (optional)"), max_length=500, required=False
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = choices


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why it is rejected"), max_length=500)


class AccessLogFilter(forms.Form):
    action = forms.ChoiceField(label=_("What"), required=False, choices=())
    since = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    until = forms.DateField(label=_("To"), required=False, widget=DATE_INPUT)
    actor = forms.CharField(label=_("Officer"), required=False, max_length=100)

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any access")), *actions]


DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BreachForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea)
    discovered_at = forms.DateTimeField(label=_("Discovered at"), widget=DATETIME_INPUT)
    data_classes = forms.MultipleChoiceField(
        label=_("Data affected"),
        choices=DataClass.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.IntegerField(label=_("People affected"), min_value=0, max_value=MAX_COUNT)
    risk = forms.ChoiceField(label=_("Risk to the people"), choices=Risk.choices)
    measures = forms.CharField(label=_("Measures taken"), widget=forms.Textarea, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class NotifyAuthorityForm(forms.Form):
    notified_at = forms.DateTimeField(label=_("Notified at"), widget=DATETIME_INPUT)
    reference = forms.CharField(label=_("Notification number or reference"), max_length=200)


class NotifyPeopleForm(forms.Form):
    notified_at = forms.DateTimeField(label=_("Notified at"), widget=DATETIME_INPUT)


class CloseBreachForm(forms.Form):
    measures = forms.CharField(label=_("Measures taken"), widget=forms.Textarea, required=False)
