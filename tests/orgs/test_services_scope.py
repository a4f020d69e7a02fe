import datetime as dt

import pytest
from django.core import mail

from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.orgs import services
from unionhub.orgs.models import Level, RoleAssignment, Unit


def test_district_admin_founds_units_only_in_its_subtree(tree, officer_at):
    admin = officer_at(tree.district_a, scope.UNIT_ADMIN)
    unit = services.unit_found(
        code="HT-DT-0003",
        name="Công đoàn Trường Mầm non Đức Yên",
        level=Level.GRASSROOTS,
        parent=tree.district_a,
        founded=dt.date(2020, 9, 1),
        by=admin,
    )
    assert unit.parent == tree.district_a
    with pytest.raises(OutOfScope):
        services.unit_found(
            code="HT-CL-0009",
            name="X",
            level=Level.GRASSROOTS,
            parent=tree.district_b,
            founded=dt.date(2020, 9, 1),
            by=admin,
        )
    assert not Unit.objects.filter(code="HT-CL-0009").exists()


def test_registrar_cannot_restructure(tree, officer_at):
    registrar = officer_at(tree.district_a, scope.REGISTRAR)
    with pytest.raises(OutOfScope):
        services.unit_dissolve(unit=tree.grassroots_a2, effective=dt.date(2025, 1, 1), by=registrar)


def test_only_a_system_admin_adds_a_root(tree, officer_at):
    admin = officer_at(tree.province, scope.UNIT_ADMIN)
    with pytest.raises(DomainError) as error:
        services.unit_found(
            code="OTHER",
            name="Other",
            level=Level.CONFEDERATION,
            parent=None,
            founded=dt.date(2020, 1, 1),
            by=admin,
        )
    assert error.value.code == "root_unit_forbidden"


def test_admin_invites_an_officer_who_gets_a_link(tree, officer_at):
    admin = officer_at(tree.district_a, scope.UNIT_ADMIN)
    with_capture = services.officer_invite
    user = with_capture(
        email="Chu.Tich@Example.vn",
        full_name="Nguyễn Thị Hoa",
        unit=tree.grassroots_a1,
        role=scope.REGISTRAR,
        by=admin,
        base_url="http://testserver",
    )
    assert user.username == "chu.tich@example.vn"
    assert not user.has_usable_password()
    assert RoleAssignment.objects.filter(
        user=user, unit=tree.grassroots_a1, role=scope.REGISTRAR
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_invitation_mail_is_sent_after_commit(tree, officer_at):
    admin = officer_at(tree.district_a, scope.UNIT_ADMIN)
    services.officer_invite(
        email="a@example.vn",
        full_name="Lê Văn A",
        unit=tree.grassroots_a1,
        role=scope.CLERK,
        by=admin,
        base_url="http://testserver",
    )
    assert len(mail.outbox) == 1
    assert "http://testserver/accounts/password/reset/" in mail.outbox[0].body


def test_admin_cannot_invite_outside_its_subtree(tree, officer_at):
    admin = officer_at(tree.district_a, scope.UNIT_ADMIN)
    with pytest.raises(OutOfScope):
        services.officer_invite(
            email="b@example.vn",
            full_name="B",
            unit=tree.grassroots_b1,
            role=scope.CLERK,
            by=admin,
            base_url="http://testserver",
        )
