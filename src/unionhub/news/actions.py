from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    STORY_CREATED = "news.story.created", _("Story written")
    STORY_EDITED = "news.story.edited", _("Story edited")
    STORY_SUBMITTED = "news.story.submitted", _("Story submitted for publishing")
    STORY_PUBLISHED = "news.story.published", _("Story published")
    STORY_RETURNED = "news.story.returned", _("Story returned to its writer")
    STORY_FEATURED = "news.story.featured", _("Story featured by an upper unit")
    STORY_UNFEATURED = "news.story.unfeatured", _("Story no longer featured")
    IMAGE_ADDED = "news.image.added", _("Photo added to a story")
    IMAGE_REMOVED = "news.image.removed", _("Photo removed from a story")
    VIDEO_SET = "news.video.set", _("Video added to a story")
    VIDEO_REMOVED = "news.video.removed", _("Video removed from a story")
    PORTAL_CHANGED = "news.portal.changed", _("Public portal settings changed")
