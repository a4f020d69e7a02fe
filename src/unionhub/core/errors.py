"""Domain errors: a stable code (also the API's error code) and a translated message."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain was broken; nothing was written.

    `code` is a stable machine string (the API returns it); `message` is translated for the
    user. `field`, `row` and `column` point at the offending input where there is one.
    """

    status = 400

    def __init__(
        self,
        code: str,
        message: str | StrPromise,
        *,
        field: str | None = None,
        row: int | None = None,
        column: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.row = row
        self.column = column
        self.params = params or {}

    def __str__(self) -> str:
        return str(self.message)


class OutOfScope(DomainError, PermissionDenied):
    """The user holds no role reaching this unit; views answer 403, the API `out_of_scope`."""

    status = 403

    def __init__(self, message: str | StrPromise | None = None) -> None:
        super().__init__("out_of_scope", message or _("This is outside the units you work for."))


class Conflict(DomainError):
    """Somebody else changed the record since it was read (optimistic locking)."""

    status = 409
