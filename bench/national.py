"""Benchmark: the national scale on PostgreSQL, and how each figure grows with it.

The confederation (VGCL) over 63 provinces, each with district federations and grassroots
unions (one union per ~80 members, so ~126,000 unions at 10 million members), members with
history since 2018 (admissions, transfers between unions of their province, departures), bulk
loaded with COPY by the reports benchmark's loader. At each size, on a fresh database:

- `search`: the registry's member search (the page's selector, as the national officer,
  diacritic-free names, partial names) over 200 queries: p95 in ms (goal ≤ 50 ms at 10 M).
  A quarter each: family, middle and given name ("nguyen van trong"), a given name alone
  ("Trọng"), family and given name ("nguyen trong"), three letters of a given name ("tro").
  On PostgreSQL a query of several words of letters matches them at word starts (B-tree
  ranges), one word or digits anywhere (trigrams): most family/given pairs drawn here match
  nobody (the generator ties a given name to one family name), and must say so cheaply;
- `province_report`: one province's fluctuation report for 2025 (goal ≤ 1 s);
- `national_report`: the confederation's report for 2025 (goal ≤ 30 s);
- `import`: a 10,000-row member list imported into a new union of the loaded database, through
  the import services (goal ≥ 8,000 rows/s), with the CPU seconds it took in this process and
  in the database server's backend (`import_cpu_s`, when the server is on this machine) and the
  load average: on a shared machine those say what the wall time does not.

    python bench/national.py [--quick] [--sizes 100000,300000,1000000]

`--quick` measures 30,000 and 100,000 members. Each figure's growth exponent is the slope of
log(figure) over log(members) across the sizes (1: linear; 0: flat). The last line is
`RESULT {"members", "search_p95_ms_pg", "province_report_s_pg", "national_report_s_pg",
"import_rows_per_s_pg", "growth", "sizes", ...}`, the figures those of the largest size.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common
import import_members
import reports as province_data  # its bulk loader (COPY, indexes built after)

PROVINCES = 63
MEMBERS_PER_UNION = 80
UNIONS_PER_DISTRICT = 60
TODAY = dt.date(2026, 10, 31)
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Thanh", "Đức", "Ngọc", "Quốc")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Hà", "Hương", "Lan", "Minh", "Nam", "Thành", "Trọng",
         "Tuấn", "Hạnh", "Phúc", "Quang", "Sơn", "Thảo", "Vy", "Yến", "Khánh")  # fmt: skip


def _day(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randrange((high - low).days + 1))


class NationalData:
    """Rows for every table in the shapes the reports benchmark's loader takes."""

    def __init__(self, members: int, seed: int = 63) -> None:
        rng = random.Random(seed)
        self.units: list[list] = []
        self.placements: list[tuple] = []
        self.members: list[tuple] = []
        self.events: list[tuple] = []
        self.periods: list[tuple] = []
        self.unions_of: list[list[int]] = []  # per province
        self._tree(max(PROVINCES * 5, members // MEMBERS_PER_UNION))
        self._members(rng, members)

    def _unit(self, pk: int, code: str, level: int, parent: int | None, path: str) -> None:
        founded = dt.date(1995, 1, 1)
        self.units.append([pk, code, f"Công đoàn {code}", level, founded, None, None, parent, path])
        self.placements.append((pk, parent, founded, None))

    def _tree(self, unions: int) -> None:
        seg = lambda pk: f"{pk:08d}"  # noqa: E731
        self._unit(1, "VGCL", 10, None, seg(1))
        pk = 1
        per_province = unions // PROVINCES
        for province in range(1, PROVINCES + 1):
            pk += 1
            province_pk, province_path = pk, seg(1) + seg(pk)
            self._unit(province_pk, f"P{province:02d}", 20, 1, province_path)
            mine: list[int] = []
            districts = max(1, per_province // UNIONS_PER_DISTRICT)
            for district in range(districts):
                pk += 1
                district_pk, district_path = pk, province_path + seg(pk)
                self._unit(district_pk, f"P{province:02d}-D{district:02d}", 30, province_pk,
                           district_path)  # fmt: skip
                for _ in range(per_province // districts):
                    pk += 1
                    self._unit(pk, f"P{province:02d}-G{pk}", 40, district_pk,
                               district_path + seg(pk))  # fmt: skip
                    mine.append(pk)
            self.unions_of.append(mine)

    def _members(self, rng: random.Random, count: int) -> None:
        event_id = 0
        for pk in range(1, count + 1):
            unions = self.unions_of[pk % PROVINCES]
            unit = rng.choice(unions)
            female = rng.random() < 0.45
            joined = _day(rng, dt.date(2005, 1, 1), TODAY)
            start = max(joined, dt.date(2018, 1, 1)) if joined < dt.date(2018, 1, 1) else joined
            events = [("admitted", joined, unit, None)]
            state, since = "active", joined
            if rng.random() < 0.08 and start < TODAY:
                day = _day(rng, start, TODAY)
                target = rng.choice(unions)
                if day > joined and target != unit:
                    events += [("transferred_out", day, unit, target),
                               ("transferred_in", day, target, unit)]  # fmt: skip
                    self.periods.append((len(self.periods) + 1, pk, unit, joined, day))
                    unit, joined, since = target, day, day
            if rng.random() < 0.07:
                day = _day(rng, joined, TODAY)
                if day > joined:
                    events.append(("left", day, unit, None))
                    self.periods.append((len(self.periods) + 1, pk, unit, joined, day))
                    state, since = "left", day
            if state == "active":
                self.periods.append((len(self.periods) + 1, pk, unit, joined, None))
            for kind, day, at, other in events:
                event_id += 1
                self.events.append((event_id, pk, kind, day, at, other, False))
            name = " ".join(
                (FAMILY[pk % 10], "Thị" if female else MIDDLE[pk % 8], GIVEN[pk * 7 % 20])
            )
            self.members.append(
                (pk, unit, name, "female" if female else "male", events[0][1], state, since)
            )


def _queries(count: int, seed: int = 11) -> list[str]:
    from unionhub.core.text import fold

    rng = random.Random(seed)
    queries = []
    for index in range(count):
        family, middle, given = rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)
        kind = index % 4
        if kind == 0:
            queries.append(fold(f"{family} {middle} {given}"))  # "nguyen van trong"
        elif kind == 1:
            queries.append(given)  # "Trọng": a hundred thousand matches at 10 M
        elif kind == 2:
            queries.append(fold(f"{family} {given}"))  # skipping the middle name
        else:
            queries.append(fold(given)[:3])
    return queries


def child(members: int) -> None:
    common.django_setup()
    from django.contrib.auth import get_user_model

    from unionhub.imports import services as imports
    from unionhub.imports.reader import auto_mapping, read_table
    from unionhub.members.selectors import member_search
    from unionhub.orgs import services as orgs
    from unionhub.orgs.models import Level, Unit
    from unionhub.reports.fluctuation import fluctuation

    started = time.perf_counter()
    data = NationalData(members)
    generated = time.perf_counter() - started
    province_data.load(data)
    loaded = time.perf_counter() - started - generated
    unions, events = sum(len(u) for u in data.unions_of), len(data.events)
    # The generated rows (tens of millions of tuples at 10 M) are not kept in the process that
    # then searches and imports, as no server process would hold them: Python's collector went
    # through all of them again and again while the import made its objects (at 10 M members
    # the import's own CPU time was 2.1 s for 10,000 rows, against 1.2 s at 1 M).
    del data
    gc.collect()
    user = get_user_model().objects.create_superuser("national", "n@x.test", "x")

    queries = _queries(200)
    for query in queries[:20]:
        member_search(user=user, query=query, limit=20)
    search = [
        common.timed(lambda q=query: list(member_search(user=user, query=q, limit=20)))
        for query in queries
    ]

    first, last = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    province = Unit.objects.get(code="P01")
    fluctuation(unit=province, first=first, last=last)  # warm-up
    province_s = min(
        common.timed(lambda: fluctuation(unit=province, first=first, last=last)) for _ in range(2)
    )
    top = Unit.objects.get(code="VGCL")
    started = time.perf_counter()
    national = fluctuation(unit=top, first=first, last=last)
    national_s = time.perf_counter() - started
    assert national.total.closes

    union = orgs.unit_found(
        code="P01-NEW", name="Công đoàn mới", level=Level.GRASSROOTS, parent=province,
        founded=dt.date(2025, 7, 1), by=user,
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.xlsx"
        import_members.generate(path, 10_000)
        table = read_table(path.read_bytes(), path.name)
        server = _server_cpu_s()
        client = time.process_time()
        started = time.perf_counter()
        outcome = imports.members_import(
            table=table, unit=union, by=user, mapping=auto_mapping(table.headers),
            filename=path.name,
        )  # fmt: skip
        import_s = time.perf_counter() - started
        import_cpu = {
            "client": round(time.process_time() - client, 2),
            "server": None if server is None else round(_server_cpu_s() - server, 2),
            "load_avg_1min": round(os.getloadavg()[0], 1),
        }
    rows = outcome.counts["rows"]
    assert outcome.counts["new"] == rows, outcome.counts
    common.child_result(
        {
            "members": members,
            "unions": unions,
            "events": events,
            "generate_s": round(generated, 1),
            "load_s": round(loaded, 1),
            "search_ms": common.percentiles_ms(search),
            "province_report_s": round(province_s, 3),
            "national_report_s": round(national_s, 3),
            "import_rows_per_s": round(rows / import_s),
            "import_cpu_s": import_cpu,
        }
    )


def _server_cpu_s() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs on
    this machine; None otherwise. On a shared machine the wall time of the import says how busy
    the machine was as much as what the import costs: with this (and the import process's own
    CPU time) two runs can be compared."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
            return None
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _exponent(sizes: list[int], values: list[float]) -> float | None:
    """Least-squares slope of log(value) over log(size)."""
    points = [(math.log(n), math.log(v)) for n, v in zip(sizes, values, strict=True) if v > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return round(sum((x - mean_x) * (y - mean_y) for x, y in points) / spread, 2)


def main() -> None:
    if "--child" in sys.argv:
        child(int(sys.argv[sys.argv.index("--child") + 1]))
        return
    quick = "--quick" in sys.argv
    sizes = [30_000, 100_000] if quick else [100_000, 300_000, 1_000_000, 3_000_000]
    if "--sizes" in sys.argv:
        sizes = [int(s) for s in sys.argv[sys.argv.index("--sizes") + 1].split(",")]
    if not common.pg_available():
        raise SystemExit("bench/national.py measures PostgreSQL: none is reachable")
    runs = []
    for size in sizes:
        with common.database("pg", "unionhub_bench_national") as url:
            run = common.run_in_child(Path(__file__), url, str(size))
        print(f"{size:>10,} members: {run}", file=sys.stderr)
        runs.append(run)
    largest = runs[-1]
    growth = {
        key: _exponent(sizes, values)
        for key, values in {
            "search_p95_ms": [r["search_ms"]["p95"] for r in runs],
            "province_report_s": [r["province_report_s"] for r in runs],
            "national_report_s": [r["national_report_s"] for r in runs],
            "import_rows_per_s": [r["import_rows_per_s"] for r in runs],
        }.items()
    }
    common.result(
        {
            "members": largest["members"],
            "search_p95_ms_pg": largest["search_ms"]["p95"],
            "province_report_s_pg": largest["province_report_s"],
            "national_report_s_pg": largest["national_report_s"],
            "import_rows_per_s_pg": largest["import_rows_per_s"],
            "growth": growth,
            "sizes": sizes,
            "by_size": {r["members"]: r for r in runs},
            "quick": quick,
        }
    )


if __name__ == "__main__":
    main()
