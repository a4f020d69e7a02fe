from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from unionhub.core import scope, uploads
from unionhub.core.types import User
from unionhub.core.widgets import UnitField
from unionhub.training import selectors


class CourseForm(forms.Form):
    unit = UnitField(label=_("Organising unit"), role=scope.UNIT_ADMIN)
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.CharField(
        label=_("Topic"),
        max_length=120,
        help_text=_("The reports count training by topic: use the same words for the same topic."),
    )
    audience = forms.CharField(label=_("Audience"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitField)
        unit_field.queryset = scope.units(user, role=scope.UNIT_ADMIN)


class SessionForm(forms.Form):
    starts = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    trainer = forms.CharField(label=_("Trainer"), max_length=150, required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000)
    unit_quota = forms.IntegerField(
        label=_("Places per unit"),
        min_value=1,
        max_value=10_000,
        required=False,
        help_text=_("Leave empty for no quota."),
    )


class NominateForm(forms.Form):
    id_number = forms.CharField(label=_("Member's document number"), max_length=20)


class ReportForm(forms.Form):
    unit = UnitField(label=_("Unit"))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.ChoiceField(
        label=_("Units with nobody trained on"), required=False, choices=[("", "—")]
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitField)
        unit_field.queryset = scope.units(user)
        topic_field = self.fields["topic"]
        assert isinstance(topic_field, forms.ChoiceField)
        topic_field.choices = [("", "—")] + [(t, t) for t in selectors.topics(user=user)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(
                pgettext_lazy("training", "The period ends before it starts.")
            )
        return data


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = uploads.LimitedUpload(
        label=_("PDF file"), kind=uploads.TRAINING_MATERIAL, required=False
    )
    link = forms.URLField(
        label=_("or a link"),
        required=False,
        assume_scheme="https",
        help_text=_("A video or page the participants open on their phones."),
    )


class SignupForm(forms.Form):
    id_number = forms.CharField(label=_("Your document number (CCCD)"), max_length=20)
    birth_date = forms.DateField(
        label=_("Your date of birth"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    choices = forms.CharField(
        label=_("Answers, one per line"), widget=forms.Textarea(attrs={"rows": 4})
    )
    answer = forms.IntegerField(
        label=_("Number of the right answer"),
        min_value=1,
        max_value=10,
        help_text=_("1 for the first line, 2 for the second…"),
    )


class PassMarkForm(forms.Form):
    pass_mark = forms.IntegerField(
        label=_("Pass mark (%)"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Empty: attending completes the course, without a quiz."),
    )
