from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhub.core.api import ScopedReadOnlyViewSet
from unionhub.orgs import selectors
from unionhub.orgs.models import Unit


class UnitSerializer(serializers.ModelSerializer):
    # DRF's metaclass moves declared fields off the class; the stubs still see Field.parent.
    parent: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True
    )
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    depth = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "level",
            "level_label",
            "sector",
            "address",
            "founded",
            "dissolved",
            "parent",
            "depth",
        ]

    @extend_schema_field(serializers.IntegerField())
    def get_depth(self, unit: Unit) -> int:
        return unit.depth


class UnitViewSet(ScopedReadOnlyViewSet):
    """Units the caller's roles reach. `?q=` searches name or code ignoring diacritics."""

    serializer_class = UnitSerializer

    def get_queryset(self):
        if query := self.request.query_params.get("q"):
            return selectors.unit_search(user=self.request.user, query=query, limit=200)
        return selectors.units_in_scope(user=self.request.user).select_related("parent")


API_ROUTES = [("units", UnitViewSet, "unit")]
