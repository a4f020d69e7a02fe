from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.core import uploads
from unionhub.core.forms import AmountField, KeyField
from unionhub.core.uploads import LimitedFileField
from unionhub.finance import selectors
from unionhub.finance.models import Account, FeeStatus
from unionhub.finance.selectors import RollFilters
from unionhub.finance.services import CASH_COUNTER_ACCOUNTS

STATUS_CHOICES = [
    ("", _("Every member")),
    (selectors.UNPAID, _("Not paid")),
    (selectors.PAID, _("Paid")),
    (selectors.NO_SALARY, _("No salary entered")),
]
SORT_CHOICES = [
    ("name", _("Name")),
    ("unit", _("Unit")),
    ("-amount", _("Dues, highest first")),
    ("amount", _("Dues, lowest first")),
    ("-salary", _("Salary, highest first")),
    ("paid_on", _("Date paid")),
]


class RollFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or document number"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)

    def filters(self) -> RollFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return RollFilters(
            status=data.get("status", ""), query=data.get("q", ""), sort=data.get("sort") or "name"
        )


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"})
    )


class PaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PostForm(forms.Form):
    on = forms.DateField(
        label=_("Entry date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RemitForm(forms.Form):
    amount = AmountField(label=_("Amount (VND)"))
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    account = forms.ChoiceField(
        label=_("Paid from"),
        choices=[
            (Account.BANK.value, Account.BANK.label),
            (Account.CASH.value, Account.CASH.label),
        ],
    )


class PayrollForm(forms.Form):
    file = LimitedFileField(label=_("Spreadsheet (.xlsx or .csv)"), kind=uploads.PAYROLL_IMPORT)
    dry_run = forms.BooleanField(label=_("Check only, store nothing"), required=False, initial=True)


class CashForm(forms.Form):
    account = forms.ChoiceField(
        label=_("Kind"), choices=[(a.value, a.label) for a in CASH_COUNTER_ACCOUNTS]
    )
    amount = AmountField(label=_("Amount (VND)"))
    date = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(label=_("Description"), max_length=255)
    via = forms.ChoiceField(
        label=_("Paid from"),
        choices=[
            (Account.CASH.value, Account.CASH.label),
            (Account.BANK.value, Account.BANK.label),
        ],
    )
    member = KeyField(
        label=_("Member number"),
        required=False,
        help_text=_("For support to a member: the member number shown on the roll."),
    )


class FeeForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d", "%m/%Y"],
    )
    payroll = AmountField(label=_("Social-insurance payroll (VND)"), min_value=0)
    status = forms.ChoiceField(
        label=_("The fee"),
        choices=[
            (FeeStatus.DUE.value, _("Due at the standard rate")),
            (FeeStatus.REDUCED.value, FeeStatus.REDUCED.label),
            (FeeStatus.WAIVED.value, FeeStatus.WAIVED.label),
            (FeeStatus.SUSPENDED.value, FeeStatus.SUSPENDED.label),
        ],
        initial=FeeStatus.DUE,
    )
    rate = forms.DecimalField(
        label=_("Reduced rate (%)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=4,
        help_text=_("Only for a reduced rate, e.g. 1 for 1 %."),
    )
    note = forms.CharField(
        label=_("Note (the decision, the reason)"), max_length=255, required=False
    )

    def cleaned_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["month"] = data["month"].replace(day=1)
        data["rate"] = data["rate"] / 100 if data.get("rate") is not None else None
        return data


class FeePayForm(forms.Form):
    amount = AmountField(label=_("Amount (VND)"))
    paid_on = forms.DateField(
        label=_("Paid on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class FeeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *FeeStatus.choices], required=False
    )
