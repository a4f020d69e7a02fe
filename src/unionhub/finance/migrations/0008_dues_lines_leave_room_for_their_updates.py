from django.db import migrations

from unionhub.core.dbtriggers import per_vendor

# Marking a roll paid and posting it rewrite every line of the roll, twice. PostgreSQL writes
# a new version of each row; when it fits on the row's page and no indexed column changed
# (paid_on and batch_id are in no index), the update touches no index (a HOT update). Pages
# filled to the brim by the month's INSERT leave no such room: half of each page is kept free.
# SQLite rewrites rows in place: nothing to do there.


class Migration(migrations.Migration):
    dependencies = [("finance", "0007_dues_roll_index_without_payment_date")]

    operations = [
        per_vendor(
            {"postgresql": ["ALTER TABLE finance_duesline SET (fillfactor = 50)"]},
            {"postgresql": ["ALTER TABLE finance_duesline RESET (fillfactor)"]},
        )
    ]
