"""Organiser pages: elections and motions of a congress, rounds, paper entry, exports. Every
object is read through the selectors, which scope it to the congress organiser role."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from unionhub.congress import selectors as congress_selectors
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.forms import add_domain_error
from unionhub.core.xlsx import xlsx_response
from unionhub.elections import forms, pdf, selectors, services
from unionhub.elections.models import MotionMethod, MotionState


@login_required
def election_list(request):
    return render(
        request,
        "elections/list.html",
        {
            "congresses": congress_selectors.congress_list(user=request.user)[:200],
            "elections": selectors.election_list(user=request.user).order_by("-created")[:200],
        },
    )


@login_required
def congress_elections(request, pk):
    congress = congress_selectors.congress_get(user=request.user, pk=pk)
    sessions = congress_selectors.session_list(user=request.user, congress=congress)
    election_form = forms.ElectionForm(
        request.POST if "e-seats" in request.POST else None, sessions=sessions, prefix="e"
    )
    motion_form = forms.MotionForm(
        request.POST if "m-title" in request.POST else None, sessions=sessions, prefix="m"
    )
    for form, create in ((election_form, services.election_create),
                         (motion_form, services.motion_create)):  # fmt: skip
        if form.is_bound and form.is_valid():
            data = dict(form.cleaned_data)
            session = sessions.get(pk=data.pop("session"))
            try:
                create(congress=congress, session=session, by=request.user, **data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("elections:congress", congress.pk)
    return render(
        request,
        "elections/congress.html",
        {
            "congress": congress,
            "elections": selectors.election_list(user=request.user, congress=congress),
            "motions": selectors.motion_list(user=request.user, congress=congress),
            "election_form": election_form,
            "motion_form": motion_form,
        },
    )


@login_required
def election_detail(request, pk):
    election = selectors.election_get(user=request.user, pk=pk)
    form = forms.RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_prepare(
                election=election, method=form.cleaned_data["method"], by=request.user
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("elections:round", round.pk)
    return render(
        request,
        "elections/election.html",
        {
            "election": election,
            "candidates": election.candidates.all(),
            "rounds": election.rounds.all(),
            "form": form,
        },
    )


@login_required
def round_detail(request, pk):
    round = selectors.round_get(user=request.user, pk=pk)
    lines = selectors.paper_lines(round=round) if round.method == "paper" else []
    return render(
        request,
        "elections/round.html",
        {
            "round": round,
            "election": round.election,
            "turnout": selectors.turnout(round=round),
            "lines": [line for line in lines if line.status != selectors.EntryStatus.MISSING],
            "blockers": [line for line in lines if line.status in selectors.EntryStatus.BLOCKING],
            "report": selectors.released_report(user=request.user, round=round),
            "candidates": round.candidates.all(),
        },
    )


ROUND_ACTIONS = {
    "open": services.round_open,
    "close": services.round_close,
    "release": services.round_release,
}


@login_required
@require_POST
def round_action(request, pk, action):
    round = selectors.round_get(user=request.user, pk=pk)
    if action not in ROUND_ACTIONS:
        raise OutOfScope()
    try:
        ROUND_ACTIONS[action](round=round, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("elections:round", round.pk)


@login_required
def ballot_entry(request, pk):
    """Enter one paper ballot (first or second entry), or resolve a disagreement."""
    ballot = selectors.paper_ballot_get(user=request.user, pk=pk)
    round = ballot.round
    resolve = request.GET.get("resolve") == "1"
    form_class = forms.BallotForm if resolve else forms.EntryForm
    form = form_class(request.POST or None, candidates=round.candidates.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if resolve:
                services.paper_ballot_resolve(
                    ballot=ballot, official=data["official"], kept=data["kept"], by=request.user
                )
            else:
                services.paper_entry_record(
                    ballot=ballot,
                    entry=data["entry"],
                    official=data["official"],
                    kept=data["kept"],
                    by=request.user,
                )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("elections:round", round.pk)
    return render(
        request,
        "elections/ballot.html",
        {"ballot": ballot, "round": round, "form": form, "resolve": resolve},
    )


@login_required
def ballot_find(request, pk):
    """The counter types a ballot's serial (or scans its QR) and lands on its entry form."""
    round = selectors.round_get(user=request.user, pk=pk)
    try:
        ballot = selectors.paper_ballot_find(round=round, text=request.GET.get("serial", ""))
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("elections:round", round.pk)
    return redirect("elections:ballot", ballot.pk)


@login_required
def ballots_pdf(request, pk):
    round = selectors.round_get(user=request.user, pk=pk)
    out = io.BytesIO()
    pdf.ballots_pdf(
        out,
        round=round,
        ballots=list(round.paper_ballots.all()),
        names=list(round.candidates.values_list("full_name", flat=True)),
    )
    out.seek(0)
    return FileResponse(out, content_type="application/pdf", filename=f"ballots-{round.pk}.pdf")


def _released(request, pk):
    round = selectors.round_get(user=request.user, pk=pk)
    report = selectors.released_report(user=request.user, round=round)
    if report is None:
        # Nothing of the count leaves the system before the presidium releases it.
        raise DomainError("not_released", _("The results have not been released yet."))
    return report


@login_required
def minutes_pdf(request, pk):
    try:
        report = _released(request, pk)
    except OutOfScope:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("elections:round", pk)
    out = io.BytesIO()
    pdf.minutes_pdf(out, report=report)
    out.seek(0)
    return FileResponse(out, content_type="application/pdf", filename=f"minutes-{pk}.pdf")


@login_required
def results_xlsx(request, pk):
    try:
        report = _released(request, pk)
    except OutOfScope:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("elections:round", pk)
    rows = [[n, line.name, line.votes, round(line.share, 2), line.elected, line.tied]
            for n, line in enumerate(report.lines, start=1)]  # fmt: skip
    rows += [[], ["", _("Valid ballots"), report.result.valid],
             ["", _("Invalid ballots"), report.result.invalid]]  # fmt: skip
    return xlsx_response(
        f"results-{pk}.xlsx",
        headers=[
            _("No."),
            _("Candidate"),
            _("Votes"),
            _("Share of valid ballots (%)"),
            _("Elected"),
            _("Further round"),
        ],
        rows=rows,
        title=_("Results"),
    )


@login_required
def motion_detail(request, pk):
    motion = selectors.motion_get(user=request.user, pk=pk)
    form = forms.CountForm(
        request.POST or None,
        initial={
            "votes_for": motion.votes_for,
            "votes_against": motion.votes_against,
            "votes_abstain": motion.votes_abstain,
        },
    )
    if request.method == "POST":
        try:
            if "release" in request.POST:
                services.motion_release(motion=motion, by=request.user)
                return redirect("elections:motion", motion.pk)
            if "count" in request.POST:
                services.motion_count(motion=motion, by=request.user)
                messages.success(request, _("Voting closed and counted."))
                return redirect("elections:motion", motion.pk)
            if form.is_valid():
                services.motion_record(motion=motion, by=request.user, **form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect("elections:motion", motion.pk)
        except DomainError as error:
            add_domain_error(form, error)
    attendance = congress_selectors.attendance(user=request.user, session=motion.session)
    tally = (
        selectors.motion_phone_tally(motion=motion)
        if motion.method == MotionMethod.PHONES
        else None
    )
    return render(
        request,
        "elections/motion.html",
        {
            "motion": motion,
            "form": form,
            "attendance": attendance,
            "tally": tally,
            "tally_total": sum(tally.values()) if tally else 0,
            "states": MotionState,
        },
    )
