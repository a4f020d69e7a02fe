"""Care for members: a grassroots union proposes support for one of its members, a unit above
it approves or rejects it. Money from the union's own finance is posted, on approval, to the
deciding unit's books through finance's service (expense "support to members", naming the
member, paid in cash or by bank); other funds and goods are recorded here only.

Shelter houses (Mái ấm Công đoàn) follow the same proposal and decision, then are built and
handed over; their cost is met by contributors (often sponsors outside the union), recorded
here and not booked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.finance import services as finance
from unionhub.finance.models import Account
from unionhub.finance.money import vnd
from unionhub.members.models import HOLDING_STATES, Member
from unionhub.movements.actions import Action
from unionhub.movements.models import (
    Fund,
    Proposal,
    ShelterContribution,
    ShelterHouse,
    ShelterState,
    SupportKind,
    SupportRecord,
    SupportState,
)
from unionhub.orgs.models import Unit


@transaction.atomic
def support_propose(
    *,
    member: Member,
    kind: str,
    date: dt.date,
    fund: str,
    amount: int | None = None,
    goods: str = "",
    note: str = "",
    by: User,
) -> SupportRecord:
    """The member's grassroots union proposes support (its clerk or unit admin)."""
    scope.require(by, scope.CLERK, member.unit)
    if member.state not in HOLDING_STATES:
        raise DomainError("member_state", _("Support is for a member in the union."))
    if kind not in SupportKind.values or fund not in Fund.values:
        raise DomainError("kind", _("Choose the kind of support and its fund."), field="kind")
    goods = nfc(goods).strip()
    if amount is not None and amount <= 0:
        raise DomainError("amount", _("The amount must be more than zero."), field="amount")
    if amount is None and not goods:
        raise DomainError("amount", _("Give an amount or describe the goods."), field="amount")
    record = SupportRecord.objects.create(
        member=member, unit=member.unit, kind=kind, date=date, amount=amount, goods=goods,
        fund=fund, note=nfc(note).strip(), proposed_by=by,
    )  # fmt: skip
    log(by, Action.SUPPORT_PROPOSED, record, {"kind": kind, "amount": amount})
    return record


def _locked_proposal(record: SupportRecord) -> SupportRecord:
    record = (
        SupportRecord.objects.select_for_update().select_related("member", "unit").get(pk=record.pk)
    )
    if record.state != SupportState.PROPOSED:
        raise DomainError("decided", _("This proposal has already been decided."))
    return record


def _require_above(by: User, record: Proposal, deciding_unit: Unit) -> None:
    """The decision is taken above the proposing union, by a unit admin there."""
    if deciding_unit.pk == record.unit_id or not record.unit.path.startswith(deciding_unit.path):
        raise DomainError(
            "deciding_unit", _("A unit above the proposing union decides."), field="unit"
        )
    scope.require(by, scope.UNIT_ADMIN, deciding_unit)


@transaction.atomic
def support_approve(
    *,
    record: SupportRecord,
    deciding_unit: Unit,
    paid_on: dt.date,
    by: User,
    via: str = Account.CASH,
) -> SupportRecord:
    """Approve; money from the union's finance is posted to the deciding unit's books."""
    record = _locked_proposal(record)
    _require_above(by, record, deciding_unit)
    if record.fund == Fund.UNION_FINANCE and record.amount:
        record.ledger_entry = finance.cash_record(
            unit=deciding_unit, date=paid_on, account=Account.SUPPORT_EXPENSE,
            amount=record.amount, member=record.member, via=via, by=by,
            description=_("Support to %(name)s: %(kind)s")
            % {"name": record.member.full_name, "kind": record.get_kind_display()},
        )  # fmt: skip
    record.state, record.deciding_unit = SupportState.APPROVED, deciding_unit
    record.decided_by, record.decided = by, timezone.now()
    record.save()
    log(by, Action.SUPPORT_APPROVED, record, {"unit": deciding_unit.code})
    return record


@transaction.atomic
def support_reject(*, record: SupportRecord, deciding_unit: Unit, by: User) -> SupportRecord:
    record = _locked_proposal(record)
    _require_above(by, record, deciding_unit)
    record.state, record.deciding_unit = SupportState.REJECTED, deciding_unit
    record.decided_by, record.decided = by, timezone.now()
    record.save()
    log(by, Action.SUPPORT_REJECTED, record, {"unit": deciding_unit.code})
    return record


@transaction.atomic
def shelter_propose(
    *,
    member: Member,
    address: str,
    cost: int,
    contributions: Iterable[tuple[str, int]],
    note: str = "",
    by: User,
) -> ShelterHouse:
    """The member's grassroots union proposes a house; the contributors' amounts must add up to
    its cost, so that the proposal says who pays all of it."""
    scope.require(by, scope.CLERK, member.unit)
    if member.state not in HOLDING_STATES:
        raise DomainError("member_state", _("A shelter house is for a member in the union."))
    address = nfc(address).strip()
    if not address:
        raise DomainError("address", _("Give the address of the house."), field="address")
    if cost <= 0:
        raise DomainError("cost", _("The cost must be more than zero."), field="cost")
    rows = [(nfc(name).strip(), amount) for name, amount in contributions]
    if not rows:
        raise DomainError(
            "contributions", _("Name at least one contributor."), field="contributions"
        )
    for number, (name, amount) in enumerate(rows, start=1):
        if not name or amount <= 0:
            raise DomainError(
                "contributions",
                _("Contributor %(row)s needs a name and an amount above zero.") % {"row": number},
                field="contributions",
                row=number,
            )
    total = sum(amount for _name, amount in rows)
    if total != cost:
        raise DomainError(
            "contributions_sum",
            _("The contributions add up to %(total)s but the house costs %(cost)s.")
            % {"total": vnd(total), "cost": vnd(cost)},
            field="contributions",
        )
    house = ShelterHouse.objects.create(
        member=member, unit=member.unit, address=address, cost=cost, note=nfc(note).strip(),
        proposed_by=by,
    )  # fmt: skip
    ShelterContribution.objects.bulk_create(
        ShelterContribution(house=house, contributor=name, amount=amount) for name, amount in rows
    )
    log(by, Action.SHELTER_PROPOSED, house, {"cost": cost, "contributors": len(rows)})
    return house


def _locked_house(house: ShelterHouse) -> ShelterHouse:
    # Locks the row: two officers pressing the same step at once must not both record it.
    return ShelterHouse.objects.select_for_update().select_related("unit").get(pk=house.pk)


@transaction.atomic
def shelter_decide(
    *, house: ShelterHouse, deciding_unit: Unit, approve: bool, on: dt.date, by: User
) -> ShelterHouse:
    """A unit admin above the proposing union approves or rejects the proposal."""
    house = _locked_house(house)
    if house.state != ShelterState.PROPOSED:
        raise DomainError("decided", _("This proposal has already been decided."))
    _require_above(by, house, deciding_unit)
    house.state = ShelterState.APPROVED if approve else ShelterState.REJECTED
    house.deciding_unit, house.decided_by, house.decided_on = deciding_unit, by, on
    house.save()
    action = Action.SHELTER_APPROVED if approve else Action.SHELTER_REJECTED
    log(by, action, house, {"unit": deciding_unit.code, "on": on.isoformat()})
    return house


_NEXT_STEP: dict[str, str] = {
    ShelterState.APPROVED: ShelterState.BUILT,
    ShelterState.BUILT: ShelterState.HANDED_OVER,
}


@transaction.atomic
def shelter_progress(*, house: ShelterHouse, on: dt.date, today: dt.date, by: User) -> ShelterHouse:
    """The next step of an approved house: built, then handed over to the member. Recorded by
    the proposing union's clerk (or anyone holding the role above it), on a day not in the
    future and not before the step before it."""
    house = _locked_house(house)
    current = house.state
    if current not in _NEXT_STEP:
        raise DomainError("shelter_state", _("Only an approved house is built and handed over."))
    scope.require(by, scope.CLERK, house.unit)
    after = house.decided_on if current == ShelterState.APPROVED else house.built_on
    if on > today or (after is not None and on < after):
        raise DomainError(
            "shelter_date",
            _("The date must lie between %(after)s and today.")
            % {"after": after.strftime("%d/%m/%Y") if after else "—"},
            field="on",
        )
    house.state = _NEXT_STEP[current]
    if house.state == ShelterState.BUILT:
        house.built_on = on
        action = Action.SHELTER_BUILT
    else:
        house.handed_over_on = on
        action = Action.SHELTER_HANDED_OVER
    house.save()
    log(by, action, house, {"on": on.isoformat()})
    return house
