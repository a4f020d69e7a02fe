import io
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.core import jobs
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.forms import add_domain_error
from unionhub.core.xlsx import XLSX_TYPE, xlsx_response
from unionhub.reports import charts, exports, periods, selectors, services
from unionhub.reports import fluctuation as f
from unionhub.reports.fluctuation import Cell
from unionhub.reports.forms import ReportForm, ReturnForm, RoundForm

# Drill-down lists longer than this are exported by a background job with a progress bar.
DIRECT_EXPORT_LIMIT = 2000


def _unit_and_period(request):
    params = request.GET
    unit = selectors.report_unit(user=request.user, code=params.get("unit", ""))
    try:
        return unit, periods.parse(params)
    except DomainError as error:  # a link without a valid period: a bad request, not a crash
        raise BadRequest(str(error.message)) from error


def _query(unit, period, **extra) -> str:
    return urlencode({"unit": unit.code, **period.as_query(), **extra})


def _report_params(params):
    """The page's parameters (a mutable copy) made one period: the period select ("half-2")
    with the year; other dates; or, from older links, `kind` and `number`, or `from` and `to`
    alone."""
    if not params.get("period") and params.get("kind"):
        kind = params["kind"]
        params["period"] = kind if kind == periods.CUSTOM else f"{kind}-{params.get('number') or 1}"
    chosen = params.get("period")
    if chosen in (None, "", periods.CUSTOM) and params.get("first") and params.get("last"):
        params["from"], params["to"] = params["first"], params["last"]
    elif chosen and chosen != periods.CUSTOM and params.get("year"):
        params.pop("from", None), params.pop("to", None)
    if not params.get("from") and not params.get("year"):
        params["year"] = str(ReportForm().fields["year"].initial)
    return params


def _shown_as(params, period) -> None:
    """Fill the form with the period shown, whatever way it was asked for."""
    kind, number = period.kind_and_number
    params["period"] = periods.CUSTOM if kind == periods.CUSTOM else f"{kind}-{number}"
    params["year"] = str(period.first.year)
    if kind == periods.CUSTOM:
        params["first"], params["last"] = period.first.isoformat(), period.last.isoformat()


@dataclass
class Line:
    """A line of the report table: what it is, and its cells (column, value, drill link)."""

    row: f.Row | None
    cells: SafeString


def _cells(
    figures, query: str, row: int | None, *, drill: bool = True, strong: bool = False
) -> SafeString:
    """The <td> cells of one line: each number grouped with the language's separator and, where
    members stand behind it, a link to them. Built here in one pass, not by the template cell
    by cell: the province page has some three thousand cells, and the template's lookups and
    `intcomma` per cell were half of its time."""
    base = escape(f"{reverse('reports:drill')}?{query}&column=")
    separator = formats.get_format("THOUSAND_SEPARATOR")
    row_part = escape(f"&row={row or ''}")
    open_, close = ("<strong>", "</strong>") if strong else ("", "")
    cells = []
    for column in exports.COLUMNS:
        value = figures[column]
        shown = f"{value:,}".replace(",", separator)
        if drill and value and column in f.DRILLABLE:
            shown = f'<a href="{base}{column}{row_part}">{shown}</a>'
        cells.append(f'<td data-column="{column}">{open_}{shown}{close}</td>')
    # Safe: numbers, our own column names, and the link escaped above.
    return mark_safe("".join(cells))


def _group_lines(group: f.Group, query: str) -> list[Line]:
    """The lines under a group: the rows of the report (their numbers open the members behind
    them), or the sub-units of a row (whose own reports their names open)."""
    if group.row is None:
        return [Line(r, _cells(r.figures, query, r.unit.pk)) for r in group.rows]
    return [Line(r, _cells(r.figures, query, None, drill=False)) for r in group.rows]


@login_required
def fluctuation(request):
    params = request.GET.copy()
    if "unit" not in params:
        default = selectors.default_unit(user=request.user)
        if default is None:
            return render(request, "reports/fluctuation.html", {"form": ReportForm()})
        params["unit"] = default.code
    params = _report_params(params)
    try:
        unit = selectors.report_unit(user=request.user, code=params["unit"])
        period = periods.parse(params)
    except DomainError as error:
        if error.status == 403:
            raise
        form = ReportForm(params)
        form.is_valid()
        form.add_error(None, str(error.message))
        return render(request, "reports/fluctuation.html", {"form": form})
    _shown_as(params, period)
    report = services.fluctuation_report_cached(user=request.user, unit=unit, period=period)
    query = _query(unit, period)
    groups = report.groups()
    # Collapsed by default; a report with a single group (a district's unions) opens it.
    expand_all = params.get("expand") == "all" or sum(1 for g in groups if g.rows) <= 1
    blocks = []
    for group in groups:
        row_pk = group.row.unit.pk if group.row else None
        head = Line(group.row, _cells(group.figures, query, row_pk, drill=group.row is not None))
        blocks.append((group, head, _group_lines(group, query) if expand_all else []))
    total = report.total
    context = {
        "form": ReportForm(params),
        "report": report,
        "period": period,
        "query": query,
        "groups": [(label, len(columns)) for label, columns in exports.GROUPS],
        "headings": [f.LABELS[c] for c in exports.COLUMNS],
        "blocks": blocks,
        "expanded": expand_all,
        "total": _cells(total, query, None, strong=True),
        "boundary": {
            "in_within": total[f.TRANSFERRED_IN_WITHIN],
            "out_within": total[f.TRANSFERRED_OUT_WITHIN],
            "in_across": total[f.TRANSFERRED_IN] - total[f.TRANSFERRED_IN_WITHIN],
            "out_across": total[f.TRANSFERRED_OUT] - total[f.TRANSFERRED_OUT_WITHIN],
        },
        "footnotes": f.FOOTNOTES,
    }
    return render(request, "reports/fluctuation.html", context)


@login_required
def group_rows(request):
    """The lines under one group of the report, fetched when the reader opens it."""
    unit, period = _unit_and_period(request)
    report = services.fluctuation_report_cached(user=request.user, unit=unit, period=period)
    key = request.GET.get("group", "")
    group = next((g for g in report.groups() if g.key == key), None)
    if group is None:
        raise Http404
    return render(
        request,
        "reports/_group_rows.html",
        {"report": report, "lines": _group_lines(group, _query(unit, period)), "group": group},
    )


@login_required
def export(request):
    unit, period = _unit_and_period(request)
    report = services.fluctuation_report_cached(user=request.user, unit=unit, period=period)
    kind = request.GET.get("format", "xlsx")
    name = f"bien-dong-{unit.code}-{period.first:%Y%m%d}-{period.last:%Y%m%d}"
    if kind == "json":
        return JsonResponse(report.as_json(), json_dumps_params={"ensure_ascii": False})
    if kind not in ("xlsx", "pdf"):
        raise Http404
    buffer = io.BytesIO()
    (exports.write_xlsx if kind == "xlsx" else exports.write_pdf)(report, buffer)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=f"{name}.{kind}",
        content_type=XLSX_TYPE if kind == "xlsx" else "application/pdf",
    )


def _cell(request) -> Cell:
    column = request.GET.get("column", "")
    if column not in f.DRILLABLE:
        raise Http404
    row = request.GET.get("row") or None
    return Cell(column, int(row) if row and row.isdigit() else None)


@login_required
def drill(request):
    unit, period = _unit_and_period(request)
    cell = _cell(request)
    by_units = cell.column in f.UNIT_COLUMNS
    if by_units:
        items = selectors.units_behind(user=request.user, unit=unit, period=period, cell=cell)
    else:
        items = selectors.members_behind(user=request.user, unit=unit, period=period, cell=cell)
    title = f"{f.LABELS[cell.column]} · {unit.name} · {period.label}"
    if request.GET.get("format") == "xlsx":
        if by_units:
            return xlsx_response(
                f"{unit.code}-{cell.column}.xlsx",
                headers=[_("Code"), _("Name"), _("Founded"), _("Dissolved")],
                rows=([u.code, u.name, u.founded, u.dissolved] for u in items),
            )
        if items.count() > DIRECT_EXPORT_LIMIT:
            job = jobs.job_start(
                kind="reports.members_behind",
                title=title,
                owner=request.user,
                params={
                    "unit": unit.pk,
                    **period.as_query(),
                    "column": cell.column,
                    "row": cell.row,
                },
            )
            return redirect("core:job", job.pk)
        return xlsx_response(
            f"{unit.code}-{cell.column}.xlsx",
            headers=[h() for h in exports.MEMBER_HEADERS],
            rows=exports.member_rows(items),
        )
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    row_unit = None
    if cell.row and cell.row != unit.pk:
        try:
            row_unit = selectors.report_unit(user=request.user, pk=cell.row)
        except OutOfScope:
            row_unit = None  # a unit that has since moved out of the user's reach: no name
    return render(
        request,
        "reports/drill.html",
        {
            "unit": unit,
            "period": period,
            "cell": cell,
            "label": f.LABELS[cell.column],
            "by_units": by_units,
            "page_obj": page,
            "querystring_without_page": keep.urlencode() + "&",
            "export_query": keep.urlencode(),
            "report_query": _query(unit, period),
            "row_unit": row_unit,
        },
    )


@login_required
def statistics_view(request):
    code = request.GET.get("unit")
    unit = (
        selectors.report_unit(user=request.user, code=code)
        if code
        else selectors.default_unit(user=request.user)
    )
    if unit is None:
        raise Http404
    stats = services.statistics_view(unit=unit, by=request.user)
    ranking = selectors.unit_ranking(user=request.user, unit=unit)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"{unit.code}-completeness.xlsx",
            headers=[
                _("Code"),
                _("Unit"),
                _("Members active today"),
                _("Complete profiles (%)"),
                _("With photo (%)"),
                _("With valid card (%)"),
            ],
            rows=(
                [
                    r.unit.code,
                    r.unit.name,
                    r.members,
                    r.share(r.complete),
                    r.share(r.with_photo),
                    r.share(r.with_card),
                ]
                for r in ranking
            ),
        )
    page = Paginator(ranking, 50).get_page(request.GET.get("page"))
    chart_list = [
        charts.bar_chart(stats.by_gender, title=_("By gender")),
        charts.bar_chart(stats.by_age, title=_("By age")),
        charts.bar_chart(stats.by_education, title=_("By general education")),
        charts.bar_chart(stats.by_sector, title=_("By sector")),
        charts.bar_chart(stats.by_level, title=_("By unit level")),
    ]
    if stats.by_ethnicity is not None:
        chart_list.insert(2, charts.bar_chart(stats.by_ethnicity[:12], title=_("By ethnicity")))
    growth = charts.column_chart(stats.growth, title=_("Members at the end of each year"))
    cards_chart = None
    if stats.cards is not None:
        cards_chart = charts.bar_chart(
            [(f"{y} · {_('issued')}", i) for y, i, _r in stats.cards]
            + [(f"{y} · {_('re-issued')}", r) for y, _i, r in stats.cards],
            title=_("Cards issued and re-issued"),
        )
    return render(
        request,
        "reports/statistics.html",
        {
            "unit": unit,
            "stats": stats,
            "charts": chart_list,
            "growth": growth,
            "cards_chart": cards_chart,
            "page_obj": page,
            "querystring_without_page": f"unit={unit.code}&",
        },
    )


# Reporting rounds --------------------------------------------------------------------------


@login_required
def rounds(request):
    return render(
        request,
        "reports/rounds.html",
        {"rounds": selectors.rounds_visible(user=request.user)[:200]},
    )


@login_required
def round_new(request):
    initial = {}
    if default := selectors.default_unit(user=request.user):
        initial["unit"] = default.code
    form = RoundForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = selectors.report_unit(user=request.user, code=data["unit"])
            report_round = services.round_open(
                unit=unit,
                first=data["first"],
                last=data["last"],
                deadline=data["deadline"],
                note=data["note"],
                by=request.user,
            )
        except DomainError as error:
            if error.status == 403:
                raise
            add_domain_error(form, error)
        else:
            messages.success(request, _("The round is open."))
            return redirect("reports:round", report_round.pk)
    return render(request, "reports/round_new.html", {"form": form})


@login_required
def round_detail(request, pk):
    report_round = selectors.round_get(user=request.user, pk=pk)
    lines = selectors.round_lines(user=request.user, report_round=report_round)
    return render(
        request,
        "reports/round.html",
        {
            "round": report_round,
            "lines": lines,
            "return_form": ReturnForm(),
            "report_query": urlencode(
                {
                    "from": report_round.first.isoformat(),
                    "to": report_round.last.isoformat(),
                }
            ),
            "submitted": sum(
                1 for line in lines if line.submission and line.submission.status == "submitted"
            ),
        },
    )


@login_required
@require_POST
def round_submit(request, pk, unit_pk):
    report_round = selectors.round_get(user=request.user, pk=pk)
    unit = selectors.report_unit(user=request.user, pk=unit_pk)
    try:
        services.report_submit(report_round=report_round, unit=unit, by=request.user)
    except DomainError as error:
        if error.status == 403:
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Report submitted."))
    return redirect("reports:round", report_round.pk)


@login_required
@require_POST
def submission_return(request, pk):
    submission = selectors.submission_get(user=request.user, pk=pk)
    form = ReturnForm(request.POST)
    try:
        services.report_return(
            submission=submission,
            by=request.user,
            comment=form.data.get("comment", ""),
        )
    except DomainError as error:
        if error.status == 403:
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Report returned with your comment."))
    return redirect("reports:round", submission.round_id)
