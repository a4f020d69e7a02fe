"""Officer pages: campaigns (list, create, detail), registering and submitting an entry on a
phone-sized page, a juror's own scoring sheet, and the results. Objects come from the
selectors, given request.user."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.forms import add_domain_error
from unionhub.core.registry import UnitPanel
from unionhub.core.tablepdf import pdf_official_response
from unionhub.core.types import AuthenticatedRequest
from unionhub.core.xlsx import xlsx_response
from unionhub.members.models import Member
from unionhub.members.selectors import holding_member_in
from unionhub.movements import awards, care, classification, forms, selectors, services
from unionhub.movements.models import ShelterState, SupportState
from unionhub.orgs.models import Level, Unit

PAGE_SIZE = 50


@dataclass(frozen=True)
class _Export:
    """A list's XLSX file: its name, sheet title, headers, one row per object, and the
    relations the rows read (prefetched in chunks)."""

    filename: str
    title: str
    headers: Sequence[str]
    row: Callable[[Any], Sequence[Any]]
    prefetch: tuple[str, ...] = ()


def _listing(
    request: AuthenticatedRequest,
    *,
    select: Callable[..., QuerySet[Any]],
    default_sort: str,
    template: str,
    export: Callable[[], _Export],
    form: Form | None = None,
    filters: dict[str, Any] | None = None,
    context: Callable[[], dict[str, Any]] = dict,
) -> HttpResponse | FileResponse:
    """Every list of this app: the selector's rows for the user, filtered by the form's fields
    (named as the selector's arguments) or by `filters`, sorted as asked; the XLSX file when
    asked, else a page of them."""
    if form is not None:
        filters = form.cleaned_data if form.is_valid() else {}
    qs = select(user=request.user, sort=request.GET.get("sort", default_sort), **(filters or {}))
    if request.GET.get("export") == "xlsx":
        sheet = export()
        rows: Iterable[Any] = qs.prefetch_related(*sheet.prefetch).iterator(chunk_size=500)
        return xlsx_response(
            sheet.filename,
            headers=list(sheet.headers),
            rows=(sheet.row(obj) for obj in rows),
            title=sheet.title,
        )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    encoded = query.urlencode()
    page: dict[str, Any] = {
        "page_obj": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring_without_page": f"{encoded}&" if encoded else "",
    }
    if form is not None:
        page["form"] = form
    return render(request, template, page | context())


def _member_in(units: QuerySet[Unit], id_number: str) -> Member:
    """The holding member of `units` named on a form by their document number."""
    member = holding_member_in(units=units, id_number=id_number)
    if member is None:
        raise DomainError("member", _("No member with this number here."), field="member_id_number")
    return member


def _proposal(
    request: AuthenticatedRequest,
    *,
    form_class: type[Form],
    propose: Callable[..., Any],
    done: str,
    detail: str,
    template: str,
) -> HttpResponse:
    """A grassroots union proposes (support, a shelter house) for one of its members, named by
    their document number on the form."""
    units = selectors.proposing_units(user=request.user)
    if not units.exists():
        raise Http404
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            member = _member_in(units, data.pop("member_id_number"))
            proposal = propose(member=member, by=request.user, **data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(detail, proposal.pk)
    return render(request, template, {"form": form})


def _step(
    request: AuthenticatedRequest,
    form: Form | None,
    take: Callable[[dict[str, Any]], Any],
    then: str,
) -> HttpResponse | None:
    """A decision or the next step posted on a detail page: taken with the form's data, the
    service's refusal shown on the form; the redirect to `then` once saved."""
    if request.method != "POST" or form is None or not form.is_valid():
        return None
    try:
        take(form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error)
        return None
    messages.success(request, _("Saved."))
    return redirect(then)


def _campaigns_sheet() -> _Export:
    return _Export(
        "campaigns.xlsx", _("Campaigns"),
        [_("Title"), _("Unit"), _("Starts"), _("Ends"), _("Who may take part"),
         _("Combining rule")],
        lambda c: (c.title, c.unit.name, c.starts, c.ends, c.get_participants_display(),
                   c.get_rule_display()),
    )  # fmt: skip


@login_required
def campaign_list(request):
    return _listing(
        request,
        select=selectors.campaign_list,
        default_sort="-starts",
        template="movements/list.html",
        form=forms.CampaignFilterForm(request.GET or None),
        export=_campaigns_sheet,
        context=lambda: {"may_create": scope.units(request.user, role=scope.UNIT_ADMIN).exists()},
    )


@login_required
def campaign_create(request):
    units = scope.units(request.user, role=scope.UNIT_ADMIN)
    form = forms.CampaignForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(**form.cleaned_data, by=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Campaign created."))
            return redirect("movements:campaign", campaign.pk)
    return render(request, "movements/create.html", {"form": form})


@login_required
def campaign_detail(request, pk):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    return render(
        request,
        "movements/detail.html",
        {
            "campaign": campaign,
            "criteria": selectors.criteria(campaign),
            "registrations": selectors.registration_list(user=request.user, campaign=campaign),
            "entries": selectors.entry_list(user=request.user, campaign=campaign).prefetch_related(
                "files"
            ),
            "jurors": selectors.jurors(user=request.user, campaign=campaign),
            "runs": selectors.runs(request.user, campaign),
            "is_juror": selectors.is_juror(request.user, campaign),
            "may_register": selectors.registering_units(
                user=request.user, campaign=campaign
            ).exists(),
        },
    )


@login_required
@require_POST
def juror_add(request, pk):
    campaign = selectors.campaign_run(user=request.user, pk=pk)
    officer = selectors.officer_named(request.POST.get("username", ""))
    try:
        if officer is None:
            raise DomainError("user", _("No officer with this user name."))
        services.juror_appoint(campaign=campaign, user=officer, by=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Juror appointed."))
    return redirect("movements:campaign", campaign.pk)


@login_required
def take_part(request, pk):
    """Register and submit an entry, laid out for a phone."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    units = selectors.registering_units(user=request.user, campaign=campaign)
    if not units.exists():
        raise Http404
    today = timezone.localdate()
    registrations = selectors.registration_list(user=request.user, campaign=campaign).filter(
        unit__in=units
    )
    reg_form = forms.RegistrationForm(
        request.POST if "r-unit" in request.POST else None, units=units, prefix="r"
    )
    entry_form = forms.EntryForm(
        request.POST if "e-title" in request.POST else None,
        request.FILES or None,
        registrations=registrations,
        prefix="e",
    )
    if reg_form.is_bound and reg_form.is_valid():
        data = reg_form.cleaned_data
        try:
            member = None
            if data["member_id_number"]:
                member = _member_in(units, data["member_id_number"])
            services.register(
                campaign=campaign, unit=data["unit"], member=member, team=data["team"],
                today=today, by=request.user,
            )  # fmt: skip
        except DomainError as error:
            add_domain_error(reg_form, error)
        else:
            messages.success(request, _("Registered."))
            return redirect("movements:take_part", campaign.pk)
    if entry_form.is_bound and entry_form.is_valid():
        data = entry_form.cleaned_data
        try:
            services.entry_submit(
                registration=data["registration"], title=data["title"], text=data["text"],
                benefit=data["benefit"], files=[data["file"]] if data["file"] else [],
                today=today, by=request.user,
            )  # fmt: skip
        except DomainError as error:
            add_domain_error(entry_form, error)
        else:
            messages.success(request, _("Entry submitted."))
            return redirect("movements:take_part", campaign.pk)
    return render(
        request,
        "movements/take_part.html",
        {
            "campaign": campaign,
            "reg_form": reg_form,
            "entry_form": entry_form,
            "registrations": registrations,
        },
    )


@login_required
def entry_file(request, pk):
    """The only way to an entry's file, for whoever may read the entry; always a download
    (never shown inline: it is whatever the union uploaded)."""
    found = selectors.entry_file_get(user=request.user, pk=pk)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.name)


@login_required
def score_sheet(request, pk):
    """The juror's own sheet: every entry × criterion, only their own points shown and saved."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    selectors.juror_get(user=request.user, campaign=campaign)
    criteria = selectors.criteria(campaign)
    entries = list(
        selectors.entry_list(user=request.user, campaign=campaign).prefetch_related("files")
    )
    error = None
    if request.method == "POST":
        # The sheet posts the entry's key in a hidden field: anything else (empty, not a whole
        # number, beyond any key) names no entry the juror can score.
        chosen = forms.ScoreEntryForm(request.POST)
        if not chosen.is_valid():
            raise Http404
        entry = get_object_or_404(
            selectors.entry_list(user=request.user, campaign=campaign),
            pk=chosen.cleaned_data["entry"],
        )
        points: dict[int, Decimal | None] = {}
        try:
            for criterion in criteria:
                raw = request.POST.get(f"c{criterion.pk}", "").strip().replace(",", ".")
                try:
                    points[criterion.pk] = Decimal(raw) if raw else None
                except InvalidOperation as bad:
                    raise DomainError("points", _("Write the points as a number.")) from bad
            services.scores_save(campaign=campaign, entry=entry, points=points, by=request.user)
        except DomainError as refused:
            error = str(refused.message)
        else:
            messages.success(request, _("Scores saved."))
            return redirect("movements:score", campaign.pk)
    own = selectors.own_scores(user=request.user, campaign=campaign)
    rows = [{"entry": e, "cells": [(c, own.get((e.pk, c.pk))) for c in criteria]} for e in entries]
    return render(
        request,
        "movements/score.html",
        {"campaign": campaign, "criteria": criteria, "rows": rows, "error": error},
    )


@login_required
def results(request, pk):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    ranking = selectors.results(user=request.user, campaign=campaign)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "results.xlsx",
            headers=[_("Rank"), pgettext("campaign entry", "Entry"), _("Unit"), _("Score"),
                     _("Jurors")],
            rows=((r["rank"], r["entry"].title, r["entry"].registration.unit.name, r["score"],
                   r["jurors"]) for r in ranking),
            title=_("Results"),
        )  # fmt: skip
    return render(request, "movements/results.html", {"campaign": campaign, "ranking": ranking})


def _awards_sheet() -> _Export:
    return _Export(
        "awards.xlsx", _("Awards"),
        [_("Award level"), _("Recipient"), _("Unit"), _("Decision"), _("Date"), _("For"),
         _("Revoked")],
        lambda a: (a.level.name, a.recipient_name, a.unit.name, a.decision.symbol,
                   a.decision.date, a.reason, a.revoked is not None),
    )  # fmt: skip


@login_required
def award_list(request):
    q = request.GET.get("q", "")
    return _listing(
        request,
        select=selectors.award_list,
        default_sort="-created",
        template="movements/awards.html",
        filters={"q": q},
        export=_awards_sheet,
        context=lambda: {
            "q": q,
            "may_award": selectors.award_levels(user=request.user).exists()
            or scope.units(request.user, role=scope.UNIT_ADMIN).exists(),
        },
    )


@login_required
def award_create(request):
    units = scope.units(request.user, role=scope.UNIT_ADMIN)
    if not units.exists():
        raise Http404
    level_form = forms.AwardLevelForm(
        request.POST if "l-name" in request.POST else None, units=units, prefix="l"
    )
    form = forms.AwardForm(
        request.POST if "a-reason" in request.POST else None,
        levels=selectors.award_levels(user=request.user),
        decisions=selectors.decisions(user=request.user),
        units=units,
        campaigns=selectors.campaign_list(user=request.user).filter(unit__in=units),
        prefix="a",
    )
    if level_form.is_bound and level_form.is_valid():
        try:
            awards.level_add(**level_form.cleaned_data, by=request.user)
        except DomainError as error:
            add_domain_error(level_form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("movements:award_create")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            member = None
            if data["member_id_number"]:
                member = _member_in(units, data["member_id_number"])
            award = awards.award_grant(
                level=data["level"], decision=data["decision"], reason=data["reason"],
                member=member, unit=None if member else data["unit"], campaign=data["campaign"],
                by=request.user,
            )  # fmt: skip
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Award recorded."))
            return redirect("movements:award", award.pk)
    return render(request, "movements/award_create.html", {"form": form, "level_form": level_form})


def _verify_url(request, award) -> str:
    return request.build_absolute_uri(
        reverse("movements_public:verify", args=[awards.token(award)])
    )


@login_required
def award_detail(request, pk):
    award = selectors.award_get(user=request.user, pk=pk)
    may_revoke = scope.can(request.user, scope.UNIT_ADMIN, award.level.unit)
    return render(
        request,
        "movements/award.html",
        {
            "award": award,
            "may_revoke": may_revoke and award.revoked is None,
            "revoke_form": forms.RevokeForm(),
            "verify_url": _verify_url(request, award),
        },
    )


@login_required
@require_POST
def award_revoke(request, pk):
    award = selectors.award_given(user=request.user, pk=pk)
    form = forms.RevokeForm(request.POST)
    if form.is_valid():
        try:
            awards.award_revoke(award=award, reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Award revoked."))
    else:
        messages.error(request, _("Say why the award is revoked."))
    return redirect("movements:award", award.pk)


@login_required
def award_pdf(request, pk):
    award = selectors.award_get(user=request.user, pk=pk)
    response = HttpResponse(
        awards.certificate_pdf(award, verify_url=_verify_url(request, award)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="award-{award.pk}.pdf"'
    return response


def verify(request, token):
    """Public: anyone checks a certificate; the signed token in its QR is the key. Shows only
    the name, the award and whether it stands."""
    award = selectors.award_public(token=token)
    return render(request, "movements/verify.html", {"award": award}, status=200 if award else 404)


def member_panel(request, member) -> UnitPanel | None:
    """The member's awards, the support they were given and their shelter house, on the member
    page."""
    found = {
        "awards": list(selectors.awards_of_member(user=request.user, member=member)[:50]),
        "support": list(selectors.support_of_member(user=request.user, member=member)[:50]),
        "shelters": list(selectors.shelters_of_member(user=request.user, member=member)),
    }
    if not any(found.values()):
        return None
    return UnitPanel("movements/_member_panel.html", found, order=70)


def unit_panel(request, unit) -> UnitPanel | None:
    """The unit's collective awards, on the unit page."""
    found = list(selectors.awards_of_unit(user=request.user, unit=unit)[:50])
    if not found:
        return None
    return UnitPanel("movements/_awards_panel.html", {"awards": found}, order=70)


def _support_sheet() -> _Export:
    return _Export(
        "support.xlsx", _("Support"),
        [_("Member"), _("Unit"), _("Kind of support"), _("Date"), _("Amount (VND)"), _("Goods"),
         _("Fund"), _("State")],
        lambda s: (s.member.full_name, s.unit.name, s.get_kind_display(), s.date, s.amount,
                   s.goods, s.get_fund_display(), s.get_state_display()),
    )  # fmt: skip


def _may_propose(request: AuthenticatedRequest) -> dict[str, Any]:
    return {"may_propose": selectors.proposing_units(user=request.user).exists()}


@login_required
def support_list(request):
    return _listing(
        request,
        select=selectors.support_list,
        default_sort="-date",
        template="movements/support_list.html",
        form=forms.SupportFilterForm(request.GET or None),
        export=_support_sheet,
        context=lambda: _may_propose(request),
    )


@login_required
def support_propose(request):
    return _proposal(
        request,
        form_class=forms.SupportForm,
        propose=care.support_propose,
        done=_("Support proposed."),
        detail="movements:support",
        template="movements/support_propose.html",
    )


@login_required
def support_detail(request, pk):
    record = selectors.support_get(user=request.user, pk=pk)
    units = selectors.deciding_units(user=request.user, record=record)
    form = forms.DecideForm(
        request.POST or None,
        units=units,
        initial={"paid_on": timezone.localdate(), "via": "111"},
    )
    pending = record.state == SupportState.PROPOSED

    def decide(data: dict[str, Any]) -> None:
        if request.POST.get("decision") == "approve":
            care.support_approve(
                record=record, deciding_unit=data["unit"], by=request.user,
                paid_on=data["paid_on"] or timezone.localdate(), via=data["via"] or "111",
            )  # fmt: skip
        else:
            care.support_reject(record=record, deciding_unit=data["unit"], by=request.user)

    saved = _step(
        request, form if pending else None, decide, reverse("movements:support", args=[record.pk])
    )
    if saved is not None:
        return saved
    return render(
        request,
        "movements/support.html",
        {"record": record, "form": form if units and pending else None},
    )


@login_required
def ceremony(request, pk):
    """The ceremony's control page: each press announces the next award, and the LED slide of
    the ceremony shows it within seconds."""
    campaign = selectors.campaign_run(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            announced = awards.announce_next(campaign=campaign, by=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            if announced is None:
                messages.info(request, _("Every award has been announced."))
        return redirect("movements:ceremony", campaign.pk)
    return render(
        request,
        "movements/ceremony.html",
        {"campaign": campaign, "awards": selectors.ceremony_awards(campaign=campaign)},
    )


def _statistics_table(
    rows: list[selectors.StatisticsRow], year: int
) -> tuple[list[str], list[list[Any]]]:
    """The statistics' headings and lines, the last line the total, as the XLSX and the PDF
    print them; a column per class of the year-end classification of `year`."""
    classes = list(rows[-1].classes)
    headers = [_("Unit"), _("Entries"), _("Awards"), _("Members supported"), _("Amount (VND)"),
               _("Shelter houses handed over"), _("Cost of shelter houses (VND)")]  # fmt: skip
    headers += [_("Class %(year)s: %(name)s") % {"year": year, "name": c} for c in classes]
    last = len(rows) - 1
    lines = [
        [_("Total") if i == last else r.unit.name, r.entries, r.awards, r.members_supported,
         r.amount, r.shelters, r.shelter_cost, *(r.classes[c] for c in classes)]
        for i, r in enumerate(rows)
    ]  # fmt: skip
    return headers, lines


@login_required
def statistics(request):
    """Entries, awards, members supported and amounts per unit below the chosen one, for a
    period, and the grassroots unions per class of the year-end classification of the
    period's last year; the same table as XLSX, and as PDF in the official layout."""
    form = forms.StatisticsForm(request.GET or None, units=scope.units(request.user))
    rows = None
    if form.is_valid():
        data = form.cleaned_data
        unit, first, last = data["unit"], data["first"], data["last"]
        rows = selectors.statistics(user=request.user, unit=unit, first=first, last=last)
        kind = request.GET.get("export")
        if kind in ("xlsx", "pdf"):
            headers, lines = _statistics_table(rows, last.year)
            if kind == "xlsx":
                return xlsx_response(
                    "movements-statistics.xlsx", headers=headers, rows=lines,
                    title=_("Statistics"),
                )  # fmt: skip
            return pdf_official_response(
                f"movements-statistics-{unit.code}-{first:%Y%m%d}-{last:%Y%m%d}.pdf",
                unit=unit,
                title=_("STATISTICS OF EMULATION MOVEMENTS AND CARE FOR MEMBERS"),
                lines=[
                    _("Unit: %(unit)s (%(code)s)") % {"unit": unit.name, "code": unit.code},
                    _("Period: from %(first)s to %(last)s")
                    % {"first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"},
                ],
                headers=headers,
                rows=lines,
            )
    return render(
        request,
        "movements/statistics.html",
        {
            "form": form,
            "rows": rows,
            "classes": list(rows[-1].classes) if rows else [],
            "class_year": str(form.cleaned_data["last"].year) if rows else None,
        },
    )


def _shelters_sheet() -> _Export:
    return _Export(
        "shelter-houses.xlsx", _("Shelter houses"),
        [_("Beneficiary"), _("Unit"), _("Address of the house"), _("Cost (VND)"),
         _("Contributors"), _("State"), _("Decided on"), _("Built on"), _("Handed over on")],
        lambda h: (h.member.full_name, h.unit.name, h.address, h.cost,
                   "; ".join(f"{c.contributor}: {c.amount}" for c in h.contributions.all()),
                   h.get_state_display(), h.decided_on, h.built_on, h.handed_over_on),
        prefetch=("contributions",),
    )  # fmt: skip


@login_required
def shelter_list(request):
    return _listing(
        request,
        select=selectors.shelter_list,
        default_sort="-proposed",
        template="movements/shelter_list.html",
        form=forms.ShelterFilterForm(request.GET or None),
        export=_shelters_sheet,
        context=lambda: _may_propose(request),
    )


@login_required
def shelter_propose(request):
    return _proposal(
        request,
        form_class=forms.ShelterForm,
        propose=care.shelter_propose,
        done=_("Shelter house proposed."),
        detail="movements:shelter",
        template="movements/shelter_propose.html",
    )


@login_required
def shelter_detail(request, pk):
    """A house and its next step: the decision above the proposing union, then built and handed
    over (each step's form is shown only to whom may take it)."""
    house = selectors.shelter_get(user=request.user, pk=pk)
    today = timezone.localdate()
    units = selectors.deciding_units(user=request.user, record=house)
    decide_form = step_form = None
    if house.state == ShelterState.PROPOSED and units.exists():
        decide_form = forms.ShelterDecideForm(
            request.POST or None, units=units, initial={"on": today}
        )
    elif house.state in (ShelterState.APPROVED, ShelterState.BUILT) and scope.can(
        request.user, scope.CLERK, house.unit
    ):
        step_form = forms.ShelterStepForm(request.POST or None, initial={"on": today})

    def take(data: dict[str, Any]) -> None:
        if decide_form is not None:
            care.shelter_decide(
                house=house, deciding_unit=data["unit"], on=data["on"], by=request.user,
                approve=request.POST.get("decision") == "approve",
            )  # fmt: skip
        else:
            care.shelter_progress(house=house, on=data["on"], today=today, by=request.user)

    saved = _step(
        request, decide_form or step_form, take, reverse("movements:shelter", args=[house.pk])
    )
    if saved is not None:
        return saved
    return render(
        request,
        "movements/shelter.html",
        {
            "house": house,
            "contributions": house.contributions.all(),
            "decide_form": decide_form,
            "step_form": step_form,
        },
    )


def _assessments_sheet() -> _Export:
    return _Export(
        "classification.xlsx", _("Year-end classification"),
        [_("Year"), _("Grassroots union"), _("Set by"), _("Total points"), _("Class")],
        lambda a: (a.classification.year, a.unit.name, a.classification.unit.name, a.total,
                   a.grade.name),
    )  # fmt: skip


@login_required
def classification_list(request):
    """The classes of the grassroots unions the user reaches, and the schemes they see."""
    return _listing(
        request,
        select=selectors.assessment_list,
        default_sort="-year",
        template="movements/classifications.html",
        form=forms.AssessmentFilterForm(request.GET or None),
        export=_assessments_sheet,
        context=lambda: {
            "schemes": selectors.classification_list(user=request.user)[:50],
            "may_create": scope.units(request.user, role=scope.UNIT_ADMIN)
            .filter(level__lt=Level.GRASSROOTS)
            .exists(),
        },
    )


@login_required
def classification_create(request):
    units = scope.units(request.user, role=scope.UNIT_ADMIN).filter(level__lt=Level.GRASSROOTS)
    if not units.exists():
        raise Http404
    form = forms.ClassificationForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = classification.classification_create(**form.cleaned_data, by=request.user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Classification set."))
            return redirect("movements:classification", scheme.pk)
    return render(request, "movements/classification_create.html", {"form": form})


@login_required
def classification_detail(request, pk):
    scheme = selectors.classification_get(user=request.user, pk=pk)
    page = Paginator(
        selectors.classified_units(user=request.user, classification=scheme), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "movements/classification.html",
        {
            "scheme": scheme,
            "criteria": list(scheme.criteria.all()),
            "grades": selectors.grade_counts(scheme),
            "page_obj": page,
            "querystring_without_page": "",
            "rows": selectors.classified_rows(
                user=request.user, classification=scheme, units=list(page)
            ),
        },
    )


@login_required
def assessment_score(request, pk, unit):
    """The upper level scores one grassroots union on every criterion of the scheme."""
    scheme = selectors.classification_get(user=request.user, pk=pk)
    union = selectors.scorable_unit(user=request.user, classification=scheme, pk=unit)
    criteria = list(scheme.criteria.all())
    current = selectors.assessment_points(classification=scheme, unit=union)
    form = forms.AssessmentForm(
        request.POST or None,
        criteria=criteria,
        initial={f"c{pk}": points for pk, points in current.items() if pk is not None},
    )
    done = reverse("movements:classification", args=[scheme.pk])
    saved = _step(
        request,
        form,
        lambda _data: classification.assessment_score(
            classification=scheme, unit=union, points=form.points(), by=request.user
        ),
        done,
    )
    if saved is not None:
        return saved
    return render(
        request,
        "movements/assessment.html",
        {"scheme": scheme, "union": union, "form": form, "done": done},
    )


def unit_classification_panel(request, unit) -> UnitPanel | None:
    """The unit's year-end classes, on the unit page."""
    found = list(selectors.assessments_of_unit(user=request.user, unit=unit)[:10])
    if not found:
        return None
    return UnitPanel("movements/_classification_panel.html", {"assessments": found}, order=71)
