"""REST API: elections with their rounds, and votes on resolutions, for the congress organisers
of the congress's unit (the scoping layer). A round's counts and the elected appear only once
the presidium released them, as on every page."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from unionhub.core.api import ScopedReadOnlyViewSet
from unionhub.elections import selectors
from unionhub.elections.models import Candidate, Election, Motion, MotionState, Round, RoundState


class ResultLineSerializer(serializers.Serializer):
    name = serializers.CharField()
    votes = serializers.IntegerField()
    share = serializers.FloatField(help_text="Percent of the valid ballots.")
    elected = serializers.BooleanField()
    tied = serializers.BooleanField(help_text="Tied across the last seat: a further round.")


class ResultSerializer(serializers.Serializer):
    issued = serializers.IntegerField(help_text="Ballots issued (eligible voters).")
    cast = serializers.IntegerField()
    valid = serializers.IntegerField()
    invalid = serializers.IntegerField()
    lines = ResultLineSerializer(many=True)


class RoundSerializer(serializers.ModelSerializer):
    turnout = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id",
            "number",
            "method",
            "seats",
            "state",
            "eligible",
            "turnout",
            "opened",
            "closed",
            "released",
            "result",
        ]

    def get_turnout(self, round: Round) -> int:
        return selectors.turnout(round=round)

    @extend_schema_field(ResultSerializer(allow_null=True))
    def get_result(self, round: Round) -> dict[str, Any] | None:
        if round.state != RoundState.RELEASED:
            return None
        report = selectors.round_report(round=round)
        result = report.result
        return ResultSerializer(
            {
                "issued": report.issued,
                "cast": result.valid + result.invalid,
                "valid": result.valid,
                "invalid": result.invalid,
                "lines": report.lines,
            }
        ).data


class ElectionSerializer(serializers.ModelSerializer):
    congress = serializers.CharField(source="congress.name", read_only=True)
    unit = serializers.CharField(source="congress.unit.code", read_only=True)
    candidates: serializers.SlugRelatedField[Candidate] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="full_name"
    )
    rounds = RoundSerializer(many=True, read_only=True)

    class Meta:
        model = Election
        fields = [
            "id",
            "congress",
            "unit",
            "body",
            "title",
            "seats",
            "threshold_numerator",
            "threshold_denominator",
            "too_few",
            "candidates",
            "rounds",
        ]


class MotionSerializer(serializers.ModelSerializer):
    congress = serializers.CharField(source="congress.name", read_only=True)
    votes = serializers.SerializerMethodField()
    passed = serializers.SerializerMethodField()

    class Meta:
        model = Motion
        fields = ["id", "congress", "title", "state", "votes", "passed"]

    def get_passed(self, motion: Motion) -> bool | None:
        return motion.passed if motion.state == MotionState.RELEASED else None

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField(), allow_null=True))
    def get_votes(self, motion: Motion) -> dict[str, int] | None:
        if motion.state != MotionState.RELEASED:
            return None
        return {
            "for": motion.votes_for,
            "against": motion.votes_against,
            "abstain": motion.votes_abstain,
            "present": motion.present,
        }


class ElectionViewSet(ScopedReadOnlyViewSet):
    """Elections of the congresses the caller organises, with rounds and released results."""

    serializer_class = ElectionSerializer

    def get_queryset(self) -> Any:
        return (
            selectors.election_list(user=self.request.user)
            .prefetch_related("candidates", "rounds")
            .order_by("created", "id")
        )


class MotionViewSet(ScopedReadOnlyViewSet):
    """Votes on resolutions (show of hands); the figures once released."""

    serializer_class = MotionSerializer

    def get_queryset(self) -> Any:
        return selectors.motion_list(user=self.request.user).order_by("id")


API_ROUTES = [
    ("elections/motions", MotionViewSet, "elections-motion"),
    ("elections", ElectionViewSet, "elections-election"),
]
