"""Check-in under load: concurrent card scans against the real server.

gunicorn serves UnionHub on loopback as `unionhub serve` runs it (2 gthread workers x 4
threads, access log on) from a throw-away embedded SQLite database prepared here: a congress
with 300 delegates and a session, and an organiser logged in. A pool of threads, each with its
own keep-alive connection, posts scans of every card repeatedly — each card first by two
threads at once (two stations, one card), then again in random order — and then sends the same
number of requests to /healthz, the ceiling of this server on this machine. Duplicates are
counted in the database and in the answers. Last, every card is scanned once at a second
session at a steady PACED_RATE per second, the latency of a busy door rather than of a
saturated server (reported apart; the goal's figures are the saturated run's).

The machine is shared, so rates and latencies move with whatever else runs; the CPU time the
server's processes spend per request (read from /proc) does not, and is reported beside them.

    python bench/checkin.py [--quick]

Goal (issue 7): >= 200 scans/s, p99 <= 50 ms, zero duplicate check-ins, zero errors.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common

DELEGATES = 300
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
# As `unionhub serve` starts gunicorn (core/management/commands/serve.py).
WORKERS = 2
THREADS = 4
# Far above a real door (300 delegates arriving over a quarter of an hour is 0.3 scans/s).
PACED_RATE = 100


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare() -> dict:
    """Migrate, then build the congress through the services, as organisers would."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from unionhub.congress import services, tokens
    from unionhub.core import scope
    from unionhub.orgs import services as org_services
    from unionhub.orgs.models import Level

    admin = get_user_model().objects.create_superuser("bench-admin", "a@x.test", "pw")
    founded = dt.date(2010, 1, 1)
    province = org_services.unit_found(
        code="HT",
        name="Liên đoàn Lao động tỉnh Hà Tĩnh",
        level=Level.PROVINCE,
        parent=None,
        founded=founded,
        by=admin,
    )
    organiser = get_user_model().objects.create_user("bench-organiser", password="pw")
    org_services.role_grant(user=organiser, unit=province, role=scope.CONGRESS_ORGANISER, by=admin)
    congress = services.congress_create(
        unit=province, name="Đại hội XIX", term="2023–2028", by=organiser
    )
    session = services.session_add(
        congress=congress,
        kind="official",
        title="Phiên chính thức",
        starts_at=timezone.now(),
        by=organiser,
    )
    # A second session for the paced run: every card scanned there once, as at a real door.
    later = services.session_add(
        congress=congress,
        kind="closing",
        title="Phiên bế mạc",
        starts_at=timezone.now() + dt.timedelta(hours=4),
        by=organiser,
    )
    rng = random.Random(7)
    cards = []
    for number in range(DELEGATES):
        delegate = services.delegate_add(
            congress=congress,
            category=rng.choice(["elected"] * 5 + ["ex_officio", "invited"]),
            full_name=f"Đại biểu số {number + 1}",
            delegation=f"Đoàn {number % 15 + 1}",
            by=organiser,
        )
        cards.append(
            tokens.card_token(
                congress_id=congress.pk, delegate_id=delegate.pk, serial=delegate.token_serial
            )
        )
    client = Client()
    client.force_login(organiser)
    return {
        "session": session.pk,
        "later": later.pk,
        "cookie": client.cookies["sessionid"].value,
        "cards": cards,
    }


def csrf_cookie(port: int, session_cookie: str, session_pk: int) -> str:
    """The CSRF cookie the station page sets, as a browser would get it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "GET",
        f"/congress/sessions/{session_pk}/station/",
        headers={"Cookie": f"sessionid={session_cookie}"},
    )
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"station page answered {response.status}")
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            return value.split(";", 1)[0].split("=", 1)[1]
    raise SystemExit("no CSRF cookie")


def start_server(port: int) -> subprocess.Popen:
    """gunicorn as `unionhub serve` runs it (gthread WORKERS × THREADS), on loopback `port`,
    for every benchmark that loads the app over HTTP."""
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "unionhub.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "gthread",
            "--threads",
            str(THREADS),
            "--keep-alive",
            "30",
            "--access-logfile",
            os.devnull,
            "--log-level",
            "warning",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "unionhub.settings"},
        cwd=common.ROOT,
    )


def wait_ready(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited at start")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def server_cpu_s(server: subprocess.Popen) -> float:
    """CPU seconds (user + system) used so far by gunicorn's master and its workers."""
    master = str(server.pid)
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in [master, *children]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def load(
    port: int, requests: list[tuple[str, str, bytes | None, dict]], rate: float | None = None
) -> dict:
    """Send `requests` from CONCURRENCY threads, each on its own keep-alive connection: as fast
    as the server answers, or, with `rate`, each at its own moment of a steady `rate` per second
    (then its latency counts from that moment, so a late start counts as waiting)."""
    work: queue.SimpleQueue = queue.SimpleQueue()
    for index, item in enumerate(requests):
        work.put((index, item))
    latencies: list[float] = []
    answers: list[tuple[int, bytes, float]] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(CONCURRENCY + 1)
    begin = time.perf_counter() + 0.5  # the paced schedule's first moment, after the gate

    def run() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine_latency, mine_answers = [], []
        start_gate.wait()
        while True:
            try:
                index, (method, path, body, headers) = work.get_nowait()
            except queue.Empty:
                break
            if rate:
                started = begin + index / rate
                time.sleep(max(0.0, started - time.perf_counter()))
            else:
                started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, payload = 0, b""
            latency = time.perf_counter() - started
            mine_latency.append(latency)
            mine_answers.append((status, payload, latency))
        connection.close()
        with lock:
            latencies.extend(mine_latency)
            answers.extend(mine_answers)

    threads = [threading.Thread(target=run) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    started = begin if rate else time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "elapsed": elapsed,
        "rate": len(requests) / elapsed,
        "latency": common.percentiles_ms(latencies),
        "answers": answers,
    }


def main() -> None:
    args = common.arguments(__doc__.splitlines()[0])
    rounds = 2 if args.quick else 8
    with tempfile.TemporaryDirectory() as var, common.database("sqlite") as database_url:
        os.environ.update(
            {"DATABASE_URL": database_url, "UNIONHUB_VAR": var, "LOG_LEVEL": "WARNING"}
        )
        common.django_setup(migrate=True)
        data = prepare()
        from django.db import connection as db

        db.close()

        port = free_port()
        server = start_server(port)
        try:
            wait_ready(port, server)
            csrf = csrf_cookie(port, data["cookie"], data["session"])
            headers = {
                "Cookie": f"sessionid={data['cookie']}; csrftoken={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}/",
                "Host": f"127.0.0.1:{port}",
            }
            path = f"/congress/sessions/{data['session']}/scan/"
            rng = random.Random(2023)
            cards = data["cards"]
            # Every card twice in a row first: two threads take it at the same moment.
            order = [card for card in cards for _ in range(2)]
            for _ in range(rounds - 1):
                order += rng.sample(cards, len(cards))
            scans = [
                ("POST", path, urllib.parse.urlencode({"code": card}).encode(), headers)
                for card in order
            ]
            warm = load(port, [("GET", "/healthz", None, {})] * 200)
            assert warm["answers"]
            cpu_start = server_cpu_s(server)
            scan_run = load(port, scans)
            cpu_scans = server_cpu_s(server)
            health_run = load(port, [("GET", "/healthz", None, {})] * len(scans))
            cpu_health = server_cpu_s(server)
            # A steady door rate instead of saturation: every card once at the later session.
            later = f"/congress/sessions/{data['later']}/scan/"
            paced_run = load(
                port,
                [
                    ("POST", later, urllib.parse.urlencode({"code": card}).encode(), headers)
                    for card in rng.sample(cards, len(cards))
                ],
                rate=PACED_RATE,
            )
        finally:
            server.terminate()
            server.wait(timeout=20)

        errors = 0
        checked_in = 0
        first_latencies, repeat_latencies = [], []
        for status, payload, latency in scan_run["answers"]:
            answer = json.loads(payload) if status == 200 else {}
            if answer.get("status") == "checked_in":
                checked_in += 1
                first_latencies.append(latency)
            elif answer.get("status") == "already":
                repeat_latencies.append(latency)
            else:
                errors += 1
        errors += sum(1 for status, _payload, _latency in health_run["answers"] if status != 200)
        errors += sum(
            1
            for status, payload, _latency in paced_run["answers"]
            if status != 200 or json.loads(payload).get("status") != "checked_in"
        )

        from django.db.models import Count

        from unionhub.congress.models import CheckIn

        rows = CheckIn.objects.filter(session_id=data["session"])
        repeated = rows.values("delegate").annotate(n=Count("pk")).filter(n__gt=1).count()
        distinct = rows.values("delegate").distinct().count()
        # A duplicate is a second row for a card, or a second "checked in" answer for one.
        duplicates = repeated + max(0, checked_in - distinct)
        missing = DELEGATES - distinct
        missing += DELEGATES - CheckIn.objects.filter(session_id=data["later"]).count()

    print(
        f"scans: {len(scans)} in {scan_run['elapsed']:.2f} s, latency {scan_run['latency']} ms;"
        f" healthz: {health_run['rate']:.0f}/s, latency {health_run['latency']} ms;"
        f" check-ins {distinct}/{DELEGATES}, 'checked in' answers {checked_in};"
        f" paced at {PACED_RATE}/s: latency {paced_run['latency']} ms",
        file=sys.stderr,
    )
    common.result(
        {
            "scans_per_s": round(scan_run["rate"], 1),
            "p99_ms": scan_run["latency"]["p99"],
            "p50_ms": scan_run["latency"]["p50"],
            "duplicates": duplicates,
            "errors": errors + missing,
            "healthz_per_s": round(health_run["rate"], 1),
            "healthz_p99_ms": health_run["latency"]["p99"],
            "ratio_to_healthz": round(scan_run["rate"] / health_run["rate"], 3),
            # Answers that recorded a check-in, and the "already" ones (repeats, lost races).
            "p99_first_scan_ms": common.percentiles_ms(first_latencies)["p99"],
            "p99_repeat_ms": common.percentiles_ms(repeat_latencies)["p99"],
            # Every card once, at a steady PACED_RATE scans/s (not the goal's saturation).
            "paced_scans_per_s": PACED_RATE,
            "paced_p50_ms": paced_run["latency"]["p50"],
            "paced_p99_ms": paced_run["latency"]["p99"],
            "server_cpu_ms_per_scan": round(1000 * (cpu_scans - cpu_start) / len(scans), 2),
            "server_cpu_ms_per_healthz": round(1000 * (cpu_health - cpu_scans) / len(scans), 2),
            "scans": len(scans),
            "delegates": DELEGATES,
            "concurrency": CONCURRENCY,
            "server": f"gunicorn gthread {WORKERS}x{THREADS}, SQLite",
        }
    )


if __name__ == "__main__":
    main()
