# Indexes that let a part of the country's fluctuation report read its members from indexes
# alone (reports.fluctuation), rather than visiting a row per member (a province's report at
# 10 million members: a row each of its ~160,000 periods and members, spread over the tables).
#
# - periods by (unit, start, end) now carry the member (PostgreSQL INCLUDE; SQLite indexes the
#   three columns as before): a unit's members on a day, and their count, from the index;
# - events by (unit, date, kind) now carry the member, the other unit, the reorganisation mark
#   and the id: a unit's events of a period, and the rival events of the same member and day,
#   from the index;
# - women members by id, a partial index: which of those members are women, from the index.
#
# Each covering index is built before the one it replaces is dropped.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0008_name_folded_without_plain_index"),
        ("orgs", "0004_data_protection_role"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="membershipperiod",
            index=models.Index(
                fields=["unit", "start", "end"], include=("member",), name="period_unit_start_end"
            ),
        ),
        migrations.RemoveIndex(
            model_name="membershipperiod",
            name="members_mem_unit_id_0315f4_idx",
        ),
        migrations.AddIndex(
            model_name="membershipevent",
            index=models.Index(
                fields=["unit", "date", "kind"],
                include=("member", "other_unit", "reorganisation", "id"),
                name="event_unit_date_kind",
            ),
        ),
        migrations.RemoveIndex(
            model_name="membershipevent",
            name="members_mem_unit_id_d8c190_idx",
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(
                condition=models.Q(("gender", "female")), fields=["id"], name="member_women"
            ),
        ),
    ]
