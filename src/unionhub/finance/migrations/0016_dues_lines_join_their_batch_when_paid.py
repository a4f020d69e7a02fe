"""A dues line joins the open batch of its unit and month when it is marked paid, and posting
fills in the batch: a batch may now be open (no entry yet, nothing in it counted), one per unit
and month. The lines already paid and not yet posted go to open batches; going back takes them
out and removes the open batches."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forward(apps, schema_editor):
    batch = apps.get_model("finance", "DuesBatch")
    line = apps.get_model("finance", "DuesLine")
    waiting = line.objects.filter(batch=None).exclude(paid_on=None)
    batch.objects.bulk_create(
        batch(unit_id=unit_id, month=month, total=0, kept=0, upper_share=0)
        for unit_id, month in waiting.values_list("unit_id", "month").distinct().order_by()
    )
    opened = batch.objects.filter(unit_id=OuterRef("unit_id"), month=OuterRef("month"), entry=None)
    waiting.update(batch_id=Subquery(opened.values("pk")[:1]))


def backward(apps, schema_editor):
    batch = apps.get_model("finance", "DuesBatch")
    line = apps.get_model("finance", "DuesLine")
    opened = batch.objects.filter(entry=None)
    line.objects.filter(batch_id__in=opened.values("pk")).update(batch_id=None)
    opened.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0015_union_fee_entries_on_the_payments"),
        ("orgs", "0004_data_protection_role"),
    ]

    operations = [
        migrations.AlterField(
            model_name="duesbatch",
            name="entry",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="finance.journalentry",
                verbose_name="entry",
            ),
        ),
        migrations.AddConstraint(
            model_name="duesbatch",
            constraint=models.CheckConstraint(
                condition=~models.Q(entry=None)
                | models.Q(total=0, upper_unit=None, upper_entry=None),
                name="finance_batch_open_is_empty",
            ),
        ),
        migrations.AddConstraint(
            model_name="duesbatch",
            constraint=models.UniqueConstraint(
                condition=models.Q(entry=None),
                fields=("unit", "month"),
                name="finance_batch_one_open",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
