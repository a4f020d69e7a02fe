"""Every change to documents and registers. Keyword-only, atomic, scoped, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from pypdf import PdfReader

from unionhub.audit.services import log, log_many
from unionhub.core import scope, uploads
from unionhub.core.errors import DomainError
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.dispatch import selectors, tasks
from unionhub.dispatch.actions import Action
from unionhub.dispatch.models import (
    Attachment,
    Document,
    DocumentStatus,
    DocumentTarget,
    DocumentType,
    HandlingStatus,
    ReadReceipt,
    Recipient,
    Register,
    RegisterKind,
    TargetKind,
    Urgency,
)
from unionhub.orgs.models import Unit

EDITABLE_FIELDS = ("doc_type", "department", "signer", "signer_title", "summary", "urgency")


# Numbering ---------------------------------------------------------------------------------


def _allocate(unit_ids: Iterable[int], *, year: int, kind: str) -> dict[int, int]:
    """The next number of each unit's register for `year`, inside the caller's transaction.

    Locks the register rows (in unit order, so two issues to overlapping recipients cannot
    deadlock) and increments them in one UPDATE; a rolled-back issue returns its numbers.
    """
    unit_ids = sorted(set(unit_ids))
    registers = Register.objects.filter(unit_id__in=unit_ids, year=year, kind=kind)
    existing = set(registers.values_list("unit_id", flat=True))
    if missing := [u for u in unit_ids if u not in existing]:
        # A concurrent issue may create the same row first: it then simply exists.
        Register.objects.bulk_create(
            [Register(unit_id=u, year=year, kind=kind) for u in missing],
            ignore_conflicts=True,
            batch_size=500,
        )
    locked = dict(registers.select_for_update().order_by("unit_id").values_list("unit_id", "last"))
    registers.update(last=F("last") + 1)
    return {unit_id: last + 1 for unit_id, last in locked.items()}


def document_symbol(*, number: int, doc_type: str, unit: Unit, department: str = "") -> str:
    """'125/LĐLĐ-TC' for an official letter, '12/QĐ-LĐLĐ' for the other types (Decree 30)."""
    unit_symbol = unit.short_name or unit.code
    if doc_type == DocumentType.OFFICIAL_LETTER:
        tail = f"{unit_symbol}-{department}" if department else unit_symbol
    else:
        tail = f"{doc_type}-{unit_symbol}"
    return f"{number}/{tail}"


# Drafts ------------------------------------------------------------------------------------


def _locked_draft(document: Document) -> Document:
    """Re-read the draft under lock: a concurrent issue must not be edited behind its back."""
    # of=self: locking the joined unit row too would serialise every issue of the unit.
    current = (
        Document.objects.select_for_update(of=("self",)).select_related("unit").get(pk=document.pk)
    )
    if current.is_issued:
        raise DomainError(
            "document_issued",
            _("%(symbol)s has been issued and can no longer be changed; issue a correction.")
            % {"symbol": current.symbol},
        )
    return current


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("These fields cannot be set: %s") % sorted(unknown))
    cleaned = {k: nfc(v) if isinstance(v, str) else v for k, v in fields.items()}
    if "department" in cleaned:
        cleaned["department"] = cleaned["department"].upper()
    if "doc_type" in cleaned and cleaned["doc_type"] not in DocumentType.values:
        raise DomainError("invalid_type", _("Unknown document type."), field="doc_type")
    if "urgency" in cleaned and cleaned["urgency"] not in Urgency.values:
        raise DomainError("invalid_urgency", _("Unknown urgency."), field="urgency")
    if "summary" in cleaned and not cleaned["summary"]:
        raise DomainError("summary_required", _("Every document needs a summary."), field="summary")
    return cleaned


@transaction.atomic
def document_draft(
    *,
    unit: Unit,
    by: User,
    doc_type: str,
    summary: str,
    signer: str = "",
    signer_title: str = "",
    department: str = "",
    urgency: str = Urgency.NORMAL,
) -> Document:
    """Start a document at `unit`; it gets its number only when issued."""
    scope.require(by, scope.CLERK, unit)
    if not unit.is_active:
        raise DomainError("unit_dissolved", _("A dissolved unit cannot issue documents."))
    fields = _clean_fields(
        {
            "doc_type": doc_type,
            "summary": summary,
            "signer": signer,
            "signer_title": signer_title,
            "department": department,
            "urgency": urgency,
        }
    )
    document = Document.objects.create(unit=unit, created_by=by, **fields)
    log(by, Action.DOCUMENT_DRAFTED, document, {"unit": unit.code, "type": doc_type})
    return document


@transaction.atomic
def document_update(*, document: Document, by: User, **fields: Any) -> Document:
    """Change a draft's fields; an issued document refuses."""
    scope.require(by, scope.CLERK, document.unit)
    document = _locked_draft(document)
    cleaned = _clean_fields(fields)
    before = {k: getattr(document, k) for k in cleaned}
    for key, value in cleaned.items():
        setattr(document, key, value)
    document.save()
    log(by, Action.DOCUMENT_UPDATED, document, {"fields": sorted(cleaned), "before": before})
    return document


@transaction.atomic
def document_discard(*, document: Document, by: User) -> None:
    """Throw a draft away with its attachments."""
    scope.require(by, scope.CLERK, document.unit)
    document = _locked_draft(document)
    names = list(document.attachments.values_list("file", flat=True))
    log(by, Action.DOCUMENT_DISCARDED, document.unit, {"draft": document.pk})
    document.attachments.all().delete()
    document.targets.all().delete()
    document.delete()

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def target_add(*, document: Document, unit: Unit, kind: str, by: User) -> DocumentTarget:
    """Add recipients to a draft: one unit, its whole subtree, or the grassroots unions under it."""
    scope.require(by, scope.CLERK, document.unit)
    document = _locked_draft(document)
    if kind not in TargetKind.values:
        raise DomainError("invalid_target", _("Unknown kind of recipient."), field="kind")
    if not unit.is_active:
        raise DomainError("target_dissolved", _("%s has been dissolved.") % unit.name)
    if unit.pk == document.unit_id and kind == TargetKind.UNIT:
        raise DomainError("target_self", _("A unit does not send documents to itself."))
    if not selectors.target_allowed(document=document, unit=unit, kind=kind):
        raise DomainError(
            "target_not_allowed",
            _(
                "Documents go to units under yours, or to a single unit above yours or back to "
                "a sender; a whole subtree only within your unit's own."
            ),
        )
    target, created = DocumentTarget.objects.get_or_create(document=document, unit=unit, kind=kind)
    if created:
        log(by, Action.DOCUMENT_TARGET_ADDED, document, {"unit": unit.code, "kind": kind})
    return target


@transaction.atomic
def target_remove(*, target: DocumentTarget, by: User) -> None:
    document = target.document
    scope.require(by, scope.CLERK, document.unit)
    _locked_draft(document)
    log(
        by,
        Action.DOCUMENT_TARGET_REMOVED,
        document,
        {"unit": target.unit.code, "kind": target.kind},
    )
    target.delete()


def _read_pdf(upload: File[Any]) -> tuple[int, str]:
    """(pages, sha256) of an uploaded PDF; anything else is refused."""
    if upload.size > uploads.max_bytes(uploads.ATTACHMENT):
        raise DomainError(
            "attachment_too_large",
            _("A file may be at most %(mb)d MB.") % {"mb": uploads.max_mb(uploads.ATTACHMENT)},
            field="file",
        )
    upload.seek(0)
    not_pdf = DomainError("attachment_not_pdf", _("Only PDF files can be attached."), field="file")
    if upload.read(5) != b"%PDF-":
        raise not_pdf
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DomainError(
                "attachment_encrypted",
                _("The PDF is protected by a password; attach it without one."),
                field="file",
            )
        pages = len(reader.pages)
    except DomainError:
        raise
    except Exception as error:  # pypdf raises many kinds on broken files: all mean "not a PDF"
        raise not_pdf from error
    finally:
        upload.seek(0)
    if pages == 0:
        raise not_pdf
    return pages, digest.hexdigest()


@transaction.atomic
def attachment_add(*, document: Document, upload: File[Any], by: User) -> Attachment:
    """Attach a PDF to a draft, stored through the storage API under a non-guessable name."""
    scope.require(by, scope.CLERK, document.unit)
    document = _locked_draft(document)
    pages, sha256 = _read_pdf(upload)
    name = nfc((getattr(upload, "name", "") or "document.pdf").rsplit("/", 1)[-1])[:200]
    attachment = Attachment(
        document=document,
        name=name,
        size=upload.size,
        pages=pages,
        sha256=sha256,
        uploaded_by=by,
    )
    attachment.file.save(name, upload, save=False)
    stored = attachment.file.name
    try:
        attachment.save()
    except Exception:
        if stored:
            default_storage.delete(stored)
        raise
    log(by, Action.ATTACHMENT_ADDED, document, {"name": name, "pages": pages, "sha256": sha256})
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    document = attachment.document
    scope.require(by, scope.CLERK, document.unit)
    _locked_draft(document)
    stored = attachment.file.name
    log(by, Action.ATTACHMENT_REMOVED, document, {"name": attachment.name})
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: default_storage.delete(stored))


# Issue -------------------------------------------------------------------------------------


@transaction.atomic
def document_issue(*, document: Document, by: User, base_url: str = "") -> Document:
    """Give the draft its number, freeze it and deliver it to every recipient unit.

    The outgoing number and each recipient's incoming number are allocated in this transaction
    from locked register rows, so numbers never repeat and never skip. Recipients come from the
    tree as it stands on the issue date. Notifications leave after commit, in the background.
    """
    scope.require(by, scope.CLERK, document.unit)
    document = _locked_draft(document)
    unit = document.unit
    if not unit.is_active:
        raise DomainError("unit_dissolved", _("A dissolved unit cannot issue documents."))
    if not document.signer:
        raise DomainError("signer_required", _("Say who signs the document."), field="signer")
    if not document.attachments.exists():
        raise DomainError(
            "attachment_required", _("Attach the signed document as a PDF before issuing it.")
        )
    corrected = document.supersedes
    if corrected is not None and selectors.is_superseded(document=corrected):
        raise DomainError(
            "already_corrected",
            _("%(symbol)s has already been corrected by another document.")
            % {"symbol": corrected.symbol},
        )
    today = timezone.localdate()
    unit_ids = selectors.recipients_resolve(document=document, on=today)
    if not unit_ids:
        raise DomainError("no_recipients", _("Choose at least one recipient unit."))

    number = _allocate([unit.pk], year=today.year, kind=RegisterKind.OUTGOING)[unit.pk]
    document.number = number
    document.year = today.year
    document.date = today
    document.symbol = document_symbol(
        number=number, doc_type=document.doc_type, unit=unit, department=document.department
    )
    document.status = DocumentStatus.ISSUED
    document.issued_by = by
    document.issued_at = timezone.now()
    document.save()

    incoming = _allocate(unit_ids, year=today.year, kind=RegisterKind.INCOMING)
    recipients = Recipient.objects.bulk_create(
        [
            Recipient(
                document=document,
                unit_id=unit_id,
                incoming_year=today.year,
                incoming_number=incoming[unit_id],
                delivered_at=document.issued_at,
            )
            for unit_id in unit_ids
        ],
        batch_size=500,
    )
    log(
        by,
        Action.DOCUMENT_ISSUED,
        document,
        {
            "symbol": document.symbol,
            "recipients": len(recipients),
            "supersedes": document.supersedes and document.supersedes.symbol,
        },
    )
    log_many(by, Action.DOCUMENT_RECEIVED, recipients, {"symbol": document.symbol})
    transaction.on_commit(lambda: tasks.notify_issued.enqueue(document.pk, base_url))
    return document


@transaction.atomic
def document_correct(*, document: Document, by: User) -> Document:
    """Start a correction: a new draft with the same content and recipients that, once issued,
    supersedes `document` (which itself stays as it was)."""
    scope.require(by, scope.CLERK, document.unit)
    if not document.is_issued:
        raise DomainError("not_issued", _("Only an issued document can be corrected."))
    if selectors.is_superseded(document=document):
        raise DomainError(
            "already_corrected",
            _("%(symbol)s has already been corrected by another document.")
            % {"symbol": document.symbol},
        )
    draft = Document.objects.create(
        unit=document.unit,
        created_by=by,
        supersedes=document,
        reply_to=document.reply_to,
        **{k: getattr(document, k) for k in EDITABLE_FIELDS},
    )
    DocumentTarget.objects.bulk_create(
        [DocumentTarget(document=draft, unit=t.unit, kind=t.kind) for t in document.targets.all()]
    )
    log(by, Action.DOCUMENT_CORRECTION_STARTED, draft, {"supersedes": document.symbol})
    return draft


@transaction.atomic
def document_reply(*, recipient: Recipient, by: User) -> Document:
    """Start an answer from the recipient unit, addressed to the sender and linked to it."""
    scope.require(by, scope.CLERK, recipient.unit)
    original = recipient.document
    draft = Document.objects.create(
        unit=recipient.unit,
        created_by=by,
        reply_to=original,
        doc_type=DocumentType.OFFICIAL_LETTER,
        summary=_("Reply to %(symbol)s: %(summary)s")
        % {"symbol": original.symbol, "summary": original.summary},
    )
    if original.unit.is_active:
        DocumentTarget.objects.create(document=draft, unit=original.unit, kind=TargetKind.UNIT)
    log(by, Action.DOCUMENT_REPLY_STARTED, draft, {"reply_to": original.symbol})
    return draft


# Incoming ----------------------------------------------------------------------------------


def _works_at(user: User, unit: Unit) -> bool:
    """Does the user hold a role at the unit itself (not merely above it)?"""
    return any(g.unit_id == unit.pk for g in scope.grants(user))


@transaction.atomic
def recipient_open(*, recipient: Recipient, by: User) -> bool:
    """Record that an officer of the recipient unit opened the document (first time only).

    Officers of upper units who look into a sub-unit's inbox leave no receipt: the sender
    wants to know that the unit itself has read it. Returns whether a receipt was written.
    """
    scope.require(by, None, recipient.unit)
    if not _works_at(by, recipient.unit):
        return False
    _receipt, created = ReadReceipt.objects.get_or_create(recipient=recipient, user=by)
    if not created:
        return False
    now = timezone.now()
    # Conditional update: of two officers opening at once, only the first is "first read".
    if Recipient.objects.filter(pk=recipient.pk, read_at__isnull=True).update(
        read_at=now, read_by=by
    ):
        recipient.read_at, recipient.read_by = now, by
    log(by, Action.DOCUMENT_READ, recipient, {"symbol": recipient.document.symbol})
    return True


def _locked_recipient(recipient: Recipient) -> Recipient:
    return (
        Recipient.objects.select_for_update()
        .select_related("unit", "document")
        .get(pk=recipient.pk)
    )


@transaction.atomic
def recipient_assign(
    *, recipient: Recipient, assignee: Any, deadline: dt.date | None, by: User
) -> Recipient:
    """Give an incoming document to an officer of the unit to handle, with a deadline."""
    scope.require(by, scope.CLERK, recipient.unit)
    recipient = _locked_recipient(recipient)
    if recipient.status == HandlingStatus.DONE:
        raise DomainError("already_done", _("This document has already been handled."))
    if not selectors.assignable_officers(unit=recipient.unit).filter(pk=assignee.pk).exists():
        raise DomainError(
            "assignee_out_of_unit",
            _("Documents can be assigned only to officers of the unit."),
            field="assignee",
        )
    if deadline is not None and deadline < recipient.delivered_at.date():
        raise DomainError(
            "deadline_before_delivery",
            _("The deadline cannot be before the document arrived."),
            field="deadline",
        )
    recipient.status = HandlingStatus.ASSIGNED
    recipient.assignee = assignee
    recipient.deadline = deadline
    recipient.save(update_fields=["status", "assignee", "deadline"])
    log(
        by,
        Action.DOCUMENT_ASSIGNED,
        recipient,
        {"assignee": assignee.get_username(), "deadline": deadline},
    )
    return recipient


@transaction.atomic
def recipient_done(*, recipient: Recipient, by: User) -> Recipient:
    """Mark an incoming document handled; the unit's clerk or the assigned officer may."""
    assigned_to_them = by.pk is not None and by.pk == recipient.assignee_id
    scope.require(by, None if assigned_to_them else scope.CLERK, recipient.unit)
    recipient = _locked_recipient(recipient)
    if recipient.status == HandlingStatus.DONE:
        raise DomainError("already_done", _("This document has already been handled."))
    now = timezone.now()
    recipient.status = HandlingStatus.DONE
    recipient.done_at, recipient.done_by = now, by
    fields = ["status", "done_at", "done_by"]
    if recipient.read_at is None:
        recipient.read_at, recipient.read_by = now, by
        fields += ["read_at", "read_by"]
    recipient.save(update_fields=fields)
    log(by, Action.DOCUMENT_DONE, recipient, {"symbol": recipient.document.symbol})
    return recipient


@transaction.atomic
def document_remind(*, document: Document, by: User, base_url: str = "") -> int:
    """Remind the recipients who have not opened the document yet; returns how many."""
    scope.require(by, scope.CLERK, document.unit)
    if not document.is_issued:
        raise DomainError("not_issued", _("Only an issued document can be reminded of."))
    unread = Recipient.objects.filter(document=document, read_at__isnull=True)
    ids = list(unread.values_list("pk", flat=True))
    if not ids:
        raise DomainError("all_read", _("Every recipient has already read the document."))
    unread.update(reminded_at=timezone.now(), reminders=F("reminders") + 1)
    log(by, Action.DOCUMENT_REMINDED, document, {"recipients": len(ids)})
    transaction.on_commit(lambda: tasks.notify_reminder.enqueue(document.pk, ids, base_url))
    return len(ids)
