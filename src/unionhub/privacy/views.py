"""Thin views of the privacy app: consents on the member page, their list, the printable form."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.registry import UnitPanel
from unionhub.core.xlsx import xlsx_response
from unionhub.members import selectors as member_selectors
from unionhub.privacy import pdf, selectors, services
from unionhub.privacy.forms import ConsentForm, WithdrawForm
from unionhub.privacy.models import Purpose


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
