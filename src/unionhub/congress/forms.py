from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.congress.models import (
    WEB_LINK,
    Category,
    QuorumBase,
    SessionKind,
    StreamStatus,
    Visibility,
)
from unionhub.core import uploads
from unionhub.core.forms import MAX_SMALL
from unionhub.core.uploads import LimitedFileField
from unionhub.core.widgets import UnitField


class CongressForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    term = forms.CharField(label=_("Term"), max_length=20, help_text=_("For example 2023–2028."))
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
    unit = UnitField(label=_("Unit"), role="congress_organiser")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CongressSettingsForm(forms.Form):
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
    notices = forms.CharField(
        label=_("Notices for delegates"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    quorum_base = forms.ChoiceField(label=_("Quorum counted on"), choices=QuorumBase.choices)
    quorum_numerator = forms.IntegerField(
        label=_("More than (numerator)"), min_value=0, max_value=MAX_SMALL
    )
    quorum_denominator = forms.IntegerField(
        label=_("Out of (denominator)"), min_value=1, max_value=MAX_SMALL
    )


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    place = forms.CharField(label=_("Place"), max_length=255, required=False)


def _web_link(label: Any) -> forms.URLField:
    return forms.URLField(
        label=label,
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[WEB_LINK],
    )


class StreamForm(forms.Form):
    stream_status = forms.ChoiceField(label=_("Stream status"), choices=StreamStatus.choices)
    stream_facebook = _web_link(_("Stream on the Facebook page"))
    stream_newspaper = _web_link(_("Stream on the newspaper's platform"))
    stream_youtube = _web_link(_("Stream on YouTube"))
    recording_url = _web_link(_("Recording"))
    recording_url.help_text = _("Shown instead of the stream once the session is over.")


class DelegateForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_("Leave empty when giving the member's ID number."),
    )
    id_number = forms.CharField(
        label=_("Member's ID number (links the member record)"), max_length=20, required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    delegation = forms.CharField(label=_("Delegation"), max_length=255, required=False)
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    organisation = forms.CharField(
        label=_("Organisation (non-members)"), max_length=255, required=False
    )
    seat = forms.CharField(label=_("Seat"), max_length=20, required=False)
    group = forms.CharField(label=_("Group"), max_length=60, required=False)
    presidium = forms.BooleanField(label=_("Member of the presidium"), required=False)


class DelegateEditForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    delegation = forms.CharField(label=_("Delegation"), max_length=255, required=False)
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    organisation = forms.CharField(
        label=_("Organisation (non-members)"), max_length=255, required=False
    )
    seat = forms.CharField(label=_("Seat"), max_length=20, required=False)
    group = forms.CharField(label=_("Group"), max_length=60, required=False)
    presidium = forms.BooleanField(label=_("Member of the presidium"), required=False)


class ImportForm(forms.Form):
    file = LimitedFileField(label=_("Spreadsheet (.xlsx or .csv)"), kind=uploads.DELEGATE_IMPORT)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=MAX_SMALL, initial=0)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices)
    file = LimitedFileField(label=_("PDF file"), kind=uploads.CONGRESS_DOCUMENT)


class DocumentReplaceForm(forms.Form):
    file = LimitedFileField(label=_("Corrected PDF"), kind=uploads.CONGRESS_DOCUMENT)


class BadgeForm(forms.Form):
    size = forms.ChoiceField(
        label=_("Format"),
        choices=[("cr80", _("CR80 card (85.6 × 54 mm)")), ("a6", _("A6 lanyard badge"))],
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All")), *Category.choices], required=False
    )
