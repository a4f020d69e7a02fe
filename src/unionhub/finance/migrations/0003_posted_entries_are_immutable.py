"""The database itself keeps the books: whatever code tries, on SQLite and PostgreSQL,

- an entry is never inserted already posted, and is posted only when it has two postings or
  more summing to zero (debits positive, credits negative);
- a posted entry is never updated or deleted, and its postings are never added to, updated or
  deleted. A correction is a reversing entry.

PostgreSQL empties test databases with TRUNCATE, which row triggers do not see; SQLite empties
them with DELETE, so a test that commits posted entries for real on SQLite (transaction=True)
cannot be flushed: finance tests run in rolled-back transactions.
"""

from django.db import migrations

from unionhub.core.dbtriggers import per_vendor

IMMUTABLE = "finance: a posted journal entry cannot be changed"
UNBALANCED = "finance: an entry is posted only with postings summing to zero"

_BALANCE_BROKEN = """(
    (SELECT COUNT(*) FROM finance_posting WHERE entry_id = NEW.id) < 2
    OR (SELECT COALESCE(SUM(amount), 0) FROM finance_posting WHERE entry_id = NEW.id) <> 0
)"""
_POSTED = "(SELECT status FROM finance_journalentry WHERE id = {ref}.entry_id) = 'posted'"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER finance_entry_insert_posted BEFORE INSERT ON finance_journalentry
    WHEN NEW.status = 'posted'
    BEGIN SELECT RAISE(ABORT, '{UNBALANCED}'); END
    """,
    f"""
    CREATE TRIGGER finance_entry_update_posted BEFORE UPDATE ON finance_journalentry
    WHEN OLD.status = 'posted'
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END
    """,
    f"""
    CREATE TRIGGER finance_entry_post_balanced BEFORE UPDATE ON finance_journalentry
    WHEN NEW.status = 'posted' AND {_BALANCE_BROKEN}
    BEGIN SELECT RAISE(ABORT, '{UNBALANCED}'); END
    """,
    f"""
    CREATE TRIGGER finance_entry_delete_posted BEFORE DELETE ON finance_journalentry
    WHEN OLD.status = 'posted'
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END
    """,
    f"""
    CREATE TRIGGER finance_posting_insert_posted BEFORE INSERT ON finance_posting
    WHEN {_POSTED.format(ref="NEW")}
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END
    """,
    f"""
    CREATE TRIGGER finance_posting_update_posted BEFORE UPDATE ON finance_posting
    WHEN {_POSTED.format(ref="OLD")} OR {_POSTED.format(ref="NEW")}
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END
    """,
    f"""
    CREATE TRIGGER finance_posting_delete_posted BEFORE DELETE ON finance_posting
    WHEN {_POSTED.format(ref="OLD")}
    BEGIN SELECT RAISE(ABORT, '{IMMUTABLE}'); END
    """,
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS finance_{name}"
    for name in (
        "entry_insert_posted",
        "entry_update_posted",
        "entry_post_balanced",
        "entry_delete_posted",
        "posting_insert_posted",
        "posting_update_posted",
        "posting_delete_posted",
    )
]

_RAISE = "RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation'"
POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION finance_guard_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NEW.status = 'posted' THEN {_RAISE.format(message=UNBALANCED)}; END IF;
            RETURN NEW;
        END IF;
        IF OLD.status = 'posted' THEN {_RAISE.format(message=IMMUTABLE)}; END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF NEW.status = 'posted' AND {_BALANCE_BROKEN} THEN
            {_RAISE.format(message=UNBALANCED)};
        END IF;
        RETURN NEW;
    END $$
    """,
    f"""
    CREATE FUNCTION finance_guard_posting() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            IF {_POSTED.format(ref="OLD")} THEN {_RAISE.format(message=IMMUTABLE)}; END IF;
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        IF {_POSTED.format(ref="NEW")} THEN {_RAISE.format(message=IMMUTABLE)}; END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER finance_entry_guard BEFORE INSERT OR UPDATE OR DELETE
    ON finance_journalentry FOR EACH ROW EXECUTE FUNCTION finance_guard_entry()
    """,
    """
    CREATE TRIGGER finance_posting_guard BEFORE INSERT OR UPDATE OR DELETE
    ON finance_posting FOR EACH ROW EXECUTE FUNCTION finance_guard_posting()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS finance_entry_guard ON finance_journalentry",
    "DROP TRIGGER IF EXISTS finance_posting_guard ON finance_posting",
    "DROP FUNCTION IF EXISTS finance_guard_entry()",
    "DROP FUNCTION IF EXISTS finance_guard_posting()",
]


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_rules")]

    operations = [
        per_vendor(
            {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD},
            {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD},
        )
    ]
