"""The searchable unit picker (core.widgets) and its scoped search, and the unit tree grouped
as it stands."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.urls import reverse

from unionhub.core import scope
from unionhub.core.widgets import UnitField, UnitPicker
from unionhub.orgs import selectors
from unionhub.orgs import services as org_services
from unionhub.orgs.models import Level, Unit


def _options(client, query, **extra):
    params = {"field": "unit", "unit": query, **extra}
    return client.get(reverse("orgs:unit_options"), params).content.decode()


def test_picker_finds_units_without_diacritics_inside_the_scope_only(client, tree, officer_at):
    client.force_login(officer_at(tree.district_a))
    page = _options(client, "tung anh")
    assert 'data-value="HT-DT-0001"' in page
    assert "Hồng Lam" not in _options(client, "hong lam")  # another district
    assert 'data-value="HT-DT-0002"' in _options(client, "HT-DT-0002")


def test_picker_offers_only_units_where_the_role_is_held(client, tree, officer_at):
    user = officer_at(tree.district_a, scope.VIEWER)
    org_services.role_grant(user=user, unit=tree.grassroots_a1, role=scope.REGISTRAR, by=tree.admin)
    client.force_login(user)
    page = _options(client, "cong doan", role=scope.REGISTRAR)
    assert "HT-DT-0001" in page and "HT-DT-0002" not in page


def test_picker_for_a_transfer_reaches_unions_anywhere_but_not_the_province(
    client, tree, officer_at
):
    client.force_login(officer_at(tree.grassroots_a1, scope.REGISTRAR))
    page = _options(client, "hong lam", anywhere="1")
    assert 'data-value="HT-CL-0001"' in page
    assert 'data-value="HT"' not in _options(client, "ha tinh", anywhere="1")


def test_picker_needs_a_login(client, tree):
    response = client.get(reverse("orgs:unit_options"), {"field": "unit", "unit": "a"})
    assert response.status_code == 302


def test_unit_field_takes_a_code_of_its_queryset_only(tree):
    class Form(forms.Form):
        unit = UnitField(label="Unit")

    form = Form({"unit": "ht-dt-0001 "})
    form.fields["unit"].queryset = Unit.objects.filter(path__startswith=tree.district_a.path)
    assert form.is_valid() and form.cleaned_data["unit"] == tree.grassroots_a1
    other = Form({"unit": "HT-CL-0001"})
    other.fields["unit"].queryset = Unit.objects.filter(path__startswith=tree.district_a.path)
    assert not other.is_valid()
    html = str(Form(initial={"unit": tree.grassroots_a1})["unit"])
    assert 'value="HT-DT-0001"' in html and 'role="combobox"' in html


def test_picker_widget_carries_its_search(tree):
    html = UnitPicker(role="registrar").render("to_unit", "", attrs={"id": "id_to_unit"})
    assert f"{reverse('orgs:unit_options')}?field=to_unit&amp;role=registrar" in html
    assert 'aria-controls="id_to_unit-options"' in html and 'id="id_to_unit-options"' in html


def test_forms_that_pick_a_unit_use_the_picker(client, tree):
    client.force_login(tree.admin)
    for url in (
        reverse("imports:index"),
        reverse("cards:batch"),
        reverse("orgs:move", args=[tree.grassroots_a1.pk]),
        reverse("orgs:dissolve", args=[tree.grassroots_a1.pk]),
        reverse("cards:list"),
    ):
        assert "data-unit-picker" in client.get(url).content.decode(), url


def _direct_unions(tree, count, sector):
    return [
        org_services.unit_found(
            code=f"HT-{sector[:3].upper()}{n:02d}",
            name=f"Công đoàn {sector} {n}",
            level=Level.GRASSROOTS,
            parent=tree.province,
            founded=dt.date(2015, 1, 1),
            sector=sector,
            by=tree.admin,
        )
        for n in range(count)
    ]


def test_tree_shows_upper_units_first_then_many_direct_unions_by_sector(tree, officer_at):
    _direct_unions(tree, 15, "education")
    _direct_unions(tree, 8, "health")
    groups = selectors.unit_children_grouped(user=officer_at(tree.province), unit=tree.province)
    assert [(g.key, len(g.units)) for g in groups] == [
        ("upper", 2),
        ("sector-education", 15),
        ("sector-health", 8),
    ]


def test_a_few_direct_unions_stay_in_one_list(tree, officer_at):
    _direct_unions(tree, 3, "education")
    groups = selectors.unit_children_grouped(user=officer_at(tree.province), unit=tree.province)
    assert [(g.key, len(g.units)) for g in groups] == [("upper", 2), ("", 3)]


def test_unit_page_and_tree_branch_show_the_groups_with_labelled_counts(client, tree, settings):
    _direct_unions(tree, 21, "education")
    client.force_login(tree.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("orgs:unit", args=[tree.province.pk])).content.decode()
    branch = client.get(reverse("orgs:children", args=[tree.province.pk])).content.decode()
    for html in (page, branch):
        assert 'id="sector-education"' in html
        assert "Education: 21 grassroots unions directly under" in html
        assert "2 upper-level units with unions of their own" in html
