"""Member search latency: p50/p95 of `members.selectors.member_search` against a naive
`full_name__icontains` on the unfolded name, measured in the same run on the same data.

Sizes: 70,000 members on SQLite and 1,000,000 on PostgreSQL (`--quick`: 70,000 on SQLite and
100,000 on PostgreSQL, under a minute). Names come from the demo's frequency-weighted lists, so
"nguyen" matches a third of the rows as it does in the province. The query mix is what officers
type: full names without diacritics, a given name with them, in capitals, a family name alone,
two letters, and digits of a document or phone number.

    python bench/member_search.py [--quick] [--no-pg]

Last line: RESULT {"p95_ms_sqlite_70k", "p95_ms_pg_1m", "speedup_vs_naive", …}: p95 of the whole
search (with upper apps' search hooks, as installed) and, as speedup_vs_naive, the smaller of the
two p95 ratios naive/ours. "…_without_hooks" repeats the queries with the hooks removed.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common

SCRIPT = Path(__file__).resolve()
UNITS = 300


def _load(count: int, seed: int = 7) -> list[str]:
    """Insert `count` members over UNITS grassroots unions; returns sample id numbers/phones."""
    from django.db import connection, transaction
    from django.utils import timezone

    from unionhub.core.text import fold, name_sort_key, split_full_name
    from unionhub.demo.data import rows
    from unionhub.orgs.models import Level, Placement, Unit

    rng = random.Random(seed)
    founded = dt.date(2000, 1, 1)
    with transaction.atomic():
        province = Unit(
            code="HT",
            name="Liên đoàn Lao động tỉnh Hà Tĩnh",
            level=Level.PROVINCE,
            founded=founded,
            path="",
        )
        province.save()
        province.path = f"{province.pk:08d}"
        province.save()
        units = []
        for index in range(UNITS):
            unit = Unit(
                code=f"HT-{index:04d}",
                name=f"Công đoàn cơ sở số {index}",
                level=Level.GRASSROOTS,
                founded=founded,
                parent=province,
                path="",
            )
            unit.save()
            unit.path = province.path + f"{unit.pk:08d}"
            unit.save()
            units.append(unit.pk)
        Placement.objects.bulk_create(
            [Placement(unit_id=pk, parent=province, valid_from=founded) for pk in units]
        )

    def weighted(name: str) -> tuple[list[str], list[float]]:
        data = rows(name)
        return [r["name"] for r in data], [float(r["weight"]) for r in data]

    family = weighted("family_names.tsv")
    middles = {
        "male": weighted("middle_names_male.tsv"),
        "female": weighted("middle_names_female.tsv"),
    }
    givens = {
        "male": weighted("given_names_male.tsv"),
        "female": weighted("given_names_female.tsv"),
    }
    genders = rng.choices(["male", "female"], k=count)
    families = rng.choices(family[0], family[1], k=count)
    folded_cache: dict[str, tuple[str, str, str, str, str]] = {}
    now = timezone.now()
    samples = []

    def row(i: int) -> tuple:
        gender = genders[i]
        name = " ".join(
            [families[i], rng.choices(*middles[gender])[0], rng.choices(*givens[gender])[0]]
        )
        if name not in folded_cache:
            folded_cache[name] = (*split_full_name(name), fold(name), name_sort_key(name))
        fam, mid, giv, folded, key = folded_cache[name]
        id_number = f"042{0 if gender == 'male' else 1}{rng.randint(70, 99)}{i:06d}"
        phone = f"09{rng.randrange(10**8):08d}"
        if i % max(1, count // 200) == 0:
            samples.append((id_number, phone))
        return (
            str(uuid.uuid4()),
            rng.choice(units),
            name,
            fam,
            mid,
            giv,
            dt.date(1985, 1, 1),
            gender,
            "cccd",
            id_number,
            "Kinh",
            "Không",
            "Việt Nam",
            "",
            "",
            phone,
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            dt.date(2015, 1, 1),
            "",
            "",
            "",
            "active",
            dt.date(2015, 1, 1),
            50,
            1,
            folded,
            key,
            now,
            now,
        )

    columns = (
        "public_id, unit_id, full_name, family_name, middle_name, given_name, birth_date, "
        "gender, id_kind, id_number, ethnicity, religion, nationality, home_town, address, "
        "phone, email, education, qualification, political_theory, occupation, employer, "
        "workplace, joined, admission_decision, photo, photo_thumb, state, state_since, "
        "completeness, version, name_folded, sort_key, created, updated"
    )
    started = time.perf_counter()
    batch = 20_000
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: a million rows in seconds instead of minutes; the GIN index is built after.
            cursor.execute("DROP INDEX IF EXISTS members_member_search_trgm")
            with cursor.cursor.copy(f"COPY members_member ({columns}) FROM STDIN") as copy:
                for i in range(count):
                    copy.write_row(row(i))

        else:
            marks = ", ".join(["%s"] * 35)
            for start in range(0, count, batch):
                cursor.executemany(
                    f"INSERT INTO members_member ({columns}) VALUES ({marks})",
                    [row(i) for i in range(start, min(count, start + batch))],
                )
            cursor.execute("ANALYZE")
    if connection.vendor == "postgresql":
        # After the load's transaction: the deferred foreign-key checks must have run first.
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE INDEX members_member_search_trgm ON members_member "
                "USING gin (search_text gin_trgm_ops)"
            )
            cursor.execute("ANALYZE members_member")
    sys.stderr.write(f"  loaded {count:,} members in {time.perf_counter() - started:.1f} s\n")
    return samples


def _queries(samples: list[tuple[str, str]], count: int, seed: int = 11) -> list[str]:
    from unionhub.core.text import fold
    from unionhub.members.models import Member

    rng = random.Random(seed)
    names = list(Member.objects.order_by("?").values_list("full_name", flat=True)[:500])
    queries = []
    for index in range(count):
        name = rng.choice(names)
        family, *_middle, given = name.split(" ")
        kind = index % 8
        if kind == 0:
            queries.append(fold(name))  # "nguyen van trong"
        elif kind == 1:
            queries.append(given)  # "Trọng"
        elif kind == 2:
            queries.append(fold(given).upper())  # "TRONG"
        elif kind == 3:
            queries.append(fold(family))  # "dang": thousands of matches
        elif kind == 4:
            queries.append(fold(f"{family} {given}"))  # skipping the middle name
        elif kind == 5:
            queries.append(fold(given)[:2])  # two letters
        elif kind == 6:
            queries.append(rng.choice(samples)[0][-6:])  # end of a document number
        else:
            queries.append(rng.choice(samples)[1][-7:])  # end of a phone number
    return queries


def child(count: int, runs: int) -> None:
    common.django_setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from unionhub.members import hooks
    from unionhub.members.models import Member
    from unionhub.members.selectors import member_search

    samples = _load(count)
    queries = _queries(samples, runs)
    user = get_user_model().objects.create_superuser("bench", "b@x.test", "x")
    connection.ensure_connection()
    for query in queries[:20]:  # warm the caches both ways
        member_search(user=user, query=query, limit=20)
        list(Member.objects.filter(full_name__icontains=query)[:20])
    ours, naive, found = [], [], 0
    for query in queries:
        ours.append(common.timed(lambda q=query: member_search(user=user, query=q, limit=20)))
        found += bool(member_search(user=user, query=query, limit=20))
        naive.append(
            common.timed(lambda q=query: list(Member.objects.filter(full_name__icontains=q)[:20]))
        )
    # The same queries without upper apps' search hooks (the card-number matcher): what the
    # registry's own index-backed search costs.
    saved, hooks.search_matchers[:] = list(hooks.search_matchers), []
    own = [
        common.timed(lambda q=query: member_search(user=user, query=q, limit=20))
        for query in queries
    ]
    hooks.search_matchers[:] = saved
    common.child_result(
        {
            "ours": common.percentiles_ms(ours),
            "own": common.percentiles_ms(own),
            "hooks": len(saved),
            "naive": common.percentiles_ms(naive),
            "queries": len(queries),
            "found_share": round(found / len(queries), 3),
        }
    )


def main() -> None:
    if "--child" in sys.argv:
        _flag, count, runs = sys.argv[sys.argv.index("--child") :][:3]
        child(int(count), int(runs))
        return
    args = common.arguments(__doc__.splitlines()[0])
    sqlite_size = 70_000
    pg_size = 100_000 if args.quick else 1_000_000
    runs = 200 if args.quick else 1000
    result: dict = {"sqlite_members": sqlite_size}
    with common.database("sqlite") as url:
        sqlite = common.run_in_child(SCRIPT, url, str(sqlite_size), str(runs))
    result["p50_ms_sqlite_70k"] = sqlite["ours"]["p50"]
    result["p95_ms_sqlite_70k"] = sqlite["ours"]["p95"]
    result["naive_p95_ms_sqlite_70k"] = sqlite["naive"]["p95"]
    result["p95_ms_sqlite_70k_without_hooks"] = sqlite["own"]["p95"]
    result["search_hooks"] = sqlite["hooks"]
    speedups = [sqlite["naive"]["p95"] / sqlite["ours"]["p95"]]
    result["speedup_vs_naive_sqlite_70k"] = round(speedups[0], 1)
    result["found_share_sqlite"] = sqlite["found_share"]
    if not args.no_pg and common.pg_available():
        with common.database("pg", "unionhub_bench_member_search") as url:
            pg = common.run_in_child(SCRIPT, url, str(pg_size), str(runs))
        result["pg_members"] = pg_size
        result["p50_ms_pg_1m"] = pg["ours"]["p50"]
        result["p95_ms_pg_1m"] = pg["ours"]["p95"]
        result["naive_p95_ms_pg_1m"] = pg["naive"]["p95"]
        result["p95_ms_pg_1m_without_hooks"] = pg["own"]["p95"]
        speedups.append(pg["naive"]["p95"] / pg["ours"]["p95"])
        result["speedup_vs_naive_pg_1m"] = round(speedups[-1], 1)
    else:
        result["p95_ms_pg_1m"] = None
    result["speedup_vs_naive"] = round(min(speedups), 1)
    result["quick"] = args.quick
    common.result(result)


if __name__ == "__main__":
    main()
