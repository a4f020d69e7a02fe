"""REST API: dues lines, posted journal entries and remittances of the units whose books the
caller reads (a finance role reaching them); filters by unit (id) and month."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from unionhub.core import scope
from unionhub.core.api import ScopedReadOnlyViewSet
from unionhub.core.errors import DomainError
from unionhub.finance import selectors, services
from unionhub.finance.models import DuesLine, JournalEntry, Posting, Remittance


class DuesLineSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = DuesLine
        fields = ["id", "member", "member_name", "unit", "unit_code", "month", "salary", "rate",
                  "cap", "amount", "paid_on"]  # fmt: skip


class PostingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Posting
        fields = ["account", "amount", "counterpart", "member"]


class JournalEntrySerializer(serializers.ModelSerializer):
    postings = PostingSerializer(many=True, read_only=True)

    class Meta:
        model = JournalEntry
        fields = ["id", "unit", "date", "kind", "description", "status", "reverses", "postings"]


class RemittanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Remittance
        fields = ["id", "from_unit", "to_unit", "month", "amount", "date"]


class MarkPaidSerializer(serializers.Serializer):
    """Either `members` (the selection) or `everyone: true`, which marks every unpaid line of
    the roll, narrowed by `q` (name or document number) and `status` as on the roll's page."""

    unit = serializers.IntegerField()
    month = serializers.DateField()
    members = serializers.ListField(
        child=serializers.IntegerField(), allow_empty=False, required=False
    )
    everyone = serializers.BooleanField(default=False)
    q = serializers.CharField(required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(
        choices=["", selectors.PAID, selectors.UNPAID, selectors.NO_SALARY],
        required=False,
        default="",
    )
    paid_on = serializers.DateField()

    def validate(self, attrs):
        if attrs["everyone"] == ("members" in attrs):
            raise serializers.ValidationError(_("Give either the members or everyone."))
        return attrs


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


UNIT = OpenApiParameter("unit", OpenApiTypes.INT, description="A unit's id: its subtree only.")
MONTH = OpenApiParameter(
    "month", OpenApiTypes.DATE, description="The month's first day, e.g. 2025-07-01."
)


def _month(request) -> dt.date | None:
    value = request.query_params.get("month")
    return serializers.DateField().run_validation(value) if value else None


def _unit_filter(request, qs, via: str = "unit"):
    pk = request.query_params.get("unit")
    if not pk:
        return qs
    if not pk.isdigit():
        raise DomainError("unit_invalid", _("Give the unit by its id."))
    unit = selectors.books_unit(user=request.user, pk=int(pk))
    return qs.filter(scope.subtree_q(unit.path, via=via))


@extend_schema_view(list=extend_schema(parameters=[UNIT, MONTH]))
class DuesLineViewSet(ScopedReadOnlyViewSet):
    """The dues roll: what each member owes for a month, and when it was paid."""

    serializer_class = DuesLineSerializer

    def get_queryset(self):
        qs = selectors.dues_lines(user=self.request.user).select_related("member", "unit")
        if month := _month(self.request):
            qs = qs.filter(month=month)
        return _unit_filter(self.request, qs).order_by("month", "unit_id", "member_id")

    @extend_schema(request=MarkPaidSerializer, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="mark-paid")
    def mark_paid(self, request):
        """Mark dues of the month paid: the listed members', or every unpaid line of the
        roll (as filtered), in one update."""
        data = MarkPaidSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        unit = selectors.books_unit(user=request.user, pk=given["unit"])
        if given["everyone"]:
            selection = {"filters": selectors.RollFilters(status=given["status"], query=given["q"])}
        else:
            selection = {"member_ids": given["members"]}
        marked = services.dues_mark_paid(
            unit=unit, month=given["month"], paid_on=given["paid_on"], by=request.user, **selection
        )
        return Response({"marked": marked})


@extend_schema_view(list=extend_schema(parameters=[UNIT]))
class JournalEntryViewSet(ScopedReadOnlyViewSet):
    """Posted journal entries with their postings (debits positive, credits negative)."""

    serializer_class = JournalEntrySerializer

    def get_queryset(self):
        return _unit_filter(self.request, selectors.entries(user=self.request.user))


@extend_schema_view(list=extend_schema(parameters=[MONTH]))
class RemittanceViewSet(ScopedReadOnlyViewSet):
    """Remittances sent or received by the units whose books the caller reads."""

    serializer_class = RemittanceSerializer

    def get_queryset(self):
        qs = selectors.remittances(user=self.request.user)
        if month := _month(self.request):
            qs = qs.filter(month=month)
        return qs


API_ROUTES = [
    ("finance/dues", DuesLineViewSet, "finance-dues"),
    ("finance/entries", JournalEntryViewSet, "finance-entry"),
    ("finance/remittances", RemittanceViewSet, "finance-remittance"),
]
