from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.congress.models import Congress
from unionhub.core import uploads
from unionhub.core.uploads import LimitedImageField
from unionhub.core.widgets import UnitField
from unionhub.display.models import KIND_FIELDS, MAX_DURATION, MIN_DURATION, Breakdown, SlideKind


class ScreenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_('For example "Hall entrance LED".')
    )
    unit = UnitField(label=_("Unit"), role="congress_organiser")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RenameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class _SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, session):
        return f"{session.congress.name} · {session.title}"


class SlideForm(forms.Form):
    """The common fields and the fields of one kind of slide (models.KIND_FIELDS)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Shown at the top of the slide; a default is used when empty."),
    )
    duration = forms.IntegerField(
        label=_("Duration (seconds)"), min_value=MIN_DURATION, max_value=MAX_DURATION, initial=15
    )
    enabled = forms.BooleanField(label=_("Shown"), required=False, initial=True)
    shows_from = forms.DateTimeField(
        label=_("Show from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    shows_until = forms.DateTimeField(
        label=_("Show until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    daily_from = forms.TimeField(
        label=_("Every day from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    daily_until = forms.TimeField(
        label=_("Every day until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    unit = UnitField(label=_("Unit"), required=False, role="congress_organiser")
    breakdown = forms.ChoiceField(label=_("Breakdown"), choices=Breakdown.choices, required=False)
    congress: forms.ModelChoiceField[Congress] = forms.ModelChoiceField(
        label=_("Congress"), queryset=None, required=False
    )
    session = _SessionChoice(
        label=_("Session"),
        queryset=None,
        required=False,
        help_text=_("Leave empty to follow the session that is on now."),
    )
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    image = LimitedImageField(label=_("Image"), kind=uploads.SLIDE_IMAGE, required=False)
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)
    url = forms.URLField(
        label=_("Link of the QR code"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For example the congress's public documents page."),
    )

    def __init__(self, *args, kind, units, congresses, sessions, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        wanted = set(KIND_FIELDS[SlideKind(kind)])
        if kind == SlideKind.QR:
            self.fields["body"].label = _("Caption")
            self.fields["body"].widget = forms.TextInput()
        for name in ("unit", "breakdown", "congress", "session", "body", "image", "url"):
            if name not in wanted:
                del self.fields[name]
        if not (editing and kind == SlideKind.TEXT):
            del self.fields["remove_image"]
        if "unit" in self.fields:
            self.fields["unit"].queryset = units
            self.fields["unit"].required = True
        if "breakdown" in self.fields:
            self.fields["breakdown"].required = True
        if "congress" in self.fields:
            self.fields["congress"].queryset = congresses
            self.fields["congress"].required = True
        if "session" in self.fields:
            self.fields["session"].queryset = sessions
        if "url" in self.fields:
            self.fields["url"].required = True
