import datetime as dt

import pytest
from django.utils import timezone, translation

from tests.factories import admit
from unionhub.congress import selectors as congress_selectors
from unionhub.congress import services as congress_services
from unionhub.core import scope
from unionhub.display import selectors, services
from unionhub.display.models import Slide
from unionhub.members import services as member_services
from unionhub.orgs import services as org_services


def test_membership_counts_holding_members_and_their_change(world):
    today = timezone.localdate()
    tree = world.tree
    newcomer = admit(tree.grassroots_b1, tree.admin, today, full_name="Võ Thị Hoa", female=True)
    leaver = member_services.member_leave(
        member=selectors.MembershipPeriod.objects.get(member__full_name="Phạm Văn Dũng").member,
        date=today,
        reason="resigned",
        by=tree.admin,
    )
    figures = selectors.membership_figures(unit=tree.province, today=today)
    assert figures.members == 4  # 4 long-standing − 1 left today + 1 admitted today
    assert figures.women == 3
    assert figures.year_start == 4
    assert figures.growth_this_year == 0
    assert figures.admitted_this_year == 1
    assert figures.trend[-1].members == 4 and figures.trend[0].members == 4
    district = selectors.membership_figures(unit=tree.district_b, today=today)
    assert district.members == 1
    assert newcomer.unit == tree.grassroots_b1 and leaver.state == "left"


def test_membership_on_a_past_day_uses_the_periods(world):
    tree = world.tree
    today = timezone.localdate()
    figures = selectors.membership_figures(
        unit=tree.province, today=today.replace(year=today.year - 4)
    )
    assert figures.members == 0
    assert figures.admitted_this_year == 0


def test_breakdown_by_sub_unit_and_by_sector(world):
    tree = world.tree
    today = timezone.localdate()
    units = selectors.breakdown_figures(unit=tree.province, by="units", today=today)
    assert [(b.label, b.value) for b in units.bars] == [
        ("Liên đoàn Lao động huyện Đức Thọ", 3),
        ("Liên đoàn Lao động huyện Can Lộc", 1),
    ]
    assert units.bars[0].width == 100 and units.total == 4
    org_services.unit_update(unit=tree.grassroots_b1, sector="enterprise", by=tree.admin)
    with translation.override("en"):
        sectors = selectors.breakdown_figures(unit=tree.province, by="sector", today=today)
    assert {(b.label, b.value) for b in sectors.bars} == {("Other", 3), ("Enterprise", 1)}


def test_breakdown_keeps_eight_bars_and_sums_the_rest(world, tree):
    today = timezone.localdate()
    for i in range(10):
        commune = org_services.unit_found(
            code=f"HT-X{i:02d}",
            name=f"Công đoàn xã X{i:02d}",
            level=30,
            parent=tree.province,
            founded=dt.date(2015, 1, 1),
            by=tree.admin,
        )
        unit = org_services.unit_found(
            code=f"HT-X{i:02d}-1",
            name=f"Công đoàn X{i:02d}",
            level=40,
            parent=commune,
            founded=dt.date(2015, 1, 1),
            by=tree.admin,
        )
        for j in range(i + 5):
            admit(unit, tree.admin, dt.date(2016, 1, 1), full_name=f"Thành Viên {i} {j}")
    with translation.override("en"):
        figures = selectors.breakdown_figures(unit=tree.province, by="units", today=today)
    assert len(figures.bars) == 8
    assert figures.bars[0].value == 14
    assert figures.bars[-1].label == "Other units"
    assert sum(b.value for b in figures.bars) == figures.total == 95 + 4


def test_breakdown_shows_many_direct_unions_by_sector(world, tree):
    today = timezone.localdate()
    for i in range(10):
        unit = org_services.unit_found(
            code=f"HT-D{i:02d}",
            name=f"Công đoàn trường D{i:02d}",
            level=40,
            parent=tree.province,
            sector="education",
            founded=dt.date(2015, 1, 1),
            by=tree.admin,
        )
        admit(unit, tree.admin, dt.date(2016, 1, 1), full_name=f"Giáo Viên {i}")
    with translation.override("en"):
        figures = selectors.breakdown_figures(unit=tree.province, by="units", today=today)
    assert [(b.label, b.value) for b in figures.bars] == [
        ("Grassroots unions directly under · Education", 10),
        ("Liên đoàn Lao động huyện Đức Thọ", 3),
        ("Liên đoàn Lao động huyện Can Lộc", 1),
    ]


def test_attendance_slide_shows_the_figures_organisers_see(world):
    session = world.session
    for delegate in world.delegates[:2] + world.delegates[3:]:
        congress_services.checkin_manual(session=session, delegate=delegate, by=world.organiser)
    slide = services.slide_add(
        screen=world.screen, kind="attendance", congress=world.congress, by=world.organiser
    )
    content = selectors.slide_content(slide=slide, now=timezone.now())
    ours = content["figures"]
    theirs = congress_selectors.attendance(user=world.organiser, session=session)
    assert ours.session_title == session.title
    assert (ours.present, ours.expected) == (theirs.present, theirs.expected) == (4, 5)
    assert ours.by_category == theirs.by_category
    assert (ours.quorum_base, ours.quorum_present, ours.quorum_needed, ours.quorum_met) == (
        theirs.quorum_base,
        theirs.quorum_present,
        theirs.quorum_needed,
        theirs.quorum_met,
    )
    assert ours.by_delegation == []  # the wall shows no per-delegation table
    assert not ours.quorum_met  # 2 of 3 elected: "more than two thirds" needs all 3
    congress_services.checkin_manual(
        session=session, delegate=world.delegates[2], by=world.organiser
    )
    assert selectors.slide_content(slide=slide, now=timezone.now())["figures"].quorum_met


def test_programme_marks_the_session_on_now_and_the_next(world):
    items = selectors.programme(congress=world.congress, now=timezone.now())
    assert [(i.session.title, i.status) for i in items] == [
        ("Phiên chính thức", "now"),
        ("Phiên bế mạc", "next"),
    ]
    later = selectors.programme(
        congress=world.congress, now=timezone.now() + dt.timedelta(hours=2, minutes=30)
    )
    assert [i.status for i in later] == ["done", "next"]


def test_current_session_follows_the_clock(world):
    now = timezone.now()
    assert selectors.current_session(congress=world.congress, now=now) == world.session
    assert (
        selectors.current_session(congress=world.congress, now=now + dt.timedelta(hours=4))
        == world.later
    )
    assert (
        selectors.current_session(congress=world.congress, now=now - dt.timedelta(days=1))
        == world.session
    )


def _at(hour, minute=0):
    day = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.mark.parametrize(
    ("window", "hour", "due"),
    [
        ((dt.time(8), dt.time(17)), 12, True),
        ((dt.time(8), dt.time(17)), 17, False),
        ((dt.time(22), dt.time(6)), 23, True),
        ((dt.time(22), dt.time(6)), 3, True),
        ((dt.time(22), dt.time(6)), 12, False),
    ],
)
def test_daily_window_may_cross_midnight(window, hour, due):
    slide = Slide(enabled=True, daily_from=window[0], daily_until=window[1])
    assert selectors.is_scheduled(slide, _at(hour)) is due


def test_playlist_follows_schedule_and_order(world):
    now = timezone.now()
    by = world.organiser
    first = services.slide_add(screen=world.screen, kind="text", body="1", by=by)
    services.slide_add(
        screen=world.screen,
        kind="text",
        body="later",
        shows_from=now + dt.timedelta(hours=1),
        by=by,
    )
    services.slide_add(screen=world.screen, kind="text", body="off", enabled=False, by=by)
    last = services.slide_add(
        screen=world.screen, kind="membership", unit=world.tree.province, by=by
    )
    assert selectors.playlist(screen=world.screen, now=now) == [first, last]


def test_playlist_drops_a_slide_whose_unit_moved_out_of_the_screen(world):
    tree = world.tree
    by = world.organiser
    screen, _token = services.screen_create(unit=tree.district_a, name="Đức Thọ", by=by)
    slide = services.slide_add(screen=screen, kind="membership", unit=tree.grassroots_a2, by=by)
    assert selectors.playlist(screen=screen, now=timezone.now()) == [slide]
    org_services.unit_move(
        unit=tree.grassroots_a2,
        new_parent=tree.district_b,
        effective=timezone.localdate(),
        by=tree.admin,
    )
    screen.refresh_from_db()
    assert selectors.playlist(screen=screen, now=timezone.now()) == []


def test_screens_are_listed_only_for_their_organisers(world, officer_at):
    district_screen, _t = services.screen_create(
        unit=world.tree.district_b, name="Can Lộc", by=world.organiser
    )
    local = officer_at(world.tree.district_b, scope.CONGRESS_ORGANISER)
    viewer = officer_at(world.tree.province, scope.VIEWER)
    assert list(selectors.screen_list(user=local)) == [district_screen]
    assert list(selectors.screen_list(user=viewer)) == []
    assert set(selectors.screen_list(user=world.organiser)) == {world.screen, district_screen}
    assert list(selectors.screen_list(user=world.organiser, query="can loc")) == [district_screen]


def test_dashboard_shows_the_officer_own_units(world, officer_at):
    district = officer_at(world.tree.district_a, scope.VIEWER)
    board = selectors.dashboard(user=district, now=timezone.now())
    assert [m.unit_name for m in board.units] == ["Liên đoàn Lao động huyện Đức Thọ"]
    assert board.units[0].members == 3
    assert board.attendance == []  # not an organiser of the sitting congress
    organiser_board = selectors.dashboard(user=world.organiser, now=timezone.now())
    assert [a.session_title for a in organiser_board.attendance] == ["Phiên chính thức"]


def test_dashboard_is_empty_without_a_role(world):
    from tests.factories import make_user

    assert not selectors.dashboard(user=make_user("nobody"), now=timezone.now())


def test_playlist_takes_a_fixed_number_of_queries(world, django_assert_num_queries):
    """The kiosk asks for its playlist every few seconds: its queries are pinned."""
    by = world.organiser
    for body in ("một", "hai", "ba"):
        services.slide_add(screen=world.screen, kind="text", body=body, by=by)
    services.slide_add(screen=world.screen, kind="membership", unit=world.tree.province, by=by)
    with django_assert_num_queries(1):
        assert len(selectors.playlist(screen=world.screen, now=timezone.now())) == 4
