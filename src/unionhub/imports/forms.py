from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.imports.columns import COLUMNS
from unionhub.imports.models import ImportMode

MAX_UPLOAD_MB = 50


class UnitCodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label=_("Code of the unit"), max_length=32, **kwargs)


class UploadForm(forms.Form):
    unit = UnitCodeField()
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("Excel (.xlsx) or CSV; the template's layout or your own."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv"}),
    )
    mode = forms.ChoiceField(
        label=_("The people in the file are"),
        choices=ImportMode.choices,
        initial=ImportMode.RECORD,
        required=False,
        widget=forms.RadioSelect,
    )
    books_open = forms.DateField(
        label=_("Books open on"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "For existing members: the day your unit's books hold them from, on or after the "
            "unit's founding. Empty: today. Each member's union join date is kept as the file "
            "gives it."
        ),
    )

    def clean_mode(self):
        # A unit's list is its existing members unless the officer says otherwise.
        return self.cleaned_data["mode"] or ImportMode.RECORD

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_MB}
            )
        return upload


class PhotosForm(forms.Form):
    unit = UnitCodeField()
    archive = forms.FileField(
        label=_("ZIP of photos"),
        help_text=_("JPEG or PNG files named by document number (or card number)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )


class ExportForm(forms.Form):
    unit = UnitCodeField()


class MappingForm(forms.Form):
    """One choice per column of the file: which field it holds, or nothing."""

    def __init__(self, *args, headers: list[str], initial_mapping: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [(c.key, c.label) for c in COLUMNS]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("(column without a header)"),
                choices=choices,
                required=False,
                initial=initial_mapping.get(index, ""),
            )

    def mapping(self) -> dict[int, str]:
        return {
            index: self.cleaned_data.get(f"col_{index}") or "" for index in range(len(self.headers))
        }
