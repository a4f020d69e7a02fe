"""`field__one_of`: the rows `field__in` finds, with the values bound as one parameter."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unionhub.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_finds_what_in_finds_on_text_integers_and_keys(tree):
    codes = [tree.province.code, tree.district_a.code, "NO-SUCH-CODE", tree.province.code]
    assert set(Unit.objects.filter(code__one_of=codes)) == set(Unit.objects.filter(code__in=codes))
    ids = [tree.grassroots_a1.pk, tree.root.pk, 10**9]
    assert set(Unit.objects.filter(pk__one_of=ids)) == {tree.grassroots_a1, tree.root}
    children = Unit.objects.filter(parent__id__one_of=[tree.province.pk])
    assert set(children) == set(Unit.objects.filter(parent=tree.province))
    assert list(Unit.objects.filter(code__one_of=[])) == []


def test_binds_one_parameter_however_many_values(tree):
    codes = [f"CODE-{n}" for n in range(5000)] + [tree.province.code]
    assert list(Unit.objects.filter(code__one_of=codes)) == [tree.province]
    _sql, params = Unit.objects.filter(code__one_of=codes).query.sql_with_params()
    assert len(params) == 1


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(alphabet="ABCĐ-01 '\"ạ", max_size=6), max_size=8))
def test_any_strings_match_exactly(tree, codes):
    everything = list(Unit.objects.values_list("code", flat=True))
    wanted = [*codes, *everything[: len(codes) % 3]]
    found = set(Unit.objects.filter(code__one_of=wanted).values_list("code", flat=True))
    assert found == set(everything) & set(wanted)
