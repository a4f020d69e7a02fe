"""Every union fee already paid gets its payment row, one for the whole amount paid so far (on
the last payment's date): a fee already posted keeps its entries, now the payment's."""

from django.db import migrations
from django.db.models import F


def forward(apps, schema_editor):
    fee_model = apps.get_model("finance", "EmployerFee")
    payment = apps.get_model("finance", "EmployerFeePayment")
    fees = list(fee_model.objects.filter(paid__gt=0))
    payment.objects.bulk_create(
        payment(
            fee=fee,
            amount=fee.paid,
            paid_on=fee.paid_on or fee.month,
            by_id=fee.by_id,
            collector_id=fee.collector_id,
            share=fee.share,
            entry_id=fee.entry_id,
            grassroots_entry_id=fee.grassroots_entry_id,
        )
        for fee in fees
    )
    fee_model.objects.filter(paid__gt=0, entry__isnull=False).update(posted=F("paid"))


def backward(apps, schema_editor):
    fee_model = apps.get_model("finance", "EmployerFee")
    payment = apps.get_model("finance", "EmployerFeePayment")
    # Back to one entry per fee: a fee paid in several payments cannot be put back.
    for fee in fee_model.objects.filter(paid__gt=0):
        rows = list(payment.objects.filter(fee=fee))
        if len(rows) > 1:
            raise RuntimeError(f"union fee {fee.pk} has {len(rows)} payments: cannot go back")
        if rows and rows[0].entry_id:
            fee.entry_id, fee.grassroots_entry_id = rows[0].entry_id, rows[0].grassroots_entry_id
            fee.save(update_fields=["entry", "grassroots_entry"])
    payment.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0013_union_fee_payments")]

    operations = [migrations.RunPython(forward, backward)]
