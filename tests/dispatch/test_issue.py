"""Issuing: who receives a document, what is frozen, corrections, replies, PDFs, notifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from tests.dispatch.helpers import draft_and_issue, pdf_bytes, pdf_upload
from tests.world import FOUNDED
from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.dispatch import selectors, services
from unionhub.dispatch.models import Attachment, Document, Recipient, TargetKind
from unionhub.orgs import services as orgs_services
from unionhub.orgs.models import Level, Unit

PAST = dt.date(2024, 7, 1)


def recipients_of(document):
    return set(Recipient.objects.filter(document=document).values_list("unit__code", flat=True))


def reach_of(draft):
    """The codes of the units a draft would reach if issued today."""
    ids = selectors.recipients_resolve(document=draft, on=dt.date.today())
    return set(Unit.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_subtree_resolves_to_exactly_the_units_under_it_on_the_issue_date(tree, province_clerk):
    """Moved-away, dissolved and newly founded units follow the tree as it stands on the day."""
    admin = tree.admin
    orgs_services.unit_move(
        unit=tree.grassroots_a2, new_parent=tree.district_b, effective=PAST, by=admin
    )
    founded = orgs_services.unit_found(
        code="HT-DT-0003",
        name="Công đoàn Trường Tiểu học Đức Thọ",
        level=Level.GRASSROOTS,
        parent=tree.district_a,
        founded=PAST,
        by=admin,
    )
    orgs_services.unit_found(
        code="HT-DT-0004",
        name="Công đoàn Hợp tác xã Đức Thọ",
        level=Level.GRASSROOTS,
        parent=tree.district_a,
        founded=dt.date(2012, 1, 1),
        by=admin,
    )
    orgs_services.unit_dissolve(unit=Unit.objects.get(code="HT-DT-0004"), effective=PAST, by=admin)
    sub_unit = orgs_services.unit_found(
        code="HT-DT-0001-T1",
        name="Tổ công đoàn Giáo viên",
        level=Level.SUB_UNIT,
        parent=tree.grassroots_a1,
        founded=PAST,
        by=admin,
    )
    document = draft_and_issue(
        unit=tree.province, by=province_clerk, targets=[(tree.district_a, TargetKind.SUBTREE)]
    )
    assert recipients_of(document) == {"HT-DT", "HT-DT-0001", founded.code, sub_unit.code}


def test_grassroots_under_x_keeps_only_grassroots_unions(tree, province_clerk):
    document = draft_and_issue(
        unit=tree.province, by=province_clerk, targets=[(tree.province, TargetKind.GRASSROOTS)]
    )
    assert recipients_of(document) == {"HT-DT-0001", "HT-DT-0002", "HT-CL-0001"}


def test_overlapping_choices_deliver_once_and_never_to_the_sender(tree, province_clerk):
    document = draft_and_issue(
        unit=tree.province,
        by=province_clerk,
        targets=[
            (tree.province, TargetKind.SUBTREE),
            (tree.district_a, TargetKind.SUBTREE),
            (tree.grassroots_a1, TargetKind.UNIT),
        ],
    )
    assert recipients_of(document) == {
        "HT-DT", "HT-CL", "HT-DT-0001", "HT-DT-0002", "HT-CL-0001"
    }  # fmt: skip


def test_issue_writes_one_audit_row_per_recipient(tree, province_clerk):
    document = draft_and_issue(
        unit=tree.province, by=province_clerk, targets=[(tree.province, TargetKind.GRASSROOTS)]
    )
    assert AuditEvent.objects.filter(action="dispatch.document.issued").count() == 1
    received = AuditEvent.objects.filter(action="dispatch.document.received")
    assert received.count() == 3
    assert {e.data["symbol"] for e in received} == {document.symbol}


def test_documents_go_down_or_up_the_tree_only(tree, officer_at):
    clerk = officer_at(tree.district_a, scope.CLERK)
    draft = services.document_draft(
        unit=tree.district_a, by=clerk, doc_type="BC", summary="Báo cáo"
    )
    services.target_add(document=draft, unit=tree.province, kind=TargetKind.UNIT, by=clerk)
    with pytest.raises(DomainError) as refused:
        services.target_add(document=draft, unit=tree.district_b, kind=TargetKind.UNIT, by=clerk)
    assert refused.value.code == "target_not_allowed"


def test_only_a_clerk_of_the_unit_drafts_and_issues(tree, officer_at):
    viewer = officer_at(tree.province, scope.VIEWER)
    other_clerk = officer_at(tree.district_b, scope.CLERK)
    for user in (viewer, other_clerk):
        with pytest.raises(OutOfScope):
            services.document_draft(unit=tree.province, by=user, doc_type="CV", summary="X")


# Immutability ------------------------------------------------------------------------------


@pytest.fixture
def issued(tree, province_clerk):
    return draft_and_issue(
        unit=tree.province, by=province_clerk, targets=[(tree.district_a, TargetKind.SUBTREE)]
    )


def test_services_refuse_to_change_an_issued_document(issued, province_clerk, tree):
    for change in (
        lambda: services.document_update(document=issued, by=province_clerk, summary="Sửa"),
        lambda: services.attachment_add(document=issued, upload=pdf_upload(), by=province_clerk),
        lambda: services.target_add(
            document=issued, unit=tree.district_b, kind=TargetKind.UNIT, by=province_clerk
        ),
        lambda: services.document_discard(document=issued, by=province_clerk),
        lambda: services.document_issue(document=issued, by=province_clerk),
    ):
        with pytest.raises(DomainError) as refused:
            change()
        assert refused.value.code == "document_issued"
    issued.refresh_from_db()
    assert issued.summary == "Về việc tổ chức Tháng Công nhân năm 2026"
    assert issued.attachments.count() == 1
    assert recipients_of(issued) == {"HT-DT", "HT-DT-0001", "HT-DT-0002"}


def test_the_database_refuses_to_change_an_issued_document(issued, province_clerk):
    issued.summary = "Sửa trực tiếp"
    with pytest.raises(IntegrityError), transaction.atomic():
        issued.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=issued.pk).update(signer="Người khác")
    existing = issued.attachments.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.create(
            document=issued,
            file=existing.file.name,
            name="them.pdf",
            size=1,
            pages=1,
            sha256="0" * 64,
            uploaded_by=province_clerk,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.filter(pk=existing.pk).update(name="doi-ten.pdf")
    issued.refresh_from_db()
    assert (issued.summary, issued.signer) == (
        "Về việc tổ chức Tháng Công nhân năm 2026",
        "Nguyễn Văn Hùng",
    )


def test_a_correction_is_a_new_document_that_supersedes_the_old(issued, province_clerk):
    draft = services.document_correct(document=issued, by=province_clerk)
    assert draft.pk != issued.pk and draft.supersedes == issued
    assert {(t.unit_id, t.kind) for t in draft.targets.all()} == {
        (t.unit_id, t.kind) for t in issued.targets.all()
    }
    services.document_update(document=draft, by=province_clerk, summary="Đính chính thời gian")
    services.attachment_add(document=draft, upload=pdf_upload(), by=province_clerk)
    correction = services.document_issue(document=draft, by=province_clerk)
    assert correction.number == issued.number + 1
    issued.refresh_from_db()
    assert issued.summary == "Về việc tổ chức Tháng Công nhân năm 2026"
    assert list(issued.corrections.values_list("symbol", flat=True)) == [correction.symbol]
    with pytest.raises(DomainError) as refused:
        services.document_correct(document=issued, by=province_clerk)
    assert refused.value.code == "already_corrected"


# Attachments -------------------------------------------------------------------------------


@pytest.fixture
def draft(tree, province_clerk):
    return services.document_draft(
        unit=tree.province, by=province_clerk, doc_type="TB", summary="Thông báo", signer="A"
    )


def test_a_pdf_is_stored_under_a_name_nobody_can_guess(draft, province_clerk):
    attachment = services.attachment_add(
        document=draft, upload=pdf_upload("Kế hoạch.pdf", pages=3), by=province_clerk
    )
    assert attachment.pages == 3 and attachment.name == "Kế hoạch.pdf"
    assert attachment.file.name.startswith("dispatch/")
    assert "Kế hoạch" not in attachment.file.name and len(attachment.file.name) > 40
    assert attachment.file.read() == pdf_bytes(3)


@pytest.mark.parametrize(
    "content",
    [b"GIF89a not a pdf", b"%PDF-1.7\nthis is no real pdf\n%%EOF", b""],
    ids=["other-format", "broken-pdf", "empty"],
)
def test_files_that_are_not_pdf_are_refused(draft, province_clerk, content):
    upload = SimpleUploadedFile("x.pdf", content, content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        services.attachment_add(document=draft, upload=upload, by=province_clerk)
    assert refused.value.code == "attachment_not_pdf"
    assert not draft.attachments.exists()


def test_files_over_the_size_bound_are_refused(draft, province_clerk, settings):
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "attachment": 0}
    with pytest.raises(DomainError) as refused:
        services.attachment_add(document=draft, upload=pdf_upload(), by=province_clerk)
    assert refused.value.code == "attachment_too_large"


# Incoming ----------------------------------------------------------------------------------


def test_opening_records_a_receipt_for_officers_of_the_unit_only(issued, tree, officer_at):
    entry = Recipient.objects.get(document=issued, unit=tree.grassroots_a1)
    district_officer = officer_at(tree.district_a, scope.VIEWER)
    assert services.recipient_open(recipient=entry, by=district_officer) is False
    own = officer_at(tree.grassroots_a1, scope.VIEWER)
    assert services.recipient_open(recipient=entry, by=own) is True
    assert services.recipient_open(recipient=entry, by=own) is False
    entry.refresh_from_db()
    assert entry.read_by == own and entry.read_at is not None
    assert list(entry.receipts.values_list("user", flat=True)) == [own.pk]


def test_handling_goes_new_assigned_done(issued, tree, officer_at):
    entry = Recipient.objects.get(document=issued, unit=tree.grassroots_a1)
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    worker = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    outsider = officer_at(tree.grassroots_a2, scope.CLERK)
    with pytest.raises(DomainError) as refused:
        services.recipient_assign(recipient=entry, assignee=outsider, deadline=None, by=clerk)
    assert refused.value.code == "assignee_out_of_unit"
    deadline = dt.date.today() + dt.timedelta(days=7)
    services.recipient_assign(recipient=entry, assignee=worker, deadline=deadline, by=clerk)
    entry.refresh_from_db()
    assert (entry.status, entry.assignee, entry.deadline) == ("assigned", worker, deadline)
    with pytest.raises(OutOfScope):
        services.recipient_done(recipient=entry, by=outsider)
    services.recipient_done(recipient=entry, by=worker)  # the assignee may finish it
    entry.refresh_from_db()
    assert (entry.status, entry.done_by) == ("done", worker)
    assert entry.read_at is not None
    with pytest.raises(DomainError):
        services.recipient_done(recipient=entry, by=clerk)


def test_a_reply_links_back_and_reaches_the_sender(issued, tree, officer_at):
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    entry = Recipient.objects.get(document=issued, unit=tree.grassroots_a1)
    draft = services.document_reply(recipient=entry, by=clerk)
    services.document_update(document=draft, by=clerk, signer="Hồ Thị Hoa")
    services.attachment_add(document=draft, upload=pdf_upload(), by=clerk)
    reply = services.document_issue(document=draft, by=clerk)
    assert reply.reply_to == issued
    assert reach_of(reply) == {"HT"}
    assert list(issued.replies.values_list("pk", flat=True)) == [reply.pk]


# Notifications -----------------------------------------------------------------------------

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_clerks_of_recipient_units_are_mailed_after_commit(
    tree, province_clerk, officer_at, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    for unit in (tree.grassroots_a1, tree.grassroots_a2):
        officer = officer_at(unit, scope.CLERK)
        officer.email = f"{unit.code.lower()}@x.test"
        officer.save()
    officer_at(tree.grassroots_b1, scope.REGISTRAR)  # not told: not a clerk
    with django_capture_on_commit_callbacks(execute=True):
        document = draft_and_issue(
            unit=tree.province, by=province_clerk, targets=[(tree.province, TargetKind.GRASSROOTS)]
        )
        assert mail.outbox == []  # nothing leaves before the commit
    assert sorted(m.to[0] for m in mail.outbox) == ["ht-dt-0001@x.test", "ht-dt-0002@x.test"]
    assert document.symbol in mail.outbox[0].subject
    assert f"/documents/u/{tree.grassroots_a1.pk}/d/{document.pk}/" in "".join(
        m.body for m in mail.outbox
    )


def test_the_sender_reminds_only_those_who_have_not_read(
    issued, tree, officer_at, settings, django_capture_on_commit_callbacks, province_clerk
):
    settings.TASKS = IMMEDIATE
    reader = officer_at(tree.grassroots_a1, scope.CLERK)
    reader.email = "read@x.test"
    reader.save()
    late = officer_at(tree.grassroots_a2, scope.CLERK)
    late.email = "late@x.test"
    late.save()
    services.recipient_open(
        recipient=Recipient.objects.get(document=issued, unit=tree.grassroots_a1), by=reader
    )
    with django_capture_on_commit_callbacks(execute=True):
        count = services.document_remind(document=issued, by=province_clerk)
    assert count == 2  # the district and grassroots a2
    assert [m.to for m in mail.outbox] == [["late@x.test"]]
    assert Recipient.objects.get(document=issued, unit=tree.grassroots_a2).reminders == 1
    assert Recipient.objects.get(document=issued, unit=tree.grassroots_a1).reminders == 0


def test_a_unit_below_cannot_send_to_a_subtree_above_it(tree, officer_at):
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    draft = services.document_draft(
        unit=tree.grassroots_a1, by=clerk, doc_type="BC", summary="Báo cáo"
    )
    for unit in (tree.province, tree.district_a):
        for kind in (TargetKind.SUBTREE, TargetKind.GRASSROOTS):
            with pytest.raises(DomainError) as refused:
                services.target_add(document=draft, unit=unit, kind=kind, by=clerk)
            assert refused.value.code == "target_not_allowed"
    services.target_add(document=draft, unit=tree.province, kind=TargetKind.UNIT, by=clerk)
    assert reach_of(draft) == {"HT"}


def test_a_reply_goes_back_to_the_sender_alone(tree, officer_at, province_clerk):
    sent = draft_and_issue(
        unit=tree.province, by=province_clerk, targets=[(tree.grassroots_a1, TargetKind.UNIT)]
    )
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    reply = services.document_reply(recipient=sent.recipients.get(), by=clerk)
    with pytest.raises(DomainError) as refused:
        services.target_add(document=reply, unit=tree.province, kind=TargetKind.SUBTREE, by=clerk)
    assert refused.value.code == "target_not_allowed"
    assert reach_of(reply) == {"HT"}


def test_own_subtree_is_offered_and_long_searches_say_how_many_are_left(tree, province_clerk):
    draft = services.document_draft(
        unit=tree.province, by=province_clerk, doc_type="CV", summary="Thông báo"
    )
    offered = selectors.recipient_candidates(document=draft, query="")
    assert [(c.unit, c.kinds) for c in offered.found] == [
        (tree.province, [TargetKind.SUBTREE, TargetKind.GRASSROOTS])
    ]
    services.target_add(
        document=draft, unit=tree.province, kind=TargetKind.SUBTREE, by=province_clerk
    )
    assert reach_of(draft) == {"HT-DT", "HT-CL", "HT-DT-0001", "HT-DT-0002", "HT-CL-0001"}

    for number in range(selectors.CANDIDATES_SHOWN + 4):
        orgs_services.unit_found(
            code=f"HT-CL-{number + 100:04}", name=f"Công đoàn Công ty số {number}",
            level=Level.GRASSROOTS, parent=tree.district_b, founded=FOUNDED, by=tree.admin,
        )  # fmt: skip
    found = selectors.recipient_candidates(document=draft, query="cong ty so")
    assert len(found.found) == 1 + selectors.CANDIDATES_SHOWN
    assert found.more == 4
