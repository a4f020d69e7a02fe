import pytest
from django.contrib.auth.models import AnonymousUser

from unionhub.core import scope
from unionhub.core.errors import OutOfScope
from unionhub.orgs.models import Unit


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_district_officer_sees_exactly_its_subtree(tree, officer_at):
    officer = officer_at(tree.district_a, scope.UNIT_ADMIN)
    assert codes(scope.units(officer)) == {"HT-DT", "HT-DT-0001", "HT-DT-0002"}


def test_grassroots_officer_sees_only_its_own_unit(tree, officer_at):
    officer = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    assert codes(scope.units(officer)) == {"HT-DT-0001"}


def test_anonymous_user_sees_nothing(tree):
    assert codes(scope.units(AnonymousUser())) == set()
    assert not scope.can(AnonymousUser(), None, tree.province)


def test_superuser_sees_everything(tree):
    assert codes(scope.units(tree.admin)) == set(Unit.objects.values_list("code", flat=True))


def test_role_reaches_down_never_up_or_sideways(tree, officer_at):
    officer = officer_at(tree.district_a, scope.REGISTRAR)
    assert scope.can(officer, scope.REGISTRAR, tree.grassroots_a2)
    assert not scope.can(officer, scope.REGISTRAR, tree.province)
    assert not scope.can(officer, scope.REGISTRAR, tree.grassroots_b1)
    with pytest.raises(OutOfScope):
        scope.require(officer, None, tree.district_b)


def test_a_role_does_not_grant_another(tree, officer_at):
    viewer = officer_at(tree.district_a, scope.VIEWER)
    assert scope.can(viewer, None, tree.grassroots_a1)
    assert not scope.can(viewer, scope.REGISTRAR, tree.grassroots_a1)


def test_unit_admin_holds_every_role_in_its_subtree(tree, officer_at):
    admin = officer_at(tree.district_b, scope.UNIT_ADMIN)
    assert all(scope.can(admin, role, tree.grassroots_b1) for role in scope.ROLES)
    assert scope.roles_at(admin, tree.grassroots_b1) == set(scope.ROLES)


def test_roles_in_two_subtrees_combine(tree, officer_at):
    officer = officer_at(tree.grassroots_a1, scope.VIEWER)
    from unionhub.orgs import services

    services.role_grant(user=officer, unit=tree.district_b, role=scope.VIEWER, by=tree.admin)
    assert codes(scope.units(officer)) == {"HT-DT-0001", "HT-CL", "HT-CL-0001"}


def test_restrict_follows_a_relation(tree, officer_at):
    from unionhub.orgs.models import Placement

    officer = officer_at(tree.district_b, scope.VIEWER)
    visible = scope.restrict(Placement.objects.all(), officer, via="unit")
    assert {p.unit.code for p in visible} == {"HT-CL", "HT-CL-0001"}


def test_subtree_range_does_not_leak_into_a_sibling_with_a_longer_number():
    # 00000001 and 000000010… must not overlap: fixed-width segments make the range exact.
    assert scope.path_upper_bound("0000000100000002") == "0000000100000003"
    assert not scope.path_upper_bound("0000000100000002") <= "000000010000000200000005"
