"""A course may ask a short quiz: completing it then takes attending and the pass mark, which
the participant reaches on their phone from the pass; the certificate and the reports follow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.training.helpers import client_of, session_of
from unionhub.core.errors import DomainError
from unionhub.training import passes, selectors, services
from unionhub.training.models import Enrolment


@pytest.fixture
def quiz(tree, organiser, admit):
    """A begun session of a course with two questions and a pass mark of 100 %, and a
    participant checked in."""
    session = session_of(tree.district_a, organiser, capacity=5)
    session.starts = timezone.now() - dt.timedelta(minutes=30)
    session.save(update_fields=["starts"])
    course = session.course
    first = services.question_add(
        course=course, text="Văn bản đến được vào sổ ở đâu?",
        choices=["Sổ văn bản đến", "Sổ tay"], answer=0, by=organiser,
    )  # fmt: skip
    second = services.question_add(
        course=course, text="Ai ký văn bản?", choices=["Người có thẩm quyền", "Văn thư", ""],
        answer=0, by=organiser,
    )  # fmt: skip
    services.quiz_set(course=course, pass_mark=100, by=organiser)
    enrolment = services.enrol(
        session=session, member=admit(tree.grassroots_a1, full_name="Trần Thị Lan"), by=organiser
    )
    services.attendance_set(enrolment=enrolment, present=True, by=organiser)
    return enrolment, first, second


def answer(client, enrolment, choices):
    url = reverse("training_public:pass", args=[passes.pass_token(enrolment)])
    return client.post(url, {f"q{pk}": choice for pk, choice in choices.items()})


def trained(tree, organiser):
    return selectors.trained_by_unit_and_topic(
        user=organiser, unit=tree.district_a, start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31)
    )


def test_attending_alone_does_not_complete_a_course_with_a_quiz(tree, organiser, quiz):
    enrolment, _first, _second = quiz
    assert not selectors.is_completed(enrolment)
    certificate = reverse("training:certificate", args=[enrolment.pk])
    assert client_of(organiser).get(certificate).status_code == 404
    assert trained(tree, organiser) == []


def test_the_participant_passes_on_the_phone_and_then_completes(client, tree, organiser, quiz):
    enrolment, first, second = quiz
    failed = answer(client, enrolment, {first.pk: 0, second.pk: 1}).content.decode()
    assert 'data-passed="0"' in failed and "50%" in failed
    passed = answer(client, enrolment, {first.pk: 0, second.pk: 0}).content.decode()
    assert 'data-passed="1"' in passed and 'data-testid="completed"' in passed
    enrolment.refresh_from_db()
    assert (enrolment.quiz_score, enrolment.quiz_attempts) == (100, 2)
    assert selectors.is_completed(enrolment)
    certificate = reverse("training:certificate", args=[enrolment.pk])
    assert client_of(organiser).get(certificate)["Content-Type"] == "application/pdf"
    assert [(row.unit, row.people) for row in trained(tree, organiser)] == [(tree.grassroots_a1, 1)]
    # Passed: no more attempts are taken, and the best score stays.
    answer(client, enrolment, {first.pk: 1, second.pk: 1})
    enrolment.refresh_from_db()
    assert (enrolment.quiz_score, enrolment.quiz_attempts) == (100, 2)


def test_three_attempts_and_the_best_score_is_kept(client, quiz):
    enrolment, first, second = quiz
    for choices in ({first.pk: 0}, {}, {first.pk: 1, second.pk: 1}):
        answer(client, enrolment, choices)
    enrolment.refresh_from_db()
    assert (enrolment.quiz_score, enrolment.quiz_attempts) == (50, 3)
    page = answer(client, enrolment, {first.pk: 0, second.pk: 0}).content.decode()
    assert 'data-testid="quiz"' not in page
    enrolment.refresh_from_db()
    assert (enrolment.quiz_score, enrolment.quiz_attempts) == (50, 3)


def test_the_quiz_waits_for_the_check_in(tree, organiser, admit, quiz):
    enrolment, first, second = quiz
    absent = services.enrol(
        session=enrolment.session, member=admit(tree.grassroots_a2), by=organiser
    )
    with pytest.raises(DomainError) as refused:
        services.quiz_submit(enrolment=absent, answers={first.pk: 0, second.pk: 0})
    assert refused.value.code == "quiz_not_attended"
    assert Enrolment.objects.get(pk=absent.pk).quiz_attempts == 0


def test_questions_and_pass_mark_are_checked(tree, organiser):
    course = session_of(tree.district_a, organiser, capacity=5).course
    refusals = [
        lambda: services.quiz_set(course=course, pass_mark=80, by=organiser),
        lambda: services.question_add(
            course=course, text="?", choices=["Một", " "], answer=0, by=organiser
        ),
        lambda: services.question_add(
            course=course, text="?", choices=["A", "B"], answer=2, by=organiser
        ),
    ]
    codes = []
    for attempt in refusals:
        with pytest.raises(DomainError) as refused:
            attempt()
        codes.append(refused.value.code)
    assert codes == ["quiz_empty", "question_choices", "question_answer"]
    client = client_of(organiser)
    client.post(
        reverse("training:question_add", args=[course.pk]),
        {"text": "Câu hỏi", "choices": "Đúng\nSai", "answer": "1"},
    )
    question = course.questions.get()
    assert (question.choices, question.answer) == (["Đúng", "Sai"], 0)
    client.post(reverse("training:quiz_set", args=[course.pk]), {"pass_mark": "80"})
    course.refresh_from_db()
    assert course.pass_mark == 80
    with pytest.raises(DomainError) as refused:
        services.question_remove(question=question, by=organiser)
    assert refused.value.code == "quiz_empty"
