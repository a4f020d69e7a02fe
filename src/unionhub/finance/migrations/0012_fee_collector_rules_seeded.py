"""Who collects the employer's union fee, as dated rules: the grassroots union's direct upper
level where these books begin, the province federation from 29 August 2025, when the
confederation moved the collection to the provincial federations. A later change is a new row
an administrator adds in the admin."""

import datetime as dt

from django.db import migrations

RULES = [
    # (effective_from, collector, basis)
    (dt.date(2016, 1, 1), "upper_level", "Công đoàn cấp trên trực tiếp cơ sở thu kinh phí công đoàn"),
    (
        dt.date(2025, 8, 29),
        "province",
        "Tổng Liên đoàn: tập trung thu kinh phí công đoàn tại LĐLĐ tỉnh từ 29/8/2025",
    ),
]


def seed(apps, schema_editor):
    rule = apps.get_model("finance", "Rule")
    rule.objects.bulk_create(
        rule(kind="fee_collector", group="", effective_from=day, collector=collector, basis=basis)
        for day, collector, basis in RULES
    )


def unseed(apps, schema_editor):
    rule = apps.get_model("finance", "Rule")
    for day, _collector, _basis in RULES:
        rule.objects.filter(kind="fee_collector", group="", effective_from=day).delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0011_fee_collector_rule")]

    operations = [migrations.RunPython(seed, unseed)]
