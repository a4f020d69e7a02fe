from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


class LanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked another language with the switcher (its cookie).

    The browser's Accept-Language is ignored: many officers' machines run an English Windows,
    and the federation works in Vietnamese first.
    """

    def process_request(self, request: HttpRequest) -> None:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is over REQUEST_MAX_MB before anything reads it.

    Django spools an upload to disk before any form or service can look at its size, so without
    this a stranger could fill the disk with one request. Each kind of upload still has its own,
    smaller ceiling (core.uploads); this one is the largest of them with room for the form's other
    fields. A body without a length is never read by Django, so the header is all there is to
    check; a proxy in front should refuse the same size (client_max_body_size for nginx).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_MB * 1024 * 1024:
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse:
        message = _("The request is larger than %(mb)s MB, the most this server accepts.") % {
            "mb": settings.REQUEST_MAX_MB
        }
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "request_too_large", "detail": message}, status=413)
        response = render(
            request,
            "registration/message.html",
            {"title": _("The file is too large"), "text": message},
            status=413,
        )
        # The client may still be sending: do not keep the connection for its next request.
        response["Connection"] = "close"
        return response
