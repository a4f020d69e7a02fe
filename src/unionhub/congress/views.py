"""Organiser pages (scoped through the selectors) and the check-in station's JSON endpoints."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from unionhub.congress import forms, pdf, selectors, services, tokens
from unionhub.congress.models import Category, Delegate
from unionhub.core import checkin, scope, station
from unionhub.core.errors import DomainError
from unionhub.core.forms import add_domain_error
from unionhub.core.http import site_url
from unionhub.core.pdf import qr_svg
from unionhub.core.xlsx import xlsx_response

PAGE_SIZE = 50


def _form_page(request, form, title, congress, action, submit=None):
    """Show `form`, or run `action(cleaned_data)` when valid; domain errors go on the form.

    `submit` names a button that does something other than saving (and then "Saved." is not said).
    """
    if request.method == "POST" and form.is_valid():
        try:
            target = action(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if submit is None:
                messages.success(request, _("Saved."))
            return redirect(target)
    return render(
        request,
        "congress/form.html",
        {"form": form, "title": title, "congress": congress, "submit": submit},
    )


# Congresses -------------------------------------------------------------------------------


@login_required
def congress_list(request):
    units = scope.units(request.user, role=scope.CONGRESS_ORGANISER)
    form = forms.CongressForm(request.POST or None, units=units)

    def create(data):
        congress = services.congress_create(by=request.user, **data)
        return reverse("congress:detail", args=[congress.pk])

    if request.method == "POST":
        return _form_page(request, form, _("New congress"), None, create)
    return render(
        request,
        "congress/list.html",
        {"congresses": selectors.congress_list(user=request.user), "form": form},
    )


@login_required
def congress_detail(request, pk):
    congress = selectors.congress_get(user=request.user, pk=pk)
    delegations = selectors.delegation_list(user=request.user, congress=congress)
    return render(
        request,
        "congress/detail.html",
        {
            "congress": congress,
            "sessions": selectors.session_list(user=request.user, congress=congress),
            "delegations": delegations,
            "documents": selectors.document_list(user=request.user, congress=congress),
            "delegate_count": selectors.delegate_list(user=request.user, congress=congress).count(),
        },
    )


@login_required
def congress_settings(request, pk):
    congress = selectors.congress_get(user=request.user, pk=pk)
    initial = {key: getattr(congress, key) for key in forms.CongressSettingsForm.base_fields}
    form = forms.CongressSettingsForm(request.POST or None, initial=initial)

    def save(data):
        services.congress_update(congress=congress, by=request.user, **data)
        return reverse("congress:detail", args=[congress.pk])

    return _form_page(request, form, _("Settings of %(c)s") % {"c": congress.name}, congress, save)


@login_required
def session_add(request, pk):
    congress = selectors.congress_get(user=request.user, pk=pk)
    form = forms.SessionForm(request.POST or None)

    def add(data):
        services.session_add(congress=congress, by=request.user, **data)
        return reverse("congress:detail", args=[congress.pk])

    return _form_page(request, form, _("New session"), congress, add)


# Delegates --------------------------------------------------------------------------------

# Lazy: the module loads once, the export runs in each officer's language.
DELEGATE_HEADERS = [
    gettext_lazy("No."),
    gettext_lazy("Full name"),
    gettext_lazy("Category"),
    gettext_lazy("Delegation"),
    gettext_lazy("Position"),
    gettext_lazy("Unit or organisation"),
    gettext_lazy("Seat"),
    gettext_lazy("Group"),
    gettext_lazy("Presidium"),
    gettext_lazy("Card"),
]


def _delegate_row(d: Delegate) -> list:
    return [
        d.number,
        d.full_name,
        d.get_category_display(),
        d.delegation.name if d.delegation else "",
        d.position,
        d.affiliation,
        d.seat,
        d.group,
        _("yes") if d.presidium else "",
        _("revoked") if d.revoked else d.token_serial,
    ]


@login_required
def delegate_list(request, pk):
    congress = selectors.congress_get(user=request.user, pk=pk)
    delegation = request.GET.get("delegation", "")
    filters = selectors.DelegateFilters(
        query=request.GET.get("q", "").strip(),
        category=request.GET.get("category", ""),
        delegation=int(delegation) if delegation.isdigit() else None,
        sort=request.GET.get("sort", "name"),
    )
    delegates = selectors.delegate_list(user=request.user, congress=congress, filters=filters)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"delegates-{congress.pk}.xlsx",
            headers=[str(h) for h in DELEGATE_HEADERS],
            rows=(_delegate_row(d) for d in delegates.iterator(chunk_size=500)),
            title=str(_("Delegates")),
        )
    page = Paginator(delegates, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "congress/delegates.html",
        {
            "congress": congress,
            "page_obj": page,
            "filters": filters,
            "categories": Category.choices,
            "delegations": selectors.delegation_list(user=request.user, congress=congress),
            "querystring_without_page": query.urlencode() + "&" if query else "",
            "export_query": query.urlencode(),
        },
    )


@login_required
def delegate_add(request, pk):
    congress = selectors.congress_get(user=request.user, pk=pk)
    form = forms.DelegateForm(request.POST or None)

    def add(data):
        id_number = data.pop("id_number")
        member = None
        if id_number:
            member = selectors.member_for_delegate(
                user=request.user, congress=congress, id_number=id_number
            )
            if member is None:
                raise DomainError(
                    "member_not_found",
                    _("No member with this ID number in %(unit)s.") % {"unit": congress.unit.name},
                    field="id_number",
                )
        delegate = services.delegate_add(congress=congress, member=member, by=request.user, **data)
        return reverse("congress:delegate", args=[delegate.pk])

    return _form_page(request, form, _("New delegate"), congress, add)


@login_required
def delegate_import(request, pk):
    congress = selectors.congress_get(user=request.user, pk=pk)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            created = services.delegates_import(
                congress=congress, file=form.cleaned_data["file"], by=request.user
            )
        except services.ImportRejected as rejected:
            problems = rejected.problems
            form.add_error(None, str(rejected.message))
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(count)d delegates imported.") % {"count": len(created)})
            return redirect("congress:delegates", pk=congress.pk)
    return render(
        request,
        "congress/import.html",
        {"congress": congress, "form": form, "problems": problems},
    )


@login_required
def delegate_detail(request, pk):
    delegate = selectors.delegate_get(user=request.user, pk=pk)
    initial = {key: getattr(delegate, key) for key in forms.DelegateEditForm.base_fields}
    initial["delegation"] = delegate.delegation.name if delegate.delegation else ""
    form = forms.DelegateEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.delegate_update(delegate=delegate, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("congress:delegate", pk=delegate.pk)
    return render(
        request,
        "congress/delegate.html",
        {
            "delegate": delegate,
            "congress": delegate.congress,
            "form": form,
            "card_url": pdf.card_url(site_url(request), delegate),
        },
    )


@login_required
@require_POST
def delegate_card(request, pk, action):
    delegate = selectors.delegate_get(user=request.user, pk=pk)
    if action not in ("reissue", "revoke"):
        raise Http404
    if action == "reissue":
        services.delegate_card_reissue(delegate=delegate, by=request.user)
        messages.success(request, _("A new card was issued; the old one no longer works."))
    else:
        services.delegate_card_revoke(delegate=delegate, by=request.user)
        messages.success(request, _("The card was revoked."))
    return redirect("congress:delegate", pk=delegate.pk)


@login_required
def delegate_badge(request, pk):
    """One badge, for re-printing a lost card at the desk (a batch goes through a job)."""
    delegate = selectors.delegate_get(user=request.user, pk=pk)
    size = request.GET.get("size", "cr80")
    if size not in pdf.FORMATS:
        raise Http404
    out = io.BytesIO()
    pdf.badge_sheets(out, [delegate], base_url=site_url(request), size=size)
    out.seek(0)
    return FileResponse(out, filename=f"badge-{delegate.number:03d}.pdf")


@login_required
def delegate_photo(request, pk):
    delegate = selectors.delegate_get(user=request.user, pk=pk)
    if delegate.photo is None:
        raise Http404
    response = FileResponse(delegate.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def badges(request, pk):
    congress = selectors.congress_get(user=request.user, pk=pk)
    form = forms.BadgeForm(request.POST or None)

    def start(data):
        job = services.badge_batch_start(
            congress=congress, base_url=site_url(request), by=request.user, **data
        )
        return reverse("core:job", args=[job.pk])

    return _form_page(request, form, _("Print badges"), congress, start, submit=_("Print badges"))


# Documents --------------------------------------------------------------------------------


@login_required
def documents(request, pk):
    congress = selectors.congress_get(user=request.user, pk=pk)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_upload(congress=congress, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Document published."))
            return redirect("congress:documents", pk=congress.pk)
    return render(
        request,
        "congress/documents.html",
        {
            "congress": congress,
            "documents": selectors.document_list(user=request.user, congress=congress),
            "form": form,
        },
    )


@login_required
def document_replace(request, pk):
    document = selectors.document_get(user=request.user, pk=pk)
    form = forms.DocumentReplaceForm(request.POST or None, request.FILES or None)

    def replace(data):
        services.document_replace(document=document, file=data["file"], by=request.user)
        return reverse("congress:documents", args=[document.congress_id])

    return _form_page(
        request,
        form,
        _("Correct %(title)s") % {"title": document.title},
        document.congress,
        replace,
    )


@login_required
def document_file(request, pk):
    document = selectors.document_get(user=request.user, pk=pk)
    return FileResponse(document.file.open("rb"), content_type="application/pdf")


# Check-in station -------------------------------------------------------------------------


def _holder_json(d: Delegate) -> dict[str, Any]:
    return {
        "id": d.pk,
        "number": d.number,
        "name": d.full_name,
        "delegation": d.delegation.name if d.delegation else "",
        "category": d.get_category_display(),
        "colour": d.colour,
        "photo": reverse("congress:delegate_photo", args=[d.pk]) if d.photo else "",
        "line": selectors.delegate_line(d),
    }


def _result_json(result: checkin.ScanResult[Delegate]) -> dict[str, Any]:
    return station.result_json(
        result,
        holder_key="delegate",
        holder=_holder_json,
        undo=lambda pk: reverse("congress:checkin_undo", args=[pk]),
    )


@login_required
def station_page(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    return render(
        request,
        "congress/station.html",
        {
            "session": session,
            "congress": session.congress,
            "search_url": reverse("congress:search", args=[session.pk]),
            "station_config": station.config(
                group=session.congress_id,
                session=session.pk,
                storage="congress",
                holder_key="delegate",
                roster_key="delegates",
                purpose=tokens.PURPOSE,
                pass_prefix="/d/",
                urls={
                    "scan": reverse("congress:scan", args=[session.pk]),
                    "manual": reverse("congress:manual", args=[session.pk]),
                    "roster": reverse("congress:roster", args=[session.pk]),
                    "upload": reverse("congress:upload", args=[session.pk]),
                },
                text=station.station_text(
                    roster=_("Roster: %(count)s delegates"),
                    card_invalid=_("This is not a valid delegate card."),
                    card_other_group=_("This card belongs to another congress."),
                    card_unknown=_("This card's delegate no longer exists."),
                    card_revoked=_("This card has been revoked."),
                    card_replaced=_("This card was replaced by a newer one and no longer works."),
                ),
            ),
        },
    )


@login_required
@require_POST
def scan(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    token = tokens.token_from_scan(request.POST.get("code", ""))
    result = services.checkin_scan(
        session=session, token=token, by=request.user, station=request.POST.get("station", "")
    )
    return JsonResponse(_result_json(result))


@login_required
@require_POST
def manual(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    try:
        delegate = selectors.delegate_get(user=request.user, pk=int(request.POST.get("delegate")))
    except (TypeError, ValueError) as error:
        raise Http404 from error
    try:
        result = services.checkin_manual(
            session=session,
            delegate=delegate,
            by=request.user,
            station=request.POST.get("station", ""),
        )
    except DomainError as error:
        result = checkin.refused(error)
    return JsonResponse(_result_json(result))


@login_required
@require_GET
def search(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        results = selectors.delegate_list(
            user=request.user,
            congress=session.congress,
            filters=selectors.DelegateFilters(query=query),
        )[:20]
    checked = selectors.checkin_map(session=session, delegates=results)
    return render(
        request,
        "congress/_search.html",
        {"rows": [(d, checked.get(d.pk)) for d in results], "query": query},
    )


@login_required
@require_GET
def roster(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    return JsonResponse(
        {
            "congress": session.congress_id,
            "session": session.pk,
            "delegates": selectors.roster(user=request.user, session=session),
            "checkedIn": list(
                selectors.checkin_list(user=request.user, session=session).values_list(
                    "delegate_id", flat=True
                )
            ),
        }
    )


@login_required
@require_POST
def upload(request, pk):
    session = selectors.station_session(user=request.user, pk=pk)
    return station.upload_response(
        request,
        lambda items, name: services.checkins_upload(
            session=session, items=items, by=request.user, station=name
        ),
        _result_json,
    )


@login_required
@require_POST
def checkin_undo(request, pk):
    checkin = selectors.checkin_get(user=request.user, pk=pk)
    services.checkin_undo(checkin=checkin, by=request.user)
    if request.headers.get("HX-Request") or request.headers.get("Accept") == "application/json":
        return JsonResponse({"status": "undone"})
    messages.success(request, _("Check-in undone."))
    return redirect("congress:attendance", pk=checkin.session_id)


# Attendance -------------------------------------------------------------------------------


@login_required
def attendance(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    return render(
        request,
        "congress/attendance.html",
        {
            "session": session,
            "congress": session.congress,
            "attendance": selectors.attendance(user=request.user, session=session),
            "recent": selectors.checkin_list(user=request.user, session=session)[:20],
        },
    )


@login_required
def session_stream(request, pk):
    """The session's live stream: its links and status, set by the congress organiser."""
    session = selectors.session_get(user=request.user, pk=pk)
    initial = {name: getattr(session, name) for name in forms.StreamForm.base_fields}
    form = forms.StreamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_stream_set(session=session, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("congress:session_stream", pk=session.pk)
    public_url = site_url(request) + reverse("congress_public", args=[session.congress_id])
    return render(
        request,
        "congress/stream.html",
        {
            "session": session,
            "congress": session.congress,
            "form": form,
            "public_url": public_url,
            "qr": qr_svg(session.stream_url) if session.stream_url else "",
        },
    )


@login_required
@require_GET
def attendance_live(request, pk):
    session = selectors.session_get(user=request.user, pk=pk)
    response = render(
        request,
        "congress/_attendance.html",
        {
            "session": session,
            "attendance": selectors.attendance(user=request.user, session=session),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def attendance_export(request, pk, kind):
    session = selectors.session_get(user=request.user, pk=pk)
    if kind not in ("pdf", "xlsx"):
        raise Http404
    delegates = selectors.delegate_list(
        user=request.user,
        congress=session.congress,
        filters=selectors.DelegateFilters(sort="number"),
    )
    checkins = {
        c.delegate_id: c for c in selectors.checkin_list(user=request.user, session=session)
    }
    if kind == "pdf":
        out = io.BytesIO()
        pdf.attendance_sheet(out, session, delegates, checkins)
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename=f"attendance-{session.pk}.pdf")

    def rows():
        for d in delegates.iterator(chunk_size=500):
            checkin = checkins.get(d.pk)
            yield [
                d.number,
                d.full_name,
                d.get_category_display(),
                d.delegation.name if d.delegation else "",
                _("present") if checkin else _("absent"),
                timezone.localtime(checkin.at).strftime("%d/%m/%Y %H:%M") if checkin else "",
                checkin.get_source_display() if checkin else "",
            ]

    return xlsx_response(
        f"attendance-{session.pk}.xlsx",
        headers=[
            _("No."),
            _("Full name"),
            _("Category"),
            _("Delegation"),
            _("Attendance"),
            _("Checked in at"),
            _("How"),
        ],
        rows=rows(),
        title=str(_("Attendance")),
    )
