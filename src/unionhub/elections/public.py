"""The delegate's voting page, reached from their card's page: no account, the signed card token
(checked by congress) is the key. Phone first, on congress's small phone template."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from unionhub.core.errors import DomainError
from unionhub.elections import forms, selectors, services
from unionhub.elections.models import Method, RoundState


def _refused(request, error: DomainError):
    return render(request, "congress/delegate_refused.html", {"error": error}, status=403)


@never_cache
@require_http_methods(["GET", "POST"])
def delegate_votes(request, token):
    try:
        delegate = selectors.delegate_by_token(token)
    except DomainError as error:
        return _refused(request, error)
    return _page(request, token, delegate)


def _page(request, token, delegate, receipt: str | None = None):
    open_rounds = []
    for round in selectors.delegate_rounds(delegate=delegate).filter(
        state=RoundState.OPEN, method=Method.ELECTRONIC
    ):
        voted = selectors.has_voted(round=round, delegate=delegate)
        form = None
        if not voted and selectors.is_eligible(delegate=delegate, session=round.election.session):
            form = forms.BallotForm(candidates=round.candidates.all(), prefix=f"r{round.pk}")
        open_rounds.append({"round": round, "voted": voted, "form": form})
    open_motions = [
        {
            "motion": motion,
            "choice": selectors.motion_choice_of(motion=motion, delegate=delegate),
            "eligible": selectors.is_eligible(delegate=delegate, session=motion.session),
            "form": forms.MotionVoteForm(prefix=f"m{motion.pk}"),
        }
        for motion in selectors.delegate_open_motions(delegate=delegate)
    ]
    receipt_checked = None
    if request.method == "POST" and "receipt" in request.POST and receipt is None:
        receipt_checked = selectors.receipt_counted(delegate=delegate, code=request.POST["receipt"])
    return render(
        request,
        "elections/delegate_votes.html",
        {
            "delegate": delegate,
            "congress": delegate.congress,
            "token": token,
            "open_rounds": open_rounds,
            "open_motions": open_motions,
            "reports": selectors.delegate_released_reports(delegate=delegate),
            "motions": selectors.delegate_released_motions(delegate=delegate),
            "receipt_checked": receipt_checked,
            "receipt": receipt,
        },
    )


@never_cache
@require_POST
def delegate_vote(request, token, round_pk):
    try:
        delegate = services.delegate_for_vote(token)
        round = selectors.delegate_open_round(delegate=delegate, pk=int(round_pk))
        form = forms.BallotForm(
            request.POST, candidates=round.candidates.all(), prefix=f"r{round.pk}"
        )
        if not form.is_valid():
            raise DomainError("bad_ballot", form.errors.as_text())
        code = services.vote_cast(round=round, delegate=delegate, kept=form.cleaned_data["kept"])
    except DomainError as error:
        return _refused(request, error)
    # The receipt is shown in this answer only: kept nowhere else (a session row would give it
    # a timestamp).
    return _page(request, token, delegate, receipt=code)


@never_cache
@require_POST
def delegate_motion_vote(request, token, motion_pk):
    try:
        delegate = services.delegate_for_vote(token)
        motion = selectors.delegate_open_motion(delegate=delegate, pk=int(motion_pk))
        form = forms.MotionVoteForm(request.POST, prefix=f"m{motion.pk}")
        if not form.is_valid():
            raise DomainError("bad_choice", _("Choose for, against or abstain."))
        services.motion_vote(motion=motion, delegate=delegate, choice=form.cleaned_data["choice"])
    except DomainError as error:
        return _refused(request, error)
    return _page(request, token, delegate)
