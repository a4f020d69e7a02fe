from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from unionhub.core import scope, uploads
from unionhub.core.types import User
from unionhub.core.uploads import LimitedFileField, LimitedImageField
from unionhub.core.widgets import UnitField
from unionhub.news.models import Category, State


class StoryForm(forms.Form):
    unit = UnitField(label=_("Unit"), role=scope.COMMUNICATIONS)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label=_("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "data-rich-editor": "1"}),
        help_text=_("Pasted text is cleaned: scripts, frames and styles are removed."),
    )
    category = forms.ChoiceField(label=_("News category"), choices=Category.choices)
    tags = forms.CharField(
        label=_("Tags"), max_length=255, required=False, help_text=_("Separated by commas.")
    )
    cover = LimitedImageField(label=_("Cover photo"), kind=uploads.NEWS_IMAGE, required=False)
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish as soon as it is approved."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitField)
        unit_field.queryset = scope.units(user, role=scope.COMMUNICATIONS)


class ImageForm(forms.Form):
    image = LimitedImageField(label=_("Photo"), kind=uploads.NEWS_IMAGE)
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class VideoForm(forms.Form):
    video = LimitedFileField(
        label=_("Video"),
        kind=uploads.NEWS_VIDEO,
        help_text=_("MP4 or WebM."),
        widget=forms.FileInput(attrs={"accept": "video/mp4,video/webm"}),
    )
    poster = LimitedImageField(
        label=_("Poster picture"),
        kind=uploads.NEWS_IMAGE,
        required=False,
        help_text=_("Shown before the video plays."),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *State.choices]
    )
    category = forms.ChoiceField(
        label=_("News category"), required=False, choices=[("", _("All")), *Category.choices]
    )


class PortalForm(forms.Form):
    show_figures = forms.BooleanField(
        label=_("Show the number of members and grassroots unions"), required=False
    )
    phone = forms.CharField(label=_("Public phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Public e-mail"), required=False)
    about = forms.CharField(label=_("About the unit"), required=False, widget=forms.Textarea)


class StatisticsForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
