import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.core import jobs, scope
from unionhub.core.errors import DomainError
from unionhub.core.registry import UnitPanel
from unionhub.core.xlsx import XLSX_TYPE
from unionhub.imports import selectors, services, template
from unionhub.imports.columns import BY_KEY
from unionhub.imports.forms import ExportForm, MappingForm, PhotosForm, UploadForm
from unionhub.imports.models import BatchStatus
from unionhub.orgs.selectors import unit_get


def _initial_unit(request) -> dict:
    """The unit a link from a unit page preselects (?unit=<pk>), if the user reaches it."""
    pk = request.GET.get("unit", "")
    if pk.isdigit():
        return {"unit": unit_get(user=request.user, pk=int(pk)).code}
    return {}


def _unit(request, form):
    return unit_get(user=request.user, code=form.cleaned_data["unit"].strip().upper())


def _refuse(form, error: DomainError) -> None:
    form.add_error(None, str(error.message))


@login_required
def index(request):
    form = UploadForm(request.POST or None, request.FILES or None, initial=_initial_unit(request))
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.import_upload(
                unit=_unit(request, form),
                by=request.user,
                upload=form.cleaned_data["file"],
                language=request.LANGUAGE_CODE,
                mode=form.cleaned_data["mode"],
                books_open=form.cleaned_data["books_open"],
            )
        except DomainError as error:
            if error.status == 403:
                raise
            _refuse(form, error)
        else:
            if batch.status == BatchStatus.NEEDS_MAPPING:
                return redirect("imports:map", pk=batch.pk)
            return redirect("imports:batch", pk=batch.pk)
    return render(
        request,
        "imports/index.html",
        {"form": form, "batches": selectors.batch_list(user=request.user)},
    )


def _job(request, batch):
    if batch.job_id is None:
        return None
    try:
        return jobs.job_get(user=request.user, pk=batch.job_id)
    except DomainError:
        return None  # another registrar's job: the batch's own status still shows


@login_required
def batch_detail(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    summary = batch.summary or {}
    columns = [
        (batch.headers[int(index)], BY_KEY[key].label)
        for index, key in sorted(batch.mapping.items(), key=lambda item: int(item[0]))
        if int(index) < len(batch.headers) and key in BY_KEY
    ]
    context = {
        "batch": batch,
        "job": _job(request, batch),
        "counts": summary.get("counts", {}),
        "problems": summary.get("problems", []),
        "problem_total": summary.get("problem_total", 0),
        "ignored": summary.get("ignored", []),
        "columns": columns,
        "members": selectors.recent_members(user=request.user, unit=batch.unit)
        if batch.status == BatchStatus.DONE
        else [],
    }
    return render(request, "imports/batch.html", context)


@login_required
def batch_map(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    form = MappingForm(
        request.POST or None, headers=batch.headers, initial_mapping=batch.column_mapping()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.import_map(
                batch=batch,
                by=request.user,
                mapping=form.mapping(),
                language=request.LANGUAGE_CODE,
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Columns matched; the unit will remember them."))
            return redirect("imports:batch", pk=batch.pk)
    return render(request, "imports/map.html", {"batch": batch, "form": form})


@login_required
@require_POST
def batch_commit(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        services.import_commit_start(batch=batch, by=request.user, language=request.LANGUAGE_CODE)
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("imports:batch", pk=batch.pk)


@login_required
def batch_errors(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    if not batch.error_report:
        raise Http404
    stem = batch.filename.rsplit(".", 1)[0]
    return FileResponse(
        batch.error_report.open("rb"),
        as_attachment=True,
        filename=f"{stem}-loi.xlsx",
        content_type=XLSX_TYPE,
    )


@login_required
def template_xlsx(request):
    out = io.BytesIO()
    template.write_template(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-doan-vien.xlsx"'
    return response


@login_required
def template_csv(request):
    response = HttpResponse(template.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-doan-vien.csv"'
    return response


@login_required
def photos(request):
    form = PhotosForm(request.POST or None, request.FILES or None, initial=_initial_unit(request))
    if request.method == "POST" and form.is_valid():
        try:
            job = services.photos_import_start(
                unit=_unit(request, form),
                by=request.user,
                upload=form.cleaned_data["archive"],
                language=request.LANGUAGE_CODE,
            )
        except DomainError as error:
            if error.status == 403:
                raise
            _refuse(form, error)
        else:
            return redirect("core:job", pk=job.pk)
    return render(request, "imports/photos.html", {"form": form})


@login_required
def export(request):
    form = ExportForm(request.POST or None, initial=_initial_unit(request))
    if request.method == "POST" and form.is_valid():
        job = services.members_export_start(
            unit=_unit(request, form), by=request.user, language=request.LANGUAGE_CODE
        )
        return redirect("core:job", pk=job.pk)
    return render(request, "imports/export.html", {"form": form})


def unit_panel(request, unit):
    if not scope.can(request.user, scope.REGISTRAR, unit):
        return None
    return UnitPanel("imports/_unit_panel.html", {"unit": unit}, order=40)
