"""A document number typed by an officer never tells them who holds it outside their units:
the admit form and the API say "a member of another union" and offer the transfer request,
without the holder's name or unit; every such look-up is audited and rate-limited per officer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from unionhub.audit.models import AuditEvent
from unionhub.core import scope
from unionhub.members.models import Member

pytestmark = pytest.mark.django_db
HOLDER = "Phan Thị Bí Mật"
LOOKED_UP = "members.member.document_looked_up"


@pytest.fixture(autouse=True)
def own_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def admit_form(client, unit, id_number):
    return client.post(
        reverse("members:admit", args=[unit.pk]),
        {
            "full_name": "Người Mới",
            "gender": "female",
            "id_kind": "cccd",
            "id_number": id_number,
            "joined": "01/03/2024",
            "birth_date": "01/01/1990",
        },
    )


def test_admit_form_says_another_union_without_the_name_or_unit(english, tree, admit, registrar_b):
    holder = admit(full_name=HOLDER, gender="female", id_number="042190000123")
    english.force_login(registrar_b)
    page = admit_form(english, tree.grassroots_b1, holder.id_number).content.decode()
    assert "belongs to a member of another union" in page
    assert reverse("members:transfer_in", args=[tree.grassroots_b1.pk]) in page
    assert HOLDER not in page and tree.grassroots_a1.name not in page
    assert Member.objects.count() == 1
    looked_up = AuditEvent.objects.get(action=LOOKED_UP)
    assert (looked_up.actor, looked_up.target_id) == (registrar_b, str(holder.pk))
    assert looked_up.data == {"via": "admit", "refused": False}


def test_an_officer_who_sees_the_holder_is_told_the_unit(english, tree, admit, officer_at):
    holder = admit(full_name=HOLDER, gender="female", id_number="042190000124")
    district = officer_at(tree.district_a, scope.REGISTRAR)
    english.force_login(district)
    page = admit_form(english, tree.grassroots_a2, holder.id_number).content.decode()
    assert tree.grassroots_a1.name in page
    assert not AuditEvent.objects.filter(action=LOOKED_UP).exists()


def test_the_api_answers_the_same_without_the_unit(tree, admit, registrar_b, settings):
    holder = admit(full_name=HOLDER, gender="female", id_number="042190000125")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=registrar_b).key}")
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = {
        "unit": tree.grassroots_b1.code,
        "full_name": "Người Mới",
        "gender": "female",
        "id_number": holder.id_number,
        "joined": "2024-03-01",
    }
    answer = api.post("/api/v1/members/", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "active_elsewhere"
    assert "another union" in answer.json()["detail"]
    assert tree.grassroots_a1.name not in answer.content.decode()
    assert HOLDER not in answer.content.decode()
    assert AuditEvent.objects.filter(action=LOOKED_UP, actor=registrar_b).count() == 1


def test_look_ups_beyond_the_rate_are_refused_and_disclose_nothing(
    tree, admit, registrar_b, settings
):
    settings.DOCUMENT_LOOKUP_RATE = (2, 3600)
    holders = [admit(id_number=f"04209000020{i}") for i in range(3)]
    api = APIClient()
    api.force_authenticate(registrar_b)
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def try_admit(number):
        body = {
            "unit": tree.grassroots_b1.code,
            "full_name": "Người Mới",
            "gender": "male",
            "id_number": number,
            "joined": "2024-03-01",
        }
        return api.post("/api/v1/members/", body, format="json")

    assert [try_admit(h.id_number).json()["code"] for h in holders[:2]] == ["active_elsewhere"] * 2
    # The same number again is not a new look-up.
    assert try_admit(holders[0].id_number).json()["code"] == "active_elsewhere"
    refused = try_admit(holders[2].id_number)
    assert refused.status_code == 429
    assert refused.json()["code"] == "lookup_limited"
    assert "another union" not in refused.json()["detail"]
    assert AuditEvent.objects.filter(action=LOOKED_UP, data__refused=True).count() == 1
    assert Member.objects.count() == 3


def test_a_transfer_request_by_document_is_a_recorded_look_up(english, tree, admit, registrar_b):
    holder = admit(full_name=HOLDER, gender="female", id_number="042190000126")
    english.force_login(registrar_b)
    response = english.post(
        reverse("members:transfer_in", args=[tree.grassroots_b1.pk]),
        {"id_kind": "cccd", "id_number": holder.id_number, "effective": "01/04/2024", "note": ""},
    )
    assert response.status_code == 302
    looked_up = AuditEvent.objects.get(action=LOOKED_UP)
    assert looked_up.data == {"via": "transfer_in", "refused": False}


def test_a_later_admission_in_the_officers_own_sight_still_works(tree, admit, registrar_b):
    admit(id_number="042090000300", joined=dt.date(2019, 1, 1))
    mine = admit(unit=tree.grassroots_b1, by=registrar_b, id_number="042090000301")
    assert mine.unit == tree.grassroots_b1
