import re
from pathlib import Path

from django.db import OperationalError, connection

import unionhub

SRC = Path(unionhub.__file__).parent


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_no_template_or_static_file_loads_anything_from_the_internet():
    remote = re.compile(
        r"""(src|href)\s*=\s*["']https?://|@import\s+url\(["']?https?://|url\(["']?https?://"""
    )
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*")
        if path.suffix in {".html", ".css", ".js"}
        and remote.search(path.read_text(errors="ignore"))
    ]
    assert offenders == []


def test_healthz_says_only_ok_or_not(client, db, monkeypatch):
    assert client.get("/healthz").json() == {"status": "ok"}

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" (10.1.2.3) failed')

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", refuse)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error"}
