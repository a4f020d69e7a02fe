"""Year-end classification of grassroots unions: a province or an upper unit sets the year's
criteria (name, maximum points) and classes (starting points, quota); a unit admin above a
grassroots union in that unit's subtree scores it on every criterion, and its class follows
from the total by `grading.assign`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from unionhub.audit.services import log
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.core.text import nfc
from unionhub.core.types import User
from unionhub.movements import grading
from unionhub.movements.actions import Action
from unionhub.movements.models import (
    Assessment,
    AssessmentScore,
    Classification,
    ClassificationCriterion,
    Grade,
)
from unionhub.orgs.models import Level, Unit


@transaction.atomic
def classification_create(
    *,
    unit: Unit,
    year: int,
    title: str,
    criteria: Iterable[tuple[str, int]],
    grades: Iterable[tuple[str, int, int | None]],
    by: User,
) -> Classification:
    """The year's scheme of `unit`: criteria (name, maximum points) and classes (name, points
    from, quota or None), one class starting from 0."""
    scope.require(by, scope.UNIT_ADMIN, unit)
    if unit.level >= Level.GRASSROOTS:
        raise DomainError("unit", _("A unit above the grassroots unions sets the classification."),
                          field="unit")  # fmt: skip
    title = nfc(title).strip()
    if not title:
        raise DomainError("title", _("Give the classification a title."), field="title")
    if Classification.objects.filter(unit=unit, year=year).exists():
        raise DomainError(
            "year", _("This unit already has a classification for that year."), field="year"
        )
    criteria = [(nfc(name).strip(), max_points) for name, max_points in criteria]
    grades = [(nfc(name).strip(), min_points, quota) for name, min_points, quota in grades]
    names = [name for name, _max in criteria]
    if not criteria or "" in names or len(set(names)) != len(names):
        raise DomainError("criteria", _("Give each criterion its own name."), field="criteria")
    if any(max_points <= 0 for _name, max_points in criteria):
        raise DomainError(
            "criteria", _("Each criterion's maximum must be above zero."), field="criteria"
        )
    most = sum(max_points for _name, max_points in criteria)
    grade_names = [name for name, _min, _quota in grades]
    starts = [min_points for _name, min_points, _quota in grades]
    if not grades or "" in grade_names or len(set(grade_names)) != len(grade_names):
        raise DomainError("grades", _("Give each class its own name."), field="grades")
    if len(set(starts)) != len(starts) or 0 not in starts or max(starts) > most or min(starts) < 0:
        raise DomainError(
            "grades",
            _("Each class starts from its own points, between 0 and %(most)s, and one from 0.")
            % {"most": most},
            field="grades",
        )
    if any(quota is not None and quota <= 0 for _name, _min, quota in grades):
        raise DomainError("grades", _("A quota must be above zero."), field="grades")
    classification = Classification.objects.create(unit=unit, year=year, title=title, created_by=by)
    ClassificationCriterion.objects.bulk_create(
        ClassificationCriterion(
            classification=classification, name=name, max_points=max_points, position=position
        )
        for position, (name, max_points) in enumerate(criteria)
    )
    Grade.objects.bulk_create(
        Grade(classification=classification, name=name, min_points=min_points, quota=quota)
        for name, min_points, quota in grades
    )
    log(by, Action.CLASSIFICATION_CREATED, classification, {"unit": unit.code, "year": year})
    return classification


def may_score(user: User, unit: Unit) -> bool:
    """A unit admin above the grassroots union scores it; the union never scores itself."""
    return unit.parent is not None and scope.can(user, scope.UNIT_ADMIN, unit.parent)


@transaction.atomic
def assessment_score(
    *,
    classification: Classification,
    unit: Unit,
    points: Mapping[int, Decimal | None],
    by: User,
) -> Assessment:
    """Score `unit` on every criterion (criterion id → points) and give it its class."""
    # Locks the scheme's row: two officers scoring at once must not both take a quota's last
    # place.
    classification = Classification.objects.select_for_update().get(pk=classification.pk)
    if (
        unit.level != Level.GRASSROOTS
        or not unit.path.startswith(classification.unit.path)
        or not may_score(by, unit)
    ):
        raise OutOfScope()
    criteria = list(classification.criteria.all())
    given: dict[int, Decimal] = {}
    for criterion in criteria:
        value = points.get(criterion.pk)
        if value is None or not 0 <= value <= criterion.max_points:
            raise DomainError(
                "points",
                _("Score “%(name)s” from 0 to %(max)s.")
                % {"name": criterion.name, "max": criterion.max_points},
                field=f"c{criterion.pk}",
            )
        given[criterion.pk] = value
    total = sum(given.values(), Decimal(0))
    grades = {g.pk: g for g in classification.grades.all()}
    taken = Counter(
        classification.assessments.exclude(unit=unit).values_list("grade_id", flat=True)
    )
    try:
        band = grading.assign(
            total, [grading.Band(g.pk, g.min_points, g.quota) for g in grades.values()], taken
        )
    except grading.QuotaFull as full:
        grade = grades[full.band.key]
        raise DomainError(
            "quota",
            _("%(total)s points earn “%(grade)s”, but its quota of %(quota)s unions is full.")
            % {"total": total, "grade": grade.name, "quota": grade.quota},
        ) from full
    assessment, _created = Assessment.objects.update_or_create(
        classification=classification,
        unit=unit,
        defaults={"total": total, "grade": grades[band.key], "scored_by": by},
    )
    assessment.scores.all().delete()
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=assessment, criterion_id=pk, points=value)
        for pk, value in given.items()
    )
    log(by, Action.ASSESSMENT_SCORED, assessment,
        {"unit": unit.code, "total": str(total), "class": assessment.grade.name})  # fmt: skip
    return assessment
