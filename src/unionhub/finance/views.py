"""The dues roll, the books and remittances of one unit at a time: the unit is in the URL, every
read goes through the selectors (a finance role reaching the unit) and every write through the
services (a finance role at the unit itself)."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.core.errors import DomainError
from unionhub.core.forms import add_domain_error, errors_in_words
from unionhub.core.registry import UnitPanel
from unionhub.core.spreadsheets import ImportRejected
from unionhub.core.xlsx import XLSX_TYPE, xlsx_response
from unionhub.finance import exports, money, selectors, services, statements
from unionhub.finance.forms import (
    CashForm,
    FeeFilterForm,
    FeeForm,
    FeePayForm,
    MonthForm,
    PaidForm,
    PayrollForm,
    PostForm,
    RemitForm,
    RollFilterForm,
)
from unionhub.finance.models import Account
from unionhub.finance.payroll import payroll_import
from unionhub.finance.rules import month_end

PAGE_SIZE = 100


def _month(year: int, month: int) -> dt.date:
    # The URL's converters already bound the year and month (core.converters); a caller that
    # passes them some other way still gets a 404, never a date Python cannot build.
    try:
        return dt.date(year, month, 1)
    except (ValueError, OverflowError) as error:
        raise Http404 from error


def _page(request, qs) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    encoded = query.urlencode()
    return {
        "page_obj": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring_without_page": f"{encoded}&" if encoded else "",
    }


def _context(request, unit, month: dt.date | None = None) -> dict:
    context = {
        "unit": unit,
        "keeps_books": selectors.keeps_books(request.user, unit),
        "today_year": timezone.localdate().year,
    }
    if month is not None:
        previous = (month - dt.timedelta(days=1)).replace(day=1)
        following = month_end(month) + dt.timedelta(days=1)
        context.update(month=month, previous=previous, following=following)
    return context


def _to_roll(unit, month: dt.date):
    return redirect("finance:roll", unit=unit.pk, year=month.year, month=month.month)


@login_required
def index(request):
    """The units whose books the officer reads; straight to the roll when there is one."""
    units = list(selectors.finance_units(user=request.user))
    today = timezone.localdate().replace(day=1)
    form = MonthForm(request.GET or None, initial={"month": today})
    month = form.cleaned_data["month"] if form.is_valid() else today
    if len(units) == 1 and not request.GET:
        return _to_roll(units[0], month)
    return render(request, "finance/index.html", {"units": units, "form": form, "month": month})


@login_required
def roll(request, unit, year, month):
    unit = selectors.books_unit(user=request.user, pk=unit)
    month = _month(year, month)
    form = RollFilterForm(request.GET or None)
    lines = selectors.dues_roll(user=request.user, unit=unit, month=month, filters=form.filters())
    if request.GET.get("export") == "xlsx":
        return _export(unit, month, lines)
    context = {
        **_context(request, unit, month),
        **_page(request, lines),
        "form": form,
        "totals": selectors.roll_totals(lines),
        "paid_form": PaidForm(),
        "post_form": PostForm(),
        "remit_form": RemitForm(),
    }
    if unit.parent_id:
        due, sent = selectors.remittance_outstanding(unit=unit, month=month)
        context["remittance"] = {"due": due, "sent": sent, "outstanding": due - sent}
    partial = request.headers.get("HX-Request") and request.headers.get("HX-Target") == "roll"
    template = "finance/_roll_table.html" if partial else "finance/roll.html"
    return render(request, template, context)


def _export(unit, month: dt.date, lines):
    headers = [
        _("Member number"),
        _("Full name"),
        _("Document number"),
        _("Unit"),
        _("Month"),
        _("Salary (VND)"),
        _("Rate"),
        _("Dues (VND)"),
        _("Paid on"),
    ]
    rows = (
        (
            line.member_id,
            line.member.full_name,
            line.member.id_number,
            line.unit.name,
            line.month.strftime("%m/%Y"),
            line.salary,
            float(line.rate),
            line.amount,
            line.paid_on,
        )
        for line in lines.iterator(chunk_size=2000)
    )
    return xlsx_response(
        f"doan-phi-{unit.code}-{month:%Y-%m}.xlsx", headers=headers, rows=rows, title=_("Dues")
    )


def _act(request, unit, year, month, action, done):
    """Run a write on the roll and come back to it with the outcome as a message."""
    unit = selectors.books_unit(user=request.user, pk=unit)
    month = _month(year, month)
    try:
        result = action(unit, month)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done(result))
    return _to_roll(unit, month)


@login_required
@require_POST
def roll_compute(request, unit, year, month):
    return _act(
        request,
        unit,
        year,
        month,
        lambda u, m: services.dues_compute(unit=u, month=m, by=request.user),
        lambda added: _("Roll computed: %(count)d line(s) added.") % {"count": added},
    )


@login_required
@require_POST
def roll_paid(request, unit, year, month):
    form = PaidForm(request.POST)

    def mark(u, m):
        if not form.is_valid():
            raise DomainError("paid_on_invalid", _("Give the date of payment."))
        paid_on = form.cleaned_data["paid_on"]
        if request.POST.get("everyone"):  # every unpaid line the filtered roll shows
            filters = RollFilterForm(request.POST).filters()
            return services.dues_mark_paid(
                unit=u, month=m, filters=filters, paid_on=paid_on, by=request.user
            )
        ids = [int(v) for v in request.POST.getlist("member") if v.isdigit()]
        return services.dues_mark_paid(
            unit=u, month=m, member_ids=ids, paid_on=paid_on, by=request.user
        )

    return _act(
        request,
        unit,
        year,
        month,
        mark,
        lambda count: _("%(count)d member(s) marked paid.") % {"count": count},
    )


@login_required
@require_POST
def roll_post(request, unit, year, month):
    form = PostForm(request.POST)

    def post(u, m):
        on = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
        return services.dues_post(unit=u, month=m, on=on, by=request.user)

    return _act(
        request,
        unit,
        year,
        month,
        post,
        lambda batches: (
            _("Posted: %(total)s collected, %(upper)s due to the upper level.")
            % {
                "total": money.vnd(sum(b.total for b in batches)),
                "upper": money.vnd(sum(b.upper_share for b in batches)),
            }
        ),
    )


@login_required
@require_POST
def remit(request, unit, year, month):
    form = RemitForm(request.POST)

    def record(u, m):
        if not form.is_valid():
            raise DomainError("remittance_invalid", _("Give the amount and the date."))
        return services.remittance_record(unit=u, month=m, by=request.user, **form.cleaned_data)

    return _act(
        request,
        unit,
        year,
        month,
        record,
        lambda r: (
            _("Remittance of %(amount)s to %(unit)s recorded.")
            % {"amount": money.vnd(r.amount), "unit": r.to_unit.name}
        ),
    )


@login_required
def payroll(request, unit, year, month):
    unit = selectors.books_unit(user=request.user, pk=unit)
    month = _month(year, month)
    form = PayrollForm(request.POST or None, request.FILES or None)
    result, problems = None, []
    if request.method == "POST" and form.is_valid():
        try:
            result = payroll_import(
                unit=unit,
                month=month,
                file=form.cleaned_data["file"],
                by=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except ImportRejected as rejected:
            problems = rejected.problems
            add_domain_error(form, rejected)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if not result.dry_run:
                messages.success(
                    request,
                    _("%(count)d salaries of %(month)s stored.")
                    % {"count": result.rows, "month": month.strftime("%m/%Y")},
                )
                return _to_roll(unit, month)
    context = {
        **_context(request, unit, month),
        "form": form,
        "result": result,
        "problems": problems,
    }
    return render(request, "finance/payroll.html", context)


@login_required
def arrears(request, unit):
    unit = selectors.books_unit(user=request.user, pk=unit)
    until = timezone.localdate().replace(day=1)
    owed = selectors.arrears(user=request.user, unit=unit, until=until)
    context = {
        **_context(request, unit),
        **_page(request, owed),
        "until": until,
        "total": sum(a.amount for a in owed),
    }
    return render(request, "finance/arrears.html", context)


@login_required
def cash_book(request, unit, year):
    unit = selectors.books_unit(user=request.user, pk=unit)
    account = Account.BANK if request.GET.get("account") == Account.BANK else Account.CASH
    book = selectors.cash_book(user=request.user, unit=unit, year=year, account=account)
    context = {
        **_context(request, unit),
        "book": book,
        "year": year,
        "account_label": Account(account).label,
        "bank": account == Account.BANK,
        "cash_form": CashForm(),
    }
    return render(request, "finance/cash_book.html", context)


@login_required
@require_POST
def cash_record(request, unit, year):
    unit = selectors.books_unit(user=request.user, pk=unit)
    form = CashForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join([_("Give the kind, amount, date and description."), errors_in_words(form)]),
        )
    else:
        data = dict(form.cleaned_data)
        member_pk = data.pop("member")
        member = selectors.member_of(unit=unit, pk=member_pk) if member_pk else None
        try:
            services.cash_record(unit=unit, by=request.user, member=member, **data)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Entry recorded."))
    return redirect("finance:cash_book", unit=unit.pk, year=year)


@login_required
def remittances(request, unit, year):
    unit = selectors.books_unit(user=request.user, pk=unit)
    rows = selectors.remittance_overview(user=request.user, unit=unit, year=year)
    due, remitted = sum(r.due for r in rows), sum(r.remitted for r in rows)
    context = {
        **_context(request, unit),
        "rows": rows,
        "year": year,
        "due": due,
        "remitted": remitted,
        "difference": due - remitted,
    }
    return render(request, "finance/remittances.html", context)


def member_panel(request, member) -> UnitPanel | None:
    """The member's dues and the support they received, on the member page (finance roles)."""
    found = selectors.member_finance(user=request.user, member=member)
    if found is None:
        return None
    return UnitPanel(
        template="finance/_member_panel.html", context={"member": member, **found}, order=40
    )


@login_required
def fees(request, unit, year):
    """The employer's union fee month by month: recorded, reduced, waived or suspended, paid."""
    unit = selectors.books_unit(user=request.user, pk=unit)
    filters = FeeFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    rows = selectors.employer_fees(user=request.user, unit=unit, year=year, status=status)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"kpcd-{unit.code}-{year}.xlsx",
            headers=[
                _("Unit"),
                _("Unit code"),
                _("Month"),
                _("Payroll"),
                _("Rate"),
                _("Due"),
                _("Paid"),
                _("Paid on"),
                _("Status"),
                _("Paid back"),
                _("Note"),
            ],
            rows=(
                [
                    f.unit.name,
                    f.unit.code,
                    f.month.strftime("%m/%Y"),
                    f.payroll,
                    f.rate,
                    f.due,
                    f.paid,
                    f.paid_on,
                    f.get_status_display(),
                    _("yes") if f.back_paid else "",
                    f.note,
                ]
                for f in rows.iterator(chunk_size=500)
            ),
            title=_("Union fee %(year)s") % {"year": year},
        )
    form = FeeForm(request.POST or None, initial={"month": timezone.localdate().replace(day=1)})
    if request.method == "POST" and form.is_valid():
        try:
            services.fee_record(unit=unit, by=request.user, **form.cleaned_for_service())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("finance:fees", unit=unit.pk, year=year)
    paging = _page(request, rows)
    fees_shown = list(paging["page_obj"])
    postings = selectors.fee_postings(user=request.user, fees=fees_shown)
    context = {
        **_context(request, unit),
        **paging,
        "rows": [(fee, postings.get(fee.pk)) for fee in fees_shown],
        "year": year,
        "form": form,
        "filters": filters,
        "pay_form": FeePayForm(),
        "totals": selectors.employer_fee_totals(rows),
    }
    return render(request, "finance/fees.html", context)


@login_required
@require_POST
def fee_pay(request, pk):
    fee = selectors.employer_fee_get(user=request.user, pk=pk)
    form = FeePayForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, " ".join([_("Give the amount and the date."), errors_in_words(form)])
        )
    else:
        try:
            services.fee_pay(fee=fee, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Payment recorded."))
    return redirect("finance:fees", unit=fee.unit_id, year=fee.month.year)


@login_required
@require_POST
def fee_post(request, pk):
    """The level that collected a fee's payments posts those not yet posted: its books and
    the grassroots union's."""
    fee = selectors.employer_fee_get(user=request.user, pk=pk)
    form = PostForm(request.POST)
    on = form.cleaned_data["on"] if form.is_valid() else timezone.localdate()
    try:
        payments = services.fee_post(fee=fee, on=on, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Union fee posted: %(paid)s collected, %(share)s passed down to %(unit)s.")
            % {
                "paid": money.vnd(sum(p.amount for p in payments)),
                "share": money.vnd(sum(p.share or 0 for p in payments)),
                "unit": fee.unit.name,
            },
        )
    # Back to the page the officer posted from (its unit in the form), else the union's own.
    page = request.POST.get("page_unit", "")
    unit = int(page) if page.isdigit() else fee.unit_id
    return redirect("finance:fees", unit=unit, year=fee.month.year)


@login_required
def accounts(request, unit, year):
    """The estimate and the final accounts (B14-TLĐ) of a union, rolled up over the unions
    under it, the final accounts with their spending ratios; XLSX and PDF in the official
    layout."""
    unit = selectors.books_unit(user=request.user, pk=unit)
    kind = request.GET.get("kind", statements.YEAR)
    if kind not in statements.KINDS:
        raise Http404
    statement = statements.statement(user=request.user, unit=unit, kind=kind, year=year)
    ratios = statements.ratios_of(statement) if kind in statements.RATIO_KINDS else None
    export = request.GET.get("export")
    if export in ("xlsx", "pdf"):
        buffer = io.BytesIO()
        write = exports.write_xlsx if export == "xlsx" else exports.write_pdf
        write(statement, buffer, ratios=ratios)
        buffer.seek(0)
        return FileResponse(
            buffer,
            as_attachment=True,
            filename=f"b14-tld-{unit.code}-{year}-{kind}.{export}",
            content_type=XLSX_TYPE if export == "xlsx" else "application/pdf",
        )
    context = {
        **_context(request, unit),
        "statement": statement,
        "year": year,
        "kinds": list(statements.KINDS.items()),
        "kind": kind,
        "is_estimate": kind == statements.ESTIMATE,
        "ratios": ratios,
    }
    return render(request, "finance/accounts.html", context)
