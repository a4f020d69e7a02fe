import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from unionhub.core import scope


@pytest.fixture
def api(tree, officer_at):
    officer = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")
    return client


def test_units_api_lists_only_the_scope(api):
    response = api.get("/api/v1/units/")
    assert response.status_code == 200
    assert [u["code"] for u in response.json()["results"]] == ["HT-DT-0001"]


def test_units_api_refuses_an_out_of_scope_unit(api, tree):
    response = api.get(f"/api/v1/units/{tree.grassroots_b1.pk}/")
    assert response.status_code == 404


def test_units_api_needs_authentication(tree):
    response = APIClient().get("/api/v1/units/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_units_api_search_folds(api):
    assert [
        u["code"] for u in api.get("/api/v1/units/", {"q": "THCS TUNG ANH"}).json()["results"]
    ] == ["HT-DT-0001"]


def test_openapi_schema_describes_units(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/units/" in response.json()["paths"]


def test_api_docs_use_vendored_assets(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower()


def test_openapi_schema_is_valid_and_warning_free():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
