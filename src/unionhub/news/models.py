from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.orgs.models import Unit


class Category(models.TextChoices):
    ACTIVITIES = "activities", _("Union activities")
    EMULATION = "emulation", _("Emulation movements")
    CARE = "care", _("Care for members")
    CONGRESS = "congress", _("Congress")
    TRAINING = "training", _("Training")
    LAW = "law", _("Law and policy")


class State(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("news state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("news state", "Submitted")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned")


class Story(models.Model):
    """A news story of a unit. It is public when published and its publish time has come
    (a future time schedules it: computed when read, nothing has to run at that time)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="stories"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, allow_unicode=False)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    # Stored already sanitised (services.sanitise): what is here is safe to render.
    body = models.TextField(_("body"), blank=True)
    category = models.CharField(_("news category"), max_length=16, choices=Category.choices)
    tags = models.CharField(_("tags"), max_length=255, blank=True)
    cover = models.ImageField(_("cover photo"), upload_to="news/covers/", blank=True)
    cover_small = models.ImageField(_("small cover photo"), upload_to="news/covers/", blank=True)
    # An optional video (MP4 or WebM, its type sniffed from its bytes), served in ranges, with a
    # poster picture shown before it plays.
    video = models.FileField(_("video"), upload_to="news/videos/", blank=True)
    video_type = models.CharField(_("video type"), max_length=20, blank=True)
    video_poster = models.ImageField(_("video poster"), upload_to="news/videos/", blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    return_comment = models.TextField(_("comment when returned"), blank=True)
    publish_at = models.DateTimeField(_("publish time"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-publish_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "slug"], name="news_story_slug_per_unit"),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(publish_at__isnull=False),
                name="news_story_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "publish_at"], name="news_story_public")]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class StoryImage(models.Model):
    """A photo of a story's gallery, in a large and a small size (EXIF stripped)."""

    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(_("photo"), upload_to="news/gallery/")
    image_small = models.ImageField(_("small photo"), upload_to="news/gallery/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("order in the gallery"), default=0)

    class Meta:
        verbose_name = _("story photo")
        verbose_name_plural = _("story photos")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"


class Feature(models.Model):
    """An upper unit shows a story of a unit below it on its own portal, among its featured."""

    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="features"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("featured by"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("featured at"), auto_now_add=True)

    class Meta:
        verbose_name = _("featured story")
        verbose_name_plural = _("featured stories")
        constraints = [
            models.UniqueConstraint(fields=["story", "unit"], name="news_feature_once"),
        ]

    def __str__(self) -> str:
        return f"{self.story} @ {self.unit}"


class Portal(models.Model):
    """What a unit chooses to show on its public portal besides its news."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="news_portal"
    )
    show_figures = models.BooleanField(_("show member and union counts"), default=False)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    about = models.TextField(_("about the unit"), blank=True)

    class Meta:
        verbose_name = _("public portal")
        verbose_name_plural = _("public portals")

    def __str__(self) -> str:
        return str(self.unit)
