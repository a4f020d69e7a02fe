import re
from pathlib import Path

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
