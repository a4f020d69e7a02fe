from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from unionhub.core import uploads
from unionhub.core.uploads import LimitedFileField
from unionhub.core.widgets import UnitPicker
from unionhub.imports.columns import all_columns
from unionhub.imports.models import ImportMode


def _photo_limits_text() -> str:
    return gettext("Each photo at most %(mb)s MB, at most %(files)s photos per archive.") % {
        "mb": uploads.max_mb(uploads.PHOTO),
        "files": settings.PHOTO_ARCHIVE_MAX_FILES,
    }


_photo_limits = lazy(_photo_limits_text, str)


class UnitCodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", UnitPicker(role="registrar"))
        super().__init__(label=_("Unit"), max_length=32, **kwargs)


class UploadForm(forms.Form):
    unit = UnitCodeField()
    file = LimitedFileField(
        label=_("Spreadsheet"),
        kind=uploads.MEMBER_IMPORT,
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


class PhotosForm(forms.Form):
    unit = UnitCodeField()
    archive = LimitedFileField(
        label=_("ZIP of photos"),
        kind=uploads.PHOTO_ARCHIVE,
        help_text=format_lazy(
            "{} {}",
            _("JPEG or PNG files named by document number (or card number)."),
            _photo_limits(),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip"}),
    )


class ExportForm(forms.Form):
    unit = UnitCodeField()


class MappingForm(forms.Form):
    """One choice per column of the file: which field it holds, or nothing."""

    def __init__(self, *args, headers: list[str], initial_mapping: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— not imported —"))] + [(c.key, c.label) for c in all_columns()]
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
