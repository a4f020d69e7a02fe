"""The fluctuation report over the API: the same JSON as the CLI's `--format json`."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from unionhub.reports import periods, selectors, services


class FluctuationViewSet(viewsets.ViewSet):
    """Fluctuation report of a unit the caller's roles reach, for a period."""

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="unit code, e.g. HT"),
            OpenApiParameter("from", OpenApiTypes.DATE, description="first day (with `to`)"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="last day, inclusive"),
            OpenApiParameter(
                "period",
                str,
                description="without from/to: year-1, half-1 or half-2, quarter-1 … quarter-4, "
                "month-1 … month-12 (with `year`)",
            ),
            OpenApiParameter("year", int),
            OpenApiParameter("kind", str, description="older form: year, half, quarter or month"),
            OpenApiParameter("number", int, description="older form: which half, quarter, month"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request):
        unit = selectors.report_unit(user=request.user, code=request.query_params.get("unit"))
        period = periods.parse(request.query_params)
        report = services.fluctuation_report_cached(user=request.user, unit=unit, period=period)
        return Response(report.as_json())


API_ROUTES = [("reports/fluctuation", FluctuationViewSet, "report-fluctuation")]
