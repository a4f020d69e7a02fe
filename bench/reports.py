"""Benchmark: the province fluctuation report (1,500 units, 70,000 members, events since 2018,
the 1 July 2025 reorganisation) on SQLite, a 1,000,000-member dataset on PostgreSQL, and a
naïve per-unit, per-member Python recount as the baseline, all in one run.

    python bench/reports.py [--quick] [--no-pg]

The report page itself is timed over HTTP too (`province_page_s_sqlite`, Django's test client,
the half-year of the reorganisation and two other periods; goal ≤ 1 s at 70,000 members).

Every year 2018–2026 is timed (best of three; one run at 1M): wall time, and process CPU time,
which on SQLite includes the database's work and is steadier on a shared machine. The baseline
recounts 2025 with the engine's definitions (start on the eve of 1 January on that day's tree,
end on 31 December on that day's tree) and must find the engine's start and end: asserted.

Data are bulk-inserted directly (executemany on SQLite, COPY on PostgreSQL): the tree before and
after the reorganisation (placements, dissolved unions merged into commune unions) and members
whose events (admissions, transfers, suspensions, departures, the reorganisation's moves) come
with the membership periods the member services would have written.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

REORG = dt.date(2025, 7, 1)
GRASSROOTS, DIRECT_AFTER, UPPERS, COMMUNES = 1473, 442, 15, 69
GIVEN_NAMES = ("An", "Bình", "Châu", "Dũng", "Hà", "Hương", "Lan", "Minh", "Nam", "Thành")
YEARS = range(2018, 2027)  # events run to 31 October 2026
BASELINE_YEAR = 2025


def _day(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randrange((high - low).days + 1))


class Data:
    """Rows for every table, generated with fixed seeds; ids are ours so rows can refer."""

    def __init__(self, members: int, seed: int = 2023) -> None:
        rng = random.Random(seed)
        self.units: list[tuple] = []
        self.placements: list[tuple] = []
        self.members: list[tuple] = []
        self.events: list[tuple] = []
        self.periods: list[tuple] = []
        self._tree(rng)
        self._members(rng, members)

    # The tree ------------------------------------------------------------------------------

    def _unit(self, pk, code, level, parent, founded, dissolved=None, merged=None, path=""):
        self.units.append(
            [pk, code, f"Công đoàn {code}", level, founded, dissolved, merged, parent, path]
        )

    def _tree(self, rng: random.Random) -> None:
        seg = lambda pk: f"{pk:08d}"  # noqa: E731
        path = {1: seg(1), 2: seg(1) + seg(2)}
        self._unit(1, "VGCL", 10, None, dt.date(1929, 7, 28), path=path[1])
        self._unit(2, "HT", 20, 1, dt.date(1991, 10, 1), path=path[2])
        self.placements += [
            (1, None, dt.date(1929, 7, 28), None),
            (2, 1, dt.date(1991, 10, 1), None),
        ]
        uppers = list(range(3, 3 + UPPERS))
        for pk in uppers:
            path[pk] = path[2] + seg(pk)
            self._unit(pk, f"HT-U{pk:02d}", 30, 2, dt.date(1992, 1, 1), REORG, path=path[pk])
            self.placements.append((pk, 2, dt.date(1992, 1, 1), REORG))
        first_union = 3 + UPPERS
        self.unions = list(range(first_union, first_union + GRASSROOTS))
        communes = list(range(first_union + GRASSROOTS, first_union + GRASSROOTS + COMMUNES))
        for pk in communes:
            path[pk] = path[2] + seg(pk)
            self._unit(pk, f"HT-X{pk}", 30, 2, REORG, path=path[pk])
            self.placements.append((pk, 2, REORG, None))
        direct = set(rng.sample(self.unions, DIRECT_AFTER))
        self.dissolved: dict[int, int] = {}
        self.alive_after: list[int] = []
        for pk in self.unions:
            upper, founded = rng.choice(uppers), dt.date(rng.randint(1995, 2016), 1, 1)
            self.placements.append((pk, upper, founded, REORG))
            if pk in direct:
                new_parent = 2
            else:
                new_parent = rng.choice(communes)
                if rng.random() < 0.15:  # unions of state agencies close, merged into the commune
                    self.dissolved[pk] = new_parent
            if pk in self.dissolved:
                path[pk] = path[upper] + seg(pk)
                self._unit(pk, f"HT-G{pk}", 40, upper, founded, REORG, new_parent, path[pk])
            else:
                path[pk] = path[new_parent] + seg(pk)
                self._unit(pk, f"HT-G{pk}", 40, new_parent, founded, path=path[pk])
                self.placements.append((pk, new_parent, REORG, None))
                self.alive_after.append(pk)
        self.weights = [rng.paretovariate(1.5) for _ in self.unions]

    # Members and their history -----------------------------------------------------------

    def _members(self, rng: random.Random, count: int) -> None:
        today = dt.date(2026, 10, 31)
        homes = rng.choices(self.unions, weights=self.weights, k=count)
        event_id = 0
        for pk in range(1, count + 1):
            female = rng.random() < 0.45
            joined = (
                _day(rng, dt.date(2005, 1, 1), dt.date(2017, 12, 31))
                if rng.random() < 0.45
                else _day(rng, dt.date(2018, 1, 1), today)
            )
            unit = homes[pk - 1]
            if unit in self.dissolved and joined >= REORG:
                unit = self.dissolved[unit]
            plan: list[tuple[dt.date, str]] = []
            roll = rng.random()
            if roll < 0.08:
                plan.append((_day(rng, joined, today), "transfer"))
            if rng.random() < 0.02:
                start = _day(rng, joined, today)
                plan.append((start, "suspended"))
                if rng.random() < 0.5:
                    plan.append(
                        (min(today, start + dt.timedelta(days=rng.randint(30, 360))), "resumed")
                    )
            end_roll = rng.random()
            if end_roll < 0.105:
                kind = "left" if end_roll < 0.07 else "retired" if end_roll < 0.1 else "deceased"
                plan.append((_day(rng, joined, today), kind))
            if joined < REORG:  # whichever union they are in by then may be closed
                plan.append((REORG, "reorg"))
            plan.sort()
            state, start, events = "active", joined, [("admitted", joined, unit, None, False)]
            for day, kind in plan:
                if day <= events[-1][1] or state in ("left", "retired", "deceased"):
                    continue
                if kind == "reorg":
                    if unit not in self.dissolved:
                        continue
                    target = self.dissolved[unit]
                    events += [
                        ("transferred_out", day, unit, target, True),
                        ("transferred_in", day, target, unit, True),
                    ]
                    if state == "active":
                        self._period(pk, unit, start, day)
                        start = day
                    unit = target
                elif unit in self.dissolved and day >= REORG:
                    continue
                elif kind == "transfer" and state == "active":
                    pool = self.alive_after if day >= REORG else self.unions
                    target = rng.choice(pool)
                    if target == unit:
                        continue
                    events += [
                        ("transferred_out", day, unit, target, False),
                        ("transferred_in", day, target, unit, False),
                    ]
                    self._period(pk, unit, start, day)
                    unit, start = target, day
                elif kind == "suspended" and state == "active":
                    events.append(("suspended", day, unit, None, False))
                    self._period(pk, unit, start, day)
                    state = "suspended"
                elif kind == "resumed" and state == "suspended":
                    events.append(("resumed", day, unit, None, False))
                    state, start = "active", day
                elif kind in ("left", "retired", "deceased"):
                    events.append((kind, day, unit, None, False))
                    if state == "active":
                        self._period(pk, unit, start, day)
                    state = kind
            if state == "active":
                self._period(pk, unit, start, None)
            for kind, day, at, other, reorg in events:
                event_id += 1
                self.events.append((event_id, pk, kind, day, at, other, reorg))
            name = f"Nguyễn {'Thị' if female else 'Văn'} {GIVEN_NAMES[pk % len(GIVEN_NAMES)]}"
            self.members.append(
                (pk, unit, name, "female" if female else "male", joined, state, events[-1][1])
            )

    def _period(self, member: int, unit: int, start: dt.date, end: dt.date | None) -> None:
        if end is None or end > start:
            self.periods.append((len(self.periods) + 1, member, unit, start, end))


# Loading ---------------------------------------------------------------------------------


def load(data: Data) -> None:
    """Bulk insert with executemany (SQLite) or COPY (PostgreSQL), all columns spelled out."""
    from django.db import connection

    from unionhub.core.text import fold, name_sort_key, split_full_name, text_sort_key
    from unionhub.members.models import Member, MembershipEvent, MembershipPeriod
    from unionhub.orgs.models import Placement, Unit

    now = dt.datetime.now(dt.UTC)
    unit_columns = [f.column for f in Unit._meta.concrete_fields]

    def unit_row(pk, code, name, level, founded, dissolved, merged, parent, path):
        values = {
            "id": pk, "code": code, "name": name, "level": level, "sector": "other",
            "founded": founded, "dissolved": dissolved, "merged_into_id": merged,
            "parent_id": parent, "path": path, "name_folded": fold(name),
            "sort_key": text_sort_key(name),
        }  # fmt: skip
        # Every other column (short name, address, logo…) is an empty text.
        return tuple(values.get(column, "") for column in unit_columns)

    units = [unit_row(*u) for u in data.units]
    placements = [(i, *p) for i, p in enumerate(data.placements, start=1)]
    # Generated columns (the search text) are computed by the database.
    member_columns = [
        f.column for f in Member._meta.concrete_fields if not getattr(f, "generated", False)
    ]

    @functools.cache  # a few names: the report reads none of them
    def name_columns(name: str) -> tuple[str, ...]:
        return (*split_full_name(name), fold(name), name_sort_key(name))

    def member_row(pk, unit, name, gender, joined, state, since):
        family, middle, given, folded, sort_key = name_columns(name)
        values = {
            "id": pk, "public_id": str(uuid.UUID(int=pk)), "unit_id": unit, "full_name": name,
            "family_name": family, "middle_name": middle, "given_name": given,
            "birth_date": dt.date(1970 + pk % 35, 1 + pk % 12, 1 + pk % 28), "gender": gender,
            "id_kind": "cccd", "nationality": "Việt Nam", "joined": joined, "state": state,
            "state_since": since, "completeness": 50 + pk % 51, "version": 1,
            "name_folded": folded, "sort_key": sort_key,
            "created": now, "updated": now, "education": ("12/12", "9/12", "")[pk % 3],
        }  # fmt: skip
        return tuple(values.get(column, "") for column in member_columns)

    members = (member_row(*m) for m in data.members)
    events = ((*e[:6], e[6], "", "", "", None, now) for e in data.events)
    event_columns = [
        "id", "member_id", "kind", "date", "unit_id", "other_unit_id", "reorganisation",
        "reason", "decision", "note", "by_id", "recorded",
    ]  # fmt: skip
    tables = [
        (Unit, unit_columns, units),
        (Placement, ["id", "unit_id", "parent_id", "valid_from", "valid_to"], placements),
        (Member, member_columns, members),
        (MembershipEvent, event_columns, events),
        (MembershipPeriod, ["id", "member_id", "unit_id", "start", "end"], data.periods),
    ]
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor, _bulk_load(cursor, [m._meta.db_table for m, *_ in tables]):
        for model, columns, rows in tables:
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            started = time.perf_counter()
            if postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))
            _log(f"  {model._meta.db_table}: {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        if postgres:
            for model, *_rest in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "
                    f"(SELECT MAX(id) FROM {model._meta.db_table}))"
                )
            # As autovacuum leaves a table in use: statistics, and the visibility map that lets
            # the report read the periods' and events' indexes without visiting the rows.
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


@contextmanager
def _bulk_load(cursor, tables: list[str]) -> Iterator[None]:
    """PostgreSQL: COPY into bare tables, then build each secondary index once over all the
    rows (sorted, in bulk) instead of inserting 3.4 million rows into every index one by one
    (the member search's trigram index alone made the 1M load four minutes). References are
    consistent by construction, so a superuser also skips the per-row foreign-key checks, as
    pg_restore --disable-triggers does. Nothing to do on SQLite."""
    from django.db import DatabaseError

    if cursor.db.vendor != "postgresql":
        yield
        return
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [tables],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    with suppress(DatabaseError):  # not a superuser: keep the checks
        cursor.execute("SET session_replication_role = replica")
    yield
    cursor.execute("RESET session_replication_role")
    cursor.execute("SET maintenance_work_mem = '256MB'")
    started = time.perf_counter()
    for _name, definition in found:
        cursor.execute(definition)
    _log(f"  {len(found)} indexes: {time.perf_counter() - started:.1f} s")


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# The baseline ----------------------------------------------------------------------------


def naive(province, first: dt.date, last: dt.date) -> Counter:
    """Per unit of the subtree, per member who ever had an event there: fetch the member's
    events and replay them in Python. The obvious first implementation, and slow."""
    from unionhub.members.models import MembershipEvent
    from unionhub.orgs.selectors import subtree_ids_as_of

    eve = first - dt.timedelta(days=1)
    totals: Counter = Counter()
    # The engine's definitions: the start on the tree of the eve, the end on the tree of `last`.
    at_eve, at_last = subtree_ids_as_of(province, eve), subtree_ids_as_of(province, last)
    for unit_id in at_eve | at_last:
        # order_by(): the model's default ordering (member, date, id) would join the DISTINCT
        # and hand back a member once per event, counting them several times.
        member_ids = (
            MembershipEvent.objects.filter(unit_id=unit_id)
            .order_by()
            .values_list("member_id", flat=True)
            .distinct()
        )
        for member_id in member_ids:
            history = MembershipEvent.objects.filter(member_id=member_id, date__lte=last)
            current, suspended, held_eve = None, False, None
            for kind, day, at in history.order_by("date", "id").values_list(
                "kind", "date", "unit_id"
            ):
                if day > eve and held_eve is None:
                    held_eve = current == unit_id
                was_here = current == unit_id
                if kind in ("admitted", "reinstated", "resumed"):
                    current, suspended = at, False
                elif kind == "transferred_in":
                    current = None if suspended else at
                elif kind == "suspended":
                    current, suspended = None, True
                else:  # transferred out, left, retired, deceased
                    current = None
                if day >= first and was_here != (current == unit_id):
                    totals[kind] += 1
            if unit_id in at_eve:
                totals["start"] += current == unit_id if held_eve is None else held_eve
            if unit_id in at_last:
                totals["end"] += current == unit_id
    return totals


# Runs ------------------------------------------------------------------------------------


def child(quick: bool, kind: str) -> None:
    common.django_setup()
    from unionhub.orgs.models import Unit
    from unionhub.reports.fluctuation import END, START, fluctuation

    count = {("sqlite", True): 4_000, ("sqlite", False): 70_000}.get(
        (kind, quick), 15_000 if quick else 1_000_000
    )
    started = time.perf_counter()
    data = Data(count)
    load(data)
    loaded = time.perf_counter() - started
    province = Unit.objects.get(code="HT")
    fluctuation(unit=province, first=dt.date(2024, 1, 1), last=dt.date(2024, 12, 31))  # warm-up
    wall, cpu, reports = {}, {}, {}
    for year in YEARS:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        walls, cpus = [], []
        for _ in range(1 if kind == "pg" and not quick else 3):
            started, started_cpu = time.perf_counter(), time.process_time()
            reports[year] = fluctuation(unit=province, first=first, last=last)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - started_cpu)
        wall[year], cpu[year] = min(walls), min(cpus)
        assert reports[year].total.closes, year
    result = {
        "members": count,
        "events": len(data.events),
        "load_s": round(loaded, 1),
        "report_s_by_year": {y: round(t, 4) for y, t in wall.items()},
        # The client's CPU (with SQLite, the database's too): steadier than wall time on a
        # shared machine; on PostgreSQL the server's work is only in the wall time.
        "report_cpu_s_by_year": {y: round(t, 4) for y, t in cpu.items()},
        "report_s_max": round(max(wall.values()), 4),
        "report_cpu_s_max": round(max(cpu.values()), 4),
        "end_2025": reports[2025].total[END],
        "start_2025": reports[2025].total[START],
    }
    if kind == "sqlite":
        # The reorganisation's year: the tree changes under the baseline too.
        first, last = dt.date(BASELINE_YEAR, 1, 1), dt.date(BASELINE_YEAR, 12, 31)
        started = time.perf_counter()
        baseline = naive(province, first, last)
        result["naive_s"] = round(time.perf_counter() - started, 3)
        engine = reports[BASELINE_YEAR].total
        result["naive_start_end"] = [baseline["start"], baseline["end"]]
        result["engine_start_end"] = [engine[START], engine[END]]
        result["engine_baseline_year_s"] = round(wall[BASELINE_YEAR], 4)
        # Same definitions, same counts: a faster engine that counts differently is no win.
        assert result["naive_start_end"] == result["engine_start_end"], result
        result.update(page_timings(province))
    common.child_result(result)


LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
PAGE_PERIODS = (
    "period=half-2&year=2025",  # the reorganisation's half: the tree changes on its first day
    "period=year-1&year=2025",
    "period=half-1&year=2026",
)


def page_timings(province) -> dict:
    """The report page over HTTP (Django's test client, a province officer logged in), per
    period: cold (the report computed: the kept copy cleared first) and warm (the kept copy of
    the same data reused), best of three each; wall time and this process's CPU time (with
    SQLite the database's work too; steadier on a shared machine). Then the lines and queries
    of the half-year's page, and one commune union's group opened (its lines fetched)."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings

    from unionhub.core import scope
    from unionhub.orgs import services

    admin = get_user_model().objects.create_superuser("bench-admin", "a@x.test", "pw")
    officer = get_user_model().objects.create_user("bench-officer", "o@x.test", "pw")
    services.role_grant(user=officer, unit=province, role=scope.VIEWER, by=admin)
    client = Client(HTTP_HOST="localhost")  # a host the settings allow
    client.force_login(officer)
    cold, cold_cpu, warm = {}, {}, {}

    def get(url: str, *, clear: bool) -> tuple[float, float]:
        if clear:
            cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return time.perf_counter() - started, time.process_time() - started_cpu

    # The bench's own cache: clearing it must not touch an installation's.
    with override_settings(CACHES={"default": {"BACKEND": LOCMEM}}):
        client.force_login(officer)
        for query in PAGE_PERIODS:
            url = f"/reports/?unit={province.code}&{query}"
            runs = [get(url, clear=True) for _ in range(3)]
            cold[query] = min(wall for wall, _cpu in runs)
            cold_cpu[query] = min(cpu for _wall, cpu in runs)
            warm[query] = min(get(url, clear=False)[0] for _ in range(3))
        cache.clear()
        queries = []  # counted by a wrapper: the debug cursor's log is off outside tests
        with connection.execute_wrapper(
            lambda run, sql, *args: queries.append(sql) or run(sql, *args)
        ):
            response = client.get(f"/reports/?unit={province.code}&{PAGE_PERIODS[0]}")
        body = response.content.decode()
        # A commune union's toggle (group "u<id>"), as the officer would open it.
        group = re.search(r'data-testid="toggle-(u\d+)"', body).group(1)
        started = time.perf_counter()
        opened = client.get(
            f"/reports/group/?unit={province.code}&from=2025-07-01&to=2025-12-31&group={group}"
        )
        group_s = time.perf_counter() - started
        assert opened.status_code == 200
    return {
        "page_s_by_period": {q: round(t, 4) for q, t in cold.items()},
        "page_cpu_s_by_period": {q: round(t, 4) for q, t in cold_cpu.items()},
        "page_warm_s_by_period": {q: round(t, 4) for q, t in warm.items()},
        "page_s_max": round(max(cold.values()), 4),
        "page_cpu_s_max": round(max(cold_cpu.values()), 4),
        "page_warm_s_max": round(max(warm.values()), 4),
        "page_kb": round(len(body) / 1024, 1),
        "page_lines": body.count("<tr"),
        "page_queries": len(queries),
        "group_open_s": round(group_s, 4),
    }


def main() -> None:
    if "--child" in sys.argv:
        child("--quick" in sys.argv, sys.argv[sys.argv.index("--child") + 1])
        return
    args = common.arguments(__doc__.splitlines()[0])
    extra = ["--quick"] if args.quick else []
    with common.database("sqlite") as url:
        sqlite = common.run_in_child(Path(__file__), url, "sqlite", *extra)
    print(f"SQLite: {sqlite}", file=sys.stderr)
    pg = None
    if not args.no_pg and common.pg_available():
        with common.database("pg", "unionhub_bench_reports") as url:
            pg = common.run_in_child(Path(__file__), url, "pg", *extra)
        print(f"PostgreSQL: {pg}", file=sys.stderr)
    common.result(
        {
            "province_s_sqlite": sqlite["report_s_max"],
            "national_1m_s_pg": pg["report_s_max"] if pg else None,
            "pg_members": pg["members"] if pg else None,
            "speedup_vs_naive": round(sqlite["naive_s"] / sqlite["engine_baseline_year_s"], 1),
            "naive_s": sqlite["naive_s"],
            "naive_matches_start_end": sqlite["naive_start_end"] == sqlite["engine_start_end"],
            "province_cpu_s_sqlite": sqlite["report_cpu_s_max"],
            "sqlite_members": sqlite["members"],
            "quick": args.quick,
            # The page a province officer opens (HTTP, test client), worst of the periods timed.
            "province_page_s_sqlite": sqlite["page_s_max"],
            "province_page_cpu_s_sqlite": sqlite["page_cpu_s_max"],
            "province_page_warm_s_sqlite": sqlite["page_warm_s_max"],
            "province_page_queries": sqlite["page_queries"],
            "province_page_lines": sqlite["page_lines"],
            "province_group_open_s_sqlite": sqlite["group_open_s"],
        }
    )


if __name__ == "__main__":
    main()
