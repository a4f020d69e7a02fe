from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.core import registry, uploads
from unionhub.core.errors import DomainError
from unionhub.core.forms import MAX_COUNT, add_domain_error
from unionhub.core.uploads import LimitedFileField
from unionhub.core.widgets import UnitPicker
from unionhub.members import services
from unionhub.members.models import (
    COMPLETENESS_FIELDS,
    Entry,
    Gender,
    IdKind,
    LeaveReason,
    MemberState,
)
from unionhub.members.selectors import AGE_BANDS, SORTS, STATUS_ALL, STATUS_CURRENT, MemberFilters

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date_field(label, required=True):
    return forms.DateField(label=label, required=required, widget=DATE_INPUT)


class ProfileForm(forms.Form):
    """The profile fields of DESIGN §2, shared by admission and editing."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    birth_date = _date_field(_("Date of birth"), required=False)
    id_kind = forms.ChoiceField(
        label=_("Identity document"), choices=IdKind.choices, initial=IdKind.CCCD
    )
    id_number = forms.CharField(label=_("Document number"), max_length=20, required=False)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=50, required=False)
    religion = forms.CharField(label=_("Religion"), max_length=50, required=False)
    nationality = forms.CharField(
        label=_("Nationality"), max_length=50, required=False, initial="Việt Nam"
    )
    home_town = forms.CharField(label=_("Home town"), max_length=255, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    education = forms.CharField(label=_("General education"), max_length=50, required=False)
    qualification = forms.CharField(
        label=_("Professional qualification"), max_length=100, required=False
    )
    political_theory = forms.CharField(label=_("Political theory"), max_length=50, required=False)
    occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False)
    employer = forms.CharField(label=_("Employer"), max_length=255, required=False)
    workplace = forms.CharField(label=_("Workplace"), max_length=255, required=False)

    def __init__(self, *args, show_sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_sensitive:
            del self.fields["ethnicity"]
            del self.fields["religion"]

    def clean(self):
        """The services' checks, each asked on its own: a service stops at the first refusal,
        the form shows them all at once (a bad CCCD must not hide a birth date in the future).
        The services check again when the form is saved."""
        cleaned = super().clean()
        if cleaned.get("id_number") and cleaned.get("id_kind"):
            try:
                services.clean_profile(
                    {"id_kind": cleaned["id_kind"], "id_number": cleaned["id_number"]}
                )
            except DomainError as error:
                add_domain_error(self, error)
        if cleaned.get("joined"):
            try:
                services.check_joined(cleaned.get("birth_date"), cleaned["joined"])
            except DomainError as error:
                add_domain_error(self, error)
        elif cleaned.get("birth_date") and cleaned["birth_date"] > timezone.localdate():
            self.add_error("birth_date", _("The date of birth is in the future."))
        return cleaned


class AdmitForm(ProfileForm):
    entry = forms.ChoiceField(
        label=_("How the member comes in"),
        choices=Entry.choices,
        initial=Entry.ADMIT,
        required=False,
        widget=forms.RadioSelect,
    )
    joined = forms.DateField(
        label=_("Union join date"),
        widget=DATE_INPUT,
        help_text=_("The day the person joined the trade union, here or at an earlier workplace."),
    )
    books_open = forms.DateField(
        label=_("On the unit's books from"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Existing members only: on or after the unit's founding. Empty: today."),
    )
    decision = forms.CharField(label=_("Admission decision"), max_length=100, required=False)
    photo = LimitedFileField(
        label=_("Photo"),
        kind=uploads.PHOTO,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("From the computer or the phone's camera; it is cropped to 3:4."),
    )

    def clean_entry(self):
        return self.cleaned_data["entry"] or Entry.ADMIT

    field_order = [
        "entry",
        "full_name",
        "gender",
        "birth_date",
        "id_kind",
        "id_number",
        "joined",
        "books_open",
    ]


class EditForm(ProfileForm):
    joined = forms.DateField(label=_("Union join date"), widget=DATE_INPUT)
    admission_decision = forms.CharField(
        label=_("Admission decision"), max_length=100, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_COUNT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The value each field had when the form was opened travels with it, so a save sends
        # only what this officer changed (see views._form_after_conflict).
        for name, field in self.fields.items():
            field.show_hidden_initial = name != "version"


class PhotoForm(forms.Form):
    photo = LimitedFileField(
        label=_("Photo"),
        kind=uploads.PHOTO,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )


class EventForm(forms.Form):
    date = _date_field(_("Date"))
    decision = forms.CharField(label=_("Decision reference"), max_length=100, required=False)

    def __init__(self, *args, with_reason: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_reason:
            self.fields["reason"] = forms.ChoiceField(
                label=_("Reason"), choices=LeaveReason.choices
            )
        self.fields["date"].initial = timezone.localdate()


class TransferRequestForm(forms.Form):
    to_unit = forms.CharField(
        label=_("Receiving unit"), max_length=32, widget=UnitPicker(anywhere=True)
    )
    effective = _date_field(_("Effective from"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class TransferInForm(forms.Form):
    """The receiving side asks for a member it cannot see: it must know the document."""

    id_kind = forms.ChoiceField(
        label=_("Identity document"), choices=IdKind.choices, initial=IdKind.CCCD
    )
    id_number = forms.CharField(label=_("Document number"), max_length=20)
    effective = _date_field(_("Effective from"))
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class TransferDecisionForm(forms.Form):
    decision = forms.CharField(label=_("Decision reference"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


YES_NO = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (STATUS_CURRENT, _("Current members")),
            (STATUS_ALL, _("Everyone")),
            *MemberState.choices,
        ],
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", _("All")), *Gender.choices]
    )
    age_band = forms.ChoiceField(label=_("Age"), required=False)
    join_year = forms.IntegerField(
        label=_("Join year"), required=False, min_value=1900, max_value=9999
    )
    has_photo = forms.ChoiceField(label=_("Has photo"), required=False, choices=YES_NO)
    complete = forms.ChoiceField(label=_("Complete profile"), required=False, choices=YES_NO)
    missing = forms.ChoiceField(label=_("Missing"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["age_band"].choices = [("", _("All"))] + [
            (key, AGE_LABELS[key]) for key in AGE_BANDS
        ]
        self.fields["missing"].choices = [("", "—")] + [
            (name, MISSING_LABELS[name]) for name in COMPLETENESS_FIELDS
        ]
        self.fields["sort"].choices = [(key, SORT_LABELS[key]) for key in SORTS]
        for name, hook in registry.member_filters().items():
            self.fields[f"hook_{name}"] = forms.ChoiceField(
                label=hook.label, required=False, choices=YES_NO
            )

    def filters(self) -> MemberFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return MemberFilters(
            status=data.get("status") or STATUS_CURRENT,
            gender=data.get("gender") or "",
            age_band=data.get("age_band") or "",
            join_year=data.get("join_year"),
            has_photo=data.get("has_photo") or "",
            complete=data.get("complete") or "",
            missing=data.get("missing") or "",
            hooks={
                name: data.get(f"hook_{name}") or ""
                for name in registry.member_filters()
                if data.get(f"hook_{name}")
            },
            sort=data.get("sort") or "name",
            query=(data.get("q") or "").strip(),
        )


AGE_LABELS = {
    "under30": _("Under 30"),
    "30-39": "30–39",
    "40-49": "40–49",
    "50-59": "50–59",
    "60plus": _("60 and over"),
}
MISSING_LABELS = {
    "photo": _("Photo"),
    "id_number": _("Document number"),
    "birth_date": _("Date of birth"),
    "joined": _("Union join date"),
    "gender": _("Gender"),
    "ethnicity": _("Ethnicity"),
    "religion": _("Religion"),
    "home_town": _("Home town"),
    "address": _("Address"),
    "phone": _("Phone"),
    "education": _("General education"),
    "qualification": _("Professional qualification"),
    "occupation": _("Occupation"),
    "workplace": _("Workplace"),
}
SORT_LABELS = {
    "name": _("Name (Vietnamese order)"),
    "-name": _("Name, reversed"),
    "joined": _("Union join date, oldest first"),
    "-joined": _("Union join date, newest first"),
    "birth_date": _("Date of birth, oldest first"),
    "-birth_date": _("Date of birth, youngest first"),
    "unit": _("Unit"),
    "completeness": _("Completeness, lowest first"),
}
