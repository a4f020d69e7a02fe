"""API plumbing shared by every app: error format and scoped base classes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from unionhub.core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors become {"code", "detail"} with the code the services raised."""
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"code": exc.code, "detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(response.data, dict) and "detail" in response.data and isinstance(codes, str):
            response.data = {"code": codes, "detail": response.data["detail"]}
    elif isinstance(exc, PermissionDenied):
        return Response(
            {"code": "out_of_scope", "detail": str(exc)}, status=status.HTTP_403_FORBIDDEN
        )
    return response


class DocsPermission(permissions.BasePermission):
    """The API's schema and docs: open while developing, behind a login when
    API_DOCS_PUBLIC is off (the default in production), since they map every route."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet[Any]):
    """Read-only viewset whose queryset always comes from a selector given the request's user.

    Subclasses implement `get_queryset` by calling their app's selector; never `Model.objects`.
    """

    lookup_value_regex = "[^/]+"
