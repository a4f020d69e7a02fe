"""A story's video: MP4 or WebM by its bytes (not its name), within the ceiling, with a poster
through the photo pipeline; served in ranges, publicly only once the story is public."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import jpeg
from tests.news.helpers import write
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.news import services
from unionhub.news.models import Story

pytestmark = pytest.mark.django_db

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
WEBM_HEAD = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02"
)
BODY = bytes(range(256)) * 8


def mp4(name: str = "clip.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MP4_HEAD + BODY, content_type="video/mp4")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def writer(tree, officer_at):
    return officer_at(tree.grassroots_a1, scope.COMMUNICATIONS)


def test_an_mp4_with_a_poster_is_stored_with_its_type_and_an_audit_row(tree, writer):
    story = write(tree.grassroots_a1, writer)
    services.set_video(by=writer, story=story, video=mp4(), poster=jpeg(size=(3000, 2000)))
    story = Story.objects.get(pk=story.pk)
    assert story.video_type == "video/mp4"
    assert story.video.name.endswith(".mp4")
    assert story.video.read() == MP4_HEAD + BODY
    poster = Image.open(story.video_poster)
    assert (poster.format, poster.size) == ("JPEG", (1600, 1067))  # resized like the photos
    assert AuditEvent.objects.filter(action="news.video.set", target_id=story.pk).exists()


def test_a_webm_is_told_by_its_bytes(tree, writer):
    story = write(tree.grassroots_a1, writer)
    upload = SimpleUploadedFile("clip.mp4", WEBM_HEAD + BODY)  # the name says otherwise
    services.set_video(by=writer, story=story, video=upload)
    story.refresh_from_db()
    assert (story.video_type, story.video.name.endswith(".webm")) == ("video/webm", True)


@pytest.mark.parametrize(
    "head",
    [
        b"\xff\xd8\xff\xe0\x00\x10JFIF",  # a JPEG renamed .mp4
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",  # a phone's HEIC picture
        b"\x1a\x45\xdf\xa3\x9f\x42\x82\x88matroska",  # Matroska, not WebM
        b"<html><script>alert(1)</script>",
        b"",
    ],
)
def test_a_file_that_is_not_mp4_or_webm_is_refused_with_a_clear_message(tree, writer, head):
    story = write(tree.grassroots_a1, writer)
    with pytest.raises(DomainError) as refused:
        services.set_video(by=writer, story=story, video=SimpleUploadedFile("a.mp4", head + BODY))
    assert refused.value.code == "not_a_video" and refused.value.field == "video"
    assert "MP4" in str(refused.value.message)
    story.refresh_from_db()
    assert not story.video


def test_a_video_over_the_ceiling_is_refused(tree, writer, settings):
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "news_video": 1}
    story = write(tree.grassroots_a1, writer)
    big = SimpleUploadedFile("big.mp4", MP4_HEAD + b"\0" * (1024 * 1024))
    with pytest.raises(DomainError) as refused:
        services.set_video(by=writer, story=story, video=big)
    assert refused.value.code == "file_too_large"
    assert "1 MB" in str(refused.value.message)


def test_a_bad_poster_leaves_no_video_behind(tree, writer):
    story = write(tree.grassroots_a1, writer)
    with pytest.raises(DomainError) as refused:
        services.set_video(
            by=writer, story=story, video=mp4(), poster=SimpleUploadedFile("p.jpg", b"nope")
        )
    assert refused.value.field == "poster"
    story.refresh_from_db()
    assert not story.video


def test_an_officer_of_a_sibling_unit_cannot_give_a_story_a_video(tree, writer, officer_at):
    story = write(tree.grassroots_a1, writer)
    sibling = officer_at(tree.grassroots_a2, scope.COMMUNICATIONS)
    with pytest.raises(OutOfScope):
        services.set_video(by=sibling, story=story, video=mp4())


def test_removing_the_video(tree, writer):
    story = write(tree.grassroots_a1, writer)
    services.set_video(by=writer, story=story, video=mp4(), poster=jpeg())
    services.remove_video(by=writer, story=story)
    story.refresh_from_db()
    assert (story.video.name, story.video_poster.name, story.video_type) == ("", "", "")


# Serving ---------------------------------------------------------------------------------


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_drafts_video_is_not_public_but_its_writers_preview_it(client, tree, writer, officer_at):
    story = write(tree.grassroots_a1, writer)
    services.set_video(by=writer, story=story, video=mp4(), poster=jpeg())
    assert client.get(reverse("news_video", args=[story.pk])).status_code == 404
    assert client.get(reverse("news_video_poster", args=[story.pk])).status_code == 404

    client.force_login(officer_at(tree.grassroots_a2, scope.COMMUNICATIONS))
    assert client.get(reverse("news:video", args=[story.pk])).status_code == 404
    assert client.get(reverse("news:video_poster", args=[story.pk])).status_code == 404

    client.force_login(writer)
    preview = client.get(reverse("news:video", args=[story.pk]), headers={"Range": "bytes=0-9"})
    assert (preview.status_code, _content(preview)) == (206, (MP4_HEAD + BODY)[:10])
    assert client.get(reverse("news:video_poster", args=[story.pk])).status_code == 200


def test_a_published_storys_video_is_served_in_ranges_on_the_story_page(client, tree, writer):
    story = write(tree.grassroots_a1, writer)
    services.set_video(by=writer, story=story, video=mp4(), poster=jpeg())
    url = reverse("news_video", args=[story.pk])
    services.submit(by=writer, story=story)
    assert client.get(url).status_code == 404  # submitted, not yet public
    story = services.publish(by=writer, story=story)

    whole = client.get(url)
    assert (whole.status_code, whole["Accept-Ranges"], _content(whole)) == (
        200,
        "bytes",
        MP4_HEAD + BODY,
    )
    assert whole["Content-Type"] == "video/mp4"
    piece = client.get(url, headers={"Range": "bytes=-100"})
    assert (piece.status_code, _content(piece)) == (206, (MP4_HEAD + BODY)[-100:])
    assert client.get(url, headers={"Range": "bytes=999999-"}).status_code == 416
    head = client.head(url)
    assert (head.status_code, head["Content-Length"], head["Accept-Ranges"]) == (
        200,
        str(len(MP4_HEAD + BODY)),
        "bytes",
    )
    assert client.get(reverse("news_video_poster", args=[story.pk])).status_code == 200

    page = client.get(reverse("news_story", args=[story.unit.code, story.slug])).content.decode()
    assert "<video" in page and " controls" in page
    assert f'poster="{reverse("news_video_poster", args=[story.pk])}"' in page
    assert f'src="{url}" type="video/mp4"' in page


def test_the_edit_page_refuses_a_renamed_picture_with_the_message(client, tree, writer):
    story = write(tree.grassroots_a1, writer)
    client.force_login(writer)
    fake = SimpleUploadedFile("clip.mp4", b"\xff\xd8\xff\xe0\x00\x10JFIF" + BODY)
    response = client.post(
        reverse("news:video_upload", args=[story.pk]), {"video": fake}, follow=True
    )
    assert "không phải là video MP4 hoặc WebM" in response.content.decode()
    client.post(reverse("news:video_upload", args=[story.pk]), {"video": mp4(), "poster": jpeg()})
    story.refresh_from_db()
    assert story.video_type == "video/mp4"
    page = client.get(reverse("news:edit", args=[story.pk])).content.decode()
    assert f'src="{reverse("news:video", args=[story.pk])}"' in page


def test_sniffing_reads_only_the_files_head():
    buffer = io.BytesIO(MP4_HEAD + BODY)
    from unionhub.core import uploads

    assert uploads.check_video(buffer, uploads.NEWS_VIDEO) == "video/mp4"
    assert buffer.tell() == 0  # left at the start for storing


def test_a_replaced_video_is_deleted_once_committed_and_the_new_one_kept(
    tree, writer, django_capture_on_commit_callbacks
):
    story = write(tree.grassroots_a1, writer)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_video(by=writer, story=story, video=mp4(), poster=jpeg())
    first = Story.objects.get(pk=story.pk)
    old_video, old_poster = first.video.name, first.video_poster.name
    with django_capture_on_commit_callbacks(execute=True):
        services.set_video(by=writer, story=first, video=mp4("second.mp4"))
    second = Story.objects.get(pk=story.pk)
    storage = second.video.storage
    assert second.video.name != old_video
    assert storage.exists(second.video.name) and not storage.exists(old_video)
    assert second.video_poster.name == old_poster and storage.exists(old_poster)  # kept
    new_video = second.video.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_video(by=writer, story=second)
    assert not storage.exists(new_video) and not storage.exists(old_poster)
