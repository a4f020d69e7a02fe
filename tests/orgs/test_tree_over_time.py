import datetime as dt

import pytest

from unionhub.core.errors import DomainError
from unionhub.orgs import selectors, services
from unionhub.orgs.models import Level, Placement, Unit

BEFORE = dt.date(2024, 12, 31)
REORG = dt.date(2025, 7, 1)


def test_move_changes_the_current_tree_and_keeps_the_old_placement(tree):
    services.unit_move(
        unit=tree.grassroots_a1, new_parent=tree.district_b, effective=REORG, by=tree.admin
    )
    unit = Unit.objects.get(pk=tree.grassroots_a1.pk)
    assert unit.parent == tree.district_b
    assert unit.path.startswith(tree.district_b.path)
    placements = list(
        Placement.objects.filter(unit=unit)
        .order_by("valid_from")
        .values_list("parent__code", "valid_from", "valid_to")
    )
    assert placements == [("HT-DT", dt.date(2010, 1, 1), REORG), ("HT-CL", REORG, None)]
    assert tree.grassroots_a1.pk in selectors.subtree_ids_as_of(tree.district_a, BEFORE)
    assert tree.grassroots_a1.pk not in selectors.subtree_ids_as_of(tree.district_a, REORG)
    assert tree.grassroots_a1.pk in selectors.subtree_ids_as_of(tree.district_b, REORG)


def test_moving_a_unit_moves_its_subtree(tree):
    sub = services.unit_found(
        code="HT-DT-0001-1",
        name="Tổ công đoàn Toán",
        level=Level.SUB_UNIT,
        parent=tree.grassroots_a1,
        founded=dt.date(2015, 1, 1),
        by=tree.admin,
    )
    services.unit_move(
        unit=tree.grassroots_a1, new_parent=tree.district_b, effective=REORG, by=tree.admin
    )
    sub.refresh_from_db()
    assert sub.path.startswith(tree.district_b.path)
    assert sub.pk in selectors.subtree_ids_as_of(tree.district_b, REORG)


def test_dissolving_keeps_the_unit_and_its_history(tree):
    services.unit_dissolve(unit=tree.grassroots_b1, effective=REORG, by=tree.admin)
    unit = Unit.objects.get(pk=tree.grassroots_b1.pk)
    assert unit.dissolved == REORG
    assert tree.grassroots_b1.pk in selectors.subtree_ids_as_of(tree.district_b, BEFORE)
    assert tree.grassroots_b1.pk not in selectors.subtree_ids_as_of(tree.district_b, REORG)
    actions = list(unit_history_actions(unit))
    assert actions[:2] == ["orgs.unit.dissolved", "orgs.unit.founded"]


def unit_history_actions(unit):
    from unionhub.audit.selectors import history_for

    return history_for(unit).values_list("action", flat=True)


def test_reorganisation_as_of_two_dates(tree):
    """Districts dissolved; one union under the province, the others into a commune union."""
    commune = services.unit_found(
        code="HT-X01",
        name="Công đoàn xã Đức Thọ",
        level=Level.DIRECT_UPPER,
        parent=tree.province,
        founded=REORG,
        by=tree.admin,
    )
    services.unit_move(
        unit=tree.grassroots_b1, new_parent=tree.province, effective=REORG, by=tree.admin
    )
    services.unit_move(unit=tree.grassroots_a1, new_parent=commune, effective=REORG, by=tree.admin)
    services.unit_dissolve(
        unit=tree.grassroots_a2, effective=REORG, merged_into=commune, by=tree.admin
    )
    for district in (tree.district_a, tree.district_b):
        services.unit_dissolve(unit=district, effective=REORG, by=tree.admin)

    before = selectors.parents_as_of(BEFORE)
    after = selectors.parents_as_of(REORG)
    code = dict(Unit.objects.values_list("pk", "code"))
    as_codes = lambda tree_map: {code[u]: code.get(p) for u, p in tree_map.items()}  # noqa: E731
    assert as_codes(before) == {
        "VGCL": None,
        "HT": "VGCL",
        "HT-DT": "HT",
        "HT-CL": "HT",
        "HT-DT-0001": "HT-DT",
        "HT-DT-0002": "HT-DT",
        "HT-CL-0001": "HT-CL",
    }
    assert as_codes(after) == {
        "VGCL": None,
        "HT": "VGCL",
        "HT-X01": "HT",
        "HT-CL-0001": "HT",
        "HT-DT-0001": "HT-X01",
    }
    assert selectors.subtree_ids_as_of(tree.province, BEFORE) == {
        u.pk for u in Unit.objects.exclude(code__in=["VGCL", "HT-X01"])
    }
    assert Unit.objects.get(code="HT-DT-0002").merged_into == commune


def test_unit_cannot_move_under_its_own_subtree(tree):
    with pytest.raises(DomainError) as error:
        services.unit_move(
            unit=tree.district_a, new_parent=tree.grassroots_a1, effective=REORG, by=tree.admin
        )
    assert error.value.code == "move_into_own_subtree"


def test_unit_with_live_children_cannot_be_dissolved(tree):
    with pytest.raises(DomainError) as error:
        services.unit_dissolve(unit=tree.district_a, effective=REORG, by=tree.admin)
    assert error.value.code == "unit_has_children"
    assert Unit.objects.get(pk=tree.district_a.pk).dissolved is None


def test_move_date_must_follow_the_current_placement(tree):
    with pytest.raises(DomainError) as error:
        services.unit_move(
            unit=tree.grassroots_a1,
            new_parent=tree.district_b,
            effective=dt.date(2009, 1, 1),
            by=tree.admin,
        )
    assert error.value.code == "date_before_placement"
    assert Placement.objects.filter(unit=tree.grassroots_a1).count() == 1


def test_level_must_be_below_the_parent(tree):
    with pytest.raises(DomainError) as error:
        services.unit_found(
            code="X",
            name="X",
            level=Level.PROVINCE,
            parent=tree.district_a,
            founded=dt.date(2020, 1, 1),
            by=tree.admin,
        )
    assert error.value.code == "level_not_below_parent"
    assert not Unit.objects.filter(code="X").exists()


def test_duplicate_code_is_refused_with_a_message(tree):
    with pytest.raises(DomainError) as error:
        services.unit_found(
            code="ht-dt",
            name="Trùng mã",
            level=Level.DIRECT_UPPER,
            parent=tree.province,
            founded=dt.date(2020, 1, 1),
            by=tree.admin,
        )
    assert error.value.code == "code_taken"
    assert "HT-DT" in str(error.value)


def test_future_changes_are_refused(tree):
    with pytest.raises(DomainError) as error:
        services.unit_move(
            unit=tree.grassroots_a1,
            new_parent=tree.district_b,
            effective=dt.date(2999, 1, 1),
            by=tree.admin,
        )
    assert error.value.code == "future_date"
