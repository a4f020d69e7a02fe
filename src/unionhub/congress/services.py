"""Every change to congresses, delegates, documents and check-ins. Keyword-only, atomic,
audited, scoped to the congress organiser role at the congress's unit."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from unionhub.audit.services import log, log_many
from unionhub.congress import selectors
from unionhub.congress.actions import Action
from unionhub.congress.models import (
    WEB_LINK,
    Category,
    CheckIn,
    Congress,
    Delegate,
    Delegation,
    Document,
    Session,
    SessionKind,
    StreamStatus,
    Visibility,
)
from unionhub.congress.pdf import FORMATS
from unionhub.core import checkin as door
from unionhub.core import jobs, scope, spreadsheets, uploads
from unionhub.core.errors import DomainError
from unionhub.core.models import Job
from unionhub.core.spreadsheets import ImportProblem, ImportRejected
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.members.models import Member
from unionhub.orgs.models import Unit

ORGANISER = scope.CONGRESS_ORGANISER


# Congresses and sessions ------------------------------------------------------------------


@transaction.atomic
def congress_create(
    *, unit: Unit, name: str, term: str, by: User, venue: str = "", notices: str = ""
) -> Congress:
    scope.require(by, ORGANISER, unit)
    if unit.dissolved is not None:
        raise DomainError("unit_dissolved", _("A dissolved unit cannot hold a congress."))
    congress = Congress.objects.create(
        unit=unit, name=nfc(name), term=nfc(term), venue=nfc(venue), notices=nfc(notices)
    )
    log(by, Action.CONGRESS_CREATED, congress, {"unit": unit.code, "term": term})
    return congress


CONGRESS_FIELDS = {
    "name",
    "term",
    "venue",
    "notices",
    "quorum_base",
    "quorum_numerator",
    "quorum_denominator",
}


@transaction.atomic
def congress_update(*, congress: Congress, by: User, **fields: Any) -> Congress:
    scope.require(by, ORGANISER, congress.unit)
    if unknown := set(fields) - CONGRESS_FIELDS:
        raise DomainError(
            "field_not_editable",
            _("These fields cannot be changed: %s") % ", ".join(sorted(unknown)),
        )
    numerator = fields.get("quorum_numerator", congress.quorum_numerator)
    denominator = fields.get("quorum_denominator", congress.quorum_denominator)
    if denominator <= 0 or numerator > denominator:
        raise DomainError(
            "bad_quorum",
            _("The quorum must be a fraction no larger than one, e.g. 2/3."),
            field="quorum_numerator",
        )
    before = {key: getattr(congress, key) for key in fields}
    for key, value in fields.items():
        setattr(congress, key, nfc(value) if isinstance(value, str) else value)
    congress.save()
    log(by, Action.CONGRESS_UPDATED, congress, {"before": before, "after": fields})
    return congress


@transaction.atomic
def session_add(
    *,
    congress: Congress,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    by: User,
    ends_at: dt.datetime | None = None,
    place: str = "",
) -> Session:
    scope.require(by, ORGANISER, congress.unit)
    if kind not in SessionKind.values:
        raise DomainError("unknown_session_kind", _("Unknown kind of session."), field="kind")
    if ends_at is not None and ends_at <= starts_at:
        raise DomainError(
            "session_ends_before_start", _("A session must end after it starts."), field="ends_at"
        )
    session = Session.objects.create(
        congress=congress,
        kind=kind,
        title=nfc(title),
        starts_at=starts_at,
        ends_at=ends_at,
        place=nfc(place),
    )
    log(by, Action.SESSION_ADDED, session, {"congress": congress.pk, "kind": kind})
    return session


STREAM_LINKS = ("stream_facebook", "stream_newspaper", "stream_youtube")


@transaction.atomic
def session_stream_set(
    *,
    session: Session,
    stream_status: str,
    by: User,
    stream_facebook: str = "",
    stream_newspaper: str = "",
    stream_youtube: str = "",
    recording_url: str = "",
) -> Session:
    """Set where `session` is streamed and how the stream stands; the delegates' page, the
    congress's public page and the LED wall read it from here."""
    scope.require(by, ORGANISER, session.congress.unit)
    if stream_status not in StreamStatus.values:
        raise DomainError(
            "unknown_stream_status", _("Unknown stream status."), field="stream_status"
        )
    links = {
        "stream_facebook": stream_facebook.strip(),
        "stream_newspaper": stream_newspaper.strip(),
        "stream_youtube": stream_youtube.strip(),
        "recording_url": recording_url.strip(),
    }
    for name, url in links.items():
        if not url:
            continue
        try:
            WEB_LINK(url)
        except ValidationError as error:
            raise DomainError(
                "link_not_web",
                _("Give a web address that starts with http:// or https://."),
                field=name,
            ) from error
    if stream_status == StreamStatus.LIVE and not any(links[name] for name in STREAM_LINKS):
        raise DomainError(
            "stream_link_required",
            _("Give at least one link where the session is streamed."),
            field="stream_facebook",
        )
    if stream_status == StreamStatus.RECORDING and not links["recording_url"]:
        raise DomainError(
            "recording_link_required",
            _("Give the link of the recording."),
            field="recording_url",
        )
    after = {**links, "stream_status": stream_status}
    before = {name: getattr(session, name) for name in after}
    for name, value in after.items():
        setattr(session, name, value)
    session.save(update_fields=list(after))
    log(by, Action.STREAM_SET, session, {"before": before, "after": after})
    return session


# Delegates --------------------------------------------------------------------------------


def _delegation(congress: Congress, name: str) -> Delegation | None:
    name = nfc(name).strip()
    if not name:
        return None
    delegation, _created = Delegation.objects.get_or_create(congress=congress, name=name)
    return delegation


def _check_member(*, by: User, congress: Congress, member: Member | None) -> None:
    if member is None:
        return
    if not member.unit.path.startswith(congress.unit.path) or not scope.can(by, None, member.unit):
        raise DomainError(
            "member_outside_congress",
            _("%(name)s is not a member inside %(unit)s.")
            % {"name": member.full_name, "unit": congress.unit.name},
            field="member",
        )
    if Delegate.objects.filter(congress=congress, member=member).exists():
        raise DomainError(
            "member_already_delegate",
            _("%(name)s is already a delegate of this congress.") % {"name": member.full_name},
            field="member",
        )


def _next_numbers(congress: Congress, count: int) -> range:
    # Locks the congress row: two organisers adding delegates at once must not share a number.
    locked = Congress.objects.select_for_update().get(pk=congress.pk)
    first = locked.last_number + 1
    Congress.objects.filter(pk=congress.pk).update(last_number=locked.last_number + count)
    return range(first, first + count)


@transaction.atomic
def delegate_add(
    *,
    congress: Congress,
    category: str,
    by: User,
    full_name: str = "",
    member: Member | None = None,
    delegation: str = "",
    position: str = "",
    organisation: str = "",
    seat: str = "",
    group: str = "",
    presidium: bool = False,
) -> Delegate:
    """Add one delegate; a linked member gives the name (photo and unit come from the record)."""
    scope.require(by, ORGANISER, congress.unit)
    _check_member(by=by, congress=congress, member=member)
    full_name = nfc(member.full_name if member else full_name).strip()
    if not full_name:
        raise DomainError("name_required", _("Every delegate needs a name."), field="full_name")
    if category not in Category.values:
        raise DomainError("unknown_category", _("Unknown delegate category."), field="category")
    delegate = Delegate.objects.create(
        congress=congress,
        number=_next_numbers(congress, 1)[0],
        category=category,
        delegation=_delegation(congress, delegation),
        member=member,
        full_name=full_name,
        position=nfc(position),
        organisation=nfc(organisation),
        seat=nfc(seat),
        group=nfc(group),
        presidium=presidium,
    )
    log(by, Action.DELEGATE_ADDED, delegate, {"congress": congress.pk, "category": category})
    return delegate


DELEGATE_FIELDS = {"category", "position", "organisation", "seat", "group", "presidium"}


@transaction.atomic
def delegate_update(
    *, delegate: Delegate, by: User, delegation: str = "", **fields: Any
) -> Delegate:
    scope.require(by, ORGANISER, delegate.congress.unit)
    if unknown := set(fields) - DELEGATE_FIELDS - ({"full_name"} if not delegate.member else set()):
        raise DomainError(
            "field_not_editable",
            _("These fields cannot be changed: %s") % ", ".join(sorted(unknown)),
        )
    before = {key: getattr(delegate, key) for key in fields}
    for key, value in fields.items():
        setattr(delegate, key, nfc(value) if isinstance(value, str) else value)
    delegate.delegation = _delegation(delegate.congress, delegation)
    delegate.save()
    log(by, Action.DELEGATE_UPDATED, delegate, {"before": before, "after": fields})
    return delegate


@transaction.atomic
def delegate_card_reissue(*, delegate: Delegate, by: User) -> Delegate:
    """A new card for a lost one: the serial moves on, so the old card opens nothing."""
    scope.require(by, ORGANISER, delegate.congress.unit)
    Delegate.objects.filter(pk=delegate.pk).update(
        token_serial=F("token_serial") + 1, revoked=False
    )
    delegate.refresh_from_db(fields=["token_serial", "revoked"])
    log(by, Action.CARD_REISSUED, delegate, {"serial": delegate.token_serial})
    return delegate


@transaction.atomic
def delegate_card_revoke(*, delegate: Delegate, by: User) -> Delegate:
    scope.require(by, ORGANISER, delegate.congress.unit)
    Delegate.objects.filter(pk=delegate.pk).update(revoked=True)
    delegate.revoked = True
    log(by, Action.CARD_REVOKED, delegate, {"serial": delegate.token_serial})
    return delegate


# Import -----------------------------------------------------------------------------------

# Each column's names, the template's header first; matched as the member import matches its
# headers (core.spreadsheets.HeaderMatcher: folded, spacing and punctuation ignored).
IMPORT_COLUMNS = {
    "full_name": ("Họ và tên", "full name", "name", "họ tên"),
    "category": ("Loại đại biểu", "category", "loại"),
    "delegation": ("Đoàn", "delegation"),
    "id_number": ("Số CCCD", "cccd", "id number", "số định danh", "số cccd/cmnd/hộ chiếu"),
    "position": ("Chức vụ", "position"),
    "organisation": ("Đơn vị", "organisation", "organization"),
    "seat": ("Ghế", "seat"),
    "group": ("Tổ", "group"),
    "presidium": ("Đoàn chủ tịch", "presidium"),
}
IMPORT_MATCHER = spreadsheets.HeaderMatcher(IMPORT_COLUMNS)
CATEGORY_WORDS = {
    "elected": ("elected", "bầu", "chính thức", "được bầu", "đại biểu chính thức"),
    "ex_officio": ("ex officio", "ex_officio", "đương nhiên", "đại biểu đương nhiên"),
    "invited": ("invited", "khách mời", "mời", "invited guest"),
}
YES_WORDS = {"x", "1", "yes", "có", "co", "true"}


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # calamine reads every number as float
    return nfc(str(value)).strip() if value is not None else ""


def _category(word: str) -> str | None:
    lowered = word.lower()
    for value, words in CATEGORY_WORDS.items():
        if lowered in words:
            return value
    return None


def _read_table(file: IO[bytes]) -> spreadsheets.Table:
    """The delegates' sheet, read within bounds (core.spreadsheets) as every import is."""
    uploads.check_size(file, uploads.DELEGATE_IMPORT, field="file")
    data = file.read(uploads.max_bytes(uploads.DELEGATE_IMPORT) + 1)
    uploads.check_size(data, uploads.DELEGATE_IMPORT, field="file")
    name = getattr(file, "name", "") or "delegates.xlsx"
    return spreadsheets.read_table(data, name, matcher=IMPORT_MATCHER)


@transaction.atomic
def delegates_import(*, congress: Congress, file: IO[bytes], by: User) -> list[Delegate]:
    """Add every row of the first sheet as a delegate, or none: every problem is reported with
    its row and column so the organiser fixes the file once."""
    scope.require(by, ORGANISER, congress.unit)
    table = _read_table(file)
    headers = table.headers
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = IMPORT_MATCHER.match(header)
        if key and key not in columns:
            columns[key] = index
    problems: list[ImportProblem] = []
    for required in ("full_name", "category"):
        if required not in columns:
            problems.append(
                ImportProblem(
                    table.header_row,
                    IMPORT_COLUMNS[required][0],
                    _("The column “%(name)s” is missing.") % {"name": IMPORT_COLUMNS[required][0]},
                )
            )
    if problems:
        raise ImportRejected(problems)

    def value(row: list[Any], key: str) -> str:
        index = columns.get(key)
        return _cell(row[index]) if index is not None and index < len(row) else ""

    prepared: list[tuple[list[Any], str, str, Member | None]] = []
    seen_members: dict[int, int] = {}
    for number, row in table.rows:
        if not any(_cell(v) for v in row):
            continue
        name = value(row, "full_name")
        category = _category(value(row, "category"))
        member = None
        if category is None:
            problems.append(
                ImportProblem(
                    number,
                    headers[columns["category"]],
                    _("“%(value)s” is not a category (elected, ex officio, invited).")
                    % {"value": value(row, "category")},
                )
            )
        if id_number := value(row, "id_number"):
            member = selectors.member_for_delegate(user=by, congress=congress, id_number=id_number)
            column = headers[columns["id_number"]]
            if member is None:
                problems.append(
                    ImportProblem(
                        number,
                        column,
                        _("No member with the number %(number)s in %(unit)s.")
                        % {"number": id_number, "unit": congress.unit.name},
                    )
                )
            elif member.pk in seen_members:
                problems.append(
                    ImportProblem(
                        number,
                        column,
                        _("The same member is on row %(row)d.") % {"row": seen_members[member.pk]},
                    )
                )
            elif Delegate.objects.filter(congress=congress, member=member).exists():
                problems.append(
                    ImportProblem(number, column, _("This member is already a delegate."))
                )
            else:
                seen_members[member.pk] = number
                name = member.full_name
        if not name and not id_number:
            problems.append(
                ImportProblem(number, headers[columns["full_name"]], _("The name is empty."))
            )
        if category is not None:  # rows without one are problems, and problems stop the import
            prepared.append((row, name, category, member))
    if problems:
        raise ImportRejected(problems)
    numbers = iter(_next_numbers(congress, len(prepared)))
    delegations: dict[str, Delegation | None] = {}
    created = []
    for row, name, category, member in prepared:
        delegation_name = value(row, "delegation")
        if delegation_name not in delegations:
            delegations[delegation_name] = _delegation(congress, delegation_name)
        created.append(
            Delegate(
                congress=congress,
                number=next(numbers),
                category=category,
                delegation=delegations[delegation_name],
                member=member,
                full_name=name,
                position=value(row, "position"),
                organisation=value(row, "organisation"),
                seat=value(row, "seat"),
                group=value(row, "group"),
                presidium=value(row, "presidium").lower() in YES_WORDS,
            )
        )
    for delegate in created:
        delegate.save()  # save() derives the folded name and the Vietnamese sort key
    log_many(by, Action.DELEGATE_IMPORTED, created, {"congress": congress.pk})
    return created


@transaction.atomic
def badge_batch_start(
    *, congress: Congress, size: str, base_url: str, by: User, category: str = ""
) -> Job:
    """Start printing a batch of badges in the background; the job page shows the progress."""
    scope.require(by, ORGANISER, congress.unit)
    if size not in FORMATS:
        raise DomainError("unknown_badge_format", _("Unknown badge format."), field="size")
    job = jobs.job_start(
        kind="congress.badges",
        title=_("Badges for %(congress)s") % {"congress": congress.name},
        owner=by,
        params={
            "congress": congress.pk,
            "size": size,
            "base_url": base_url,
            "filters": {"category": category},
        },
    )
    log(by, Action.BADGES_REQUESTED, congress, {"size": size, "category": category})
    return job


# Documents --------------------------------------------------------------------------------


@transaction.atomic
def document_upload(
    *,
    congress: Congress,
    title: str,
    file: File[Any],
    by: User,
    visibility: str = Visibility.DELEGATES,
    order: int = 0,
) -> Document:
    scope.require(by, ORGANISER, congress.unit)
    if visibility not in Visibility.values:
        raise DomainError("unknown_visibility", _("Unknown visibility."), field="visibility")
    uploads.check_pdf(file, uploads.CONGRESS_DOCUMENT)
    document = Document(
        congress=congress,
        title=nfc(title),
        order=order,
        visibility=visibility,
        size=file.size,
        updated=timezone.now(),
    )
    document.file.save("document.pdf", file, save=False)
    document.save()
    log(by, Action.DOCUMENT_UPLOADED, document, {"visibility": visibility})
    return document


@transaction.atomic
def document_replace(
    *,
    document: Document,
    by: User,
    file: File[Any] | None = None,
    title: str | None = None,
    visibility: str | None = None,
    order: int | None = None,
) -> Document:
    """A corrected version replaces the old file; delegates then see the document as updated."""
    scope.require(by, ORGANISER, document.congress.unit)
    if visibility is not None and visibility not in Visibility.values:
        raise DomainError("unknown_visibility", _("Unknown visibility."), field="visibility")
    changes: dict[str, Any] = {}
    for key, new in (("title", title), ("visibility", visibility), ("order", order)):
        if new is not None and new != getattr(document, key):
            changes[key] = new
            setattr(document, key, nfc(new) if isinstance(new, str) else new)
    if file is not None:
        uploads.check_pdf(file, uploads.CONGRESS_DOCUMENT)
        old = document.file.name
        storage = document.file.storage
        document.file.save("document.pdf", file, save=False)
        document.size = file.size
        document.version += 1
        document.updated = timezone.now()
        changes["version"] = document.version
        # The old file goes only once the new one is committed.
        if old:
            transaction.on_commit(lambda: storage.delete(old))
    document.save()
    log(by, Action.DOCUMENT_REPLACED, document, changes)
    return document


def document_viewed(*, document: Document) -> None:
    """Count one opening. Not audited and not tied to a person: delegates' reading is private;
    one UPDATE with F() so concurrent openings all count."""
    Document.objects.filter(pk=document.pk).update(views=F("views") + 1)


# Check-in ---------------------------------------------------------------------------------

MAX_OFFLINE_DRIFT = door.MAX_OFFLINE_DRIFT


class ScanResult(door.ScanResult[Delegate]):
    """A scan's outcome at a congress session: the holder is a delegate."""

    @property
    def delegate(self) -> Delegate | None:
        return self.holder

    @classmethod
    def of(cls, result: door.ScanResult[Delegate]) -> ScanResult:
        return cls(
            result.status, result.message, result.code, result.holder, result.checkin_id, result.at
        )


class SessionDesk:
    """A congress session's door (core.checkin.Desk): delegate cards of its congress."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def by_token(self, token: str) -> tuple[Delegate, door.Present | None]:
        # One narrow query for the hot path of a congress morning (selectors.card_at_station).
        return selectors.card_at_station(token, session=self.session)

    def by_id(self, pk: int) -> tuple[Delegate, door.Present | None]:
        delegate = Delegate.objects.filter(pk=pk, congress_id=self.session.congress_id).first()
        if delegate is None:
            raise DomainError("delegate_unknown", _("Unknown delegate."))
        return delegate, self.present(delegate)

    def present(self, holder: Delegate) -> door.Present | None:
        return selectors.checkin_existing(session=self.session, delegate=holder)

    def record(
        self,
        holder: Delegate,
        *,
        at: dt.datetime,
        source: door.CheckInSource,
        station: str,
        by: User,
    ) -> door.Present | None:
        try:
            with transaction.atomic():
                row = CheckIn.objects.create(
                    session=self.session,
                    delegate=holder,
                    at=at,
                    source=source,
                    station=station[:60],
                    by=by if by.is_authenticated else None,
                )
                # One audit row per check-in, kept although the check-in row names `by`, `at`
                # and the station too: it costs one INSERT on a first scan only (repeats write
                # nothing), and the audit trail stays the one place that lists what a user did.
                log(by, Action.CHECKIN_CREATED, row, {"source": source, "station": station})
        except IntegrityError:
            return None  # another station won the race on the (session, delegate) constraint
        return door.Present(row.pk, row.at)


def checkin_scan(*, session: Session, token: str, by: User, station: str = "") -> ScanResult:
    """Check in the card holder; a refused card says why. Idempotent: a card scanned twice, or
    by two stations at once, makes one check-in.

    The hot path of a congress morning, so it reads little: the scope check uses the grants
    cached on the user, and one narrow query gives the delegate with their check-in, if any
    (selectors.card_at_station); a first scan then inserts the check-in and its audit row."""
    scope.require(by, ORGANISER, session.congress.unit)
    return ScanResult.of(door.scan(SessionDesk(session), token, by=by, station=station))


def checkin_manual(
    *, session: Session, delegate: Delegate, by: User, station: str = ""
) -> ScanResult:
    """Check in by name (a forgotten card). Revoked cards do not stop it: the person is here."""
    scope.require(by, ORGANISER, session.congress.unit)
    if delegate.congress_id != session.congress_id:
        raise DomainError("delegate_other_congress", _("This delegate is of another congress."))
    desk = SessionDesk(session)
    return ScanResult.of(
        door.check_in(
            desk,
            delegate,
            desk.present(delegate),
            by=by,
            source=door.CheckInSource.MANUAL,
            station=station,
        )
    )


@transaction.atomic
def checkin_undo(*, checkin: CheckIn, by: User) -> None:
    scope.require(by, ORGANISER, checkin.session.congress.unit)
    log(
        by,
        Action.CHECKIN_UNDONE,
        checkin.delegate,
        {"session": checkin.session_id, "at": checkin.at},
    )
    checkin.delete()


def checkins_upload(
    *, session: Session, items: list[dict[str, Any]], by: User, station: str = ""
) -> list[ScanResult]:
    """Check-ins recorded by a station while offline (core.checkin.upload): each item a card
    `token` or, for a check-in by name, a `delegate` id, and the moment `at`."""
    scope.require(by, ORGANISER, session.congress.unit)
    results = door.upload(
        SessionDesk(session), items, holder_key="delegate", by=by, station=station
    )
    return [ScanResult.of(result) for result in results]
