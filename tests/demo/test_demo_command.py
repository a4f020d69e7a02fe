"""`unionhub demo` never puts its known password beside real data."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.factories import make_user
from unionhub.demo.officers import ADMIN_USERNAME
from unionhub.orgs.models import Unit


def test_if_empty_leaves_a_populated_database_without_an_admin_alone(tree):
    units = Unit.objects.count()
    call_command("demo", "--if-empty")
    assert not get_user_model().objects.filter(username=ADMIN_USERNAME).exists()
    assert Unit.objects.count() == units


def test_if_empty_counts_a_lone_account_as_data(db):
    make_user("registrar")
    call_command("demo", "--if-empty")
    assert list(get_user_model().objects.values_list("username", flat=True)) == ["registrar"]
    assert not Unit.objects.exists()


def test_without_if_empty_a_populated_database_is_refused(db):
    make_user("registrar")
    with pytest.raises(CommandError, match="empty database"):
        call_command("demo")
    assert not Unit.objects.exists()


@pytest.mark.parametrize("args", [(), ("--if-empty",), ("--password", "something-else")])
def test_production_mode_refuses_the_demo(db, settings, args):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="UNIONHUB_PRODUCTION"):
        call_command("demo", *args)
    assert not get_user_model().objects.exists()


def test_if_empty_on_data_not_the_demos_forgets_the_demo_login(tree, settings, tmp_path):
    """`make run` prints the login the demo wrote; a database of real data must not show it."""
    settings.VAR_DIR = tmp_path
    (tmp_path / "demo-login.txt").write_text("Log in as: admin / unionhub-demo\n")
    call_command("demo", "--if-empty")
    assert not (tmp_path / "demo-login.txt").exists()
