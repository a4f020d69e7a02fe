"""The search box beyond a small scope (on PostgreSQL: word-start B-tree stages before the
trigram index) finds each kind of query the national benchmark types, never leaves an
officer's scope, and returns only members that match every term as before."""

import datetime as dt
import re

import pytest
from django.db import connection

from unionhub.members import selectors, services
from unionhub.orgs import services as orgs
from unionhub.orgs.models import Level

FOUNDED = dt.date(2010, 1, 1)


@pytest.fixture
def national(tree, admit):
    made = {
        "trong": admit(full_name="Nguyễn Văn Trọng"),
        "tran": admit(full_name="Trần Thị Lan", gender="female"),
        "hoang": admit(full_name="Hoàng Minh Tuấn", phone="0912345678"),
    }
    # Another province with more "Nguyễn Văn Trọng" than the cap: they must not fill it for an
    # officer of the first province.
    unit = None
    for code, level in (("NA", Level.PROVINCE), ("NA-VI", Level.DIRECT_UPPER)):
        unit = orgs.unit_found(
            code=code, name=code, level=level, parent=unit or tree.root, founded=FOUNDED,
            by=tree.admin,
        )  # fmt: skip
    made["other_union"] = orgs.unit_found(
        code="NA-VI-0001", name="NA-VI-0001", level=Level.GRASSROOTS, parent=unit,
        founded=FOUNDED, by=tree.admin,
    )  # fmt: skip
    for _ in range(selectors.SEARCH_CANDIDATES + 5):
        services.member_admit(
            unit=made["other_union"],
            by=tree.admin,
            joined=dt.date(2020, 1, 1),
            full_name="Nguyễn Văn Trọng",
            gender="male",
        )
    return made


def _pks(user, query, limit=20):
    return {m.pk for m in selectors.member_search(user=user, query=query, limit=limit)}


@pytest.mark.parametrize("query", ["nguyen van trong", "Trọng", "nguyen trong", "tro", "van tro"])
def test_each_kind_of_query_finds_the_member(national, tree, officer_at, query):
    province_officer = officer_at(tree.province, "viewer")
    assert _pks(province_officer, query) == {national["trong"].pk}
    everyone = selectors.member_search(user=tree.admin, query=query, limit=400)
    assert national["trong"].pk in {m.pk for m in everyone}
    assert len(everyone) == selectors.SEARCH_CANDIDATES  # the cap, filled from either province


def test_a_province_officer_never_sees_the_other_province(national, tree, officer_at):
    province_officer = officer_at(tree.province, "viewer")
    for query in ("trong", "nguyen", "nguyen van trong", "van", "ngu"):
        found = selectors.member_search(user=province_officer, query=query, limit=400)
        assert [m.pk for m in found] == [national["trong"].pk]


def test_digits_and_inner_substrings_still_match(national, tree):
    assert _pks(tree.admin, "0912 345") == {national["hoang"].pk}
    assert _pks(tree.admin, "345678") == {national["hoang"].pk}
    assert national["trong"].pk in _pks(tree.admin, "rong", limit=400)
    assert _pks(tree.admin, "tran trong") == set()


@pytest.mark.parametrize(
    "query", ["trong", "nguyen van", "tran lan", "lan tran", "tro", "minh tuan", "la", "0912"]
)
def test_results_are_a_subset_of_the_plain_like_match(national, tree, query):
    found = selectors.member_search(user=tree.admin, query=query, limit=400)
    assert found
    for member in found:
        member.refresh_from_db()
        for term in selectors._search_terms(query):
            assert (term if len(term) >= 3 else f" {term}") in member.search_text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's B-tree stages")
@pytest.mark.parametrize("whole", [True, False])
def test_the_stages_spell_the_indexed_expressions(national, tree, officer_at, whole):
    """The planner takes an index only for the very expression it holds."""
    user = tree.admin if whole else officer_at(tree.province, "viewer")
    qs = selectors._scoped(user).order_by()
    staged = selectors._staged_candidates(qs, ["nguyen", "trong"], whole=whole)
    sql, params = staged.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for key in ("given_first", "from_family", "after_family"):
        # Within a scope the (unit, name) index or the name's own, as the planner finds best.
        assert re.search(f"Index Scan using members_member_[a-z_]*{key}", plan)
