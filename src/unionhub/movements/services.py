"""Every change to campaigns, registrations, entries and scores: keyword-only, atomic, audited,
the permission checked first. Running a campaign needs the unit admin at its unit; registering
and submitting need the clerk of the registering unit (inside the campaign's subtree); a score is
written only by the juror whose sheet it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import scope, uploads
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.members.models import Member
from unionhub.movements.actions import Action
from unionhub.movements.models import (
    Campaign,
    Criterion,
    Entry,
    EntryFile,
    Juror,
    Participants,
    Registration,
    Rule,
    Score,
)
from unionhub.orgs.models import Unit

MAX_FILES = 10


@transaction.atomic
def campaign_create(
    *,
    unit: Unit,
    title: str,
    starts: dt.date,
    ends: dt.date,
    participants: str,
    rule: str,
    criteria: Iterable[tuple[str, int, Decimal]],
    description: str = "",
    by: User,
) -> Campaign:
    """A campaign with its criteria (name, maximum points, weight), in the order given."""
    scope.require(by, scope.UNIT_ADMIN, unit)
    title = nfc(title).strip()
    if not title:
        raise DomainError("title_required", _("Give the campaign a title."), field="title")
    if ends < starts:
        raise DomainError("period", _("The campaign cannot end before it starts."), field="ends")
    if rule not in Rule.values:
        raise DomainError("rule", _("Choose a combining rule."), field="rule")
    if participants not in Participants.values:
        raise DomainError("participants", _("Choose who may take part."), field="participants")
    rows = list(criteria)
    if not rows:
        raise DomainError("criteria", _("A campaign needs at least one criterion."))
    campaign = Campaign.objects.create(
        unit=unit, title=title, description=nfc(description).strip(), starts=starts, ends=ends,
        participants=participants, rule=rule, created_by=by,
    )  # fmt: skip
    seen: set[str] = set()
    for position, (name, max_points, weight) in enumerate(rows):
        name = nfc(name).strip()
        if not name or name in seen:
            raise DomainError(
                "criterion_name", _("Each criterion needs its own name (row %(row)s).")
                % {"row": position + 1}, row=position + 1,
            )  # fmt: skip
        if max_points <= 0 or weight <= 0:
            raise DomainError(
                "criterion_points",
                _("Maximum points and weight must be above zero (row %(row)s).")
                % {"row": position + 1},
                row=position + 1,
            )
        seen.add(name)
        Criterion.objects.create(
            campaign=campaign, name=name, max_points=max_points, weight=weight, position=position
        )
    log(by, Action.CAMPAIGN_CREATED, campaign, {"criteria": len(rows), "rule": rule})
    return campaign


@transaction.atomic
def juror_appoint(*, campaign: Campaign, user: User, by: User) -> Juror:
    """Seat an officer on the jury: one who holds a role at the campaign's unit or above."""
    scope.require(by, scope.UNIT_ADMIN, campaign.unit)
    if not scope.can(user, None, campaign.unit):
        raise DomainError("juror_scope", _("A juror must be an officer of the campaign's unit."))
    juror, created = Juror.objects.get_or_create(campaign=campaign, user=user)
    if created:
        log(by, Action.JUROR_APPOINTED, campaign, {"user": user.pk})
    return juror


@transaction.atomic
def register(
    *,
    campaign: Campaign,
    unit: Unit,
    member: Member | None = None,
    team: str = "",
    today: dt.date,
    by: User,
) -> Registration:
    """The unit takes part (for itself, a member of it, or a team), within the period."""
    if not unit.path.startswith(campaign.unit.path):
        raise OutOfScope()
    scope.require(by, scope.CLERK, unit)
    if today > campaign.ends:
        raise DomainError("closed", _("The campaign has ended."))
    team = nfc(team).strip()
    if campaign.participants == Participants.MEMBERS:
        if member is None:
            raise DomainError(
                "member", _("This campaign is for members: choose one."), field="member"
            )
        if not member.unit.path.startswith(unit.path):
            raise DomainError("member", _("The member is not in this unit."), field="member")
    elif member is not None:
        raise DomainError("member", _("This campaign is not for single members."), field="member")
    if campaign.participants == Participants.TEAMS and not team:
        raise DomainError("team", _("This campaign is for teams: name the team."), field="team")
    if campaign.participants != Participants.TEAMS:
        team = ""
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                campaign=campaign, unit=unit, member=member, team=team, registered_by=by
            )
    except IntegrityError as error:
        raise DomainError("registered", _("This registration already exists.")) from error
    log(by, Action.REGISTERED, registration, {"campaign": campaign.pk, "unit": unit.pk})
    return registration


@transaction.atomic
def entry_submit(
    *,
    registration: Registration,
    title: str,
    text: str,
    benefit: Decimal | None = None,
    files: Iterable[Any] = (),
    today: dt.date,
    by: User,
) -> Entry:
    """An entry of the registration: a text, files (each within the attachment ceiling) and the
    benefit it claims, while the campaign runs."""
    scope.require(by, scope.CLERK, registration.unit)
    campaign = registration.campaign
    if not campaign.starts <= today <= campaign.ends:
        raise DomainError("closed", _("Entries are taken only during the campaign's period."))
    title, text = nfc(title).strip(), nfc(text).strip()
    if not title or not text:
        raise DomainError("entry_text", _("An entry needs a title and a text."), field="text")
    if benefit is not None and benefit < 0:
        raise DomainError("benefit", _("The benefit cannot be negative."), field="benefit")
    uploaded = list(files)
    if len(uploaded) > MAX_FILES:
        raise DomainError(
            "files", _("At most %(n)s files per entry.") % {"n": MAX_FILES}, field="files"
        )
    for upload in uploaded:
        uploads.check_size(upload, uploads.ATTACHMENT, field="files")
    entry = Entry.objects.create(
        registration=registration, title=title, text=text, benefit=benefit, submitted_by=by
    )
    for upload in uploaded:
        EntryFile.objects.create(entry=entry, file=upload, name=upload.name[:255])
    log(by, Action.ENTRY_SUBMITTED, entry, {"files": len(uploaded)})
    return entry


@transaction.atomic
def scores_save(
    *, campaign: Campaign, entry: Entry, points: Mapping[int, Decimal | None], by: User
) -> int:
    """The juror's own points for an entry, criterion id → points (None clears). Nobody writes
    on another juror's sheet: the juror is the one `by` holds."""
    juror = Juror.objects.filter(campaign=campaign, user_id=by.pk).first()
    if juror is None:
        raise OutOfScope(_("Only the campaign's jurors score its entries."))
    if entry.registration.campaign_id != campaign.pk:
        raise OutOfScope()
    criteria = {c.pk: c for c in campaign.criteria.all()}
    for criterion_id, value in points.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise DomainError("criterion", _("Unknown criterion."))
        # NaN cannot be compared at all (Decimal raises), and Infinity is out of any range.
        if value is not None and not (
            value.is_finite() and Decimal(0) <= value <= criterion.max_points
        ):
            raise DomainError(
                "points",
                _("%(criterion)s: points go from 0 to %(max)s.")
                % {"criterion": criterion.name, "max": criterion.max_points},
                field=f"c{criterion_id}",
            )
    changed = 0
    for criterion_id, value in points.items():
        if value is None:
            changed += Score.objects.filter(
                juror=juror, entry=entry, criterion_id=criterion_id
            ).delete()[0]
        else:
            Score.objects.update_or_create(
                juror=juror, entry=entry, criterion_id=criterion_id, defaults={"points": value}
            )
            changed += 1
    log(by, Action.SCORES_SAVED, entry, {"campaign": campaign.pk, "criteria": changed})
    return changed
