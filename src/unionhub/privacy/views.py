"""Thin views of the privacy app: consents on the member page, their list, the printable form."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from unionhub.core import registry, scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.forms import add_domain_error
from unionhub.core.http import site_url
from unionhub.core.pdf import qr_svg
from unionhub.core.registry import UnitPanel
from unionhub.core.tablepdf import pdf_table_response
from unionhub.core.xlsx import xlsx_response
from unionhub.members import selectors as member_selectors
from unionhub.privacy import pdf, selectors, services
from unionhub.privacy.forms import (
    AccessLogFilter,
    BreachForm,
    CloseBreachForm,
    ConsentForm,
    NotifyAuthorityForm,
    NotifyPeopleForm,
    RejectForm,
    WithdrawForm,
)
from unionhub.privacy.models import CorrectionState, Purpose


def member_panel(request, member) -> UnitPanel | None:
    """The member's consents on the member page, for the registrars of the member's unit."""
    if not scope.can(request.user, scope.REGISTRAR, member.unit):
        return None
    return UnitPanel(
        template="privacy/_member_panel.html",
        context={
            "member": member,
            "consents": list(selectors.member_consents(user=request.user, member=member)),
            "form": ConsentForm(),
            "withdraw_form": WithdrawForm(),
            "blockers": selectors.erasure_blockers(member),
            "corrections": list(selectors.pending_corrections(user=request.user, member=member)),
            "reject_form": RejectForm(),
        },
        order=40,
    )


@login_required
@require_POST
def consent_add(request, member_pk):
    member = member_selectors.member_get(user=request.user, pk=member_pk)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The consent was not recorded: check the purpose and date."))
        return redirect("members:detail", pk=member.pk)
    try:
        services.consent_record(member=member, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Consent recorded."))
    return redirect("members:detail", pk=member.pk)


@login_required
@require_POST
def consent_withdraw(request, pk):
    consent = selectors.consent_get(user=request.user, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The withdrawal was not recorded: check the date."))
        return redirect("members:detail", pk=consent.member_id)
    try:
        services.consent_withdraw(consent=consent, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("members:detail", pk=consent.member_id)


@login_required
@require_POST
def anonymise(request, member_pk):
    member = member_selectors.member_get(user=request.user, pk=member_pk)
    try:
        services.member_anonymise(member=member, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The member was anonymised; the statistics are unchanged."))
    return redirect("members:detail", pk=member.pk)


@login_required
@require_GET
def subject_export(request, member_pk, file_format):
    if file_format not in ("json", "pdf"):
        raise Http404
    member = member_selectors.member_get(user=request.user, pk=member_pk)
    data = services.subject_export(member=member, by=request.user, file_format=file_format)
    if file_format == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="member-{member.public_id}.json"'
        return response
    out = io.BytesIO()
    pdf.subject_report(member, data, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"member-{member.public_id}.pdf")


@login_required
@require_GET
def consent_form_pdf(request, member_pk):
    member = member_selectors.member_get(user=request.user, pk=member_pk)
    scope.require(request.user, scope.REGISTRAR, member.unit)
    out = io.BytesIO()
    pdf.consent_form(member, out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"consent-{member.public_id}.pdf")


@login_required
@require_GET
def consent_list(request):
    purpose = request.GET.get("purpose", "")
    standing = request.GET.get("standing", "")
    consents = selectors.consent_list(
        user=request.user,
        purpose=purpose if purpose in Purpose.values else "",
        standing=standing,
    )
    if request.GET.get("export") == "xlsx":
        return _export(consents)
    page = Paginator(consents, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/consents.html",
        {
            "page_obj": page,
            "querystring_without_page": f"purpose={purpose}&standing={standing}&",
            "purposes": Purpose.choices,
            "purpose": purpose,
            "standing": standing,
        },
    )


def _export(consents):
    headers = [
        _("Member"),
        _("Unit"),
        _("Purpose"),
        _("Given on"),
        _("How it was given"),
        _("Withdrawn on"),
    ]
    rows = (
        (
            c.member.full_name,
            c.member.unit.name,
            c.get_purpose_display(),
            c.given_on,
            c.get_method_display(),
            c.withdrawn_on,
        )
        for c in consents.iterator(chunk_size=1000)
    )
    return xlsx_response("consents.xlsx", headers=headers, rows=rows, title=_("Consents"))


# Correction requests, decided by the registrar ----------------------------------------------


@login_required
@require_GET
def corrections(request):
    state = request.GET.get("state", CorrectionState.PENDING)
    rows = selectors.corrections(user=request.user, state=state)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "corrections.xlsx",
            headers=[
                _("Member"),
                _("Unit"),
                _("Field"),
                _("Value held"),
                _("Correct value"),
                _("Requested at"),
                _("State"),
                _("Reason"),
            ],
            rows=(
                (
                    c.member.full_name,
                    c.member.unit.name,
                    c.field_label,
                    c.current,
                    c.requested_shown,
                    timezone.localtime(c.created).replace(tzinfo=None),
                    c.get_state_display(),
                    c.reason,
                )
                for c in rows.iterator(chunk_size=1000)
            ),
            title=_("Correction requests"),
        )
    return render(
        request,
        "privacy/corrections.html",
        {
            "page_obj": Paginator(rows, 50).get_page(request.GET.get("page")),
            "querystring_without_page": f"state={state}&",
            "state": state,
            "states": CorrectionState.choices,
            "reject_form": RejectForm(),
        },
    )


@login_required
@require_POST
def correction_approve(request, pk):
    correction = selectors.correction_get(user=request.user, pk=pk)
    try:
        services.correction_approve(correction=correction, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The record was corrected."))
    if request.POST.get("back") == "member":
        return redirect("members:detail", pk=correction.member_id)
    return redirect("privacy:corrections")


@login_required
@require_POST
def correction_reject(request, pk):
    correction = selectors.correction_get(user=request.user, pk=pk)
    form = RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("correction.reason", _("Say why the request is rejected."))
        services.correction_reject(correction=correction, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The request was rejected; the member sees why."))
    return redirect("privacy:corrections")


@login_required
@require_POST
@never_cache
def sign_in_link(request, member_pk):
    """A printable sheet with the member's one-time link to their own page, and its QR code."""
    member = member_selectors.member_get(user=request.user, pk=member_pk)
    try:
        token = services.sign_in_link_create(member=member, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("members:detail", pk=member.pk)
    url = site_url(request) + reverse("privacy_public:link", args=[token])
    return render(
        request,
        "privacy/sign_in_link.html",
        {
            "member": member,
            "url": url,
            "qr": qr_svg(url),
            "days": settings.PRIVACY_SIGN_IN_LINK_DAYS,
        },
    )


# The data-protection officer: access log, breach register, record of processing ---------------


def _access_rows(events):
    for event in events.iterator(chunk_size=1000):
        yield (
            timezone.localtime(event.at).replace(tzinfo=None),
            event.actor_name,
            event.label,
            event.target_repr,
            str(event.target_type.model_class()._meta.verbose_name),
        )


@login_required
@require_GET
def access_log(request):
    if not scope.units(request.user, role=scope.DATA_PROTECTION).exists():
        raise OutOfScope()
    actions = [(a, registry.action_label(a)) for a in selectors.personal_data_actions()]
    form = AccessLogFilter(request.GET or None, actions=actions)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.access_log(user=request.user, **{k: v for k, v in filters.items() if v})
    if request.GET.get("export") == "xlsx":
        services.access_log_exported(by=request.user, filters=request.GET.urlencode())
        return xlsx_response(
            "access-log.xlsx",
            headers=[_("At"), _("Officer"), _("What"), _("Whose data"), _("Kind")],
            rows=_access_rows(events),
            title=_("Access log"),
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/access_log.html",
        {
            "form": form,
            "page_obj": Paginator(events, 50).get_page(request.GET.get("page")),
            "querystring_without_page": query.urlencode() + "&" if query else "",
            "export_query": query.urlencode(),
        },
    )


@login_required
@require_GET
def breaches(request):
    if not scope.units(request.user, role=scope.DATA_PROTECTION).exists():
        raise OutOfScope()
    rows = selectors.breaches(user=request.user, open_only=request.GET.get("open") == "1")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "breaches.xlsx",
            headers=[
                _("Unit"),
                _("Title"),
                _("Discovered at"),
                _("Deadline for the authority"),
                _("Authority notified at"),
                _("Reference"),
                _("Data affected"),
                _("People affected"),
                _("Risk"),
                _("People notified at"),
                _("Closed at"),
            ],
            rows=(
                (
                    b.unit.name,
                    b.title,
                    _naive(b.discovered_at),
                    _naive(b.deadline),
                    _naive(b.authority_notified_at),
                    b.authority_reference,
                    ", ".join(b.data_labels),
                    b.people,
                    b.get_risk_display(),
                    _naive(b.subjects_notified_at),
                    _naive(b.closed_at),
                )
                for b in rows.iterator(chunk_size=500)
            ),
            title=_("Breaches"),
        )
    return render(
        request,
        "privacy/breaches.html",
        {
            "page_obj": Paginator(rows, 50).get_page(request.GET.get("page")),
            "querystring_without_page": "open=1&" if request.GET.get("open") == "1" else "",
            "open_only": request.GET.get("open") == "1",
            "now": timezone.now(),
        },
    )


def _naive(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _breach_units(user):
    return scope.units(user, role=scope.DATA_PROTECTION).order_by("path")


@login_required
def breach_new(request):
    units = _breach_units(request.user)
    if not units.exists():
        raise OutOfScope()
    form = BreachForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            breach = services.breach_record(by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Breach recorded; the 72-hour deadline runs."))
            return redirect("privacy:breach", breach.pk)
    return render(request, "privacy/breach_new.html", {"form": form})


@login_required
@require_GET
def breach_detail(request, pk):
    breach = selectors.breach_get(user=request.user, pk=pk)
    now = timezone.now()
    return render(
        request,
        "privacy/breach.html",
        {
            "breach": breach,
            "now": now,
            "remaining": breach.deadline - now,
            "authority_form": NotifyAuthorityForm(initial={"notified_at": timezone.localtime()}),
            "people_form": NotifyPeopleForm(initial={"notified_at": timezone.localtime()}),
            "close_form": CloseBreachForm(initial={"measures": breach.measures}),
        },
    )


def _breach_step(request, pk, form_class, write, done):
    breach = selectors.breach_get(user=request.user, pk=pk)
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("breach.form", _("Check the date and time and the reference."))
        write(breach=breach, by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, done)
    return redirect("privacy:breach", breach.pk)


@login_required
@require_POST
def breach_notify_authority(request, pk):
    return _breach_step(
        request,
        pk,
        NotifyAuthorityForm,
        services.breach_notify_authority,
        _("The notification to the authority is recorded."),
    )


@login_required
@require_POST
def breach_notify_people(request, pk):
    return _breach_step(
        request,
        pk,
        NotifyPeopleForm,
        services.breach_notify_people,
        _("The notification of the people affected is recorded."),
    )


@login_required
@require_POST
def breach_close(request, pk):
    return _breach_step(
        request, pk, CloseBreachForm, services.breach_close, _("The breach is closed.")
    )


@login_required
@require_GET
def processing_record(request, file_format="html"):
    if not scope.units(request.user, role=scope.DATA_PROTECTION).exists():
        raise OutOfScope()
    record = selectors.processing_record()
    if file_format == "pdf":
        return pdf_table_response(
            "processing-record.pdf",
            title=_("Record of personal data processing"),
            subtitle=_("Generated from the system's models and settings on %(date)s.")
            % {"date": timezone.localdate().strftime("%d/%m/%Y")},
            headers=[_("Area"), _("Record"), _("Personal data"), _("Kept")],
            rows=(
                (row.area, row.record, ", ".join(row.fields), row.retention)
                for row in record["rows"]
            ),
        )
    return render(request, "privacy/processing_record.html", record)
