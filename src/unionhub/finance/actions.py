"""The names of finance's audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    RULE_SAVED = "finance.rule.saved", _("Dues rule saved")
    SALARY_SET = "finance.salary.set", _("Salary for dues set")
    SALARIES_IMPORTED = "finance.salary.imported", _("Salaries for dues imported")
    DUES_COMPUTED = "finance.dues.computed", _("Dues computed")
    DUES_PAID = "finance.dues.paid", _("Dues paid")
    DUES_POSTED = "finance.dues.posted", _("Dues posted to the cash book")
    ENTRY_POSTED = "finance.entry.posted", _("Cash book entry posted")
    ENTRY_REVERSED = "finance.entry.reversed", _("Cash book entry reversed")
    REMITTANCE_RECORDED = "finance.remittance.recorded", _("Remittance recorded")
    FEE_RECORDED = "finance.fee.recorded", _("Employer's union fee recorded")
    FEE_PAID = "finance.fee.paid", _("Employer's union fee paid")
    FEE_POSTED = "finance.fee.posted", _("Employer's union fee posted to the books")
