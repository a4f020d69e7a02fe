from django.db import migrations, models

# The folded name's own B-trees (Django's db_index: the column alone and, on PostgreSQL, its
# varchar_pattern_ops twin) serve no query: the search reads the word-start indexes of
# migrations 0006/0007 in the "C" collation (PostgreSQL) or the FTS5 table (SQLite), and the
# other look-ups by name go through the unit first. Every member written paid for both, at a
# random place of each (a full-page image in the WAL for most of a bulk import's rows after a
# checkpoint). Dropped by name in the database; the state says db_index=False, so that Django
# does not rebuild the table on SQLite (which would drop the FTS5 triggers of migration 0002).
INDEX = "members_member_name_folded_c9c9d7df"


def _drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}_like")


def _create(apps, schema_editor):
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON members_member (name_folded)")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX}_like "
            "ON members_member (name_folded varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_cheaper_given_first_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="member",
                    name="name_folded",
                    field=models.CharField(editable=False, max_length=150),
                ),
            ],
            database_operations=[migrations.RunPython(_drop, _create)],
        ),
    ]
