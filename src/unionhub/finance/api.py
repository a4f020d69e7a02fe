"""REST API: dues lines, posted journal entries, remittances and employers' union fees of the
units whose books the caller reads (a finance role reaching them); filters by unit (id) and
month. Writes go through the services, which check that the caller keeps the books written."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from unionhub.core import scope
from unionhub.core.api import ScopedReadOnlyViewSet
from unionhub.core.errors import DomainError
from unionhub.core.forms import LARGEST_KEY, MAX_VND
from unionhub.finance import selectors, services
from unionhub.finance.models import (
    DuesLine,
    EmployerFee,
    EmployerFeePayment,
    FeeStatus,
    JournalEntry,
    Posting,
    Remittance,
)


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

    unit = serializers.IntegerField(min_value=1, max_value=LARGEST_KEY)
    month = serializers.DateField()
    members = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=LARGEST_KEY),
        allow_empty=False,
        required=False,
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


class FeePaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmployerFeePayment
        fields = ["id", "amount", "paid_on", "collector", "share", "entry", "grassroots_entry"]


class EmployerFeeSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    outstanding = serializers.IntegerField(read_only=True)
    awaiting_posting = serializers.BooleanField(read_only=True)

    class Meta:
        model = EmployerFee
        fields = ["id", "unit", "unit_code", "month", "payroll", "rate", "due", "status", "paid",
                  "paid_on", "back_paid", "outstanding", "note", "collector", "share", "posted",
                  "awaiting_posting"]  # fmt: skip


class EmployerFeeDetailSerializer(EmployerFeeSerializer):
    payments = FeePaymentSerializer(many=True, read_only=True)

    class Meta(EmployerFeeSerializer.Meta):
        fields = [*EmployerFeeSerializer.Meta.fields, "payments"]


FEE_SORTS = {
    "unit": ("unit__sort_key", "month", "id"),
    "month": ("month", "unit__sort_key", "id"),
    "-month": ("-month", "unit__sort_key", "id"),
    "due": ("due", "unit__sort_key", "month", "id"),
    "-due": ("-due", "unit__sort_key", "month", "id"),
}


class FeeQuerySerializer(serializers.Serializer):
    """The list's filters and order, read from the query string."""

    year = serializers.IntegerField(
        required=False, min_value=1, max_value=9999, help_text="The fees of this year's months."
    )
    month = serializers.DateField(
        required=False, help_text="The month's first day, e.g. 2025-07-01."
    )
    status = serializers.ChoiceField(choices=FeeStatus.choices, required=False)
    sort = serializers.ChoiceField(
        choices=list(FEE_SORTS),
        required=False,
        default="unit",
        help_text="By unit then month (the default), by month, or by the amount due; "
        "'-' for the reverse.",
    )


# How a month's fee applies when recorded (paid comes from the payments); named in the schema
# by ENUM_NAME_OVERRIDES, apart from the statuses a fee can have.
FEE_RECORD_STATUSES = [
    (choice.value, choice.label)
    for choice in (FeeStatus.DUE, FeeStatus.REDUCED, FeeStatus.WAIVED, FeeStatus.SUSPENDED)
]


class FeeRecordSerializer(serializers.Serializer):
    unit = serializers.IntegerField(
        min_value=1, max_value=LARGEST_KEY, help_text="The grassroots union's id: its own books."
    )
    month = serializers.DateField(help_text="The month's first day, e.g. 2025-07-01.")
    payroll = serializers.IntegerField(
        max_value=MAX_VND, help_text="The social-insurance payroll (VND)."
    )
    status = serializers.ChoiceField(choices=FEE_RECORD_STATUSES, default=FeeStatus.DUE.value)
    rate = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        required=False,
        allow_null=True,
        help_text="Only for a reduced rate: a share, 0.01 is 1 %.",
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class FeePaySerializer(serializers.Serializer):
    amount = serializers.IntegerField(
        max_value=MAX_VND, help_text="VND, at most what is still due."
    )
    paid_on = serializers.DateField()


class FeePostSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="The date of the entries.")


@extend_schema_view(list=extend_schema(parameters=[UNIT, FeeQuerySerializer]))
class EmployerFeeViewSet(ScopedReadOnlyViewSet):
    """Employers' union fees (KPCĐ) month by month, with their payments: recorded and paid in
    the grassroots union's own books, posted by the level that collects the fee (the dated
    rule of the fee's month names it)."""

    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        if self.action == "list":
            return EmployerFeeSerializer
        return EmployerFeeDetailSerializer

    def get_queryset(self):
        qs = selectors.employer_fee_records(user=self.request.user)
        if self.action != "list":
            return qs
        query = FeeQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        if "year" in given:
            qs = qs.filter(month__year=given["year"])
        if "month" in given:
            qs = qs.filter(month=given["month"])
        if "status" in given:
            qs = qs.filter(status=given["status"])
        return _unit_filter(self.request, qs).order_by(*FEE_SORTS[given["sort"]])

    def _detail(self, fee: EmployerFee, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=fee.pk)
        return Response(EmployerFeeDetailSerializer(fresh).data, status=code)

    @extend_schema(request=FeeRecordSerializer, responses={201: EmployerFeeDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Record a month's fee at a union whose books the caller keeps (or correct it while
        nothing is paid): the rule's rate of the payroll, a reduced rate, waived or suspended."""
        data = FeeRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = dict(data.validated_data)
        unit = selectors.books_unit(user=request.user, pk=given.pop("unit"))
        fee = services.fee_record(unit=unit, by=request.user, **given)
        return self._detail(fee, status.HTTP_201_CREATED)

    @extend_schema(request=FeePaySerializer, responses=EmployerFeeDetailSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Record a payment of the fee, in the union's own books."""
        fee = self.get_object()
        data = FeePaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._detail(services.fee_pay(fee=fee, by=request.user, **data.validated_data))

    @extend_schema(request=FeePostSerializer, responses=EmployerFeeDetailSerializer)
    # Not a method named `post`: a viewset would answer every POST to the fee with it.
    @action(detail=True, methods=["post"], url_path="post", url_name="post")
    def post_payments(self, request, pk=None):
        """Post the payments not yet in the books: for the level that collects the fee, which
        passes the grassroots share down in the same step."""
        fee = self.get_object()
        data = FeePostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.fee_post(fee=fee, on=data.validated_data["on"], by=request.user)
        return self._detail(fee)


API_ROUTES = [
    ("finance/dues", DuesLineViewSet, "finance-dues"),
    ("finance/entries", JournalEntryViewSet, "finance-entry"),
    ("finance/remittances", RemittanceViewSet, "finance-remittance"),
    ("finance/fees", EmployerFeeViewSet, "finance-fee"),
]
