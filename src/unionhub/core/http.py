"""What every app's views share about requests."""

from __future__ import annotations

from django.http import HttpRequest


def site_url(request: HttpRequest) -> str:
    """The site's address as the officer reached it (the host is checked against ALLOWED_HOSTS),
    without a trailing slash: append paths that start with "/". Used for links that leave the
    site (QR codes, e-mails, printed documents)."""
    return request.build_absolute_uri("/").rstrip("/")
