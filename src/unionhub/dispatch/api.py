"""REST API: a unit's inbox and outbox, and documents (with their files), all scoped.

Inbox and outbox read the registers of the caller's own units, or of `?unit=` (id or code) when
the caller's roles reach it, as the web pages do.
"""

from __future__ import annotations

from django.http import FileResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from unionhub.core import scope
from unionhub.core.api import ScopedReadOnlyViewSet
from unionhub.core.errors import OutOfScope
from unionhub.core.types import User
from unionhub.dispatch import selectors, services
from unionhub.dispatch.models import Attachment, Document, HandlingStatus, Recipient
from unionhub.dispatch.selectors import DocumentFilters


class UnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "pages", "sha256"]


class DocumentSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    type_label = serializers.CharField(source="get_doc_type_display", read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "status",
            "symbol",
            "number",
            "year",
            "date",
            "doc_type",
            "type_label",
            "summary",
            "signer",
            "signer_title",
            "urgency",
            "unit",
            "supersedes",
            "reply_to",
            "issued_at",
            "attachments",
        ]


class InboxEntrySerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    document = DocumentSerializer(read_only=True)
    read_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    assignee: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    # "handling", not "status": the document has a status of its own (draft, issued).
    handling = serializers.ChoiceField(
        source="status", choices=HandlingStatus.choices, read_only=True
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Recipient
        fields = [
            "id",
            "unit",
            "incoming_number",
            "incoming_year",
            "delivered_at",
            "read_at",
            "read_by",
            "handling",
            "assignee",
            "deadline",
            "done_at",
            "overdue",
            "document",
        ]

    def get_overdue(self, entry: Recipient) -> bool:
        return bool(
            entry.deadline and entry.deadline < timezone.localdate() and entry.status != "done"
        )


class TrackingSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    read_by: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    handling = serializers.ChoiceField(
        source="status", choices=HandlingStatus.choices, read_only=True
    )

    class Meta:
        model = Recipient
        fields = [
            "id",
            "unit",
            "incoming_number",
            "delivered_at",
            "read_at",
            "read_by",
            "handling",
            "done_at",
            "reminders",
        ]


FILTER_PARAMETERS = [
    OpenApiParameter("unit", OpenApiTypes.STR, description="Id or code of a unit in scope"),
    OpenApiParameter("number", OpenApiTypes.STR, description="Number or number/symbol"),
    OpenApiParameter("summary", OpenApiTypes.STR, description="Words of the summary, any accents"),
    OpenApiParameter("doc_type", OpenApiTypes.STR, description="Type code, e.g. CV, QĐ"),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("sender", OpenApiTypes.STR, description="Sender's name or code"),
]


def _filters(request) -> DocumentFilters:
    params = request.query_params
    field = serializers.DateField(required=False, allow_null=True)
    return DocumentFilters(
        number=params.get("number", ""),
        summary=params.get("summary", ""),
        doc_type=params.get("doc_type", ""),
        date_from=field.run_validation(params["date_from"]) if params.get("date_from") else None,
        date_to=field.run_validation(params["date_to"]) if params.get("date_to") else None,
        sender=params.get("sender", ""),
    )


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class InboxViewSet(ScopedReadOnlyViewSet):
    """Incoming registers: each entry is one document received by one unit."""

    serializer_class = InboxEntrySerializer

    def get_queryset(self):
        units = selectors.api_units(
            user=self.request.user, unit_param=self.request.query_params.get("unit")
        )
        return selectors.api_inbox(
            user=self.request.user, units=units, filters=_filters(self.request)
        )

    @extend_schema(request=None, responses=InboxEntrySerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Record that the caller opened the document (a read receipt for their unit)."""
        entry = self.get_object()
        services.recipient_open(recipient=entry, by=request.user)
        entry.refresh_from_db()
        return Response(self.get_serializer(entry).data)

    @extend_schema(request=None, responses=InboxEntrySerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the document handled (the unit's clerk, or the officer it was assigned to)."""
        entry = services.recipient_done(recipient=self.get_object(), by=request.user)
        return Response(self.get_serializer(entry).data)


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class OutboxViewSet(ScopedReadOnlyViewSet):
    """Documents issued (or drafted) by a unit."""

    serializer_class = DocumentSerializer

    def get_queryset(self):
        units = selectors.api_units(
            user=self.request.user, unit_param=self.request.query_params.get("unit")
        )
        return selectors.api_outbox(
            user=self.request.user, units=units, filters=_filters(self.request)
        ).prefetch_related("attachments")


class DocumentViewSet(ScopedReadOnlyViewSet):
    """Documents sent or received by a unit the caller's roles reach."""

    serializer_class = DocumentSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.api_documents(user=self.request.user).prefetch_related("attachments")

    @extend_schema(responses=TrackingSerializer(many=True))
    @action(detail=True)
    def recipients(self, request, pk=None):
        """Per recipient: delivered, read (when, by whom), handled. For the sender only."""
        document = self.get_object()
        if not scope.can(request.user, None, document.unit):
            raise OutOfScope()
        page = self.paginate_queryset(selectors.tracking(user=request.user, document=document))
        return self.get_paginated_response(TrackingSerializer(page, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request, pk=None, attachment_id=None):
        """The PDF itself, for the sender and the recipients only."""
        document = self.get_object()
        found = document.attachments.filter(pk=attachment_id).first()
        if found is None:
            raise OutOfScope()
        return FileResponse(
            found.file.open("rb"),
            as_attachment=True,
            filename=found.name,
            content_type="application/pdf",
        )


API_ROUTES = [
    ("documents/inbox", InboxViewSet, "dispatch-inbox"),
    ("documents/outbox", OutboxViewSet, "dispatch-outbox"),
    ("documents", DocumentViewSet, "dispatch-document"),
]
