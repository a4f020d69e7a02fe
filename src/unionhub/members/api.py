"""/api/v1/members/ and /api/v1/member-transfers/: scoped reads through the selectors, writes
through the services; refusals come back as {"code", "detail"} with the services' codes."""

from __future__ import annotations

from typing import Any, cast

from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from unionhub.core.api import ScopedReadOnlyViewSet
from unionhub.core.errors import DomainError
from unionhub.core.forms import MAX_COUNT
from unionhub.members import selectors, services
from unionhub.members.forms import FilterForm
from unionhub.members.models import (
    Entry,
    EventKind,
    Gender,
    IdKind,
    LeaveReason,
    Member,
    MembershipEvent,
    Transfer,
)
from unionhub.orgs.models import Unit
from unionhub.orgs.selectors import unit_get


class MemberSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    has_photo = serializers.SerializerMethodField()
    years_of_membership = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = [
            "id",
            "public_id",
            "unit",
            "full_name",
            "family_name",
            "middle_name",
            "given_name",
            "gender",
            "birth_date",
            "id_kind",
            "id_number",
            "nationality",
            "home_town",
            "address",
            "phone",
            "email",
            "education",
            "qualification",
            "political_theory",
            "occupation",
            "employer",
            "workplace",
            "joined",
            "years_of_membership",
            "admission_decision",
            "state",
            "state_since",
            "completeness",
            "version",
            "has_photo",
        ]
        read_only_fields = fields

    # Identity document, contacts and date of birth go only to those who may export personal
    # data of the member's unit (registrars, unit admins): the rule of can_export_personal.
    PERSONAL_FIELDS = ("id_number", "phone", "email", "address", "birth_date")

    def to_representation(self, member: Member) -> dict:
        data = super().to_representation(member)
        if not self._may_see_personal(member.unit_id):
            for name in self.PERSONAL_FIELDS:
                data.pop(name, None)
        return data

    def _may_see_personal(self, unit_id: int) -> bool:
        # Decided once per unit of a page. The unit is read afresh: the search's hand-built
        # Unit instances are not to be trusted for scope checks.
        user = getattr(self.context.get("request"), "user", None)
        if user is None:
            return False
        # DRF's context is a dict shared by every item of a page; its stubs say Mapping.
        cache = cast(dict[str, Any], self.context).setdefault("_personal_by_unit", {})
        if unit_id not in cache:
            unit = Unit.objects.only("path").get(pk=unit_id)
            cache[unit_id] = selectors.can_export_personal(user, unit)
        return cache[unit_id]

    @extend_schema_field(serializers.IntegerField())
    def get_years_of_membership(self, member: Member) -> int:
        return member.years_of_membership()

    @extend_schema_field(serializers.BooleanField())
    def get_has_photo(self, member: Member) -> bool:
        return bool(member.photo)


class MemberSensitiveSerializer(MemberSerializer):
    """With ethnicity and religion: only on request (?include=sensitive), and logged."""

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, "ethnicity", "religion"]
        read_only_fields = fields


class ProfileInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    gender = serializers.ChoiceField(choices=Gender.choices)
    birth_date = serializers.DateField(required=False, allow_null=True)
    id_kind = serializers.ChoiceField(choices=IdKind.choices, required=False)
    id_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    ethnicity = serializers.CharField(max_length=50, required=False, allow_blank=True)
    religion = serializers.CharField(max_length=50, required=False, allow_blank=True)
    nationality = serializers.CharField(max_length=50, required=False, allow_blank=True)
    home_town = serializers.CharField(max_length=255, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    education = serializers.CharField(max_length=50, required=False, allow_blank=True)
    qualification = serializers.CharField(max_length=100, required=False, allow_blank=True)
    political_theory = serializers.CharField(max_length=50, required=False, allow_blank=True)
    occupation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    employer = serializers.CharField(max_length=255, required=False, allow_blank=True)
    workplace = serializers.CharField(max_length=255, required=False, allow_blank=True)


class MemberCreateSerializer(ProfileInputSerializer):
    unit = serializers.CharField(help_text="Code of the unit admitting the member.")
    entry = serializers.ChoiceField(
        choices=Entry.choices,
        default=Entry.ADMIT,
        help_text="admit: a new member joining the union on `joined`; record: an existing "
        "member, who joined the union on `joined`, put on the unit's books from `books_open`.",
    )
    joined = serializers.DateField(help_text="The union join date (ngày vào Công đoàn).")
    books_open = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="record only: the day the unit's books hold the member from (default today).",
    )
    decision = serializers.CharField(max_length=100, required=False, allow_blank=True)


class MemberUpdateSerializer(ProfileInputSerializer):
    version = serializers.IntegerField(
        min_value=0, max_value=MAX_COUNT, help_text="The version read; a stale one gives 409."
    )
    joined = serializers.DateField(help_text="The union join date, corrected.")
    admission_decision = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class EventSerializer(serializers.ModelSerializer):
    unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    other_unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = MembershipEvent
        fields = [
            "id",
            "kind",
            "date",
            "unit",
            "other_unit",
            "reason",
            "reorganisation",
            "decision",
        ]
        read_only_fields = fields


EVENT_SERVICES = {
    EventKind.SUSPENDED: services.member_suspend,
    EventKind.RESUMED: services.member_resume,
    EventKind.LEFT: services.member_leave,
    EventKind.RETIRED: services.member_retire,
    EventKind.DECEASED: services.member_decease,
    EventKind.REINSTATED: services.member_reinstate,
}


class EventInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k, EventKind(k).label) for k in EVENT_SERVICES])
    date = serializers.DateField()
    decision = serializers.CharField(max_length=100, required=False, allow_blank=True)
    reason = serializers.ChoiceField(choices=LeaveReason.choices, required=False)


class TransferSerializer(serializers.ModelSerializer):
    member: serializers.PrimaryKeyRelatedField[Member] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    from_unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    to_unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Transfer
        fields = [
            "id",
            "member",
            "member_name",
            "from_unit",
            "to_unit",
            "effective",
            "requested_by_receiver",
            "status",
            "note",
            "requested_at",
            "decided_at",
        ]
        read_only_fields = fields


class TransferInputSerializer(serializers.Serializer):
    to_unit = serializers.CharField(help_text="Code of the receiving unit.")
    effective = serializers.DateField()
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class TransferDecisionSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


_LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="Search: name, document number or phone."),
    OpenApiParameter("unit", str, description="Code of a unit: its subtree only."),
    OpenApiParameter("status", str, description="current (default), all, or a status."),
    OpenApiParameter("gender", str),
    OpenApiParameter("age_band", str),
    OpenApiParameter("join_year", int),
    OpenApiParameter("has_photo", str, description="yes or no"),
    OpenApiParameter("complete", str, description="yes or no"),
    OpenApiParameter("missing", str, description="A profile field that is empty."),
    OpenApiParameter("sort", str),
]


class MemberViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """Members the caller's roles reach, filtered like the member screen; `?q=` searches."""

    serializer_class = MemberSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_value_regex = r"\d+"  # ids only: other text is no member (404), not a crash

    def _unit(self):
        code = self.request.query_params.get("unit")
        return unit_get(user=self.request.user, code=code.strip().upper()) if code else None

    def get_queryset(self):
        params = QueryDict(mutable=True)
        params.update(self.request.query_params)
        params.pop("q", None)
        filters = FilterForm(params).filters()
        if self.action == "list" and (query := self.request.query_params.get("q")):
            filters.query = query
        return selectors.member_list(user=self.request.user, unit=self._unit(), filters=filters)

    def get_object(self):
        return selectors.member_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(parameters=_LIST_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("limit", int, description="At most 100; 20 by default."),
        ],
        responses=MemberSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def search(self, request):
        """The search box: best matches first (whole words, current members), not paged."""
        try:
            limit = max(1, min(100, int(request.query_params.get("limit", 20))))
        except ValueError:
            limit = 20
        found = selectors.member_search(
            user=request.user,
            query=request.query_params.get("q", ""),
            limit=limit,
            unit=self._unit(),
        )
        return Response(MemberSerializer(found, many=True, context={"request": request}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "include", str, description="'sensitive' adds ethnicity and religion (logged)."
            )
        ],
        responses=MemberSensitiveSerializer,
    )
    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        if request.query_params.get("include") == "sensitive":
            services.member_sensitive_view(by=request.user, member=member)
            return Response(MemberSensitiveSerializer(member, context={"request": request}).data)
        return Response(MemberSerializer(member, context={"request": request}).data)

    @extend_schema(request=MemberCreateSerializer, responses={201: MemberSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(MemberCreateSerializer, request.data)
        unit = unit_get(user=request.user, code=data.pop("unit").strip().upper())
        services.document_lookup(
            by=request.user,
            id_kind=data.get("id_kind", ""),
            id_number=data.get("id_number", ""),
            via="api",
        )
        member = services.member_enter(
            entry=data.pop("entry"),
            unit=unit,
            by=request.user,
            joined=data.pop("joined"),
            books_open=data.pop("books_open", None),
            decision=data.pop("decision", ""),
            **data,
        )
        return Response(
            MemberSerializer(member, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=MemberUpdateSerializer, responses=MemberSerializer)
    def partial_update(self, request, *args, **kwargs):
        member = self.get_object()
        data = _valid(MemberUpdateSerializer, request.data)
        member = services.member_update(
            member=member, by=request.user, version=data.pop("version"), **data
        )
        return Response(MemberSerializer(member, context={"request": request}).data)

    @extend_schema(exclude=True)
    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(request=EventInputSerializer, responses={200: EventSerializer(many=True)})
    @action(detail=True, methods=["get", "post"])
    def events(self, request, pk=None):
        """GET: the member's membership events. POST: record one (suspend, leave, …)."""
        member = self.get_object()
        if request.method == "POST":
            data = _valid(EventInputSerializer, request.data)
            kind = data.pop("kind")
            if kind != EventKind.LEFT:
                data.pop("reason", None)
            elif "reason" not in data:
                raise DomainError(
                    "reason_required", _("Choose why the member leaves."), field="reason"
                )
            EVENT_SERVICES[kind](member=member, by=request.user, **data)
        events = selectors.member_events(user=request.user, member=member)
        return Response(EventSerializer(events, many=True).data)

    @extend_schema(request=TransferInputSerializer, responses={201: TransferSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Ask another unit to take this member (the sending side)."""
        member = self.get_object()
        data = _valid(TransferInputSerializer, request.data)
        target = selectors.transfer_target(code=data["to_unit"])
        if target is None:
            raise DomainError(
                "unknown_unit",
                _("No active unit that holds members has this code."),
                field="to_unit",
            )
        transfer = services.transfer_request(
            member=member,
            to_unit=target,
            effective=data["effective"],
            note=data.get("note", ""),
            by=request.user,
        )
        return Response(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class TransferViewSet(ScopedReadOnlyViewSet):
    """Pending transfers waiting for the caller's answer (incoming) or the other side's."""

    serializer_class = TransferSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if self.request.query_params.get("box") == "outgoing":
            return selectors.transfers_outgoing(user=self.request.user)
        return selectors.transfers_incoming(user=self.request.user)

    def get_object(self):
        return selectors.transfer_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(parameters=[OpenApiParameter("box", str, enum=["incoming", "outgoing"])])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TransferDecisionSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        data = _valid(TransferDecisionSerializer, request.data)
        transfer = services.transfer_accept(
            transfer=self.get_object(), by=request.user, decision=data.get("decision", "")
        )
        return Response(TransferSerializer(transfer).data)

    @extend_schema(request=TransferDecisionSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = _valid(TransferDecisionSerializer, request.data)
        transfer = services.transfer_reject(
            transfer=self.get_object(), by=request.user, note=data.get("note", "")
        )
        return Response(TransferSerializer(transfer).data)


API_ROUTES = [
    ("members", MemberViewSet, "member"),
    ("member-transfers", TransferViewSet, "member-transfer"),
]
