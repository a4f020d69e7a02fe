"""The fluctuation report over the API: the same JSON as the CLI's `--format json`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from unionhub.reports import periods, selectors


class FluctuationViewSet(viewsets.ViewSet):
    """Fluctuation report of a unit the caller's roles reach, for a period."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="unit code, e.g. HT"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="first day (with `to`)"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="last day, inclusive"),
            OpenApiParameter("kind", str, description="year, half or quarter (without from/to)"),
            OpenApiParameter("year", int),
            OpenApiParameter("number", int, description="quarter 1–4 or half 1–2"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request):
        unit = selectors.report_unit(user=request.user, code=request.query_params.get("unit"))
        period = periods.parse(request.query_params)
        report = selectors.fluctuation_report(user=request.user, unit=unit, period=period)
        return Response(report.as_json())


API_ROUTES = [("reports/fluctuation", FluctuationViewSet, "report-fluctuation")]
