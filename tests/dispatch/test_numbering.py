"""Numbers and symbols: allocated at issue, per issuing unit and year, never repeated or skipped."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

from tests.dispatch.helpers import draft_and_issue, pdf_upload
from unionhub.core import scope
from unionhub.dispatch import services
from unionhub.dispatch.models import Document, DocumentType, Recipient, TargetKind


def test_symbol_follows_decree_30(tree, province_clerk):
    letter = draft_and_issue(
        unit=tree.province,
        by=province_clerk,
        targets=[(tree.district_a, TargetKind.UNIT)],
        department="TC",
    )
    decision = draft_and_issue(
        unit=tree.province,
        by=province_clerk,
        targets=[(tree.district_a, TargetKind.UNIT)],
        doc_type=DocumentType.DECISION,
    )
    short = tree.province.short_name or tree.province.code
    assert letter.symbol == f"1/{short}-TC"
    assert decision.symbol == f"2/QĐ-{short}"


def test_each_unit_numbers_its_own_documents(tree, province_clerk, officer_at):
    district_clerk = officer_at(tree.district_a, scope.CLERK)
    first = draft_and_issue(
        unit=tree.province, by=province_clerk, targets=[(tree.district_a, TargetKind.UNIT)]
    )
    own = draft_and_issue(
        unit=tree.district_a, by=district_clerk, targets=[(tree.province, TargetKind.UNIT)]
    )
    second = draft_and_issue(
        unit=tree.province, by=province_clerk, targets=[(tree.district_a, TargetKind.UNIT)]
    )
    assert (first.number, own.number, second.number) == (1, 1, 2)
    incoming = Recipient.objects.filter(unit=tree.district_a).order_by("incoming_number")
    assert [(r.document_id, r.incoming_number) for r in incoming] == [(first.pk, 1), (second.pk, 2)]


def test_a_refused_issue_gives_its_number_back(tree, province_clerk):
    draft = services.document_draft(
        unit=tree.province, by=province_clerk, doc_type="CV", summary="Thiếu tệp", signer="A"
    )
    services.target_add(
        document=draft, unit=tree.district_a, kind=TargetKind.UNIT, by=province_clerk
    )
    with pytest.raises(services.DomainError) as refused:
        services.document_issue(document=draft, by=province_clerk)
    assert refused.value.code == "attachment_required"
    issued = draft_and_issue(
        unit=tree.province, by=province_clerk, targets=[(tree.district_a, TargetKind.UNIT)]
    )
    assert issued.number == 1


ISSUERS = 2
PER_ISSUER = 10
ROOT = Path(__file__).resolve().parents[2]


def _database_for_processes(folder: Path) -> tuple[str, Callable[[], None]]:
    """A DATABASE_URL other processes can open on the test data, and how to read back theirs.

    PostgreSQL: the test database itself. SQLite: the test database lives in this process's
    memory, so it is copied to a file (WAL, BEGIN IMMEDIATE, as in production) and copied back.
    """
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        file = folder / "shared.sqlite3"
        with sqlite3.connect(file) as copy:
            connection.connection.backup(copy)
        # In WAL mode before the processes open it: two of them switching a fresh file's
        # journal at the same moment can fail with "database is locked" before any wait.
        with closing(sqlite3.connect(file)) as copy:
            copy.execute("PRAGMA journal_mode=WAL")

        def read_back() -> None:
            with sqlite3.connect(file) as source:
                source.backup(connection.connection)

        return f"sqlite:///{file}", read_back
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or 'localhost'}"
    return f"{url}:{db['PORT'] or 5432}/{db['NAME']}", lambda: None


@pytest.mark.django_db(transaction=True)
def test_two_processes_issuing_at_once_get_no_duplicate_and_no_gap(tree, officer_at, tmp_path):
    """Two clerks' processes, each with its own connection, issue to overlapping recipients."""
    clerks = [officer_at(tree.province, scope.CLERK) for _ in range(ISSUERS)]
    drafts: dict[int, list[int]] = {}
    for clerk in clerks:
        drafts[clerk.pk] = []
        for i in range(PER_ISSUER):
            draft = services.document_draft(
                unit=tree.province, by=clerk, doc_type="CV", summary=f"Văn bản {i}", signer="A"
            )
            services.target_add(
                document=draft, unit=tree.district_a, kind=TargetKind.SUBTREE, by=clerk
            )
            services.attachment_add(document=draft, upload=pdf_upload(), by=clerk)
            drafts[clerk.pk].append(draft.pk)
    url, read_back = _database_for_processes(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.dispatch.issuer", str(pk), *map(str, drafts[pk])],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for pk in drafts
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "READY"
    for process in processes:
        process.stdin.write("GO\n")
        process.stdin.flush()
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    print(outputs)
    assert [p.returncode for p in processes] == [0] * ISSUERS, outputs
    read_back()

    numbers = sorted(Document.objects.filter(unit=tree.province).values_list("number", flat=True))
    assert numbers == list(range(1, ISSUERS * PER_ISSUER + 1))
    for unit in (tree.district_a, tree.grassroots_a1, tree.grassroots_a2):
        incoming = sorted(
            Recipient.objects.filter(unit=unit).values_list("incoming_number", flat=True)
        )
        assert incoming == list(range(1, ISSUERS * PER_ISSUER + 1))
