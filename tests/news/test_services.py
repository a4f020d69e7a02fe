from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from django.utils import timezone
from PIL import Image

from tests.factories import jpeg
from tests.news.helpers import published, write
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import Conflict, DomainError, OutOfScope
from unionhub.news import selectors, services
from unionhub.news.models import Category, State, Story


@pytest.fixture
def writer(tree, officer_at):
    return officer_at(tree.grassroots_a1, scope.COMMUNICATIONS)


def test_a_story_is_written_as_a_draft_with_a_clean_body_and_an_audit_row(tree, writer):
    story = write(
        tree.grassroots_a1,
        writer,
        title="Hội thao công nhân 2026",
        body='<p onclick="x()">Chào <script>alert(1)</script><iframe src="x"></iframe></p>',
        tags="thể thao, công nhân, thể thao",
    )
    assert story.state == State.DRAFT
    assert story.body == "<p>Chào </p>"
    assert story.slug == "hoi-thao-cong-nhan-2026"
    assert story.tag_list == ["thể thao", "công nhân"]
    assert AuditEvent.objects.filter(action="news.story.created", target_id=story.pk).exists()


def test_slugs_stay_unique_within_a_unit(tree, writer):
    first = write(tree.grassroots_a1, writer, title="Tin")
    second = write(tree.grassroots_a1, writer, title="Tin")
    assert (first.slug, second.slug) == ("tin", "tin-2")


def test_an_officer_without_the_communications_role_is_refused(tree, officer_at):
    registrar = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    with pytest.raises(OutOfScope):
        write(tree.grassroots_a1, registrar)
    assert not Story.objects.exists()


def test_a_sibling_units_officer_may_not_touch_the_story(tree, writer, officer_at):
    story = write(tree.grassroots_a1, writer)
    sibling = officer_at(tree.grassroots_b1, scope.COMMUNICATIONS)
    with pytest.raises(OutOfScope):
        services.submit(by=sibling, story=story)
    with pytest.raises(OutOfScope):
        services.save_story(
            by=sibling,
            unit=tree.grassroots_b1,
            story=story,
            title="x",
            summary="",
            body="",
            category=Category.LAW,
        )


def test_the_workflow_draft_submitted_returned_submitted_published(tree, writer, officer_at):
    story = write(tree.grassroots_a1, writer)
    with pytest.raises(Conflict):
        services.publish(by=writer, story=story)
    story = services.submit(by=writer, story=story)
    admin = officer_at(tree.district_a, scope.UNIT_ADMIN)
    with pytest.raises(DomainError):
        services.return_story(by=admin, story=story, comment="  ")
    story = services.return_story(by=admin, story=story, comment="Thêm ảnh")
    assert (story.state, story.return_comment) == (State.RETURNED, "Thêm ảnh")
    story = services.submit(by=writer, story=story)
    story = services.publish(by=admin, story=story)
    assert story.state == State.PUBLISHED
    assert story.publish_at is not None
    assert story.return_comment == ""


def test_a_submitted_story_is_not_edited_by_its_writer(tree, writer):
    story = services.submit(by=writer, story=write(tree.grassroots_a1, writer))
    with pytest.raises(Conflict):
        services.save_story(
            by=writer,
            unit=story.unit,
            story=story,
            title="Đổi",
            summary="",
            body="",
            category=Category.CARE,
        )


def test_a_scheduled_story_is_public_only_once_its_time_comes(tree, writer):
    later = timezone.now() + dt.timedelta(hours=2)
    story = published(tree.grassroots_a1, writer, at=later)
    assert story.state == State.PUBLISHED
    assert list(selectors.public_stories(tree.province)) == []
    Story.objects.filter(pk=story.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    assert list(selectors.public_stories(tree.province)) == [story]


def test_only_an_upper_unit_features_a_published_story(tree, writer, officer_at):
    draft = write(tree.grassroots_a1, writer)
    district = officer_at(tree.district_a, scope.COMMUNICATIONS)
    with pytest.raises(Conflict):
        services.feature(by=district, story=draft, unit=tree.district_a)
    story = published(tree.grassroots_a1, writer, title="Nổi bật")
    with pytest.raises(DomainError):
        services.feature(by=district, story=story, unit=tree.grassroots_a2)
    services.feature(by=district, story=story, unit=tree.district_a)
    assert selectors.public_featured(tree.district_a) == [story]
    assert selectors.public_featured(tree.province) == []
    services.unfeature(by=district, story=story, unit=tree.district_a)
    assert selectors.public_featured(tree.district_a) == []


def _phone_photo(size=(4000, 3000), *, noisy=False):
    image = (
        Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
        if noisy
        else Image.new("RGB", size, (10, 120, 200))
    )
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {2: (21.0, 1.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("phone.jpg", out.getvalue(), content_type="image/jpeg")


def test_photos_are_resized_in_two_sizes_and_lose_their_exif(tree, writer):
    story = write(tree.grassroots_a1, writer, cover=_phone_photo())
    with Image.open(story.cover.open("rb")) as large:
        assert max(large.size) == services.LARGE[0]
        assert not large.getexif()
    with Image.open(story.cover_small.open("rb")) as small:
        assert max(small.size) == services.SMALL[0]
    image = services.add_image(by=writer, story=story, upload=jpeg(), caption="Khai mạc")
    with Image.open(image.image.open("rb")) as photo:
        assert photo.size == (600, 800)  # never enlarged


def test_a_photo_over_the_ceiling_or_not_a_picture_is_refused_with_nothing_written(
    tree, writer, settings
):
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "news_image": 1}
    with pytest.raises(DomainError) as refused:
        write(tree.grassroots_a1, writer, cover=_phone_photo((1200, 1200), noisy=True))
    assert refused.value.code in {"image_too_large", "file_too_large"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(DomainError) as unreadable:
        write(
            tree.grassroots_a1,
            writer,
            cover=SimpleUploadedFile("x.jpg", b"<html>not a picture</html>"),
        )
    assert unreadable.value.code == "image_unreadable"
    assert not Story.objects.exists()


def test_view_counts_add_up(tree, writer):
    story = published(tree.grassroots_a1, writer)
    for _ in range(5):
        services.count_view(story_pk=story.pk)
    story.refresh_from_db()
    assert story.views == 5


def test_statistics_count_published_stories_per_unit_category_and_month(tree, writer):
    published(tree.grassroots_a1, writer, title="A", category=Category.CARE)
    published(tree.grassroots_a1, writer, title="B", category=Category.CARE)
    published(tree.grassroots_a1, writer, title="C", category=Category.LAW)
    write(tree.grassroots_a1, writer, title="D", category=Category.LAW)  # a draft: not counted
    today = timezone.localdate()
    rows = selectors.statistics(writer, unit=None, start=today - dt.timedelta(days=31), end=today)
    counts = {(r["unit__code"], r["category"]): r["count"] for r in rows}
    assert counts == {("HT-DT-0001", "care"): 2, ("HT-DT-0001", "law"): 1}
