"""Reads of personal data that are themselves recorded: the sensitive fields and look-ups
by identity document (DESIGN §2)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from unionhub.audit.services import log, log_many
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.members import identity, selectors
from unionhub.members.actions import Action
from unionhub.members.models import (
    SENSITIVE_FIELDS,
    IdKind,
    Member,
)
from unionhub.members.services.profile import _document_holder


@transaction.atomic
def member_sensitive_view(*, by: User, member: Member, in_form: bool = False) -> dict[str, str]:
    """Show `member`'s sensitive fields to `by`: every view of them is logged (DESIGN §2).

    `in_form`: the edit form shows them as field values; a form whose sensitive fields are all
    empty reveals nothing, so opening it is no view of sensitive data and is not logged."""
    values = selectors.member_sensitive(user=by, member=member)
    if in_form and not any(values.values()):
        return values
    log(by, Action.MEMBER_SENSITIVE_VIEWED, member, {"fields": list(SENSITIVE_FIELDS)})
    return values


class LookupLimited(DomainError):
    """The officer has looked up too many documents of members outside their units lately."""

    status = 429


def _lookups_allowed(by: User, members: list[Member]) -> set[int]:
    """Which of `members` (outside `by`'s units) `by` may still be told about: at most
    settings.DOCUMENT_LOOKUP_RATE = (count, seconds) distinct members per officer and window,
    counted in the shared cache under the officer's id (a member looked up again in the same
    window, as by an import's dry run and then its commit, is not counted twice)."""
    limit, window = settings.DOCUMENT_LOOKUP_RATE
    prefix = f"unionhub:lookups:{by.pk}:{int(time.time() // window)}"
    counter = f"{prefix}:count"
    allowed: set[int] = set()
    for member in members:
        seen = f"{prefix}:{member.pk}"
        if cache.get(seen) is None:
            cache.add(counter, 0, timeout=window)
            try:
                count = cache.incr(counter)
            except ValueError:  # expired between add and incr
                cache.set(counter, 1, timeout=window)
                count = 1
            if count > limit:
                continue
            cache.set(seen, 1, timeout=window)
        allowed.add(member.pk)
    return allowed


def document_lookups_record(*, by: User, members: list[Member], via: str) -> set[int]:
    """Record that `by` typed the document numbers of `members`: each member outside `by`'s
    units gets an audit row, and past the officer's rate nothing more may be said about them.
    Returns the ids of the members about whom nothing may be said. Its own transaction: the
    record stays when the admission it came with is refused."""
    hidden = [member for member in members if not scope.can(by, None, member.unit)]
    if not hidden:
        return set()
    allowed = _lookups_allowed(by, hidden)
    with transaction.atomic():
        for refused in (False, True):
            targets = [m for m in hidden if (m.pk in allowed) is not refused]
            log_many(
                by, Action.MEMBER_DOCUMENT_LOOKED_UP, targets, {"via": via, "refused": refused}
            )
    return {member.pk for member in hidden if member.pk not in allowed}


def lookup_limited() -> LookupLimited:
    return LookupLimited(
        "lookup_limited",
        _(
            "You have typed the document numbers of many members of other unions in a short "
            "time; wait a while and try again."
        ),
        field="id_number",
    )


def document_lookup(*, by: User, id_kind: str, id_number: str, via: str) -> None:
    """A document number typed on a form or sent to the API, before anything is done with it:
    recorded if it belongs to a member outside `by`'s units; LookupLimited past the rate."""
    kind = id_kind or IdKind.CCCD
    try:
        number = identity.normalise_number(kind, nfc(id_number or ""))
    except DomainError:
        return  # the form or service that follows says what is wrong with it
    holder = _document_holder(kind, number) if number else None
    if holder is not None and document_lookups_record(by=by, members=[holder], via=via):
        raise lookup_limited()
