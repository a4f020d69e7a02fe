"""Import a generated 70,000-row, 20-column member XLSX end to end (read, check, write members,
their "recorded" events, periods, audit rows) on SQLite and PostgreSQL, as a unit's existing
list is imported: into a union founded on 01/07/2025, years after the members joined the union.
In the same run, the baseline (django-import-export in bulk mode, same file, same model) and
the floor (a raw executemany of the already-parsed member rows).

    python bench/import_members.py [--quick] [--no-pg]

Goal (issue 4): ≥ 8,000 rows/s end to end, ≥ 4× django-import-export, peak memory < 500 MB.
Each measurement runs in its own child process on a fresh database, so peak memory (ru_maxrss)
is the import's alone. Rates are rows per second of wall time, from reading the file to the
commit; `cpu_rows_per_s_sqlite` divides by the import process's CPU time instead, and the load
averages say how busy the machine was.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    arguments,
    child_result,
    database,
    django_setup,
    pg_available,
    result,
    run_in_child,
)

SCRIPT = Path(__file__).resolve()
CACHE = Path(tempfile.gettempdir()) / "unionhub-bench"
HEADERS = [
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Loại giấy tờ", "Số CCCD", "Dân tộc",
    "Tôn giáo", "Quốc tịch", "Quê quán", "Nơi ở hiện nay", "Số điện thoại", "Email",
    "Trình độ học vấn", "Trình độ chuyên môn", "Lý luận chính trị", "Nghề nghiệp",
    "Đơn vị sử dụng lao động", "Nơi làm việc", "Ngày vào công đoàn",
]  # fmt: skip
# Frequency-weighted: Faker's vi_VN lists are too short for realistic names (DESIGN §6).
FAMILIES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4),
            ("Vũ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1),
            ("Lý", 1), ("Võ", 3), ("Đinh", 1), ("Thái", 1), ("Hà", 1)]  # fmt: skip
MIDDLES = ["Văn", "Thị", "Đức", "Hữu", "Minh", "Thanh", "Ngọc", "Quang", "Xuân", "Thu", "Hồng",
           "Anh", "Kim", "Công", "Bá"]  # fmt: skip
GIVENS = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hằng", "Hiền", "Hoa",
          "Hùng", "Hương", "Huyền", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga",
          "Ngọc", "Nhung", "Phương", "Quang", "Quân", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy",
          "Trang", "Trung", "Tuấn", "Tú", "Vân", "Việt", "Yến", "Đạt", "Đức", "Tùng"]  # fmt: skip
PLACES = ["Đức Thọ", "Can Lộc", "Hương Sơn", "Thạch Hà", "Kỳ Anh", "Nghi Xuân", "Cẩm Xuyên"]


def generate(path: Path, rows: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    rng = random.Random(4)
    families = [name for name, weight in FAMILIES for _ in range(weight)]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách đoàn viên")
    sheet.append(HEADERS)
    for index in range(rows):
        female = rng.random() < 0.55
        born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(365 * 38))
        joined = max(dt.date(born.year + 19, born.month, 1), dt.date(2011, 1, 1)) + dt.timedelta(
            days=rng.randrange(900)
        )
        place = rng.choice(PLACES)
        birth = WriteOnlyCell(sheet, value=born)
        birth.number_format = "DD/MM/YYYY"
        join = WriteOnlyCell(sheet, value=joined)
        join.number_format = "DD/MM/YYYY"
        sheet.append(
            [
                index + 1,
                f"{rng.choice(families)} {'Thị' if female else rng.choice(MIDDLES)} "
                f"{rng.choice(GIVENS)}",
                birth,
                "Nữ" if female else "Nam",
                "CCCD",
                f"042{(1 if female else 0) + (2 if born.year >= 2000 else 0)}{born.year % 100:02d}"
                f"{index:06d}",
                "Kinh",
                "Không",
                "Việt Nam",
                f"{place}, Hà Tĩnh",
                f"Xóm {rng.randrange(1, 15)}, xã {rng.choice(PLACES)}",
                f"09{rng.randrange(10**8):08d}",
                "",
                "12/12",
                rng.choice(["Đại học", "Cao đẳng", "Trung cấp", ""]),
                rng.choice(["Sơ cấp", "Trung cấp", ""]),
                rng.choice(["Công nhân", "Giáo viên", "Nhân viên", "Kỹ sư"]),
                f"Công ty TNHH {rng.choice(GIVENS)} {place}",
                rng.choice(["Phân xưởng 1", "Phân xưởng 2", "Văn phòng", "Tổ bảo vệ"]),
                join,
            ]
        )
    with path.open("wb") as out:
        workbook.save(out)


def bench_file(rows: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"members-{rows}x20.xlsx"
    if not path.exists():
        partial = path.with_suffix(".part")
        generate(partial, rows)
        partial.rename(path)
    return path


# Child processes -------------------------------------------------------------------------


def _setup():
    django_setup(migrate=True)
    from django.contrib.auth import get_user_model

    from unionhub.orgs import services
    from unionhub.orgs.models import Level

    root = get_user_model().objects.create_superuser("bench", "b@x.test", "pw")
    founded = dt.date(2000, 1, 1)
    top = services.unit_found(
        code="VGCL", name="Tổng LĐLĐ", level=Level.CONFEDERATION, parent=None, founded=founded,
        by=root,
    )  # fmt: skip
    province = services.unit_found(
        code="HT", name="LĐLĐ Hà Tĩnh", level=Level.PROVINCE, parent=top, founded=founded, by=root
    )
    # A union founded after every join date in the file: its existing list is recorded.
    unit = services.unit_found(
        code="HT-0001", name="CĐCS Bench", level=Level.GRASSROOTS, parent=province,
        founded=dt.date(2025, 7, 1), by=root,
    )  # fmt: skip
    return root, unit


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def child_pipeline(path: Path) -> dict:
    root, unit = _setup()
    from unionhub.imports import services
    from unionhub.imports.reader import auto_mapping, read_table
    from unionhub.members.models import Member, MembershipEvent, MembershipPeriod

    started, cpu = time.perf_counter(), time.process_time()
    table = read_table(path.read_bytes(), path.name)
    read_s = time.perf_counter() - started
    outcome = services.members_import(
        table=table, unit=unit, by=root, mapping=auto_mapping(table.headers), filename=path.name
    )
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    rows = outcome.counts["rows"]
    assert outcome.counts["new"] == rows, outcome.counts
    assert Member.objects.count() == rows
    assert MembershipEvent.objects.filter(kind="recorded").count() == rows
    assert MembershipPeriod.objects.count() == rows
    return {
        "rows": rows,
        "seconds": round(elapsed, 2),
        "read_seconds": round(read_s, 2),
        "rows_per_s": round(rows / elapsed),
        # This process's CPU time alone: on a shared machine the wall time also holds the
        # waits for other processes (PostgreSQL's own work is in the wall time only).
        "cpu_rows_per_s": round(rows / cpu),
        "peak_mb": _peak_mb(),
    }


def child_import_export(path: Path) -> dict:
    """django-import-export 4 in bulk mode on the same file and model: the baseline."""
    _root, unit = _setup()
    import tablib
    from import_export import fields, resources, widgets

    from unionhub.core.text import fold, name_sort_key, split_full_name
    from unionhub.members.models import Member

    columns = dict(zip(HEADERS, [None, "full_name", "birth_date", "gender", "id_kind",
                                 "id_number", "ethnicity", "religion", "nationality",
                                 "home_town", "address", "phone", "email", "education",
                                 "qualification", "political_theory", "occupation", "employer",
                                 "workplace", "joined"], strict=True))  # fmt: skip

    class MemberResource(resources.ModelResource):
        birth_date = fields.Field("birth_date", "Ngày sinh", widgets.DateWidget("%d/%m/%Y"))
        joined = fields.Field("joined", "Ngày vào công đoàn", widgets.DateWidget("%d/%m/%Y"))

        class Meta:
            model = Member
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            skip_unchanged = False
            force_init_instance = True  # every row is new: no per-row look-up of an instance
            import_id_fields = ()
            fields = tuple(c for c in columns.values() if c)

        def __init__(self):
            super().__init__()
            for header, name in columns.items():
                if name and name in self.fields:
                    self.fields[name].column_name = header

        def before_save_instance(self, instance, row, **kwargs):
            # What Member.save would do; bulk mode skips save(). The minimum for a valid row.
            instance.unit = unit
            instance.state_since = instance.joined
            instance.family_name, instance.middle_name, instance.given_name = split_full_name(
                instance.full_name
            )
            instance.name_folded = fold(instance.full_name)
            instance.sort_key = name_sort_key(instance.full_name)

    started = time.perf_counter()
    with path.open("rb") as handle:
        dataset = tablib.Dataset().load(handle, format="xlsx")
    outcome = MemberResource().import_data(dataset, raise_errors=True)
    elapsed = time.perf_counter() - started
    rows = len(dataset)
    assert not outcome.has_errors() and Member.objects.count() == rows
    return {"rows": rows, "seconds": round(elapsed, 2), "rows_per_s": round(rows / elapsed)}


def child_floor(path: Path) -> dict:
    """A raw executemany of the already-parsed member rows into members_member: the floor."""
    root, unit = _setup()
    from django.db import connection, transaction

    from unionhub.imports import pipeline
    from unionhub.imports.reader import auto_mapping, read_table
    from unionhub.members.models import Member
    from unionhub.members.services import PROFILE_FIELDS

    table = read_table(path.read_bytes(), path.name)
    # Parsing is not timed: the floor is the insert alone.
    analyser = pipeline.Analyser(table, mapping=auto_mapping(table.headers), unit=unit, by=root)
    columns = [*PROFILE_FIELDS, "public_id", "unit_id", "joined", "state", "state_since",
               "completeness", "version", "family_name", "middle_name", "given_name",
               "name_folded", "sort_key", "photo", "photo_thumb", "created", "updated"]  # fmt: skip
    import uuid

    now = connection.ops.adapt_datetimefield_value(dt.datetime.now(dt.UTC))
    uuid_of = (lambda: uuid.uuid4().hex) if connection.vendor == "sqlite" else uuid.uuid4
    rows = []
    for plans in analyser.chunks():
        for plan in plans:
            data = {name: plan.data.get(name, "") for name in PROFILE_FIELDS}
            data["nationality"] = data["nationality"] or "Việt Nam"
            data["id_kind"] = data["id_kind"] or "cccd"
            data["birth_date"] = data["birth_date"] or None
            rows.append(
                [data[name] for name in PROFILE_FIELDS]
                + [uuid_of(), unit.pk, plan.data["joined"], "active", plan.data["joined"], 0, 1]
                + [""] * 7
                + [now, now]
            )
        analyser.settle(plans)
    sql = (
        f"INSERT INTO members_member ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    elapsed = time.perf_counter() - started
    assert Member.objects.count() == len(rows)
    return {
        "rows": len(rows),
        "seconds": round(elapsed, 2),
        "rows_per_s": round(len(rows) / elapsed),
    }


CHILDREN = {"pipeline": child_pipeline, "import_export": child_import_export, "floor": child_floor}


def main() -> None:
    if "--child" in sys.argv:
        part, path = sys.argv[sys.argv.index("--child") + 1 :][:2]
        child_result(CHILDREN[part](Path(path)))
        return
    args = arguments(__doc__.splitlines()[0])
    rows = 5_000 if args.quick else 70_000
    path = bench_file(rows)
    kinds = ["sqlite"] + ([] if args.no_pg or not pg_available() else ["pg"])
    # The machine may be shared: the 1-minute load average before and after says how much.
    load_start = round(os.getloadavg()[0], 2)
    measured: dict[str, dict] = {}
    for kind in kinds:
        for part in CHILDREN:
            with database(kind, name="unionhub_bench_imports") as url:
                measured[f"{part}_{kind}"] = run_in_child(SCRIPT, url, part, str(path))
            print(f"{kind:6} {part:14} {measured[f'{part}_{kind}']}", flush=True)
    load = os.getloadavg()[0]

    def rate(part: str, kind: str, key: str = "rows_per_s") -> int | None:
        return measured.get(f"{part}_{kind}", {}).get(key)

    def speedup(kind: str) -> float | None:
        ours, theirs = rate("pipeline", kind), rate("import_export", kind)
        return round(ours / theirs, 2) if ours and theirs else None

    result(
        {
            "rows": rows,
            "columns": len(HEADERS),
            "rows_per_s_sqlite": rate("pipeline", "sqlite"),
            "rows_per_s_pg": rate("pipeline", "pg"),
            "speedup_vs_import_export": speedup("sqlite"),
            "speedup_vs_import_export_pg": speedup("pg"),
            "peak_mb": max(m["peak_mb"] for k, m in measured.items() if k.startswith("pipeline")),
            "import_export_rows_per_s_sqlite": rate("import_export", "sqlite"),
            "import_export_rows_per_s_pg": rate("import_export", "pg"),
            "floor_rows_per_s_sqlite": rate("floor", "sqlite"),
            "floor_rows_per_s_pg": rate("floor", "pg"),
            "cpu_rows_per_s_sqlite": rate("pipeline", "sqlite", "cpu_rows_per_s"),
            "read_seconds_sqlite": rate("pipeline", "sqlite", "read_seconds"),
            "load_1m_start": load_start,
            "load_1m_end": round(load, 2),
        }
    )


if __name__ == "__main__":
    main()
