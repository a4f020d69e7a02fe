"""`unionhub report fluctuation --unit CODE --from YYYY-MM-DD --to YYYY-MM-DD --format
xlsx|pdf|json --out FILE`: the fluctuation report from the command line."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from unionhub.core.errors import DomainError
from unionhub.orgs.models import Unit
from unionhub.reports import exports, fluctuation, selectors, services
from unionhub.reports.periods import custom


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text}") from error


class Command(BaseCommand):
    help = "Membership reports."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="report", required=True)
        flux = commands.add_parser("fluctuation", help="the membership fluctuation report")
        flux.add_argument("--unit", required=True, help="unit code, e.g. HT")
        flux.add_argument("--from", dest="first", required=True, type=_date)
        flux.add_argument("--to", dest="last", required=True, type=_date)
        flux.add_argument("--format", choices=["xlsx", "pdf", "json"], default="json")
        flux.add_argument("--out", required=True, help="file to write ('-' for stdout, json)")
        flux.add_argument(
            "--as",
            dest="username",
            help="report as this officer (scoped to their units); default: unrestricted",
        )

    def handle(self, *args, report, unit, first, last, format, out, username, **options):
        try:
            period = custom(first, last)
            if username:
                user = get_user_model().objects.filter(username=username).first()
                if user is None:
                    raise CommandError(f"No user {username}.")
                target = selectors.report_unit(user=user, code=unit)
                result = services.fluctuation_report_cached(user=user, unit=target, period=period)
            else:
                target = Unit.objects.filter(code=unit.strip().upper()).first()
                if target is None:
                    raise CommandError(f"No unit with the code {unit}.")
                result = fluctuation.fluctuation(unit=target, first=period.first, last=period.last)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        if format == "json":
            text = json.dumps(result.as_json(), ensure_ascii=False, indent=2)
            if out == "-":
                self.stdout.write(text)
                return
            with open(out, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            with open(out, "wb") as handle:
                (exports.write_xlsx if format == "xlsx" else exports.write_pdf)(result, handle)
        end = result.total[fluctuation.END]
        self.stderr.write(f"{result.unit.code} {period.label}: {end} members at end → {out}")
