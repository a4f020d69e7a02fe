"""Reads of documents, inboxes and outboxes. Already scoped: a unit's registers are read only by
officers whose roles reach that unit, and a document only through a unit that sent or got it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from unionhub.core import scope
from unionhub.core.errors import OutOfScope
from unionhub.core.text import fold
from unionhub.core.types import User
from unionhub.dispatch.models import (
    Attachment,
    Document,
    DocumentStatus,
    DocumentTarget,
    HandlingStatus,
    ReadReceipt,
    Recipient,
    TargetKind,
)
from unionhub.orgs import selectors as orgs_selectors
from unionhub.orgs.models import Level, RoleAssignment, Unit

# Documents, or the recipients of documents: the filters apply to either.
_Row = TypeVar("_Row", Document, Recipient)

# Roles whose holders at a recipient unit are told by e-mail that a document arrived.
NOTIFIED_ROLES = (scope.CLERK, scope.UNIT_ADMIN)


# Which unit's registers -------------------------------------------------------------------


def own_units(*, user: User) -> QuerySet[Unit]:
    """The units where the user holds a role themselves: whose registers they work in.

    A role also reaches the units below; their registers open only when picked explicitly.
    """
    ids = {g.unit_id for g in scope.grants(user)}
    return Unit.objects.filter(pk__in=ids, dissolved__isnull=True).order_by("path")


def own_units_with_unread(*, user: User) -> list[Unit]:
    units = list(own_units(user=user))
    counts = dict(
        Recipient.objects.filter(unit__in=units, read_at__isnull=True)
        .values("unit")
        .annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    for unit in units:
        # A figure for this page only, read by the template beside the unit's own fields.
        unit.unread = counts.get(unit.pk, 0)  # type: ignore[attr-defined]
    return units


def register_unit(*, user: User, pk: int) -> Unit:
    """A unit whose inbox and outbox the user may read (any role reaching it)."""
    return orgs_selectors.unit_get(user=user, pk=pk)


def unread_count(*, user: User) -> int:
    """Unread documents in the inboxes of the user's own units: the navigation badge."""
    ids = {g.unit_id for g in scope.grants(user)}
    if not ids:
        return 0
    return Recipient.objects.filter(unit_id__in=ids, read_at__isnull=True).count()


def unit_search(*, user: User, query: str) -> QuerySet[Unit]:
    """Units in scope to open the registers of (for officers of upper units)."""
    return orgs_selectors.unit_search(user=user, query=query, limit=30)


# Lists -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentFilters:
    """Search shared by inbox and outbox; empty fields do not filter."""

    number: str = ""
    summary: str = ""
    doc_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sender: str = ""
    status: str = ""
    sort: str = ""

    def apply_to_documents(self, qs: QuerySet[_Row], prefix: str = "") -> QuerySet[_Row]:
        if self.number:
            number = self.number.strip()
            condition = Q(**{f"{prefix}symbol__iexact": number})
            condition |= Q(**{f"{prefix}symbol__istartswith": number + "/"})
            if number.isdigit():
                condition |= Q(**{f"{prefix}number": int(number)})
            qs = qs.filter(condition)
        if folded := fold(self.summary):
            qs = qs.filter(**{f"{prefix}summary_folded__contains": folded})
        if self.doc_type:
            qs = qs.filter(**{f"{prefix}doc_type": self.doc_type})
        if self.date_from:
            qs = qs.filter(**{f"{prefix}date__gte": self.date_from})
        if self.date_to:
            qs = qs.filter(**{f"{prefix}date__lte": self.date_to})
        if sender := self.sender.strip():
            qs = qs.filter(
                Q(**{f"{prefix}unit__name_folded__contains": fold(sender)})
                | Q(**{f"{prefix}unit__code__iexact": sender})
            )
        return qs


INBOX_SORTS = {
    "number": ("incoming_year", "incoming_number"),
    "-number": ("-incoming_year", "-incoming_number"),
    "date": ("document__date", "incoming_number"),
    "-date": ("-document__date", "-incoming_number"),
    "deadline": ("deadline", "-incoming_number"),
    "-deadline": ("-deadline", "-incoming_number"),
    "sender": ("document__unit__sort_key", "-incoming_number"),
}
OUTBOX_SORTS = {
    "number": ("status", "year", "number"),
    "-number": ("-status", "-year", "-number"),
    "date": ("date", "number"),
    "-date": ("-date", "-number"),
    "created": ("created",),
    "-created": ("-created",),
}


def inbox(*, user: User, unit: Unit, filters: DocumentFilters | None = None) -> QuerySet[Recipient]:
    """The unit's incoming register, newest first unless sorted otherwise."""
    scope.require(user, None, unit)
    filters = filters or DocumentFilters()
    qs = filters.apply_to_documents(Recipient.objects.filter(unit=unit), prefix="document__")
    today = timezone.localdate()
    if filters.status == "unread":
        qs = qs.filter(read_at__isnull=True)
    elif filters.status == "overdue":
        qs = qs.filter(deadline__lt=today).exclude(status=HandlingStatus.DONE)
    elif filters.status in HandlingStatus.values:
        qs = qs.filter(status=filters.status)
    order = INBOX_SORTS.get(filters.sort, INBOX_SORTS["-number"])
    return qs.select_related("document", "document__unit", "read_by", "assignee").order_by(*order)


def outbox(*, user: User, unit: Unit, filters: DocumentFilters | None = None) -> QuerySet[Document]:
    """The unit's documents, drafts first, with delivery figures."""
    scope.require(user, None, unit)
    filters = filters or DocumentFilters()
    qs = filters.apply_to_documents(Document.objects.filter(unit=unit))
    if filters.status in DocumentStatus.values:
        qs = qs.filter(status=filters.status)
    order = OUTBOX_SORTS.get(filters.sort, ("status", "-year", "-number", "-created"))
    return (
        qs.select_related("unit")
        .annotate(
            recipient_count=Count("recipients"),
            read_count=Count("recipients", filter=Q(recipients__read_at__isnull=False)),
            done_count=Count("recipients", filter=Q(recipients__status=HandlingStatus.DONE)),
        )
        .order_by(*order)
    )


# One document ------------------------------------------------------------------------------


@dataclass
class DocumentView:
    """A document as seen from one unit: as its sender, or as one of its recipients."""

    document: Document
    unit: Unit
    recipient: Recipient | None

    @property
    def is_sender(self) -> bool:
        return self.document.unit_id == self.unit.pk


def document_for_unit(*, user: User, unit: Unit, pk: int) -> DocumentView:
    """Document `pk` in `unit`'s outbox (drafts included) or inbox; anything else is refused."""
    scope.require(user, None, unit)
    document = (
        Document.objects.select_related(
            "unit", "supersedes", "reply_to", "reply_to__unit", "issued_by", "created_by"
        )
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise OutOfScope()
    if document.unit_id == unit.pk:
        return DocumentView(document, unit, None)
    recipient = (
        Recipient.objects.filter(document=document, unit=unit)
        .select_related("read_by", "assignee", "done_by")
        .first()
    )
    if recipient is None:
        raise OutOfScope()
    return DocumentView(document, unit, recipient)


def recipient_get(*, user: User, unit: Unit, document_pk: int) -> Recipient:
    view = document_for_unit(user=user, unit=unit, pk=document_pk)
    if view.recipient is None:
        raise OutOfScope()
    return view.recipient


def attachment_get(*, user: User, unit: Unit, document_pk: int, pk: int) -> Attachment:
    """An attachment, for the sender and the recipients of its document only."""
    view = document_for_unit(user=user, unit=unit, pk=document_pk)
    attachment = view.document.attachments.filter(pk=pk).first()
    if attachment is None:
        raise OutOfScope()
    return attachment


def related_documents(*, view: DocumentView) -> dict[str, list[Document]]:
    """Corrections and replies that the viewing unit sent or received."""
    document = view.document
    visible = Q(unit=view.unit) | Q(status=DocumentStatus.ISSUED, recipients__unit=view.unit)
    return {
        "corrections": list(
            Document.objects.filter(visible, supersedes=document, status=DocumentStatus.ISSUED)
            .distinct()
            .select_related("unit")
        ),
        "replies": list(
            Document.objects.filter(visible, reply_to=document).distinct().select_related("unit")
        ),
    }


def is_superseded(*, document: Document) -> bool:
    return document.corrections.filter(status=DocumentStatus.ISSUED).exists()


def tracking(*, user: User, document: Document, state: str = "") -> QuerySet[Recipient]:
    """Per recipient: delivered, read (when, by whom), handled. For the sender only."""
    scope.require(user, None, document.unit)
    qs = Recipient.objects.filter(document=document)
    if state == "unread":
        qs = qs.filter(read_at__isnull=True)
    elif state == "read":
        qs = qs.filter(read_at__isnull=False)
    elif state == "done":
        qs = qs.filter(status=HandlingStatus.DONE)
    return qs.select_related("unit", "read_by", "done_by").order_by("unit__path")


@dataclass(frozen=True)
class TrackingFigures:
    delivered: int
    read: int
    done: int

    @property
    def unread(self) -> int:
        return self.delivered - self.read


def tracking_figures(*, document: Document) -> TrackingFigures:
    figures = Recipient.objects.filter(document=document).aggregate(
        delivered=Count("pk"),
        read=Count("pk", filter=Q(read_at__isnull=False)),
        done=Count("pk", filter=Q(status=HandlingStatus.DONE)),
    )
    return TrackingFigures(**figures)


def readers(*, recipient: Recipient) -> QuerySet[ReadReceipt]:
    return recipient.receipts.select_related("user")


# Recipients of a draft ---------------------------------------------------------------------


def target_kinds(*, document: Document, unit: Unit) -> list[str]:
    """How `document` may be sent to `unit`: any way inside the issuing unit's own subtree
    (itself included, as "my whole subtree"); above it, or back to the sender of the document
    being answered, only as that single unit; to a recipient of the document being corrected,
    the way that document went. Never a subtree outside the issuing unit's reach."""
    own = document.unit
    if unit.path.startswith(own.path):
        kinds: list[str] = [TargetKind.SUBTREE, TargetKind.GRASSROOTS]
        return kinds if unit.pk == own.pk else [TargetKind.UNIT, *kinds]
    allowed: set[str] = set()
    answered = document.reply_to
    if own.path.startswith(unit.path) or (answered is not None and unit.pk == answered.unit_id):
        allowed.add(TargetKind.UNIT)
    if (corrected := document.supersedes) is not None:
        allowed.update(corrected.targets.filter(unit=unit).values_list("kind", flat=True))
    return [kind for kind in TargetKind.values if kind in allowed]


def target_allowed(*, document: Document, unit: Unit, kind: str) -> bool:
    return kind in target_kinds(document=document, unit=unit)


def target_unit(*, document: Document, pk: int) -> Unit:
    """A unit the draft may be sent to (outside the user's scope when it is above)."""
    unit = Unit.objects.filter(pk=pk, dissolved__isnull=True).first()
    if unit is None or not target_kinds(document=document, unit=unit):
        raise OutOfScope()
    return unit


def draft_target(*, document: Document, pk: int) -> DocumentTarget:
    target = document.targets.select_related("unit", "document").filter(pk=pk).first()
    if target is None:
        raise OutOfScope()
    return target


CANDIDATES_SHOWN = 30


@dataclass(frozen=True)
class Candidate:
    unit: Unit
    kinds: list[str]


@dataclass(frozen=True)
class Candidates:
    found: list[Candidate]
    more: int  # matching units below the issuing unit that were not listed


def recipient_candidates(*, document: Document, query: str) -> Candidates:
    """Units a draft may be sent to whose name or code matches `query`, each with the ways it may
    be sent there. The issuing unit's own subtree comes first, whatever the query."""
    own = document.unit
    found = [Candidate(own, target_kinds(document=document, unit=own))]
    folded = fold(query)
    if not folded:
        return Candidates(found=found, more=0)
    matches = Q(name_folded__contains=folded) | Q(code__iexact=query.strip())
    below = Unit.objects.filter(own.subtree_q(), matches, dissolved__isnull=True).exclude(pk=own.pk)
    above = Unit.objects.filter(matches, path__in=own.ancestor_paths(), dissolved__isnull=True)
    shown = list(below.order_by("level", "sort_key")[:CANDIDATES_SHOWN])
    more = below.count() - len(shown) if len(shown) == CANDIDATES_SHOWN else 0
    for unit in [*above.order_by("path"), *shown]:
        # A subtree of a unit with nothing under it is that unit: offer only what differs.
        kinds = [
            kind
            for kind in target_kinds(document=document, unit=unit)
            if kind == TargetKind.UNIT
            or (kind == TargetKind.SUBTREE and unit.level < Level.SUB_UNIT)
            or unit.level < Level.GRASSROOTS
        ]
        if kinds:
            found.append(Candidate(unit, kinds))
    return Candidates(found=found, more=more)


def _alive_on(unit: Unit, on: dt.date) -> bool:
    return unit.founded <= on and (unit.dissolved is None or unit.dissolved > on)


def recipients_preview(
    *, document: Document, on: dt.date, limit: int = 200
) -> tuple[int, list[Unit]]:
    """How many units `document` would reach if issued on `on`, and the first `limit` of them
    by name: what the clerk confirms before the irreversible issue."""
    ids = recipients_resolve(document=document, on=on)
    return len(ids), list(Unit.objects.filter(pk__in=ids).order_by("name")[:limit])


def recipients_resolve(*, document: Document, on: dt.date) -> list[int]:
    """The recipient unit ids of `document` issued on `on`, from the tree as it stood then.

    "Subtree of X" is X and every unit under it that day; "grassroots under X" keeps those of
    grassroots level. The issuing unit never receives its own document. Subtrees come from the
    orgs selector for the tree as it stood that day.
    """
    targets = list(document.targets.select_related("unit"))
    ids: set[int] = set()
    for target in targets:
        if target.kind == TargetKind.UNIT:
            if _alive_on(target.unit, on):
                ids.add(target.unit_id)
            continue
        subtree = orgs_selectors.subtree_ids_as_of(target.unit, on)
        if target.kind == TargetKind.GRASSROOTS:
            subtree = set(
                Unit.objects.filter(pk__in=subtree, level=Level.GRASSROOTS).values_list(
                    "pk", flat=True
                )
            )
        ids |= subtree
    ids.discard(document.unit_id)
    return sorted(ids)


# Handling ----------------------------------------------------------------------------------


def assignable_officers(*, unit: Unit) -> QuerySet[User]:
    """Officers holding a role at the recipient unit itself: whom a document can go to."""
    user_ids = RoleAssignment.objects.filter(unit=unit).values("user")
    return (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .order_by("first_name", "username")
    )


def notification_addresses(*, unit_ids: list[int]) -> dict[int, list[str]]:
    """{unit id: e-mail addresses of its clerks and admins}, for notifications (system read)."""
    result: dict[int, list[str]] = defaultdict(list)
    rows = (
        RoleAssignment.objects.filter(
            unit_id__in=unit_ids, role__in=NOTIFIED_ROLES, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("unit_id", "user__email")
        .distinct()
    )
    for unit_id, email in rows:
        if email not in result[unit_id]:
            result[unit_id].append(email)
    return result


# API ---------------------------------------------------------------------------------------


def api_units(*, user: User, unit_param: str | None) -> QuerySet[Unit]:
    """The units an API call reads the registers of: `?unit=` (id or code) or the own units."""
    if unit_param:
        lookup = {"pk": int(unit_param)} if unit_param.isdigit() else {"code": unit_param}
        unit = scope.units(user, include_dissolved=True).filter(**lookup).first()
        if unit is None:
            raise OutOfScope()
        return Unit.objects.filter(pk=unit.pk)
    return own_units(user=user)


def api_inbox(
    *, user: User, units: QuerySet[Unit], filters: DocumentFilters
) -> QuerySet[Recipient]:
    qs = Recipient.objects.filter(unit__in=scope.restrict(units, user, via=""))
    qs = filters.apply_to_documents(qs, prefix="document__")
    return qs.select_related("document", "document__unit", "unit", "read_by", "assignee").order_by(
        "-delivered_at", "-incoming_number"
    )


def api_outbox(
    *, user: User, units: QuerySet[Unit], filters: DocumentFilters
) -> QuerySet[Document]:
    qs = Document.objects.filter(unit__in=scope.restrict(units, user, via=""))
    qs = filters.apply_to_documents(qs)
    return qs.select_related("unit").order_by("-issued_at", "-created")


def api_documents(*, user: User) -> QuerySet[Document]:
    """Documents sent by a unit in scope (drafts too) or received by one."""
    if scope.is_unrestricted(user):
        return Document.objects.select_related("unit").order_by("-issued_at", "-created")
    in_scope = scope.units(user, include_dissolved=True)
    received = Recipient.objects.filter(document=OuterRef("pk"), unit__in=in_scope)
    return (
        Document.objects.filter(Q(unit__in=in_scope) | Q(Exists(received)))
        .select_related("unit")
        .order_by("-issued_at", "-created")
    )
