"""The rules in force when UnionHub's books start: dues, their cap, the state base salary, the
union fee and the shares the grassroots union keeps. Later changes are new rows an administrator
adds in the admin; this migration never needs editing for them.

The first rows of the dues rate, cap, fee and shares are dated 1 January 2016, where these books
begin; the figures are those in force since well before that date.
"""

import datetime as dt
from decimal import Decimal

from django.db import migrations

RULES = [
    # (kind, effective_from, rate, amount, basis)
    ("dues_rate", dt.date(2016, 1, 1), Decimal("0.01"), None, "Điều lệ Công đoàn Việt Nam"),
    ("dues_rate", dt.date(2025, 7, 1), Decimal("0.005"), None, "Quyết định 61/QĐ-TLĐ"),
    ("dues_cap", dt.date(2016, 1, 1), Decimal("0.10"), None, "Quyết định 61/QĐ-TLĐ"),
    ("base_salary", dt.date(2019, 7, 1), None, 1_490_000, "Nghị định 38/2019/NĐ-CP"),
    ("base_salary", dt.date(2023, 7, 1), None, 1_800_000, "Nghị định 24/2023/NĐ-CP"),
    ("base_salary", dt.date(2024, 7, 1), None, 2_340_000, "Nghị định 73/2024/NĐ-CP"),
    ("dues_kept", dt.date(2016, 1, 1), Decimal("0.70"), None, "Quyết định 1408/QĐ-TLĐ"),
    ("fee_rate", dt.date(2016, 1, 1), Decimal("0.02"), None, "Luật Công đoàn"),
    ("fee_kept", dt.date(2016, 1, 1), Decimal("0.75"), None, "Quyết định 1408/QĐ-TLĐ"),
]


def seed(apps, schema_editor):
    rule = apps.get_model("finance", "Rule")
    rule.objects.bulk_create(
        rule(kind=kind, group="", effective_from=day, rate=rate, amount=amount, basis=basis)
        for kind, day, rate, amount, basis in RULES
    )


def unseed(apps, schema_editor):
    rule = apps.get_model("finance", "Rule")
    for kind, day, *_rest in RULES:
        rule.objects.filter(kind=kind, group="", effective_from=day).delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
