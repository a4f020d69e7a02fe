"""A whole number typed into a form or sent to the API is refused past what the database holds,
with the field's message: SQLite raised OverflowError past 64 bits and PostgreSQL "out of
range" past a column's type, both a server error after the form had said yes."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

import unionhub
from unionhub.congress.forms import CongressSettingsForm
from unionhub.core import scope
from unionhub.core.forms import LARGEST_KEY, MAX_VND
from unionhub.finance.forms import CashForm
from unionhub.finance.models import Account, JournalEntry

HUGE = 10**30


def _project_modules() -> Iterator[str]:
    for module in pkgutil.walk_packages(unionhub.__path__, "unionhub."):
        name = module.name
        if ".migrations" in name or name.endswith(("__main__", ".settings", ".wsgi")):
            continue
        yield name


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _unbounded_form_fields() -> list[str]:
    for name in _project_modules():
        importlib.import_module(name)
    found = []
    for form in set(_subclasses(forms.BaseForm)):
        if not form.__module__.startswith("unionhub."):
            continue
        for field_name, field in getattr(form, "base_fields", {}).items():
            if type(field) in (forms.FloatField, forms.DecimalField):
                continue  # not stored as integers; a decimal has its digits bounded
            if isinstance(field, forms.IntegerField) and (
                field.max_value is None or field.max_value > LARGEST_KEY
            ):
                found.append(f"{form.__module__}.{form.__qualname__}.{field_name}")
    return sorted(found)


def test_every_whole_number_field_of_every_form_has_a_bound():
    assert _unbounded_form_fields() == []


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _unbounded_properties(schema, node, where) -> Iterator[str]:
    node = _resolve(schema, node)
    if node.get("readOnly"):
        return
    if node.get("type") == "integer" and "maximum" not in node:
        yield where
    for name, sub in node.get("properties", {}).items():
        yield from _unbounded_properties(schema, sub, f"{where}.{name}")
    if "items" in node:
        yield from _unbounded_properties(schema, node["items"], f"{where}[]")
    for sub in node.get("allOf", []) + node.get("oneOf", []):
        yield from _unbounded_properties(schema, sub, where)


def test_every_whole_number_the_api_takes_has_a_bound():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for kind, content in operation.get("requestBody", {}).get("content", {}).items():
                where = f"{method.upper()} {path} ({kind})"
                found += _unbounded_properties(schema, content["schema"], where)
    assert found == []


def test_a_number_past_the_column_is_a_message_on_the_field():
    form = CongressSettingsForm(
        data={"quorum_base": "elected", "quorum_numerator": "1", "quorum_denominator": HUGE}
    )
    assert not form.is_valid()
    assert list(form.errors) == ["quorum_denominator"]


def test_an_amount_past_any_books_is_refused_and_nothing_written(tree, treasurer, client):
    url = reverse("finance:cash_record", args=[tree.grassroots_a1.pk, 2025])
    page = client.post(
        url,
        {"account": Account.OTHER_REVENUE.value, "amount": HUGE, "date": "2025-06-10",
         "description": "x", "via": Account.CASH.value},
        follow=True,
    )  # fmt: skip
    assert page.status_code == 200
    [message] = [str(m) for m in page.context["messages"]]
    label = CashForm.base_fields["amount"].label
    assert f"{label}:" in message and str(MAX_VND) in message
    assert not JournalEntry.objects.exists()


def test_api_refuses_a_member_key_past_the_databases(tree, treasurer, client):
    response = client.post(
        "/api/v1/finance/dues/mark-paid/",
        {"unit": tree.grassroots_a1.pk, "month": "2025-06-01", "members": [HUGE],
         "paid_on": dt.date(2025, 6, 10).isoformat()},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "members" in response.json()


@pytest.fixture
def treasurer(tree, officer_at, client):
    officer = officer_at(tree.grassroots_a1, scope.FINANCE)
    client.force_login(officer)
    return officer
