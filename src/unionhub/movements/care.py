"""Care for members: a grassroots union proposes support for one of its members, a unit above
it approves or rejects it. Money from the union's own finance is posted, on approval, to the
deciding unit's books through finance's service (expense "support to members", naming the
member, paid in cash or by bank); other funds and goods are recorded here only."""

from __future__ import annotations

import datetime as dt

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
from unionhub.members.models import HOLDING_STATES, Member
from unionhub.movements.actions import Action
from unionhub.movements.models import Fund, SupportKind, SupportRecord, SupportState
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


def _require_above(by: User, record: SupportRecord, deciding_unit: Unit) -> None:
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
