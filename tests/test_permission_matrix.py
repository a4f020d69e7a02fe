"""Every route, from the resolver and the API router, as four people: nobody, an officer of
another province holding every role there, an officer holding every role at a sibling grassroots
union (same upper union as the objects' unit), and an officer of the province that owns the objects.

The first three must be refused (a redirect to a login page, 401, 403 or 404) wherever the
route names an object; where it names none, what they see must hold nothing of the units beyond
their reach. The last must get through, so the objects filled into the URLs are real. A new app's
routes are checked the moment they are mounted: a route with an argument this file cannot fill
fails until a line below says which object fills it, and a route that is public on purpose must
be listed in PUBLIC with the reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests import demo_snapshot as snapshots
from tests.dispatch.helpers import draft_and_issue
from tests.factories import jpeg, make_user
from unionhub.cards.models import Card
from unionhub.congress import services as congress_services
from unionhub.congress.models import CheckIn, Congress, Delegate, Session
from unionhub.congress.models import Document as CongressDocument
from unionhub.core import scope
from unionhub.dispatch import services as dispatch_services
from unionhub.dispatch.models import Attachment, Document, TargetKind
from unionhub.display import services as display_services
from unionhub.elections import services as election_services
from unionhub.elections.models import PaperBallot
from unionhub.finance.models import DuesLine, EmployerFee, Remittance
from unionhub.imports import services as import_services
from unionhub.imports.models import ImportBatch
from unionhub.members import services as member_services
from unionhub.members.models import Member, MemberState, TransferStatus
from unionhub.movements import awards as movement_awards
from unionhub.movements import care as movement_care
from unionhub.movements import classification as movement_classification
from unionhub.movements import services as movement_services
from unionhub.news import services as news_services
from unionhub.orgs import services as org_services
from unionhub.orgs.models import Level, RoleAssignment, Unit
from unionhub.privacy import services as privacy_services
from unionhub.reports import selectors as report_selectors
from unionhub.reports import services as report_services
from unionhub.training import services as training_services

ROLES = [
    scope.UNIT_ADMIN,
    scope.REGISTRAR,
    scope.FINANCE,
    scope.CLERK,
    scope.CONGRESS_ORGANISER,
    scope.VIEWER,
    scope.DATA_PROTECTION,
]
TOKEN = "A" * 43

# Public on purpose: name → why. Nothing else may answer an anonymous visitor.
PUBLIC = {
    "healthz": "load balancers and the kiosk ask it; it says only ok or not",
    "login": "the way in",
    "logout": "leaving needs no permission",
    "password_reset": "asking for a reset mail; throttled, says nothing about the address",
    "password_reset_done": "a fixed message",
    "password_reset_confirm": "the signed link in the mail is the credential",
    "password_reset_complete": "a fixed message",
    "set_language": "the language switcher",
    "cards_public:key": "the public key anyone checks a card's signature with",
    "cards_public:key_pem": "the public key, as a file",
    "cards_public:verify": "anyone checks a card: the signed token in the QR code is the key",
    "cards_public:photo": "a genuine card's photo, behind the same signed token",
    "delegate_page": "a delegate's phone page: the signed token on the badge is the credential",
    "delegate_document": "a congress document for a delegate, behind the badge's token",
    "congress_public": "a congress's public page: programme and live streams, no personal data",
    "elections_delegate": "a delegate's votes and released results, behind the badge's token",
    "elections_vote": "a delegate casts a secret ballot, behind the badge's token",
    "unit_logo": "a unit's logo, public like its name (LED screens, public pages)",
    "elections_motion_vote": "a delegate votes on a resolution, behind the badge's token",
    "display_kiosk": "the LED screen has no account: its secret link is the credential",
    "display_kiosk_data": "the screen's content, behind its secret link",
    "display_kiosk_image": "a slide's image, behind the screen's secret link",
    "movements_public:verify": "anyone checks an award certificate: the signed token in its QR",
    "training_public:verify": "anyone checks a training certificate: the signed token in its QR",
    "training_public:pass": "a participant's training pass on their phone: the signed token",
    "training_public:pass_material": "a course's material for a participant, behind the pass",
    "training_public:signup": "members sign up for a session, behind its signed link",
    "news_portal": "a unit's public news portal: published stories, no personal data",
    "news_search": "searching the public portal's published stories",
    "news_sitemap": "the public portal's sitemap",
    "news_feed": "the public portal's RSS/Atom feed",
    "news_category": "a category of the public portal",
    "news_category_feed": "a category's RSS/Atom feed",
    "news_story": "a published story on the public portal",
    "news_cover": "a published story's cover photo (nothing for a story not yet public)",
    "news_photo": "a published story's gallery photo (nothing for a story not yet public)",
    "news_video": "a published story's video (nothing for a story not yet public)",
    "news_video_poster": "a published story's video poster (nothing for a story not yet public)",
    "privacy_public:start": "a member asks for a sign-in code; says nothing about the contact",
    "privacy_public:code": "a member enters the code they were sent; five tries per code",
    "privacy_public:link": "a member's printed one-time link is the credential",
    "privacy_public:sign_out": "leaving needs no permission",
    "privacy_public:correction": "a member asks to correct their own record, once signed in",
    "privacy_public:consent_withdraw": "a member withdraws their own consent, once signed in",
    "privacy_public:export": "a member downloads their own record, once signed in",
    "admin:login": "the admin's own way in (staff only beyond it)",
    "admin:logout": "leaving needs no permission",
}
# Any logged-in account may see these: they hold no unit's data.
ANY_ACCOUNT = {
    "home": "the start page lists the officer's own units",
    "password_change": "one's own password",
    "password_change_done": "a fixed message",
    "api:schema": "the API's description, no data",
    "api:docs": "the API's description, no data",
    "api:api-root": "the list of API collections, no data",
    "imports:template_xlsx": "the empty import template",
    "imports:template_csv": "the empty import template",
}
# The in-scope officer may meet these answers, for the reason given.
IN_SCOPE_ANSWERS = {
    "core:job_download": (404, "the export job has not run: there is no file yet"),
    "members:photo": (404, "demo members have no photo"),
    "members:photo_thumb": (404, "demo members have no photo"),
    "imports:errors": (404, "the batch was not analysed: it has no error report"),
    "cards:pdf": (404, "only an issued card prints; the demo's first card may be a request"),
    "congress:manual": (404, "an empty form names no delegate to check in"),
    "congress:delegate_photo": (404, "a delegate whose member has no photo"),
    "display:slide_image": (404, "a text slide without an image"),
    "cards:bulk": (404, "an empty form selects no card"),
}
# The sibling may open these objects of the province, for the reason given; what it sees there
# must still hold nothing of the objects' unit.
SIBLING_ANSWERS = {
    "reports:round": "it answers the round the province opened; it sees its own line only",
    "movements:campaign": "the province's campaign runs for it; it sees its own entries only",
    "movements:take_part": "it may take part in the province's campaign, for its own unit",
    "movements:results": "the campaign's ranking, of the entries it sees (its own) only",
    "movements:classification": "the province's classification applies to it; it sees its own "
    "union's class only",
    "movement-campaign-detail": "the province's campaign runs for it (as on its page)",
}


@dataclass
class World:
    province: Unit
    other: Unit
    inside: Any
    outside: Any
    sibling: Any
    markers: list[str]
    sibling_markers: list[str]
    objects: dict[str, Any] = field(default_factory=dict)


# Marks the module as a database user, so the test database is set up even when this module
# runs alone (the module-wide world below builds on it).
pytestmark = [pytest.mark.django_db, pytest.mark.long]


@pytest.fixture(scope="module")
def world(demo_snapshot, django_db_blocker, tmp_path_factory):
    """The demo province (a copy of the run's, tests/demo_snapshot.py), an empty neighbour
    province, and one object of every kind in the first.

    Built once; every request runs in a savepoint that is rolled back."""
    media = tmp_path_factory.mktemp("matrix-media")
    with (
        django_db_blocker.unblock(),
        snapshots.installed(demo_snapshot, media),
        override_settings(
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        ),
    ):
        yield _populate()


def _populate() -> World:
    province = Unit.objects.get(code="HT")
    admin = make_user("matrix-admin", is_superuser=True, is_staff=True)
    other = org_services.unit_found(
        code="NA", name="Liên đoàn Lao động tỉnh Nghệ An", level=Level.PROVINCE,
        parent=province.parent, founded=dt.date(2010, 1, 1), by=admin,
    )  # fmt: skip
    inside, outside = make_user("inside"), make_user("outside")
    for role in ROLES:
        org_services.role_grant(user=inside, unit=province, role=role, by=admin)
        org_services.role_grant(user=outside, unit=other, role=role, by=admin)
    member = (
        # An active member of a grassroots union with no transfer waiting: the member is
        # transferred and the unit scored in a classification below.
        Member.objects.filter(
            unit__path__startswith=province.path,
            unit__level=Level.GRASSROOTS,
            state=MemberState.ACTIVE,
        )
        .exclude(transfers__status=TransferStatus.PENDING)
        .select_related("unit")
        .order_by("pk")
        .first()
    )
    unit = member.unit
    neighbour = (
        Unit.objects.filter(level=Level.GRASSROOTS, parent=unit.parent, dissolved__isnull=True)
        .exclude(pk=unit.pk)
        .first()
    )
    # The sibling: another grassroots union beside the objects' unit, neither the transfer's
    # destination nor the unit of any object below (those are theirs to see).
    sibling_unit = (
        Unit.objects.filter(level=Level.GRASSROOTS, parent=unit.parent, dissolved__isnull=True)
        .exclude(pk__in=[unit.pk, neighbour.pk])
        .first()
    )
    sibling = make_user("sibling")
    for role in ROLES:
        org_services.role_grant(user=sibling, unit=sibling_unit, role=role, by=admin)
    today = dt.date.today()
    transfer = member_services.transfer_request(
        member=member, to_unit=neighbour, effective=today, by=inside
    )
    batch = ImportBatch(unit=unit, owner=inside, filename="members.csv", headers=[], mapping={})
    batch.source.save("members.csv", SimpleUploadedFile("members.csv", b"a,b\n1,2\n"))
    report_round = report_services.round_open(
        unit=province, first=dt.date(2025, 1, 1), last=dt.date(2025, 6, 30),
        deadline=today + dt.timedelta(days=30), by=inside,
    )  # fmt: skip
    child = Unit.objects.get(pk=report_selectors.round_children(report_round)[0])
    submission = report_services.report_submit(report_round=report_round, unit=child, by=inside)
    screen, _token = display_services.screen_create(unit=province, name="Sảnh chính", by=inside)
    slide = display_services.slide_add(
        screen=screen, kind="text", by=inside, title="Tin tức", body="Đại hội"
    )
    draft = dispatch_services.document_draft(
        unit=province, by=inside, doc_type="CV", summary="Dự thảo công văn"
    )
    target = dispatch_services.target_add(
        document=draft, unit=unit, kind=TargetKind.UNIT, by=inside
    )
    issued = Document.objects.filter(unit=province, number__isnull=False).first()
    received = draft_and_issue(unit=unit, by=inside, targets=[(province, TargetKind.UNIT)])
    job = import_services.members_export_start(unit=unit, by=inside)
    congress = (
        Congress.objects.filter(unit__path__startswith=province.path)
        .exclude(unit__path__startswith=sibling_unit.path)
        .first()
    )
    session = Session.objects.filter(congress=congress).first()
    delegate = Delegate.objects.filter(congress=congress).first()
    congress_services.checkin_manual(session=session, delegate=delegate, by=inside)
    checkin = CheckIn.objects.get(session=session, delegate=delegate)
    story = news_services.save_story(
        by=inside, unit=unit, title="Hội thao", summary="", body="<p>Tin</p>", category="care",
        cover=jpeg(),
    )  # fmt: skip
    story_image = news_services.add_image(by=inside, story=story, upload=jpeg())
    news_services.set_video(
        by=inside,
        story=story,
        video=SimpleUploadedFile("v.mp4", b"\0\0\0\x18ftypisom" + b"\0" * 64),
        poster=jpeg(),
    )
    # The demo's two years of dues: a posted line, its entry, a remittance.
    dues_line = (
        DuesLine.objects.filter(unit__path__startswith=province.path, batch__isnull=False)
        .select_related("unit", "batch__entry")
        .first()
    )
    remittance = Remittance.objects.filter(from_unit__path__startswith=province.path).first()
    employer_fee = EmployerFee.objects.filter(unit__path__startswith=province.path).first()
    voter = Delegate.objects.filter(
        congress=congress, category__in=["elected", "ex_officio"]
    ).first()
    congress_services.checkin_manual(session=session, delegate=voter, by=inside)
    election = election_services.election_create(
        congress=congress, session=session, body="executive", title="Bầu Ban Chấp hành",
        seats=1, candidates=["Nguyễn Thị Hoa", "Trần Văn Khánh"], by=inside,
    )  # fmt: skip
    election_round = election_services.round_open(
        round=election_services.round_prepare(election=election, method="paper", by=inside),
        by=inside,
    )
    motion = election_services.motion_create(
        congress=congress, session=session, title="Thông qua Nghị quyết", by=inside
    )
    consent = privacy_services.consent_record(
        member=member, purpose="photo", given_on=today, method="paper", by=inside
    )
    correction = privacy_services.correction_request(
        member=member, field="address", requested="Xóm 9, xã Đức Lạng"
    )
    breach = privacy_services.breach_record(
        unit=unit, title="Gửi nhầm danh sách", description="Gửi nhầm nhóm Zalo",
        discovered_at=timezone.now(), data_classes=["contact"], people=3, risk="low", by=inside,
    )  # fmt: skip
    campaign = movement_services.campaign_create(
        unit=province, title="Lao động sáng tạo", starts=today, ends=today, participants="units",
        rule="mean", criteria=[("Hiệu quả", 10, 1)], by=inside,
    )  # fmt: skip
    movement_services.juror_appoint(campaign=campaign, user=inside, by=inside)
    campaign_entry = movement_services.entry_submit(
        registration=movement_services.register(
            campaign=campaign, unit=unit, today=today, by=inside
        ),
        title="Sáng kiến", text="Mô tả", today=today, by=inside,
        files=[SimpleUploadedFile("sang-kien.pdf", b"%PDF-1.4\n")],
    )  # fmt: skip
    award = movement_awards.award_grant(
        level=movement_awards.level_add(
            unit=province, name="Giấy khen", certificate_title="Giấy khen", by=inside
        ),
        decision=draft_and_issue(
            unit=province, by=inside, targets=[(unit, TargetKind.UNIT)], doc_type="QĐ"
        ),
        reason="Lao động sáng tạo", member=member, campaign=campaign, by=inside,
    )  # fmt: skip
    support = movement_care.support_propose(
        member=member, kind="sickness", date=today, fund="social_fund", amount=500_000, by=inside
    )
    shelter = movement_care.shelter_propose(
        member=member, address="Thôn 3", cost=50_000_000,
        contributions=[("Công ty May", 50_000_000)], by=inside,
    )  # fmt: skip
    scheme = movement_classification.classification_create(
        unit=province, year=today.year - 1, title="Phân loại công đoàn cơ sở",
        criteria=[("Chăm lo", 100)], grades=[("Vững mạnh", 50, None), ("Chưa đạt", 0, None)],
        by=inside,
    )  # fmt: skip
    assessment = movement_classification.assessment_score(
        classification=scheme, unit=unit, points={scheme.criteria.get().pk: 70}, by=inside
    )
    course = training_services.course_create(
        unit=unit, title="Gửi nhận văn bản", topic="Văn bản điện tử", by=inside
    )
    training_session = training_services.session_add(
        course=course, starts=timezone.now() - dt.timedelta(hours=1), capacity=5,
        place="Hội trường", by=inside,
    )  # fmt: skip
    material = training_services.material_add(
        course=course,
        title="Hướng dẫn",
        file=SimpleUploadedFile("hd.pdf", b"%PDF-1.4\n"),
        by=inside,
    )
    question = training_services.question_add(
        course=course, text="Câu hỏi", choices=["Đúng", "Sai"], answer=0, by=inside
    )
    enrolment = training_services.attendance_set(
        enrolment=training_services.enrol(session=training_session, member=member, by=inside),
        present=True,
        by=inside,
    )
    return World(
        province=province,
        other=other,
        inside=inside,
        outside=outside,
        sibling=sibling,
        markers=[province.name, member.full_name, member.id_number, unit.name],
        # The sibling sees its ancestors' names and may address the units above it.
        sibling_markers=[member.full_name, member.id_number],
        objects={
            "unit": unit,
            "child": child,
            "member": member,
            "card": Card.objects.filter(member__unit__path__startswith=province.path)
            .exclude(member__unit__path__startswith=sibling_unit.path)
            .first(),
            "transfer": transfer,
            "batch": batch,
            "round": report_round,
            "submission": submission,
            "screen": screen,
            "slide": slide,
            "story": story,
            "story_image": story_image,
            "draft": draft,
            "target": target,
            "issued": issued,
            "attachment": Attachment.objects.filter(document=issued).first(),
            "received": received,
            "role": RoleAssignment.objects.filter(unit=unit).first()
            or org_services.role_grant(
                user=make_user("clerk"), unit=unit, role=scope.CLERK, by=admin
            ),
            "job": job,
            "congress": congress,
            "session": session,
            "delegate": delegate,
            "checkin": checkin,
            "consent": consent,
            "correction": correction,
            "breach": breach,
            "congress_document": CongressDocument.objects.filter(congress=congress).first(),
            "dues_line": dues_line,
            "entry": dues_line.batch.entry,
            "remittance": remittance,
            "employer_fee": employer_fee,
            "election": election,
            "election_round": election_round,
            "paper_ballot": PaperBallot.objects.filter(round=election_round).first(),
            "motion": motion,
            "campaign": campaign,
            "entry_file": campaign_entry.files.get(),
            "award": award,
            "support": support,
            "shelter": shelter,
            "classification": scheme,
            "assessment": assessment,
            "course": course,
            "training_session": training_session,
            "material": material,
            "question": question,
            "enrolment": enrolment,
        },
    )


# Which object fills a route's arguments: the first pattern matching the route's path wins.
def _fill(route: str, w: World) -> dict[str, Any]:
    o = w.objects
    table: list[tuple[str, dict[str, Any]]] = [
        (r"^api/v1/.*finance/dues", {"pk": o["dues_line"].pk}),
        (r"^api/v1/.*finance/entries", {"pk": o["entry"].pk}),
        (r"^api/v1/.*finance/remittances", {"pk": o["remittance"].pk}),
        (r"^api/v1/.*finance/fees", {"pk": o["employer_fee"].pk}),
        (r"^finance/fees/", {"pk": o["employer_fee"].pk}),
        (
            r"^finance/",
            {
                "unit": o["dues_line"].unit_id,
                "year": o["dues_line"].month.year,
                "month": o["dues_line"].month.month,
            },
        ),
        (r"^api/v1/.*movements/campaigns", {"pk": o["campaign"].pk}),
        (r"^api/v1/.*movements/awards", {"pk": o["award"].pk}),
        (r"^api/v1/.*movements/support-records", {"pk": o["support"].pk}),
        (r"^api/v1/.*movements/shelter-houses", {"pk": o["shelter"].pk}),
        (r"^api/v1/.*movements/classes", {"pk": o["assessment"].pk}),
        (r"^api/v1/.*elections/motions", {"pk": o["motion"].pk}),
        (r"^api/v1/.*elections", {"pk": o["election"].pk}),
        (r"^api/v1/.*units", {"pk": o["unit"].pk}),
        (r"^api/v1/.*member-transfers", {"pk": o["transfer"].pk}),
        (r"^api/v1/.*members", {"pk": o["member"].pk}),
        (r"^api/v1/.*cards", {"pk": o["card"].pk}),
        (r"^api/v1/.*documents/inbox", {"pk": o["received"].recipients.get().pk}),
        (r"^api/v1/.*documents/outbox", {"pk": o["issued"].pk}),
        (r"^api/v1/.*documents", {"pk": o["issued"].pk, "attachment_id": o["attachment"].pk}),
        (r"^units/roles/", {"pk": o["role"].pk}),
        (r"^units/", {"pk": o["unit"].pk}),
        (r"^jobs/", {"pk": o["job"].pk}),
        (r"^members/unit/", {"unit_pk": o["unit"].pk}),
        (r"^members/transfers/", {"pk": o["transfer"].pk, "decision": "accept"}),
        (r"^members/", {"pk": o["member"].pk, "action": "suspend"}),
        (r"^imports/", {"pk": o["batch"].pk}),
        (r"^cards/request/", {"member_pk": o["member"].pk}),
        (r"^cards/", {"pk": o["card"].pk}),
        (r"^reports/rounds/.*submit", {"pk": o["round"].pk, "unit_pk": o["child"].pk}),
        (r"^reports/rounds/", {"pk": o["round"].pk}),
        (r"^reports/submissions/", {"pk": o["submission"].pk}),
        (r"^congress/documents/", {"pk": o["congress_document"].pk}),
        (r"^congress/delegates/", {"pk": o["delegate"].pk, "action": "revoke"}),
        (r"^congress/sessions/", {"pk": o["session"].pk, "kind": "xlsx"}),
        (r"^congress/checkins/", {"pk": o["checkin"].pk}),
        (r"^congress/", {"pk": o["congress"].pk}),
        (r"^elections/rounds/", {"pk": o["election_round"].pk, "action": "close"}),
        (r"^elections/ballots/", {"pk": o["paper_ballot"].pk}),
        (r"^elections/motions/", {"pk": o["motion"].pk}),
        (r"^elections/congress/", {"pk": o["congress"].pk}),
        (r"^elections/", {"pk": o["election"].pk}),
        (r"^privacy/consents/", {"pk": o["consent"].pk}),
        (r"^privacy/corrections/", {"pk": o["correction"].pk}),
        (r"^privacy/breaches/", {"pk": o["breach"].pk}),
        (r"^privacy/members/", {"member_pk": o["member"].pk, "file_format": "json"}),
        (r"^movements/entries/files/", {"pk": o["entry_file"].pk}),
        (r"^movements/awards/", {"pk": o["award"].pk}),
        (r"^movements/support/", {"pk": o["support"].pk}),
        (r"^movements/shelters/", {"pk": o["shelter"].pk}),
        (
            r"^movements/classifications/",
            {"pk": o["classification"].pk, "unit": o["unit"].pk},
        ),
        (r"^movements/", {"pk": o["campaign"].pk}),
        (r"^training/sessions/", {"pk": o["training_session"].pk}),
        (r"^training/materials/", {"pk": o["material"].pk}),
        (r"^training/questions/", {"pk": o["question"].pk}),
        (r"^training/enrolments/", {"pk": o["enrolment"].pk}),
        (r"^training/", {"pk": o["course"].pk}),
        (r"^news/photos/", {"pk": o["story_image"].pk}),
        (r"^news/", {"pk": o["story"].pk, "unit": o["story"].unit_id}),
        (r"^display/slides/", {"pk": o["slide"].pk, "direction": "up"}),
        (r"^display/", {"pk": o["screen"].pk, "kind": "text"}),
        (
            r"^documents/u/.*(targets/<int:target>)",
            {
                "unit": w.province.pk,
                "pk": o["draft"].pk,
                "target": o["target"].pk,
            },
        ),
        (
            r"^documents/u/.*(edit|candidates|targets|discard|issue|files/$)",
            {
                "unit": w.province.pk,
                "pk": o["draft"].pk,
            },
        ),
        (
            r"^documents/u/",
            {
                "unit": w.province.pk,
                "pk": o["issued"].pk,
                "attachment": o["attachment"].pk,
            },
        ),
        (
            r"^admin/",
            {
                "app_label": "orgs",
                "object_id": str(w.province.pk),
                "content_type_id": 1,
                "id": w.inside.pk,
                "pk": w.inside.pk,
                "url": "orgs/unit/",
                "uidb64": "MQ",
                "token": "x",
            },
        ),
    ]
    for pattern, values in table:
        if re.search(pattern, route):
            return values
    return {}


@dataclass(frozen=True)
class Route:
    path: str
    name: str
    arguments: tuple[str, ...]


def _routes(patterns, prefix="", namespace="") -> list[Route]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _routes(entry.url_patterns, prefix + str(entry.pattern), space)
        elif isinstance(entry, URLPattern):
            path = prefix + str(entry.pattern)
            arguments = re.findall(r"<(?:\w+:)?(\w+)>", path) + re.findall(r"\(\?P<(\w+)>", path)
            found.append(Route(path, f"{namespace}{entry.name}", tuple(arguments)))
    return found


def _url(route: Route, w: World) -> str:
    if route.name.endswith("None"):
        if route.path.startswith("admin/"):  # the admin's unnamed catch-all
            return "/admin/unknown/page/"
        pytest.fail(f"{route.path}: give the route a name")
    values = _fill(route.path, w)
    kwargs = {}
    for argument in route.arguments:
        if argument == "format":
            kwargs[argument] = "json"
        elif argument == "token" and not route.path.startswith("admin/"):
            kwargs[argument] = TOKEN
        elif argument in values:
            kwargs[argument] = values[argument]
        else:
            pytest.fail(f"{route.path}: no object for <{argument}>; add it to _fill()")
    return reverse(route.name, kwargs=kwargs)


def _refused(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code in (301, 302):
        location = response["Location"]
        return location.startswith((reverse(settings.LOGIN_URL), reverse("admin:login")))
    return False


def _request(client: Client, url: str, query: dict[str, Any]):
    """GET the route, or POST it when it takes only POST, in a savepoint rolled back after."""
    with transaction.atomic():
        response = client.get(url, query)
        if response.status_code == 405:
            response = client.post(url, {})
        transaction.set_rollback(True)
    return response


def _judge(route: Route, who: str, response, world: World, staff_only: bool) -> str:
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    stranger = who in ("outside", "sibling")
    if who == "sibling" and route.name in SIBLING_ANSWERS and response.status_code == 200:
        content = response.content.decode(errors="replace")
        leaked = [m for m in [*world.sibling_markers, world.objects["unit"].name] if m in content]
        return f"shows {leaked}" if leaked else ""
    if who == "anonymous" or (stranger and route.arguments) or staff_only:
        return "" if _refused(response) else f"not refused ({response.status_code})"
    if stranger and route.name not in ANY_ACCOUNT:
        content = b"".join(response.streaming_content) if response.streaming else response.content
        markers = world.markers if who == "outside" else world.sibling_markers
        leaked = [m for m in markers if m in content.decode(errors="replace")]
        return f"shows {leaked}" if leaked else ""
    expected = IN_SCOPE_ANSWERS.get(route.name, (None,))[0]
    if who == "inside" and _refused(response) and response.status_code != expected:
        return f"refused ({response.status_code})"
    return ""


@override_settings(API_DOCS_PUBLIC=False)  # as in production
def test_every_route_refuses_strangers_siblings_and_other_provinces(world, record_property):
    routes = [r for r in _routes(get_resolver().url_patterns) if r.name not in PUBLIC]
    assert len(routes) > 150  # the resolver really was walked
    clients = {"anonymous": Client(raise_request_exception=False)}
    for who in ("outside", "sibling", "inside"):
        clients[who] = Client(raise_request_exception=False)
        clients[who].force_login(getattr(world, who))
    failures, checks = [], 0
    for route in routes:
        url = _url(route, world)
        staff_only = route.path.startswith("admin/")
        for who, client in clients.items():
            # Routes without an object are asked about the other province through the query
            # string, by id and by code (not with the markers: a search box shows what was typed).
            queries = [{}]
            if not route.arguments and who == "outside":
                queries = [{"unit": world.province.pk}, {"unit": world.province.code}]
            elif not route.arguments and who == "sibling":
                unit = world.objects["unit"]
                queries = [{}, {"unit": unit.pk}, {"unit": unit.code}]
            for query in queries:
                checks += 1
                response = _request(client, url, query)
                if who == "inside" and not route.arguments and _refused(response):
                    # Some pages need to be told which unit (by its code) before they answer.
                    response = _request(client, url, {"unit": world.province.code})
                failure = _judge(route, who, response, world, staff_only)
                if failure:
                    failures.append(f"{who} {url} {query or ''}: {failure}")
    print(
        f"permission matrix: {len(routes)} routes × 4 roles, {len(PUBLIC)} public routes listed;"
        f" {checks} requests checked"
    )
    record_property("permission_matrix_checks", checks)
    assert failures == [], "\n".join(failures)
