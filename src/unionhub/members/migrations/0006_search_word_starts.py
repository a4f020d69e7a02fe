from django.db import migrations

# PostgreSQL: B-trees for the search box's word-start look-ups (members.selectors
# `_staged_candidates`), whose range scans stop once the candidates are found, unlike the
# trigram index, which builds the bitmap of every "nguyen" first. The expressions must stay
# the very ones the selector spells (GIVEN_FIRST_SQL, AFTER_FAMILY_SQL, in the "C"
# collation), or the planner will not use these indexes; in that collation one B-tree serves
# both the LIKE prefix and the order the selector reads in. Each name key twice: alone, for a
# search of the whole registry, and after the unit, for a search within a scope, which the
# planner runs unit by unit (a range of the name in each of the scope's units).
KEYS = {
    # "nguyen van trong" → "trong nguyen van": the given name first, then the rest in order.
    "given_first": r"""(regexp_replace(name_folded, '^(\S+)(.*) (\S+)$', '\3 \1\2') COLLATE "C")""",
    # "nguyen van trong" as it is, from the family name.
    "from_family": """(name_folded COLLATE "C")""",
    # "nguyen van trong" → "van trong": the name without the family name.
    "after_family": r"""(regexp_replace(name_folded, '^\S+ ', '') COLLATE "C")""",
}
PG_FORWARD = [
    statement
    for name, key in KEYS.items()
    for statement in (
        f"CREATE INDEX IF NOT EXISTS members_member_{name} ON members_member ({key})",
        f"CREATE INDEX IF NOT EXISTS members_member_unit_{name} "
        f"ON members_member (unit_id, {key})",
    )
]
PG_BACKWARD = [
    f"DROP INDEX IF EXISTS members_member{prefix}_{name}"
    for name in KEYS
    for prefix in ("", "_unit")
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_union_join_date_and_recorded"),
    ]

    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD))]
