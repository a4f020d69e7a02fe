import datetime as dt

import pytest

from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.orgs import services
from unionhub.orgs.models import RoleAssignment

MERGED = dt.date(2025, 7, 1)


@pytest.fixture
def merged(tree, officer_at):
    """A registrar at a grassroots union since merged into its sister union."""
    officer = officer_at(tree.grassroots_a2, scope.REGISTRAR)
    services.unit_dissolve(
        unit=tree.grassroots_a2, effective=MERGED, by=tree.admin, merged_into=tree.grassroots_a1
    )
    return RoleAssignment.objects.get(user=officer, unit=tree.grassroots_a2)


def test_a_role_at_a_merged_unit_moves_to_its_successor_with_an_audit_entry(tree, merged):
    district_admin = RoleAssignment.objects.create(
        user=merged.user.__class__.objects.create(username="dadmin"),
        unit=tree.district_a,
        role=scope.UNIT_ADMIN,
    ).user
    moved = services.role_move_to_successor(assignment=merged, by=district_admin)
    assert (moved.user, moved.unit, moved.role) == (merged.user, tree.grassroots_a1, "registrar")
    assert not RoleAssignment.objects.filter(unit=tree.grassroots_a2).exists()
    entry = AuditEvent.objects.filter(action="orgs.role.moved").get()
    assert entry.data["from"] == tree.grassroots_a2.code
    assert scope.can(merged.user, scope.REGISTRAR, tree.grassroots_a1)


def test_merges_of_merged_units_are_followed_to_the_living_unit(tree, merged):
    services.unit_dissolve(
        unit=tree.grassroots_a1, effective=MERGED, by=tree.admin, merged_into=tree.grassroots_b1
    )
    moved = services.role_move_to_successor(assignment=merged, by=tree.admin)
    assert moved.unit == tree.grassroots_b1


def test_an_officer_outside_the_successor_may_not_move_the_role(tree, merged, officer_at):
    outsider = officer_at(tree.district_b, scope.UNIT_ADMIN)
    with pytest.raises(OutOfScope):
        services.role_move_to_successor(assignment=merged, by=outsider)
    assert RoleAssignment.objects.filter(pk=merged.pk).exists()


def test_a_unit_dissolved_without_a_merge_has_no_successor(tree, officer_at):
    officer = officer_at(tree.grassroots_b1, scope.VIEWER)
    services.unit_dissolve(unit=tree.grassroots_b1, effective=MERGED, by=tree.admin)
    assignment = RoleAssignment.objects.get(user=officer)
    with pytest.raises(DomainError) as error:
        services.role_move_to_successor(assignment=assignment, by=tree.admin)
    assert error.value.code == "no_successor"


def test_the_officer_list_labels_the_merged_unit_and_moves_the_role_in_one_click(
    client, tree, merged, officer_at
):
    officer_at(tree.grassroots_b1, scope.VIEWER)
    services.unit_dissolve(unit=tree.grassroots_b1, effective=MERGED, by=tree.admin)
    client.force_login(tree.admin)
    page = client.get("/units/officers/").content.decode()
    assert f"đã sáp nhập vào {tree.grassroots_a1.name}" in page
    assert "đã giải thể" in page
    assert page.count('data-testid="role-move"') == 1  # the merged unit only
    client.post(f"/units/roles/{merged.pk}/move/")
    assert RoleAssignment.objects.get(user=merged.user).unit == tree.grassroots_a1
