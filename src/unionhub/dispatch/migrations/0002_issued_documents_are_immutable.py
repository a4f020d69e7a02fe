"""The database itself refuses to change an issued document, whatever code tries.

Updates of an issued row, and attachments or recipient choices added to or changed on an issued
document, abort with an integrity error. Deletes are left to the ORM (recipients PROTECT their
document), because test databases are emptied with DELETE on SQLite.
"""

from django.db import migrations

from unionhub.core.dbtriggers import per_vendor

MESSAGE = "dispatch: an issued document cannot be changed"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER dispatch_document_immutable BEFORE UPDATE ON dispatch_document
    WHEN OLD.status = 'issued'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    *[
        f"""
        CREATE TRIGGER dispatch_{table}_{op.lower()}_immutable BEFORE {op} ON dispatch_{table}
        WHEN (SELECT status FROM dispatch_document WHERE id = NEW.document_id) = 'issued'
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """
        for table in ("attachment", "documenttarget")
        for op in ("INSERT", "UPDATE")
    ],
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS dispatch_document_immutable",
    *[
        f"DROP TRIGGER IF EXISTS dispatch_{table}_{op}_immutable"
        for table in ("attachment", "documenttarget")
        for op in ("insert", "update")
    ],
]

POSTGRES_FORWARD = [
    f"""
    CREATE FUNCTION dispatch_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_TABLE_NAME = 'dispatch_document' THEN
            IF OLD.status = 'issued' THEN
                RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
        ELSIF EXISTS (
            SELECT 1 FROM dispatch_document WHERE id = NEW.document_id AND status = 'issued'
        ) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER dispatch_document_immutable BEFORE UPDATE ON dispatch_document
    FOR EACH ROW EXECUTE FUNCTION dispatch_refuse_change()
    """,
    """
    CREATE TRIGGER dispatch_attachment_immutable BEFORE INSERT OR UPDATE ON dispatch_attachment
    FOR EACH ROW EXECUTE FUNCTION dispatch_refuse_change()
    """,
    """
    CREATE TRIGGER dispatch_documenttarget_immutable
    BEFORE INSERT OR UPDATE ON dispatch_documenttarget
    FOR EACH ROW EXECUTE FUNCTION dispatch_refuse_change()
    """,
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS dispatch_document_immutable ON dispatch_document",
    "DROP TRIGGER IF EXISTS dispatch_attachment_immutable ON dispatch_attachment",
    "DROP TRIGGER IF EXISTS dispatch_documenttarget_immutable ON dispatch_documenttarget",
    "DROP FUNCTION IF EXISTS dispatch_refuse_change()",
]


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0001_initial")]

    operations = [
        per_vendor(
            {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD},
            {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD},
        )
    ]
