from django.db import migrations

# PostgreSQL: the given-first key of the search's word-start B-trees (migration 0006), spelled
# with a regular expression that gives the same text for every string ("nguyen van trong" →
# "trong nguyen van"; a name without a space, or starting with one, unchanged) at a fifth of
# the cost: with '^(\S+)(.*) (\S+)$' PostgreSQL's regex engine tries each split of the first
# two groups, ~9 µs of CPU a name against ~2 µs. Every member written computes the key twice
# (the index alone and after the unit): for a 10,000-row import (bench/national.py) the old
# key took ~0.18 s of the database's ~0.9 s of CPU, this one ~0.04 s. The selector
# (members.selectors.GIVEN_FIRST_SQL) spells the same expression, or the planner would not use
# these indexes.
OLD = r"""(regexp_replace(name_folded, '^(\S+)(.*) (\S+)$', '\3 \1\2') COLLATE "C")"""
NEW = r"""(regexp_replace(name_folded, '^(\S.*) (\S+)$', '\2 \1') COLLATE "C")"""


def _indexes(key):
    return [
        "DROP INDEX IF EXISTS members_member_given_first",
        "DROP INDEX IF EXISTS members_member_unit_given_first",
        f"CREATE INDEX members_member_given_first ON members_member ({key})",
        f"CREATE INDEX members_member_unit_given_first ON members_member (unit_id, {key})",
    ]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_search_word_starts"),
    ]

    operations = [migrations.RunPython(_run(_indexes(NEW)), _run(_indexes(OLD)))]
