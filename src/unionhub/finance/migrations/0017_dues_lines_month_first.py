"""The unique key of dues lines leads with the month: a month's lines, computed together, go at
the end of the index instead of into every page of it (see DuesLine). The index is rebuilt: on a
large table the migration holds the table's lock while it does (seconds per million lines)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0016_dues_lines_join_their_batch_when_paid"),
        ("members", "0009_report_covering_indexes"),
        ("orgs", "0004_data_protection_role"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="duesline", name="finance_dues_once"),
        migrations.AddConstraint(
            model_name="duesline",
            constraint=models.UniqueConstraint(fields=("month", "member"), name="finance_dues_once"),
        ),
    ]
