"""Attendance figures: the same numbers for organisers and for screens without a user."""

from __future__ import annotations

import pytest

from unionhub.congress import selectors, services
from unionhub.core.errors import OutOfScope

pytestmark = pytest.mark.django_db


def test_figures_without_a_user_are_the_organisers_figures(setup):
    for delegate in [*setup.elected[:5], setup.guest]:
        services.checkin_manual(session=setup.opening, delegate=delegate, by=setup.organiser)
    figures = selectors.attendance_figures(session=setup.opening)
    assert figures == selectors.attendance(user=setup.organiser, session=setup.opening)
    assert (figures.present, figures.expected) == (6, 9)
    assert [(line.present, line.expected) for line in figures.by_category] == [
        (5, 7),  # elected (six and the presidium member)
        (0, 1),  # ex officio
        (1, 1),  # invited
    ]
    # Seven elected: "more than two thirds" is 5, and 5 are here.
    assert (figures.quorum_base, figures.quorum_present, figures.quorum_needed) == (7, 5, 5)
    assert figures.quorum_met
    assert {line.label: (line.present, line.expected) for line in figures.by_delegation} == {
        "Đoàn huyện Can Lộc": (3, 3),
        "Đoàn huyện Đức Thọ": (2, 3),
        "Đoàn cơ quan tỉnh": (0, 2),
        "Không thuộc đoàn": (1, 1),
    }
    assert (figures.congress_name, figures.session_title) == (
        "Đại hội Công đoàn tỉnh lần thứ XIX",
        "Phiên chính thức",
    )


def test_figures_without_delegations_leave_only_that_table_out(setup):
    services.checkin_manual(session=setup.opening, delegate=setup.elected[0], by=setup.organiser)
    full = selectors.attendance_figures(session=setup.opening)
    lean = selectors.attendance_figures(session=setup.opening, delegations=False)
    assert lean.by_delegation == [] and full.by_delegation != []
    assert (lean.present, lean.expected, lean.by_category, lean.quorum_needed) == (
        full.present,
        full.expected,
        full.by_category,
        full.quorum_needed,
    )


def test_organiser_of_another_unit_cannot_read_the_attendance(setup):
    with pytest.raises(OutOfScope):
        selectors.attendance(user=setup.other_organiser, session=setup.opening)
