import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from unionhub.core import jobs, ratelimit, scope
from unionhub.core.clientip import client_address
from unionhub.core.registry import collect
from unionhub.core.types import AuthenticatedRequest

logger = logging.getLogger(__name__)


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    panels = [p for make in collect("home_panels") if (p := make(request))]
    todo = [t for make in collect("todo_items") if (t := make(request)) and t.count]
    return render(
        request,
        "core/home.html",
        {
            "top_units": scope.top_units(request.user),
            "panels": sorted(panels, key=lambda p: p.order),
            "todo": sorted(todo, key=lambda t: t.order),
        },
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers; for load balancers and the kiosk's reconnect loop.

    Public, so it says ok or not and nothing else: a database error's text names hosts, users
    and paths. The error goes to the log instead."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "unhealthy", whatever its class
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error"}, status=503)
    return JsonResponse({"status": "ok"})


@login_required
def job_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render(request, "core/job.html", {"job": jobs.job_get(user=request.user, pk=pk)})


@login_required
def job_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render(
        request, "core/_job_progress.html", {"job": jobs.job_get(user=request.user, pk=pk)}
    )


@login_required
def job_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    job = jobs.job_get(user=request.user, pk=pk)
    if not job.result_file or not job.result_file.name:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/", 1)[-1],
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, with the mails it sends limited per client and per address, so the
    form can neither flood a mailbox nor be used to send mail in bulk."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        limit = settings.PASSWORD_RESET_RATE
        email = form.cleaned_data["email"].strip().lower()
        # Both counted on every try, so a client cannot spread its tries over many addresses.
        by_client = ratelimit.allow(
            f"reset:client:{client_address(self.request)}", limit=limit, window=3600
        )
        by_address = ratelimit.allow(f"reset:email:{email}", limit=limit, window=3600)
        if by_client and by_address:
            return super().form_valid(form)
        form.add_error(None, _("Too many password reset requests. Try again in an hour."))
        response = self.form_invalid(form)
        response.status_code = 429
        return response
