"""Electronic election under load: every delegate votes from their phone, at once.

gunicorn serves UnionHub on loopback as `unionhub serve` runs it (bench/checkin.py's server and
load generator) from a throw-away embedded SQLite database prepared here: a congress with its
delegates all checked in to a session, an election of 5 among 9 open for electronic voting.
Every delegate's ballot is posted twice in a row (two phones of one delegate), so two client
threads race for the same delegate; the database must keep exactly one.

    python bench/election.py [--quick]

Goal (issue 20): 300 delegates within one minute; `lost` 0, `double_votes` 0.
"""

from __future__ import annotations

import http.client
import os
import random
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checkin  # the gunicorn set-up and load generator, one place for both benchmarks
import common

SEATS, CANDIDATES = 5, 9


def prepare(delegates: int) -> dict:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from unionhub.congress import services, tokens
    from unionhub.core import scope
    from unionhub.elections import services as election_services
    from unionhub.orgs import services as org_services
    from unionhub.orgs.models import Level

    admin = get_user_model().objects.create_superuser("bench-admin", "a@x.test", "pw")
    province = org_services.unit_found(
        code="HT", name="Liên đoàn Lao động tỉnh Hà Tĩnh", level=Level.PROVINCE,
        parent=None, founded=dt.date(2010, 1, 1), by=admin,
    )  # fmt: skip
    organiser = get_user_model().objects.create_user("bench-organiser", password="pw")
    org_services.role_grant(user=organiser, unit=province, role=scope.CONGRESS_ORGANISER, by=admin)
    congress = services.congress_create(
        unit=province, name="Đại hội XIX", term="2023–2028", by=organiser
    )
    session = services.session_add(
        congress=congress, kind="official", title="Phiên chính thức",
        starts_at=timezone.now(), by=organiser,
    )  # fmt: skip
    cards = []
    for number in range(delegates):
        delegate = services.delegate_add(
            congress=congress, category="elected", full_name=f"Đại biểu số {number + 1}",
            by=organiser,
        )  # fmt: skip
        services.checkin_manual(session=session, delegate=delegate, by=organiser)
        cards.append(
            tokens.card_token(
                congress_id=congress.pk, delegate_id=delegate.pk, serial=delegate.token_serial
            )
        )
    election = election_services.election_create(
        congress=congress, session=session, body="executive", title="Bầu Ban Chấp hành",
        seats=SEATS, candidates=[f"Ứng cử viên {n + 1}" for n in range(CANDIDATES)],
        by=organiser,
    )  # fmt: skip
    round = election_services.round_prepare(election=election, method="electronic", by=organiser)
    round = election_services.round_open(round=round, by=organiser)
    candidates = list(round.candidates.values_list("pk", flat=True))
    return {"round": round.pk, "cards": cards, "candidates": candidates}


def csrf_cookie(port: int, card: str) -> str:
    """The CSRF cookie the voting page sets, as a phone's browser gets it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", f"/d/{card}/votes/")
    response = connection.getresponse()
    response.read()
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            return value.split(";", 1)[0].split("=", 1)[1]
    raise SystemExit(f"voting page answered {response.status} without a CSRF cookie")


def main() -> None:
    args = common.arguments(__doc__.splitlines()[0])
    delegates = 100 if args.quick else 300
    with tempfile.TemporaryDirectory() as var, common.database("sqlite") as database_url:
        os.environ.update(
            {"DATABASE_URL": database_url, "UNIONHUB_VAR": var, "LOG_LEVEL": "WARNING"}
        )
        common.django_setup(migrate=True)
        data = prepare(delegates)
        from django.db import connection as db

        db.close()
        port = checkin.free_port()
        server = checkin.start_server(port)
        try:
            checkin.wait_ready(port, server)
            csrf = csrf_cookie(port, data["cards"][0])
            headers = {
                "Cookie": f"csrftoken={csrf}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Host": f"127.0.0.1:{port}",
            }
            rng = random.Random(2023)
            prefix = f"r{data['round']}-kept"
            votes = []
            for card in data["cards"]:
                kept = rng.sample(data["candidates"], rng.randint(0, SEATS))
                body = urllib.parse.urlencode(
                    [("csrfmiddlewaretoken", csrf), *[(prefix, k) for k in kept]]
                ).encode()
                # Two phones of one delegate, one after the other in the queue: two threads.
                votes += [("POST", f"/d/{card}/votes/{data['round']}/", body, headers)] * 2
            run = checkin.load(port, votes)
        finally:
            server.terminate()
            server.wait(timeout=20)

        from unionhub.elections.models import ElectronicBallot, VoteCast

        accepted = sum(1 for status, _p, _l in run["answers"] if status == 200)
        refused = sum(1 for status, _p, _l in run["answers"] if status == 403)
        casts = VoteCast.objects.filter(round_id=data["round"]).count()
        ballots = ElectronicBallot.objects.filter(round_id=data["round"]).count()
        distinct = VoteCast.objects.filter(round_id=data["round"]).values("delegate").distinct()
        lost = delegates - distinct.count()
        double_votes = max(0, ballots - distinct.count()) + max(0, accepted - delegates)
        errors = len(run["answers"]) - accepted - refused

    print(
        f"{len(votes)} posts ({delegates} delegates x 2 phones) in {run['elapsed']:.2f} s,"
        f" latency {run['latency']} ms; accepted {accepted}, refused {refused},"
        f" casts {casts}, ballots {ballots}",
        file=sys.stderr,
    )
    common.result(
        {
            "ballots_per_s": round(ballots / run["elapsed"], 1),
            "requests_per_s": round(run["rate"], 1),
            "p99_ms": run["latency"]["p99"],
            "p50_ms": run["latency"]["p50"],
            "lost": lost,
            "double_votes": double_votes,
            "errors": errors,
            "delegates": delegates,
            "seconds": round(run["elapsed"], 2),
            "concurrency": checkin.CONCURRENCY,
            "server": f"gunicorn gthread {checkin.WORKERS}x{checkin.THREADS}, SQLite",
        }
    )


if __name__ == "__main__":
    main()
