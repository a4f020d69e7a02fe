"""A commune union founded on 01/07/2025 imports the list of members it has kept for years:
every valid row is recorded as an existing member with its union join date kept; nothing is
refused because of the union's founding, and no report counts them as admissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.imports.helpers import FILES, read
from tests.world import COMMUNE_FOUNDED
from unionhub.core import jobs, scope
from unionhub.core.errors import DomainError
from unionhub.imports import services
from unionhub.imports.models import ImportBatch, ImportMode
from unionhub.imports.reader import auto_mapping
from unionhub.members.models import EventKind, Member, MembershipEvent
from unionhub.reports import fluctuation as f

pytestmark = pytest.mark.django_db

FOUNDED = COMMUNE_FOUNDED
FILE = "existing_list_commune.xlsx"
# The valid rows of the file: document number → union join date.
JOIN_DATES = {
    "042068001201": dt.date(1992, 9, 5),
    "042172001202": dt.date(1996, 3, 1),
    "042075001203": dt.date(1998, 6, 15),
    "042178001204": dt.date(2001, 10, 20),
    "042080001205": dt.date(2005, 8, 1),
    "042185001206": dt.date(2008, 9, 12),
    "042088001207": dt.date(2011, 1, 3),
    "042190001208": dt.date(2014, 4, 20),
    "042093001209": dt.date(2017, 7, 1),
    "042196001210": dt.date(2019, 12, 9),
}


@pytest.fixture
def clerk(commune, officer_at):
    return officer_at(commune, scope.REGISTRAR)


def run(commune, clerk, *, commit: bool, **how):
    table = read(FILE)
    arguments = {"table": table, "unit": commune, "by": clerk, **how}
    arguments["mapping"] = auto_mapping(table.headers)
    if commit:
        return services.members_import(filename=FILE, **arguments)
    return services.import_check(**arguments)


def test_every_valid_row_is_recorded_with_its_union_join_date(commune, clerk):
    checked = run(commune, clerk, commit=False)
    assert (checked.counts["new"], checked.counts["errors"]) == (10, 2)
    outcome = run(commune, clerk, commit=True)
    assert (outcome.counts["new"], outcome.counts["errors"]) == (10, 2)

    members = Member.objects.filter(unit=commune)
    assert {m.id_number: m.joined for m in members} == JOIN_DATES
    # All of them joined the union before the commune union was founded.
    assert all(joined < FOUNDED for joined in JOIN_DATES.values())
    today = timezone.localdate()
    events = MembershipEvent.objects.filter(member__in=members)
    assert set(events.values_list("kind", "date", "unit_id")) == {
        (EventKind.RECORDED, today, commune.pk)
    }
    assert events.count() == 10
    assert not MembershipEvent.objects.filter(kind=EventKind.ADMITTED).exists()
    assert {m.state_since for m in members} == {today}


def test_the_wrong_rows_name_their_real_problem(commune, clerk):
    outcome = run(commune, clerk, commit=False)
    problems = [(p.row, p.letter, p.message) for p in outcome.analysis.problems]
    assert problems == [
        (
            14,
            "C",
            "The union join date 01/05/2016 is before the member could work: born on "
            "01/09/2006, they were not yet 15. Check both dates.",
        ),
        (15, "H", "Only the year (2016) is given; this column needs the full date dd/mm/yyyy."),
    ]
    assert not any("founded" in message for _row, _letter, message in problems)


def test_books_open_on_the_founding_day_and_the_report_shows_them_recorded(commune, clerk):
    run(commune, clerk, commit=True, books_open=FOUNDED)
    events = MembershipEvent.objects.filter(unit=commune)
    assert set(events.values_list("kind", "date")) == {(EventKind.RECORDED, FOUNDED)}

    report = f.fluctuation(unit=commune, first=dt.date(2025, 7, 1), last=dt.date(2025, 12, 31))
    total = report.total
    assert (total[f.START], total[f.RECORDED], total[f.ADMITTED], total[f.END]) == (0, 10, 0, 10)
    assert total[f.TRANSFERRED_IN] == total[f.OTHER_INCREASE] == 0
    assert total.closes
    # The first half, before the books opened: nobody, although all had joined the union.
    earlier = f.fluctuation(unit=commune, first=dt.date(2025, 1, 1), last=dt.date(2025, 6, 30))
    assert earlier.total[f.END] == 0 and earlier.total.closes


def test_books_cannot_open_before_the_union_was_founded(commune, clerk):
    with (FILES / FILE).open("rb") as upload, pytest.raises(DomainError) as refused:
        services.import_upload(
            unit=commune, by=clerk, upload=upload, books_open=dt.date(2025, 6, 30)
        )
    assert refused.value.code == "date_before_founding"
    assert "cannot open before it was founded on 01/07/2025" in str(refused.value.message)


def test_the_same_list_admitted_instead_is_refused_for_the_founding(commune, clerk):
    outcome = run(commune, clerk, commit=False, mode=ImportMode.ADMIT)
    assert outcome.counts["new"] == 0
    founding = [p.message for p in outcome.analysis.problems if p.row == 4]
    assert founding == [
        "Công đoàn xã Đức Thọ was founded on 01/07/2025: nobody can be admitted to it before "
        "then. A member who joined the union earlier is recorded as an existing member, with "
        "their union join date kept."
    ]


def test_the_web_import_records_from_the_books_open_date_chosen(client, commune, clerk):
    client.force_login(clerk)
    with (FILES / FILE).open("rb") as handle:
        response = client.post(
            reverse("imports:index"),
            {"unit": commune.code, "file": handle, "mode": "record", "books_open": "01/07/2025"},
        )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert (batch.mode, batch.books_open) == (ImportMode.RECORD, FOUNDED)
    jobs.job_run(str(batch.job_id))
    page = client.get(response.url).content.decode()
    assert 'data-testid="count-new">10<' in page
    assert "01/07/2025" in page[page.index('data-testid="batch-mode"') :]
    client.post(reverse("imports:commit", args=[batch.pk]))
    jobs.job_run(str(ImportBatch.objects.get(pk=batch.pk).job_id))
    recorded = MembershipEvent.objects.filter(unit=commune, kind=EventKind.RECORDED)
    assert set(recorded.values_list("date", flat=True)) == {FOUNDED}
    assert recorded.count() == 10
