"""Reporting rounds: open, submit (frozen), late, return with a comment, live differences."""

from __future__ import annotations

import datetime as dt

import pytest

from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.members import services as members
from unionhub.reports import selectors, services
from unionhub.reports.models import SubmissionStatus

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def district_round(tree, officer_at, admit_member):
    for _ in range(2):
        admit_member(tree.grassroots_a1, D(2024, 2, 1))
    admit_member(tree.grassroots_a2, D(2024, 3, 1))
    opener = officer_at(tree.district_a, scope.REGISTRAR)
    report_round = services.round_open(
        unit=tree.district_a,
        first=D(2024, 1, 1),
        last=D(2024, 12, 31),
        deadline=D(2025, 1, 15),
        by=opener,
    )
    return report_round, opener


def test_child_submits_and_its_numbers_are_frozen(tree, officer_at, district_round, admit_member):
    report_round, opener = district_round
    child = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    submission = services.report_submit(
        report_round=report_round, unit=tree.grassroots_a1, by=child
    )
    assert submission.figures["total"]["end"] == 2

    # A late correction of the history: the live numbers move, the submitted ones do not.
    admit_member(tree.grassroots_a1, D(2024, 6, 1))
    lines = {
        line.unit.code: line
        for line in selectors.round_lines(user=opener, report_round=report_round)
    }
    a1 = lines["HT-DT-0001"]
    a1.submission.refresh_from_db()
    assert a1.submission.figures["total"]["end"] == 2
    assert ("end", 2, 3) in [(c, s, n) for c, _label, s, n in a1.differences]
    assert lines["HT-DT-0002"].submission is None
    assert lines["HT-DT-0002"].late  # the deadline (15/01/2025) has passed
    assert a1.late  # submitted today, after the deadline


def test_parent_returns_with_a_comment_and_the_child_submits_again(
    tree, officer_at, district_round
):
    report_round, opener = district_round
    child = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    submission = services.report_submit(
        report_round=report_round, unit=tree.grassroots_a1, by=child
    )
    with pytest.raises(DomainError) as twice:
        services.report_submit(report_round=report_round, unit=tree.grassroots_a1, by=child)
    assert twice.value.code == "already_submitted"
    with pytest.raises(OutOfScope):
        services.report_return(submission=submission, by=child, comment="self-return")
    with pytest.raises(DomainError) as refused:
        services.report_return(submission=submission, by=opener, comment="  ")
    assert refused.value.code == "comment_required"
    services.report_return(submission=submission, by=opener, comment="Thiếu 1 đoàn viên")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    again = services.report_submit(report_round=report_round, unit=tree.grassroots_a1, by=child)
    assert again.pk == submission.pk and again.status == SubmissionStatus.SUBMITTED


def test_only_the_units_below_may_submit_and_only_their_own(tree, officer_at, district_round):
    report_round, _opener = district_round
    outsider = officer_at(tree.grassroots_b1, scope.REGISTRAR)
    with pytest.raises(OutOfScope):
        services.report_submit(report_round=report_round, unit=tree.grassroots_a1, by=outsider)
    with pytest.raises(DomainError) as refused:
        services.report_submit(report_round=report_round, unit=tree.grassroots_b1, by=outsider)
    assert refused.value.code == "not_in_round"
    viewer = officer_at(tree.grassroots_a1, scope.VIEWER)
    with pytest.raises(OutOfScope):
        services.report_submit(report_round=report_round, unit=tree.grassroots_a1, by=viewer)


def test_a_child_sees_the_round_and_only_its_own_line(tree, officer_at, district_round):
    report_round, _opener = district_round
    child = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    assert list(selectors.rounds_visible(user=child)) == [report_round]
    lines = selectors.round_lines(user=child, report_round=report_round)
    assert [line.unit.code for line in lines] == ["HT-DT-0001"]
    assert lines[0].may_submit and not lines[0].may_return
    other = officer_at(tree.grassroots_b1, scope.REGISTRAR)
    assert list(selectors.rounds_visible(user=other)) == []
    with pytest.raises(OutOfScope):
        selectors.round_get(user=other, pk=report_round.pk)


def test_round_pages_submit_and_return(client, tree, officer_at, district_round):
    report_round, opener = district_round
    child = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    client.force_login(child)
    response = client.post(f"/reports/rounds/{report_round.pk}/submit/{tree.grassroots_a1.pk}/")
    assert response.status_code == 302
    outsider = officer_at(tree.grassroots_b1, scope.REGISTRAR)
    client.force_login(outsider)
    assert client.get(f"/reports/rounds/{report_round.pk}/").status_code == 403
    client.force_login(opener)
    page = client.get(f"/reports/rounds/{report_round.pk}/")
    assert page.context["submitted"] == 1
    submission = report_round.submissions.get()
    client.post(f"/reports/submissions/{submission.pk}/return/", {"comment": "Sai số"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED and submission.comment == "Sai số"


def test_round_needs_a_sensible_deadline_and_a_registrar(tree, officer_at):
    opener = officer_at(tree.district_a, scope.REGISTRAR)
    with pytest.raises(DomainError) as refused:
        services.round_open(
            unit=tree.district_a,
            first=D(2024, 1, 1),
            last=D(2024, 12, 31),
            deadline=D(2024, 6, 1),
            by=opener,
        )
    assert refused.value.code == "deadline_before_period_end"
    with pytest.raises(OutOfScope):
        services.round_open(
            unit=tree.district_a,
            first=D(2024, 1, 1),
            last=D(2024, 12, 31),
            deadline=D(2025, 1, 1),
            by=officer_at(tree.district_a, scope.VIEWER),
        )


def test_suspension_after_submission_shows_as_a_difference(tree, officer_at, district_round):
    report_round, opener = district_round
    child = officer_at(tree.grassroots_a2, scope.REGISTRAR)
    services.report_submit(report_round=report_round, unit=tree.grassroots_a2, by=child)
    member = tree.grassroots_a2.members.get()
    members.member_suspend(member=member, date=D(2024, 10, 1), by=tree.admin)
    line = next(
        line
        for line in selectors.round_lines(user=opener, report_round=report_round)
        if line.unit == tree.grassroots_a2
    )
    assert {c for c, *_rest in line.differences} == {"suspended", "decreases", "end"}
