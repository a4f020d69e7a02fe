"""Officers' card pages (under /cards/) and the public verification pages (site root)."""

from __future__ import annotations

import hashlib
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from unionhub.audit.selectors import history_for
from unionhub.cards import jobs as card_jobs
from unionhub.cards import numbers, printing, ratelimit, selectors, services
from unionhub.cards.models import REISSUE_REASONS, CardState, RevokeReason
from unionhub.core import jobs, registry, scope, signing
from unionhub.core.errors import DomainError
from unionhub.core.forms import add_domain_error
from unionhub.core.http import site_url
from unionhub.core.registry import UnitPanel
from unionhub.core.widgets import UnitPicker
from unionhub.core.xlsx import xlsx_response
from unionhub.members.selectors import can_export_personal, member_get
from unionhub.orgs.selectors import unit_get

PAGE_SIZE = 50
# Up to this many cards a PDF is rendered while the officer waits; more go to a background job.
DIRECT_RENDER_LIMIT = 60


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=RevokeReason.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=255, required=False)


class ReissueForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[(r.value, r.label) for r in REISSUE_REASONS],
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=255, required=False)


class BatchForm(forms.Form):
    unit = forms.CharField(
        label=gettext_lazy("Unit"), max_length=32, widget=UnitPicker(role="registrar")
    )
    include_subunits = forms.BooleanField(
        label=gettext_lazy("Include the units below it"), required=False, initial=True
    )


class SeriesForm(forms.Form):
    unit = forms.CharField(
        label=gettext_lazy("Issuing unit"), max_length=32, widget=UnitPicker(role="unit_admin")
    )
    code = forms.CharField(label=gettext_lazy("Series code (three digits)"), max_length=3)


def _querystring(request, drop: tuple[str, ...] = ("page",)) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode() + "&" if query else ""


def _export(cards, *, personal: bool):
    """The card list as XLSX; the date of birth only for those who may export personal data
    (registrars, unit admins: members.selectors.can_export_personal)."""
    headers = [
        _("Card number"),
        _("Member"),
        *([_("Date of birth")] if personal else []),
        _("Unit"),
        _("Status"),
        _("Issue date"),
        _("Revoked"),
        _("Reason"),
    ]
    rows = (
        (
            c.number_display,
            c.member.full_name,
            *([c.member.birth_date] if personal else []),
            c.member.unit.name,
            c.get_state_display(),
            c.issued,
            c.revoked_at.date() if c.revoked_at else None,
            c.get_revoke_reason_display(),
        )
        for c in cards.iterator(chunk_size=1000)
    )
    return xlsx_response("cards.xlsx", headers=headers, rows=rows, title=_("Cards"))


@login_required
def card_list(request):
    filters = selectors.filters_from_params(user=request.user, params=request.GET)
    cards = selectors.card_list(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        return _export(cards, personal=can_export_personal(request.user, None))
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "cards/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "states": CardState.choices,
            "may_approve": selectors.may_approve_any(user=request.user),
            "querystring_without_page": _querystring(request),
            "querystring_without_sort": _querystring(request, ("page", "sort")),
            "filter_query": _querystring(request, ("page", "sort", "export"))[:-1],
        },
    )


def _selected(request):
    """The cards a bulk action applies to: the ticked ones, or every card of the filter when the
    officer confirmed "all N matching" for the N the filter still matches; else None."""
    filters = selectors.filters_from_params(user=request.user, params=request.POST)
    cards = selectors.card_list(user=request.user, filters=filters)
    if filters.ids:
        return cards
    confirmed = request.POST.get("all_matching", "")
    if confirmed.isdigit() and int(confirmed) == cards.count():
        return cards
    return None


@login_required
@require_POST
def bulk(request):
    cards = _selected(request)
    action = request.POST.get("action")
    back = reverse("cards:list") + "?" + request.POST.get("back", "")
    if cards is None:
        messages.error(
            request,
            _(
                "Nothing was done: tick the cards, or confirm that the action applies to all cards "
                "matching the filter."
            ),
        )
        return redirect(back)
    try:
        if action == "approve":
            done = services.card_approve_batch(
                cards=cards.filter(state=CardState.REQUESTED), by=request.user
            )
            messages.success(request, _("%(count)d cards approved.") % {"count": len(done)})
        elif action == "printed":
            count = services.card_mark_printed(
                cards=cards.filter(state=CardState.APPROVED), by=request.user
            )
            messages.success(request, _("%(count)d cards marked printed.") % {"count": count})
        elif action in ("sheet", "single"):
            return _render(request, cards, request.POST.get("params", ""), layout=action)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect(back)


def _render(request, cards, params: str, *, layout: str):
    printable = selectors.printable(cards)
    count = printable.count()
    if not count:
        messages.error(request, _("None of these cards is approved for printing."))
        return redirect(reverse("cards:list") + "?" + params)
    if count <= DIRECT_RENDER_LIMIT:
        out = io.BytesIO()
        printing.render_cards(printable, out, layout=layout, base_url=site_url(request))
        out.seek(0)
        return FileResponse(out, as_attachment=True, filename=f"cards-{layout}.pdf")
    job = jobs.job_start(
        kind=card_jobs.RENDER,
        title=_("Card PDFs (%(count)d cards)") % {"count": count},
        owner=request.user,
        params={
            "filters": {
                k: request.POST.getlist(k) if k == "ids" else request.POST.get(k)
                for k in ("state", "unit", "q", "issued_from", "issued_to", "ids")
            },
            "layout": layout,
            "base_url": site_url(request),
        },
    )
    return redirect("core:job", pk=job.pk)


@login_required
def card_detail(request, pk):
    card = selectors.card_get(user=request.user, pk=pk)
    roles = scope.roles_at(request.user, card.member.unit)
    return render(
        request,
        "cards/detail.html",
        {
            "card": card,
            "history": history_for(card, limit=50),
            "is_registrar": scope.REGISTRAR in roles,
            "may_approve": services.may_approve(request.user, card.member.unit),
            "verify_url": printing.verify_url(card, site_url(request)) if card.number else "",
            "revoke_form": RevokeForm(),
            "reissue_form": ReissueForm(),
        },
    )


def _act(request, pk, action, success):
    card = selectors.card_get(user=request.user, pk=pk)
    try:
        result = action(card)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("cards:detail", pk=card.pk)
    messages.success(request, success)
    return redirect("cards:detail", pk=getattr(result, "pk", card.pk))


@login_required
@require_POST
def card_approve(request, pk):
    return _act(
        request,
        pk,
        lambda card: services.card_approve(card=card, by=request.user),
        _("Card approved."),
    )


@login_required
@require_POST
def card_printed(request, pk):
    return _act(
        request,
        pk,
        lambda card: services.card_mark_printed(cards=[card], by=request.user),
        _("Card marked printed."),
    )


@login_required
@require_POST
def card_delivered(request, pk):
    return _act(
        request,
        pk,
        lambda card: services.card_mark_delivered(card=card, by=request.user),
        _("Card marked delivered."),
    )


@login_required
@require_POST
def card_revoke(request, pk):
    selectors.card_get(user=request.user, pk=pk)  # out of scope: refused before the form
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason."))
        return redirect("cards:detail", pk=pk)
    return _act(
        request,
        pk,
        lambda card: services.card_revoke(card=card, by=request.user, **form.cleaned_data),
        _("Card revoked."),
    )


@login_required
@require_POST
def card_reissue(request, pk):
    selectors.card_get(user=request.user, pk=pk)  # out of scope: refused before the form
    form = ReissueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason."))
        return redirect("cards:detail", pk=pk)
    return _act(
        request,
        pk,
        lambda card: services.card_reissue(card=card, by=request.user, **form.cleaned_data),
        _("The old card is revoked and a new one is requested."),
    )


@login_required
def card_pdf(request, pk):
    card = selectors.card_get(user=request.user, pk=pk)
    layout = request.GET.get("layout", "single")
    if layout not in ("single", "sheet") or not card.is_issued:
        raise Http404
    out = io.BytesIO()
    printing.render_cards([card], out, layout=layout, base_url=site_url(request))
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"card-{card.number}-{layout}.pdf")


@login_required
@require_POST
def member_request(request, member_pk):
    member = member_get(user=request.user, pk=member_pk)
    try:
        card = services.card_request(member=member, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect(request.POST.get("next") or "cards:list")
    messages.success(request, _("Card requested."))
    return redirect("cards:detail", pk=card.pk)


@login_required
def batch_request(request):
    form = BatchForm(request.POST or None, initial={"unit": request.GET.get("unit", "")})
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_get(user=request.user, code=form.cleaned_data["unit"].strip().upper())
            scope.require(request.user, scope.REGISTRAR, unit)
        except DomainError as error:
            form.add_error("unit", str(error.message))
        else:
            job = jobs.job_start(
                kind=card_jobs.REQUEST_BATCH,
                title=_("Card requests for %(unit)s") % {"unit": unit.name},
                owner=request.user,
                params={"unit": unit.pk, "include_subunits": form.cleaned_data["include_subunits"]},
            )
            return redirect("core:job", pk=job.pk)
    return render(
        request, "cards/form.html", {"form": form, "title": _("Request cards for a unit")}
    )


@login_required
def series(request):
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = unit_get(user=request.user, code=form.cleaned_data["unit"].strip().upper())
            services.card_series_set(unit=unit, code=form.cleaned_data["code"], by=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cards:series")
    return render(
        request,
        "cards/series.html",
        {"form": form, "series_list": selectors.series_list(user=request.user)},
    )


def unit_panel(request, unit) -> UnitPanel | None:
    """Cards by state on the unit page, for officers who work with cards there."""
    if scope.REGISTRAR not in scope.roles_at(request.user, unit):
        return None
    counts = selectors.card_counts(user=request.user, unit=unit)
    return UnitPanel(
        template="cards/_unit_panel.html",
        context={"unit": unit, "counts": counts, "states": CardState.choices},
        order=30,
    )


def member_panel(request, member) -> UnitPanel:
    """The member's cards on the member page."""
    return UnitPanel(
        template="cards/_member_panel.html",
        context={
            "member": member,
            "cards": list(selectors.cards_of_member(user=request.user, member=member)[:10]),
            "can_request": scope.can(request.user, scope.REGISTRAR, member.unit)
            and member.state == "active"
            and selectors.valid_card_of(member) is None,
        },
        order=20,
    )


# ---------------------------------------------------------------------------------------------
# Public pages


@require_GET
@ratelimit.limited
def verify(request, token):
    result = selectors.card_verify(token=token)
    status = 200 if result.verdict != selectors.Verdict.NOT_GENUINE else 404
    show_photo = (
        result.verdict == selectors.Verdict.GENUINE
        and bool(result.card.member.photo_thumb)
        and registry.public_photo_allowed(result.card.member)
    )
    response = render(
        request,
        "cards/verify.html",
        {"result": result, "token": token, "Verdict": selectors.Verdict, "show_photo": show_photo},
        status=status,
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@ratelimit.limited
def verify_photo(request, token):
    """The holder's thumbnail, only while the card is genuine and the public photo checks
    (core.registry, e.g. the holder's consent) agree; never the full photo."""
    result = selectors.card_verify(token=token)
    if (
        result.verdict != selectors.Verdict.GENUINE
        or not result.card.member.photo_thumb
        or not registry.public_photo_allowed(result.card.member)
    ):
        raise Http404
    response = FileResponse(result.card.member.photo_thumb.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def public_key_page(request):
    pem = signing.public_key_pem()
    return render(
        request,
        "cards/public_key.html",
        {"pem": pem, "fingerprint": _fingerprint(pem), "check_digits": numbers.NUMBER_DIGITS},
    )


@require_GET
@never_cache
def public_key_pem(request):
    return HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")


def _fingerprint(pem: str) -> str:
    digest = hashlib.sha256(pem.encode("ascii")).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4)).upper()
