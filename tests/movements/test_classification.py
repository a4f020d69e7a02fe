"""Year-end classification of grassroots unions: the province sets the criteria and the classes
with their quotas, the upper level scores each union below it, the class follows from the total;
shown on the unit page and in a list with its XLSX export, never to a sibling union."""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.movements import classification, grading, selectors
from unionhub.movements.models import Assessment

CRITERIA = [("Chăm lo đời sống đoàn viên", 60), ("Phát triển đoàn viên", 40)]
GRADES = [
    ("Vững mạnh xuất sắc", 90, 1),
    ("Vững mạnh", 70, None),
    ("Hoàn thành nhiệm vụ", 50, None),
    ("Không hoàn thành", 0, None),
]


@pytest.fixture
def world(tree, officer_at):
    chair = officer_at(tree.province, scope.UNIT_ADMIN)
    scheme = classification.classification_create(
        unit=tree.province, year=2026, title="Phân loại công đoàn cơ sở năm 2026",
        criteria=CRITERIA, grades=GRADES, by=chair,
    )  # fmt: skip
    district = officer_at(tree.district_a, scope.UNIT_ADMIN)
    return scheme, chair, district


def _score(scheme, unit, by, first, second):
    ids = [c.pk for c in scheme.criteria.all()]
    return classification.assessment_score(
        classification=scheme, unit=unit, points=dict(zip(ids, [first, second], strict=True)),
        by=by,
    )  # fmt: skip


def test_the_upper_level_scores_and_the_class_follows_the_thresholds(world, tree):
    scheme, _chair, district = world
    a1 = _score(scheme, tree.grassroots_a1, district, Decimal("55.5"), Decimal(20))
    assert (a1.total, a1.grade.name) == (Decimal("75.5"), "Vững mạnh")
    a2 = _score(scheme, tree.grassroots_a2, district, Decimal(30), Decimal(10))
    assert a2.grade.name == "Không hoàn thành"
    rescored = _score(scheme, tree.grassroots_a1, district, Decimal(60), Decimal(35))
    assert rescored.pk == a1.pk and rescored.grade.name == "Vững mạnh xuất sắc"
    assert sorted(s.points for s in rescored.scores.all()) == [Decimal(35), Decimal(60)]
    with pytest.raises(DomainError) as too_many:
        _score(scheme, tree.grassroots_a2, district, Decimal(61), Decimal(0))
    assert too_many.value.code == "points"


def test_a_full_quota_refuses_the_top_class_with_a_clear_message(world, tree):
    scheme, chair, district = world
    _score(scheme, tree.grassroots_a1, district, Decimal(60), Decimal(35))
    with pytest.raises(DomainError) as full:
        _score(scheme, tree.grassroots_b1, chair, Decimal(60), Decimal(40))
    assert full.value.code == "quota"
    assert "Vững mạnh xuất sắc" in str(full.value.message)
    assert not Assessment.objects.filter(unit=tree.grassroots_b1).exists()
    # The holder scored again keeps its own place: it does not count against itself.
    assert _score(scheme, tree.grassroots_a1, district, Decimal(59), Decimal(40)).grade.quota == 1


def test_a_sibling_or_the_union_itself_cannot_score_nor_see(world, tree, officer_at):
    scheme, _chair, district = world
    _score(scheme, tree.grassroots_a1, district, Decimal(50), Decimal(30))
    sibling = officer_at(tree.grassroots_a2, scope.UNIT_ADMIN)
    other_district = officer_at(tree.district_b, scope.UNIT_ADMIN)
    itself = officer_at(tree.grassroots_a1, scope.UNIT_ADMIN)
    for officer in (sibling, other_district, itself):
        with pytest.raises(OutOfScope):
            _score(scheme, tree.grassroots_a1, officer, Decimal(60), Decimal(40))
        client = Client()
        client.force_login(officer)
        url = reverse("movements:assessment_score", args=[scheme.pk, tree.grassroots_a1.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    assert Assessment.objects.get(unit=tree.grassroots_a1).total == Decimal(80)
    client = Client()
    client.force_login(sibling)
    assert not selectors.assessment_list(user=sibling).exists()
    for url in (
        reverse("movements:classifications"),
        reverse("movements:classification", args=[scheme.pk]),
        reverse("movements:classifications") + "?export=xlsx",
    ):
        response = client.get(url)
        content = response.content if not response.streaming else b"".join(response)
        assert tree.grassroots_a1.name.encode() not in content
    page = client.get(reverse("orgs:unit", args=[tree.grassroots_a1.pk]))
    assert page.status_code in (403, 404)
    # The union itself sees its class on its page.
    own = Client()
    own.force_login(itself)
    unit_page = own.get(reverse("orgs:unit", args=[tree.grassroots_a1.pk])).content.decode()
    assert 'data-testid="classification-panel"' in unit_page
    assert "Vững mạnh" in unit_page


def test_the_scheme_is_set_scored_listed_and_exported_through_the_pages(world, tree):
    scheme, chair, district = world
    client = Client()
    client.force_login(chair)
    response = client.post(reverse("movements:classification_create"), {
        "unit": tree.province.code, "year": 2027, "title": "Phân loại năm 2027",
        "criteria": "Chăm lo; 60\nPhát triển đoàn viên; 40",
        "grades": "Vững mạnh xuất sắc; 90; 2\nVững mạnh; 70\nKhông hoàn thành; 0",
    })  # fmt: skip
    created = selectors.classification_list(user=chair).get(year=2027)
    assert response.status_code == 302
    assert [g.quota for g in created.grades.all()] == [2, None, None]
    officer = Client()
    officer.force_login(district)
    detail = officer.get(reverse("movements:classification", args=[scheme.pk])).content.decode()
    assert tree.grassroots_a1.name in detail and tree.grassroots_b1.name not in detail
    first, second = (c.pk for c in scheme.criteria.all())
    url = reverse("movements:assessment_score", args=[scheme.pk, tree.grassroots_a1.pk])
    saved = officer.post(url, {f"c{first}": "58", f"c{second}": "37.5"})
    assert saved.status_code == 302
    assert Assessment.objects.get(unit=tree.grassroots_a1).grade.name == "Vững mạnh xuất sắc"
    refused = officer.post(
        reverse("movements:assessment_score", args=[scheme.pk, tree.grassroots_a2.pk]),
        {f"c{first}": "60", f"c{second}": "40"},
    )
    assert refused.status_code == 200
    assert "Vững mạnh xuất sắc" in refused.content.decode()  # the quota's message
    assert not Assessment.objects.filter(unit=tree.grassroots_a2).exists()
    sheet = officer.get(reverse("movements:classifications"), {"export": "xlsx", "year": 2026})
    rows = list(load_workbook(io.BytesIO(b"".join(sheet))).active.iter_rows(values_only=True))
    assert [r[1:] for r in rows[1:]] == [
        (tree.grassroots_a1.name, tree.province.name, 95.5, "Vững mạnh xuất sắc")
    ]


def test_only_a_unit_above_the_grassroots_sets_a_scheme_once_a_year(world, tree, officer_at):
    _scheme, chair, _district = world
    with pytest.raises(DomainError) as twice:
        classification.classification_create(
            unit=tree.province, year=2026, title="Lần hai", criteria=CRITERIA, grades=GRADES,
            by=chair,
        )  # fmt: skip
    assert twice.value.code == "year"
    with pytest.raises(DomainError) as no_floor:
        classification.classification_create(
            unit=tree.province, year=2028, title="Thiếu hạng", criteria=CRITERIA,
            grades=[("Vững mạnh", 70, None)], by=chair,
        )  # fmt: skip
    assert no_floor.value.code == "grades"
    union_chair = officer_at(tree.grassroots_a1, scope.UNIT_ADMIN)
    with pytest.raises(DomainError):
        classification.classification_create(
            unit=tree.grassroots_a1, year=2026, title="Tự phân loại", criteria=CRITERIA,
            grades=GRADES, by=union_chair,
        )  # fmt: skip


@st.composite
def _bands(draw):
    starts = draw(st.lists(st.integers(1, 100), max_size=4, unique=True))
    quotas = draw(
        st.lists(st.none() | st.integers(1, 3), min_size=len(starts) + 1,
                 max_size=len(starts) + 1)
    )  # fmt: skip
    return [
        grading.Band(i, s, q) for i, (s, q) in enumerate(zip([0, *starts], quotas, strict=True))
    ]


@settings(max_examples=200, deadline=None)
@given(bands=_bands(), totals=st.lists(st.integers(0, 100), max_size=12))
def test_the_class_is_the_highest_reached_and_quotas_are_never_exceeded(bands, totals):
    held: Counter[int] = Counter()
    for total in totals:
        earned = sorted((b for b in bands if total >= b.min_points), key=lambda b: -b.min_points)[0]
        try:
            band = grading.assign(Decimal(total), bands, held)
        except grading.QuotaFull as full:
            assert full.band == earned
            assert earned.quota is not None and held[earned.key] == earned.quota
            continue
        assert band == earned
        held[band.key] += 1
    for band in bands:
        assert band.quota is None or held[band.key] <= band.quota


def test_the_scheme_page_costs_the_same_queries_however_many_unions_are_scored(world, tree):
    scheme, chair, district = world
    client = Client()
    client.force_login(chair)
    url = reverse("movements:classification", args=[scheme.pk])
    _score(scheme, tree.grassroots_a1, district, Decimal(40), Decimal(20))
    client.get(url)  # warms the session and the caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _score(scheme, tree.grassroots_a2, district, Decimal(50), Decimal(30))
    _score(scheme, tree.grassroots_b1, chair, Decimal(30), Decimal(10))
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert len(three) == len(one)
    assert page.count("/score/") == 3  # a score link per union


pytestmark = pytest.mark.django_db
