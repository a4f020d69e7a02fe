import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.core import jobs, scope
from unionhub.core.errors import DomainError
from unionhub.core.registry import UnitPanel
from unionhub.core.xlsx import XLSX_TYPE, xlsx_response
from unionhub.imports import selectors, services, template
from unionhub.imports.columns import by_key
from unionhub.imports.forms import ExportForm, MappingForm, PhotosForm, UploadForm
from unionhub.imports.models import CANCELLABLE, BatchStatus
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


def _changes(changes: list[dict]) -> list[dict]:
    """The preview's changes with each field's label in the page's language."""
    columns = by_key()
    for change in changes:
        change["fields"] = [
            (columns[key].label if key in columns else key, old, new)
            for key, old, new in change.get("fields", [])
        ]
    return changes


@login_required
def batch_detail(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    summary = batch.summary or {}
    known = by_key()
    columns = [
        (batch.headers[int(index)], known[key].label)
        for index, key in sorted(batch.mapping.items(), key=lambda item: int(item[0]))
        if int(index) < len(batch.headers) and key in known
    ]
    context = {
        "batch": batch,
        "job": _job(request, batch),
        "counts": summary.get("counts", {}),
        "problems": summary.get("problems", []),
        "problem_total": summary.get("problem_total", 0),
        "changes": _changes(summary.get("changes", [])),
        "can_cancel": batch.status in CANCELLABLE,
        "ignored": summary.get("ignored", []),
        "columns": columns,
        "recorded": [
            (known[key].label, count)
            for key, count in summary.get("recorded", {}).items()
            if key in known
        ],
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
@require_POST
def batch_cancel(request, pk):
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        services.import_cancel(batch=batch, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The import was cancelled; nothing of the file was written."))
    return redirect("imports:batch", pk=batch.pk)


HISTORY_PAGE = 50
HISTORY_COUNTS = ("rows", "new", "updated", "transfer", "errors")


def _counts(batch) -> dict:
    return (batch.summary or {}).get("counts", {})


@login_required
def history(request):
    """Past imports into the officer's units: who, when, the counts and how each ended."""
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "-created")
    query = request.GET.get("q", "").strip()
    batches = selectors.import_history(user=request.user, status=status, sort=sort, query=query)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "imports.xlsx",
            headers=[
                _("File"),
                _("Unit"),
                _("Uploaded by"),
                _("Uploaded at"),
                _("Status"),
                _("Rows"),
                _("New"),
                _("Updated"),
                _("Transfer requests"),
                _("Errors"),
            ],
            rows=(
                [
                    b.filename,
                    b.unit.name,
                    b.owner.get_full_name() or b.owner.get_username(),
                    localtime(b.created).strftime("%d/%m/%Y %H:%M"),
                    b.get_status_display(),
                    *(
                        _counts(b).get(k, "")
                        for k in ("rows", "new", "updated", "transfer", "errors")
                    ),
                ]
                for b in batches.iterator()
            ),
            title=_("Imports"),
        )
    params = request.GET.copy()
    params.pop("page", None)
    without_sort = params.copy()
    without_sort.pop("sort", None)
    page = Paginator(batches, HISTORY_PAGE).get_page(request.GET.get("page"))
    for batch in page:
        batch.counts = _counts(batch)
    return render(
        request,
        "imports/history.html",
        {
            "page_obj": page,
            "status": status,
            "sort": sort,
            "query": query,
            "statuses": BatchStatus.choices,
            "querystring_without_page": f"{params.urlencode()}&" if params else "",
            "querystring_without_sort": f"{without_sort.urlencode()}&" if without_sort else "",
            "export_query": params.urlencode(),
        },
    )


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
