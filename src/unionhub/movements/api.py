"""/api/v1/movements/…: campaigns, awards, support records, shelter houses and the year-end
classes of grassroots unions, read through the same scoped selectors as the pages, with the
list pages' filters (`?q=`, `?year=`, `?state=`, `?kind=`, `?sort=`) read by the same forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.forms import Form
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from unionhub.core.api import ScopedReadOnlyViewSet
from unionhub.movements import forms, selectors
from unionhub.movements.models import Assessment, Award, Campaign, ShelterHouse, SupportRecord
from unionhub.orgs.models import Unit


def _unit() -> serializers.SlugRelatedField[Unit]:
    return serializers.SlugRelatedField(slug_field="code", read_only=True)


class CampaignSerializer(serializers.ModelSerializer):
    unit = _unit()
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "unit", "title", "description", "starts", "ends", "participants", "rule",
                  "criteria", "created"]  # fmt: skip

    def get_criteria(self, campaign: Campaign) -> list[dict[str, Any]]:
        return [
            {"name": c.name, "max_points": c.max_points, "weight": str(c.weight)}
            for c in campaign.criteria.all()
        ]


class AwardSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="level.name", read_only=True)
    awarding_unit = serializers.CharField(source="level.unit.code", read_only=True)
    member = serializers.UUIDField(source="member.public_id", read_only=True, allow_null=True)
    recipient = serializers.CharField(source="recipient_name", read_only=True)
    unit = _unit()
    decision = serializers.CharField(source="decision.symbol", read_only=True)
    decision_date = serializers.DateField(source="decision.date", read_only=True)

    class Meta:
        model = Award
        fields = ["id", "level", "awarding_unit", "member", "recipient", "unit", "campaign",
                  "reason", "decision", "decision_date", "created", "revoked", "revoked_reason",
                  "announced"]  # fmt: skip


class SupportRecordSerializer(serializers.ModelSerializer):
    member = serializers.UUIDField(source="member.public_id", read_only=True)
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    unit = _unit()
    deciding_unit = _unit()

    class Meta:
        model = SupportRecord
        fields = ["id", "member", "member_name", "unit", "kind", "date", "amount", "goods", "fund",
                  "note", "state", "proposed", "deciding_unit", "decided"]  # fmt: skip


class ShelterHouseSerializer(serializers.ModelSerializer):
    member = serializers.UUIDField(source="member.public_id", read_only=True)
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    unit = _unit()
    deciding_unit = _unit()
    contributions = serializers.SerializerMethodField()

    class Meta:
        model = ShelterHouse
        fields = ["id", "member", "member_name", "unit", "address", "cost", "contributions",
                  "note", "state", "proposed", "deciding_unit", "decided_on", "built_on",
                  "handed_over_on"]  # fmt: skip

    def get_contributions(self, house: ShelterHouse) -> list[dict[str, Any]]:
        return [
            {"contributor": c.contributor, "amount": c.amount} for c in house.contributions.all()
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="classification.year", read_only=True)
    set_by = serializers.CharField(source="classification.unit.code", read_only=True)
    unit = _unit()
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    grade = serializers.CharField(source="grade.name", read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "year", "set_by", "unit", "unit_name", "total", "grade", "scored"]


def _parameters(*names: str) -> list[OpenApiParameter]:
    kinds = {"year": OpenApiTypes.INT}
    return [OpenApiParameter(n, kinds.get(n, OpenApiTypes.STR)) for n in (*names, "sort")]


class _Listed(ScopedReadOnlyViewSet):
    """A selector's rows for the caller, filtered by the list page's form read from the query
    string (a value it refuses is ignored, as on the page)."""

    select: Callable[..., QuerySet[Any]]
    filter_form: type[Form] | None = None
    default_sort = ""

    def get_queryset(self) -> QuerySet[Any]:
        params = self.request.query_params
        data: dict[str, Any] = {}
        if self.filter_form is not None:
            form = self.filter_form(params)
            data = form.cleaned_data if form.is_valid() else {}
        elif params.get("q"):
            data = {"q": params["q"]}
        return type(self).select(
            user=self.request.user, sort=params.get("sort", self.default_sort), **data
        )


@extend_schema_view(list=extend_schema(parameters=_parameters("q", "year")))
class CampaignViewSet(_Listed):
    """Campaigns of the caller's units and of the units above them (they run for them)."""

    serializer_class = CampaignSerializer
    select = staticmethod(selectors.campaign_list)
    filter_form = forms.CampaignFilterForm
    default_sort = "-starts"


@extend_schema_view(list=extend_schema(parameters=_parameters("q")))
class AwardViewSet(_Listed):
    """Awards to the caller's units and their members, and those their units gave."""

    serializer_class = AwardSerializer
    select = staticmethod(selectors.award_list)
    default_sort = "-created"


@extend_schema_view(list=extend_schema(parameters=_parameters("state", "kind", "year")))
class SupportRecordViewSet(_Listed):
    """Support for members of the caller's units, proposed and decided."""

    serializer_class = SupportRecordSerializer
    select = staticmethod(selectors.support_list)
    filter_form = forms.SupportFilterForm
    default_sort = "-date"


@extend_schema_view(list=extend_schema(parameters=_parameters("q", "state", "year")))
class ShelterHouseViewSet(_Listed):
    """Union shelter houses for members of the caller's units, with their contributors."""

    serializer_class = ShelterHouseSerializer
    select = staticmethod(selectors.shelter_list)
    filter_form = forms.ShelterFilterForm
    default_sort = "-proposed"

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().prefetch_related("contributions")


@extend_schema_view(list=extend_schema(parameters=_parameters("q", "year")))
class AssessmentViewSet(_Listed):
    """The year-end class of each grassroots union the caller reaches."""

    serializer_class = AssessmentSerializer
    select = staticmethod(selectors.assessment_list)
    filter_form = forms.AssessmentFilterForm
    default_sort = "-year"


API_ROUTES = [
    ("movements/campaigns", CampaignViewSet, "movement-campaign"),
    ("movements/awards", AwardViewSet, "movement-award"),
    ("movements/support-records", SupportRecordViewSet, "movement-support"),
    ("movements/shelter-houses", ShelterHouseViewSet, "movement-shelter"),
    ("movements/classes", AssessmentViewSet, "movement-class"),
]
