"""The schema and Swagger UI map every route: behind a login unless API_DOCS_PUBLIC says so."""

import pytest
from django.test import override_settings

from tests.factories import make_user

SCHEMA = {"HTTP_ACCEPT": "application/vnd.oai.openapi+json"}


@override_settings(API_DOCS_PUBLIC=False)
@pytest.mark.parametrize(
    ("url", "headers"),
    [("/api/schema/", SCHEMA), ("/api/docs/", {}), ("/api/docs/?script=", {})],
)
def test_docs_need_a_login_when_not_public(client, db, url, headers):
    assert client.get(url, **headers).status_code == 403
    client.force_login(make_user("viewer"))
    assert client.get(url, **headers).status_code == 200


@pytest.mark.no_database
def test_production_settings_keep_the_docs_private():
    from tests.core.test_settings import run

    done = run(
        {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "union.example.vn"},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.API_DOCS_PUBLIC)",
    )
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr


def test_swagger_ui_starts_from_a_script_file_not_inline_code(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "<script>" not in page.replace(" ", "")
    assert "?script=" in page
