"""Reads do not write (issue #22): pages built from selectors write nothing through them, and the
sensitive fields are logged by the service that shows them, not by the selector that reads them."""

import functools
import importlib
import inspect

import pytest
from django.db import connection
from django.urls import reverse

from unionhub.audit.models import AuditEvent
from unionhub.members import selectors, services

SELECTOR_MODULES = [
    "unionhub.orgs.selectors",
    "unionhub.members.selectors",
    "unionhub.cards.selectors",
    "unionhub.congress.selectors",
    "unionhub.dispatch.selectors",
]
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
SENSITIVE_VIEWED = "members.member.sensitive_viewed"


def _refuse_writes(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(WRITES):
        raise AssertionError(f"a selector wrote: {sql[:120]}")
    return execute(sql, params, many, context)


def _guarded(function):
    @functools.wraps(function)
    def call(*args, **kwargs):
        with connection.execute_wrapper(_refuse_writes):
            return function(*args, **kwargs)

    return call


@pytest.fixture
def selectors_refuse_writes(monkeypatch):
    """Every public function of the selector modules runs with database writes refused."""
    for name in SELECTOR_MODULES:
        module = importlib.import_module(name)
        for attr, value in list(vars(module).items()):
            if inspect.isfunction(value) and value.__module__ == name and attr[0] != "_":
                monkeypatch.setattr(module, attr, _guarded(value))


@pytest.fixture
def client_a(client, registrar_a):
    client.force_login(registrar_a)
    return client


def test_main_pages_write_nothing_through_selectors(client_a, tree, admit, selectors_refuse_writes):
    member = admit(ethnicity="Kinh", religion="Không")
    pages = [
        reverse("members:list"),
        reverse("members:detail", args=[member.pk]),
        reverse("members:unit_list", args=[tree.grassroots_a1.pk]),
        reverse("orgs:tree"),
        reverse("orgs:unit", args=[tree.grassroots_a1.pk]),
        reverse("cards:list"),
        reverse("congress:list"),
        reverse("dispatch:index"),
    ]
    for url in pages:
        assert client_a.get(url, follow=True).status_code == 200, url


def test_reading_sensitive_fields_writes_no_audit_row(tree, admit, registrar_a):
    member = admit(ethnicity="Mường", religion="Công giáo")
    values = selectors.member_sensitive(user=registrar_a, member=member)
    assert values == {"ethnicity": "Mường", "religion": "Công giáo"}
    assert not AuditEvent.objects.filter(action=SENSITIVE_VIEWED).exists()
    services.member_sensitive_view(by=registrar_a, member=member)
    assert AuditEvent.objects.filter(action=SENSITIVE_VIEWED).count() == 1


def test_edit_form_logs_a_view_only_when_it_shows_sensitive_values(client_a, admit):
    blank = admit()
    client_a.get(reverse("members:edit", args=[blank.pk]))
    assert not AuditEvent.objects.filter(action=SENSITIVE_VIEWED).exists()
    shown = admit(ethnicity="Tày")
    client_a.get(reverse("members:edit", args=[shown.pk]))
    assert AuditEvent.objects.filter(action=SENSITIVE_VIEWED, target_id=str(shown.pk)).count() == 1
