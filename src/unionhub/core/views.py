from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from unionhub.core import jobs, scope
from unionhub.core.registry import collect


@login_required
def home(request):
    panels = [p for make in collect("home_panels") if (p := make(request))]
    return render(
        request,
        "core/home.html",
        {
            "top_units": scope.top_units(request.user),
            "panels": sorted(panels, key=lambda p: p.order),
        },
    )


@require_GET
@never_cache
def healthz(request):
    """200 when the database answers; for load balancers and the kiosk's reconnect loop."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means "unhealthy", whatever its class
        return JsonResponse({"status": "error", "database": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def job_detail(request, pk):
    return render(request, "core/job.html", {"job": jobs.job_get(user=request.user, pk=pk)})


@login_required
def job_progress(request, pk):
    return render(
        request, "core/_job_progress.html", {"job": jobs.job_get(user=request.user, pk=pk)}
    )


@login_required
def job_download(request, pk):
    job = jobs.job_get(user=request.user, pk=pk)
    if not job.result_file:
        raise Http404
    return FileResponse(
        job.result_file.open("rb"),
        as_attachment=True,
        filename=job.result_file.name.rsplit("/", 1)[-1],
    )
