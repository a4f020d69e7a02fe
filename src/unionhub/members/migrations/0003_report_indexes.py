# Indexes for the fluctuation report (reports.fluctuation), added by the reports app.
#
# Database only: the models' state is left as it is, so `makemigrations --check` stays clean
# and members/models.py needs no change. Should the members app later declare these indexes in
# its models' Meta.indexes, it adds them to the state with a state-only migration (the same
# names), not a second CREATE INDEX.
#
# - periods by start and by end (with unit and member): the periods that open or close within
#   a report's dates are a range scan of an index that holds every column the report reads;
# - events by date and kind (with unit, member, reorganisation; and id, on PostgreSQL): the
#   events dated in a report's range, read from the index alone.
#
# AddIndex on these two tables is a plain CREATE INDEX on SQLite too (no table rebuild), so the
# search triggers on members_member (0002) are not touched.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0002_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddIndex(
                    model_name="membershipperiod",
                    index=models.Index(
                        fields=["start", "unit", "member"], name="period_start_unit_member"
                    ),
                ),
                migrations.AddIndex(
                    model_name="membershipperiod",
                    index=models.Index(
                        fields=["end", "unit", "member"], name="period_end_unit_member"
                    ),
                ),
                migrations.AddIndex(
                    model_name="membershipevent",
                    index=models.Index(
                        fields=["date", "kind", "unit", "member", "reorganisation"],
                        include=["id"],
                        name="event_date_kind_unit_member",
                    ),
                ),
            ],
        ),
    ]
