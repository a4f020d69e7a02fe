from __future__ import annotations

from rest_framework import serializers

from unionhub.cards import selectors
from unionhub.cards.models import Card
from unionhub.core.api import ScopedReadOnlyViewSet
from unionhub.orgs.models import Unit


class CardSerializer(serializers.ModelSerializer):
    member = serializers.UUIDField(source="member.public_id", read_only=True)
    member_name = serializers.CharField(source="member.full_name", read_only=True)
    unit: serializers.SlugRelatedField[Unit] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    replaces: serializers.SlugRelatedField[Card] = serializers.SlugRelatedField(
        slug_field="number", read_only=True
    )

    class Meta:
        model = Card
        fields = [
            "id",
            "number",
            "member",
            "member_name",
            "unit",
            "state",
            "state_label",
            "issued",
            "revoke_reason",
            "replaces",
            "requested_at",
            "approved_at",
            "printed_at",
            "delivered_at",
            "revoked_at",
        ]


class CardViewSet(ScopedReadOnlyViewSet):
    """Cards of members in the caller's units. Filters as on the list page: `?state=` (a state
    or `valid`), `?unit=` (code, with its subtree), `?q=` (name or number prefix)."""

    serializer_class = CardSerializer

    def get_queryset(self):
        filters = selectors.filters_from_params(
            user=self.request.user, params=self.request.query_params
        )
        return selectors.card_list(user=self.request.user, filters=filters).select_related(
            "replaces"
        )


API_ROUTES = [("cards", CardViewSet, "card")]
