"""The member forms show every error at once: a bad CCCD must not hide a future birth date."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.factories import cccd
from unionhub.core import scope
from unionhub.members.forms import AdmitForm
from unionhub.members.models import Member


def _admit_data(**changes):
    return {
        "entry": "admit",
        "full_name": "Nguyễn Văn An",
        "gender": "male",
        "birth_date": "1990-05-17",
        "id_kind": "cccd",
        "id_number": cccd(77),
        "nationality": "Việt Nam",
        "joined": "2020-03-01",
        **changes,
    }


def test_a_bad_document_and_a_future_birth_date_are_both_shown(tree):
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    form = AdmitForm(_admit_data(id_number="12345", birth_date=future))
    assert not form.is_valid()
    assert set(form.errors) >= {"id_number", "birth_date"}


def test_a_join_date_in_the_future_and_a_bad_document_are_both_shown(tree):
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    form = AdmitForm(_admit_data(id_number="12345", joined=future))
    assert not form.is_valid()
    assert set(form.errors) >= {"id_number", "joined"}


def test_a_good_form_passes(tree):
    assert AdmitForm(_admit_data()).is_valid()


def test_the_admit_page_shows_both_errors_and_writes_nothing(client, tree, officer_at, settings):
    client.force_login(officer_at(tree.grassroots_a1, scope.REGISTRAR))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    page = client.post(
        reverse("members:admit", args=[tree.grassroots_a1.pk]),
        _admit_data(id_number="12345", birth_date=future),
    ).content.decode()
    assert "A citizen ID (CCCD) has exactly 12 digits." in page
    assert "The date of birth is in the future." in page
    assert Member.objects.count() == 0
