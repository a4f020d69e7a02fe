"""A request larger than REQUEST_MAX_MB is refused from its declared length, before Django reads
(and spools to disk) a byte of its body."""

import io

import pytest
from django.test import override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from unionhub.imports.models import ImportBatch


class UnreadableBody(io.BytesIO):
    """A body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def huge_post(client, path, **extra):
    return client.generic(
        "POST",
        path,
        data=b"x",
        content_type=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(600 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
        **extra,
    )


@pytest.fixture
def registrar(registrar_a):
    return registrar_a


def test_an_oversized_upload_is_refused_in_vietnamese_before_its_body_is_read(client, registrar):
    client.force_login(registrar)
    response = huge_post(client, "/imports/")
    assert response.status_code == 413
    assert "lớn hơn" in response.content.decode()
    assert response["Connection"] == "close"
    assert not ImportBatch.objects.exists()


def test_the_api_says_why_in_its_own_shape(client, registrar):
    client.force_login(registrar)
    response = huge_post(client, "/api/v1/members/", HTTP_ACCEPT="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_strangers_are_refused_the_same_way(client, db):
    assert huge_post(client, "/accounts/login/").status_code == 413


@override_settings(REQUEST_MAX_MB=1)
def test_a_real_upload_over_the_ceiling_stores_nothing(client, tree, registrar):
    client.force_login(registrar)
    body = encode_multipart(
        BOUNDARY, {"file": io.BytesIO(b"a,b\n" * 300_000), "unit": tree.grassroots_a1.pk}
    )
    response = client.generic("POST", "/imports/", body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 413
    assert not ImportBatch.objects.exists()


def test_a_request_within_the_ceiling_goes_through(client, registrar):
    client.force_login(registrar)
    assert client.post("/imports/", {}).status_code == 200  # the form, with its errors
