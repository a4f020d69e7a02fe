"""The names of reports' audit events: one definition, imported by the services that
write them and read by the history pages (through core.registry) for their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    REPORT_RETURNED = "reports.report.returned", _("Report returned for correction")
    REPORT_SUBMITTED = "reports.report.submitted", _("Report submitted")
    ROUND_OPENED = "reports.round.opened", _("Reporting round opened")
    SENSITIVE_VIEWED = "reports.statistics.sensitive_viewed", _("Sensitive statistics viewed")
