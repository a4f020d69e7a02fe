"""Consents given and withdrawn by the registrar, erasure, and the registrar's subject export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit import services as audit
from unionhub.audit.services import TargetRef
from unionhub.core import scope
from unionhub.core.errors import DomainError
from unionhub.core.types import User
from unionhub.members.models import Member
from unionhub.orgs.models import Unit
from unionhub.privacy import selectors, subject
from unionhub.privacy.actions import Action
from unionhub.privacy.models import ERASED_FIELDS, Consent, Method, Purpose


def consent_record(
    *, member: Member, purpose: str, given_on: dt.date, method: str, by: User
) -> Consent:
    """Record that `member` consented to `purpose` on `given_on` (paper form or in person)."""
    scope.require(by, scope.REGISTRAR, member.unit)
    if purpose not in Purpose.values:
        raise DomainError("consent.purpose", _("Unknown purpose."), field="purpose")
    if method not in Method.values:
        raise DomainError("consent.method", _("Unknown way of giving consent."), field="method")
    if given_on > timezone.localdate():
        raise DomainError(
            "consent.future", _("Consent cannot be given in the future."), field="given_on"
        )
    with transaction.atomic():
        # Locks the member so two registrars cannot both record the same standing consent.
        Member.objects.select_for_update().filter(pk=member.pk).first()
        if Consent.objects.filter(
            member=member, purpose=purpose, withdrawn_on__isnull=True
        ).exists():
            raise DomainError(
                "consent.standing",
                _("This member's consent to this purpose is already recorded."),
                field="purpose",
            )
        consent = Consent.objects.create(
            member=member, purpose=purpose, given_on=given_on, method=method, recorded_by=by
        )
        audit.log(
            by,
            Action.CONSENT_GIVEN,
            member,
            {"consent": consent.pk, "purpose": purpose, "given_on": given_on, "method": method},
        )
    return consent


def consents_import(
    *, values: list[tuple[int, dt.date]], purpose: str, unit: Unit, by: User, source: str
) -> int:
    """Record the consents of a member list's column (core.registry import_columns, read by the
    member import): each (member id, day) is a consent to `purpose` given on the union's paper
    form that day. A member whose consent to the purpose stands keeps it as it is (its date and
    how it was given); members outside `unit`'s subtree or the registrar's reach are left out.
    Runs inside the import's transaction; one audit row per consent recorded, as consent_record
    writes. Returns how many were recorded."""
    scope.require(by, scope.REGISTRAR, unit)
    if purpose not in Purpose.values:
        raise DomainError("consent.purpose", _("Unknown purpose."), field="purpose")
    today = timezone.localdate()
    given = dict(values)
    ids = list(given)
    with transaction.atomic():
        members = dict(
            scope.restrict(Member.objects.filter(pk__one_of=ids), by, role=scope.REGISTRAR)
            .filter(scope.subtree_q(unit.path, via="unit"))
            .values_list("pk", "full_name")
        )
        standing = set(
            Consent.objects.filter(
                member__pk__one_of=ids, purpose=purpose, withdrawn_on__isnull=True
            ).values_list("member_id", flat=True)
        )
        consents = Consent.objects.bulk_create(
            [
                Consent(
                    member_id=member_id,
                    purpose=purpose,
                    given_on=min(day, today),
                    method=Method.PAPER,
                    recorded_by=by,
                )
                for member_id, day in given.items()
                if member_id in members and member_id not in standing
            ],
            batch_size=2000,
        )
        audit.log_many(
            by,
            Action.CONSENT_GIVEN,
            [TargetRef(Member, c.member_id, members[c.member_id]) for c in consents],
            {"purpose": purpose, "method": Method.PAPER, "source": source},
        )
    return len(consents)


def consent_withdraw(*, consent: Consent, withdrawn_on: dt.date, by: User) -> Consent:
    """Record the member's withdrawal of a consent; processing for the purpose stops at once."""
    scope.require(by, scope.REGISTRAR, consent.member.unit)
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_on is not None:
            raise DomainError("consent.withdrawn", _("This consent was already withdrawn."))
        if withdrawn_on < consent.given_on or withdrawn_on > timezone.localdate():
            raise DomainError(
                "consent.withdrawal_date",
                _("The withdrawal date must lie between the consent date and today."),
                field="withdrawn_on",
            )
        consent.withdrawn_on = withdrawn_on
        consent.save(update_fields=["withdrawn_on"])
        audit.log(
            by,
            Action.CONSENT_WITHDRAWN,
            consent.member,
            {"consent": consent.pk, "purpose": consent.purpose, "withdrawn_on": withdrawn_on},
        )
    return consent


def member_anonymise(*, member: Member, by: User) -> Member:
    """Erase the person from the registry while keeping the statistics: every identifying and
    contact field is blanked, the name is replaced by a neutral label, the photo files are
    deleted, the audit trail about them is redacted; the membership events and periods, gender,
    join date, unit, state and the education/occupation columns the statistics count stay, so
    every fluctuation report gives the same figures before and after.

    Refused while a retention rule (settings.PRIVACY_RETENTION_YEARS) keeps any class of data.
    The year of birth is kept (1 July of it) for the age bands of the unit statistics."""
    scope.require(by, scope.REGISTRAR, member.unit)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.full_name == anonymous_name(member):
            raise DomainError("anonymise.done", _("This member was already anonymised."))
        blockers = selectors.erasure_blockers(member)
        if blockers:
            raise DomainError(
                "anonymise.retention", " ".join(blocker.reason for blocker in blockers)
            )
        files = [name for name in (member.photo.name, member.photo_thumb.name) if name]
        born = member.birth_date
        erased = [name for fields in ERASED_FIELDS.values() for name in fields]
        for name in erased:
            field = Member._meta.get_field(name)
            setattr(member, name, None if field.null else "")
        member.full_name = anonymous_name(member)
        member.birth_date = born.replace(month=7, day=1) if born else None
        member.completeness = member.compute_completeness()
        member.version += 1
        member.save()
        Consent.objects.filter(member=member, withdrawn_on__isnull=True).update(
            withdrawn_on=timezone.localdate()
        )
        audit.redact(member, fields=tuple(erased))
        audit.log(by, Action.MEMBER_ANONYMISED, member, {"classes": list(ERASED_FIELDS)})
        # Files are not transactional: delete them only once the row no longer names them, and
        # only those no other member shares (the demo's portraits are shared).
        transaction.on_commit(lambda: _delete_unshared(files))
    return member


def anonymous_name(member: Member) -> str:
    """The neutral label an anonymised member carries, the same in every language."""
    return f"# {member.public_id.hex[:8].upper()}"


def _delete_unshared(names: list[str]) -> None:
    storage = Member._meta.get_field("photo").storage
    for name in names:
        if not Member.objects.filter(Q(photo=name) | Q(photo_thumb=name)).exists():
            storage.delete(name)


def subject_export(*, member: Member, by: User, file_format: str) -> dict[str, Any]:
    """Everything held about the member (their right of access), logged as a personal-data
    export: the registrars of the member's unit give it to the member."""
    scope.require(by, scope.REGISTRAR, member.unit)
    with transaction.atomic():
        data = subject.subject_data(member)
        audit.log(by, Action.SUBJECT_EXPORTED, member, {"format": file_format})
    return data
