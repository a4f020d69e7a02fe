"""`unionhub import-members FILE --unit CODE [--admit | --books-open YYYY-MM-DD] [--dry-run]
[--errors OUT.xlsx] [--user NAME]`: the web import's pipeline from the command line, for
operators loading whole provinces. New people are recorded as existing members unless
`--admit` says they join the union now."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from unionhub.core.errors import DomainError
from unionhub.imports import report, selectors, services
from unionhub.imports.columns import layout_signature, missing_required
from unionhub.imports.models import ImportMode
from unionhub.imports.reader import auto_mapping, read_table
from unionhub.orgs.selectors import unit_get


class Command(BaseCommand):
    help = "Import members from an XLSX or CSV file into a unit (same checks as the web import)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--unit", required=True, help="code of the unit to import into")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--admit",
            action="store_true",
            help="new people join the union now (default: existing members, recorded)",
        )
        parser.add_argument(
            "--books-open",
            type=dt.date.fromisoformat,
            help="the day the unit's books hold the recorded members from (default: today)",
        )
        parser.add_argument("--errors", type=Path, help="write the failed rows to this XLSX")
        parser.add_argument(
            "--user",
            help="the officer recorded as importing (default: the first active superuser)",
        )

    def handle(
        self,
        *args,
        file: Path,
        unit: str,
        dry_run: bool,
        admit: bool,
        books_open,
        errors,
        user,
        **options,
    ):
        by = self._user(user)
        how = {"mode": ImportMode.ADMIT if admit else ImportMode.RECORD, "books_open": books_open}
        try:
            target = unit_get(user=by, code=unit.strip().upper())
            table = read_table(file.read_bytes(), file.name)
            mapping = self._mapping(target, table)
            if dry_run:
                outcome = services.import_check(
                    table=table, unit=target, by=by, mapping=mapping, **how
                )
            else:
                outcome = services.members_import(
                    table=table, unit=target, by=by, mapping=mapping, filename=file.name, **how
                )
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        except OSError as error:
            raise CommandError(str(error)) from None
        if errors is not None and outcome.analysis.failed_rows():
            with errors.open("wb") as out:
                report.write_error_report(outcome.analysis, out)
        prefix = "dry run: " if dry_run else ""
        self.stdout.write(prefix + outcome.summary_line())
        if outcome.counts["errors"]:
            raise SystemExit(1)

    def _user(self, username: str | None):
        users = get_user_model().objects.filter(is_active=True)
        found = (
            users.filter(username=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if found is None:
            raise CommandError(
                f"No active user {username!r}." if username else "No active superuser; use --user."
            )
        return found

    def _mapping(self, unit, table) -> dict[int, str]:
        remembered = selectors.saved_mapping(unit=unit, signature=layout_signature(table.headers))
        mapping = (
            {int(i): key for i, key in remembered.items()}
            if remembered is not None
            else auto_mapping(table.headers)
        )
        if missing := missing_required(mapping):
            raise CommandError(
                "Columns not recognised: "
                + ", ".join(missing)
                + ". Match them once in the web import; the unit remembers the layout."
            )
        return mapping
