from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.core import uploads
from unionhub.core.forms import AmountField, KeyField
from unionhub.core.widgets import UnitField
from unionhub.movements.models import (
    Fund,
    Participants,
    Rule,
    ShelterState,
    SupportKind,
    SupportState,
)

# How approved money leaves: the cash box or the bank (finance's accounts 111 and 112).
PAID_VIA = [("111", _("In cash")), ("112", _("By bank"))]


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class CampaignForm(forms.Form):
    unit = UnitField(label=_("Unit"), role="unit_admin")
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=pgettext_lazy("campaign", "Description"), widget=forms.Textarea, required=False
    )
    starts = forms.DateField(label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}))
    ends = forms.DateField(label=_("Ends"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.ChoiceField(label=_("Who may take part"), choices=Participants.choices)
    rule = forms.ChoiceField(label=_("Combining rule"), choices=Rule.choices)
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: name; maximum points; weight (e.g. “Creativity; 40; 1”)."),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_criteria(self) -> list[tuple[str, int, Decimal]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            try:
                name, max_points = parts[0], int(parts[1])
                weight = Decimal(parts[2].replace(",", ".")) if len(parts) > 2 else Decimal(1)
            except (IndexError, ValueError, InvalidOperation) as error:
                raise forms.ValidationError(
                    _("Line %(line)s: write name; maximum points; weight."),
                    params={"line": number},
                ) from error
            rows.append((name, max_points, weight))
        return rows


class RegistrationForm(forms.Form):
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Registering unit"), queryset=None
    )
    member_id_number = forms.CharField(
        label=_("Member's document number"), max_length=20, required=False
    )
    team = forms.CharField(label=_("Team"), max_length=300, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class EntryForm(forms.Form):
    registration: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Registration"), queryset=None
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    benefit = forms.DecimalField(
        label=_("Benefit claimed (VND)"), required=False, min_value=0, decimal_places=0
    )
    file = uploads.LimitedFileField(
        label=_("File or photo"), kind=uploads.ATTACHMENT, required=False
    )

    def __init__(self, *args: Any, registrations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registration"].queryset = registrations  # type: ignore[attr-defined]


class AwardLevelForm(forms.Form):
    unit = UnitField(label=_("Unit"), role="unit_admin")
    name = forms.CharField(label=_("Award level"), max_length=200)
    certificate_title = forms.CharField(label=_("Title on the certificate"), max_length=100)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class AwardForm(forms.Form):
    level: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Award level"), queryset=None
    )
    decision: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Decision"), queryset=None
    )
    member_id_number = forms.CharField(
        label=_("Member's document number"), max_length=20, required=False
    )
    unit = UnitField(label=_("Or a unit (collective award)"), required=False)
    campaign: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False
    )
    reason = forms.CharField(label=_("For"), max_length=500)

    def __init__(
        self, *args: Any, levels: Any, decisions: Any, units: Any, campaigns: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels  # type: ignore[attr-defined]
        self.fields["decision"].queryset = decisions  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revoking"), max_length=500)


class SupportFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", "—"), *SupportState.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of support"), choices=[("", "—"), *SupportKind.choices], required=False
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class SupportForm(forms.Form):
    member_id_number = forms.CharField(label=_("Member's document number"), max_length=20)
    kind = forms.ChoiceField(label=_("Kind of support"), choices=SupportKind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    fund = forms.ChoiceField(label=_("Fund"), choices=Fund.choices)
    amount = AmountField(label=_("Amount (VND)"), required=False)
    goods = forms.CharField(label=_("Goods"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class DecideForm(forms.Form):
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Deciding unit"), queryset=None
    )
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    via = forms.ChoiceField(label=_("Paid"), choices=PAID_VIA, required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class StatisticsForm(forms.Form):
    unit = UnitField(label=_("Unit"))
    first = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("last") and data["last"] < data["first"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class ShelterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", "—"), *ShelterState.choices], required=False
    )
    year = forms.IntegerField(
        label=_("Year proposed"), required=False, min_value=2000, max_value=2100
    )


class ShelterForm(forms.Form):
    member_id_number = forms.CharField(label=_("Member's document number"), max_length=20)
    address = forms.CharField(label=_("Address of the house"), max_length=300)
    cost = AmountField(label=_("Cost (VND)"))
    contributions = forms.CharField(
        label=_("Contributors"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: name of the person or unit; amount in VND "
            "(e.g. “Công ty May Hà Tĩnh; 30000000”). The amounts add up to the cost."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_contributions(self) -> list[tuple[str, int]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["contributions"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, amount = line.rpartition(";")
            try:
                # Officers write money as 30.000.000 or 30,000,000: the separators are dropped.
                rows.append((name.strip(), int(amount.strip().replace(".", "").replace(",", ""))))
            except ValueError as error:
                raise forms.ValidationError(
                    _("Line %(line)s: write name; amount."), params={"line": number}
                ) from error
        return rows


class ShelterDecideForm(forms.Form):
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Deciding unit"), queryset=None
    )
    on = forms.DateField(label=_("Decided on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class ShelterStepForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


def _lines(text: str, parse: Any, message: Any) -> list[Any]:
    """Each non-blank line of `text` split at ";" and given to `parse`; a line it cannot read
    is a validation error naming the line."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(parse([part.strip() for part in line.split(";")]))
        except (IndexError, ValueError) as error:
            raise forms.ValidationError(message, params={"line": number}) from error
    return rows


class ClassificationForm(forms.Form):
    unit = UnitField(label=_("Unit"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: name; maximum points (e.g. “Caring for members; 30”)."),
    )
    grades = forms.CharField(
        label=_("Classes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, highest first: name; points from; quota if any "
            "(e.g. “Vững mạnh xuất sắc; 90; 3”)."
        ),
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean_criteria(self) -> list[tuple[str, int]]:
        return _lines(
            self.cleaned_data["criteria"],
            lambda parts: (parts[0], int(parts[1])),
            _("Line %(line)s: write name; maximum points."),
        )

    def clean_grades(self) -> list[tuple[str, int, int | None]]:
        return _lines(
            self.cleaned_data["grades"],
            lambda parts: (
                parts[0],
                int(parts[1]),
                int(parts[2]) if len(parts) > 2 and parts[2] else None,
            ),
            _("Line %(line)s: write name; points from; quota."),
        )


class AssessmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)


class AssessmentForm(forms.Form):
    """One field per criterion of the scheme, named c<criterion id>."""

    def __init__(self, *args: Any, criteria: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name} (≤ {criterion.max_points})",
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=1,
            )

    def points(self) -> dict[int, Decimal]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


class ScoreEntryForm(forms.Form):
    """Which entry a juror's sheet posts: its key, looked up in the juror's scope by the view."""

    entry = KeyField()
