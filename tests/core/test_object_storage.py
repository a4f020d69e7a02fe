"""Media and generated files on an S3-compatible store (moto's server, over real HTTP): they go
in and come out through the scoped views, a file behind scope has no public address, and an
officer out of scope is refused."""

import io
import json
import os
import socket
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image

from unionhub.core import jobs
from unionhub.core.models import Job, JobStatus
from unionhub.members.models import Member

BUCKET = "unionhub-media"
KEYS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **KEYS).create_bucket(
        Bucket=BUCKET
    )
    yield endpoint
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings):
    """The S3 storage exactly as settings.py builds it from S3_* variables."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
                "location": "test",
                "addressing_style": "path",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "signature_version": "s3v4",
                "file_overwrite": False,
            },
        },
    }
    return boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS)


def jpeg(width=600, height=800) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 30)).save(out, format="JPEG")
    return out.getvalue()


def stored(s3, name: str) -> bytes:
    return s3.get_object(Bucket=BUCKET, Key=f"test/{name}")["Body"].read()


def test_settings_build_a_private_s3_storage_from_the_environment():
    env = {
        **os.environ,
        "S3_BUCKET": "union-files",
        "S3_ENDPOINT_URL": "https://s3.example.vn",
        "S3_ADDRESSING_STYLE": "path",
    }
    shown = subprocess.run(
        [sys.executable, "-m", "unionhub", "shell", "-c", PRINT_STORAGE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    options = json.loads(shown.strip().splitlines()[-1])
    assert options["bucket_name"] == "union-files"
    assert options["endpoint_url"] == "https://s3.example.vn"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["querystring_expire"] == 300


PRINT_STORAGE = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.STORAGES['default']['OPTIONS']))"
)


def test_member_photo_round_trips_through_s3_only_within_scope(
    s3, client, admit, registrar_a, registrar_b
):
    member = admit()
    client.force_login(registrar_a)
    response = client.post(
        reverse("members:photo_upload", args=[member.pk]),
        {"photo": SimpleUploadedFile("IMG_0001.jpg", jpeg(), content_type="image/jpeg")},
    )
    assert response.status_code == 302
    member = Member.objects.get(pk=member.pk)
    on_s3 = stored(s3, member.photo.name)
    assert on_s3[:2] == b"\xff\xd8"
    assert not default_storage.exists("IMG_0001.jpg")  # nothing beside it under its own name

    response = client.get(reverse("members:photo", args=[member.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == on_s3

    client.force_login(registrar_b)
    assert client.get(reverse("members:photo", args=[member.pk])).status_code == 403
    assert client.get(reverse("members:photo_thumb", args=[member.pk])).status_code == 403


def test_a_generated_file_is_downloaded_by_its_owner_only(s3, client, registrar_a, registrar_b):
    job = Job.objects.create(kind="export", title="Export", owner=registrar_a)
    jobs.attach_result(job, name="members.xlsx", file=ContentFile(b"PK\x03\x04 sheet bytes"))
    job.status = JobStatus.DONE
    job.save()
    assert stored(s3, job.result_file.name) == b"PK\x03\x04 sheet bytes"

    client.force_login(registrar_a)
    response = client.get(reverse("core:job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04 sheet bytes"

    client.force_login(registrar_b)
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code in (403, 404)


def test_objects_are_private_and_their_urls_signed_and_short_lived(s3):
    name = default_storage.save("jobs/report.pdf", ContentFile(b"%PDF-1.7"))
    grants = s3.get_object_acl(Bucket=BUCKET, Key=f"test/{name}")["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("/AllUsers")]
    query = parse_qs(urlsplit(default_storage.url(name)).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query


def test_a_ranged_answer_fetches_only_its_piece_from_the_store(s3, rf, db):
    # db: closing a response sends request_finished, which closes old database connections.
    from types import SimpleNamespace

    from django.db.models.fields.files import FieldFile

    from unionhub.core.ranges import ranged_file_response

    data = bytes(range(256)) * 64  # 16 KiB
    name = default_storage.save("news/videos/clip.mp4", ContentFile(data))
    stored = FieldFile(None, SimpleNamespace(storage=default_storage), name)
    response = ranged_file_response(
        rf.get("/v", headers={"Range": "bytes=1000-1999"}), stored, content_type="video/mp4"
    )
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert b"".join(response.streaming_content) == data[1000:2000]
    assert stored.file._file is None  # the S3 file was never downloaded whole
    response.close()

    whole = ranged_file_response(rf.get("/v"), stored, content_type="video/mp4")
    assert b"".join(whole.streaming_content) == data
