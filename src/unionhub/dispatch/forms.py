from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.core import uploads
from unionhub.core.forms import KeyField
from unionhub.core.types import User
from unionhub.core.uploads import LimitedFileField
from unionhub.dispatch import selectors
from unionhub.dispatch.models import DocumentStatus, DocumentType, TargetKind, Urgency
from unionhub.dispatch.selectors import DocumentFilters

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocumentType.choices)
    department = forms.CharField(
        label=_("Drafting department (symbol)"),
        max_length=20,
        required=False,
        help_text=_("For official letters, e.g. TC gives 125/LĐLĐ-TC."),
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    signer = forms.CharField(label=_("Signed by"), max_length=150, required=False)
    signer_title = forms.CharField(label=_("Signer's position"), max_length=150, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)


class TargetForm(forms.Form):
    unit = KeyField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=TargetKind.choices)


class AttachmentForm(forms.Form):
    file = LimitedFileField(
        label=_("Signed document (PDF)"),
        kind=uploads.ATTACHMENT,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class AssignForm(forms.Form):
    assignee: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Assign to"), queryset=None
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.assignable_officers(unit=unit)
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username


class _FilterForm(forms.Form):
    number = forms.CharField(label=_("Number"), required=False)
    summary = forms.CharField(label=_("Summary contains"), required=False)
    doc_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *DocumentType.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE_WIDGET)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def filters(self) -> DocumentFilters:
        if not self.is_bound or not self.is_valid():
            return DocumentFilters()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return DocumentFilters(**data)


class InboxFilterForm(_FilterForm):
    sender = forms.CharField(label=_("Sender"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("unread", _("Unread")),
            ("new", _("New")),
            ("assigned", _("Assigned")),
            ("done", _("Handled")),
            ("overdue", _("Overdue")),
        ],
    )


class OutboxFilterForm(_FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *DocumentStatus.choices]
    )


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Open the registers of another unit"), required=False)
