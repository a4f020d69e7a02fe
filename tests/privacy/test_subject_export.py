"""The subject export holds every personal field the models hold: a field on Member or on any
model with a foreign key to Member must be exported or listed as not personal."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.factories import admit
from unionhub.audit.models import AuditEvent
from unionhub.members.models import Member
from unionhub.privacy import services, subject
from unionhub.privacy.actions import Action
from unionhub.privacy.models import Method, Purpose


def test_every_field_of_every_member_model_is_exported_or_declared_not_personal():
    models = [(Member, None), *subject.member_models()]
    unlisted = []
    for model, _key in models:
        label = model._meta.label
        exported = set(subject.SUBJECT_FIELDS.get(label, ()))
        excluded = set(subject.NOT_PERSONAL.get(label, ()))
        for field in model._meta.concrete_fields:
            if field.name not in exported | excluded:
                unlisted.append(f"{label}.{field.name}")
        assert not exported & excluded, label
    assert unlisted == []
    # And nothing listed that no longer exists.
    for label, names in {**subject.SUBJECT_FIELDS, **subject.NOT_PERSONAL}.items():
        model = next(m for m, _k in models if m._meta.label == label)
        assert set(names) <= {f.name for f in model._meta.concrete_fields}, label


def test_json_and_pdf_export_hold_the_member_and_are_logged(client, tree, registrar_a):
    member = admit(
        tree.grassroots_a1, tree.admin, dt.date(2015, 3, 1),
        full_name="Võ Thị Lan", phone="0987654321", id_number="042191000999",
        ethnicity="Mường",
    )  # fmt: skip
    services.consent_record(
        member=member, purpose=Purpose.CONTACT, given_on=dt.date(2025, 1, 2),
        method=Method.PAPER, by=registrar_a,
    )  # fmt: skip
    client.force_login(registrar_a)
    response = client.get(f"/privacy/members/{member.pk}/export.json")
    data = json.loads(response.content)
    assert data["profile"]["full_name"] == "Võ Thị Lan"
    assert data["profile"]["id_number"] == "042191000999"
    assert data["profile"]["ethnicity"] == "Mường"
    assert data["records"]["members.MembershipEvent"][0]["date"] == "2015-03-01"
    assert data["records"]["privacy.Consent"][0]["given_on"] == "2025-01-02"
    assert any(e["action"] == "members.member.admitted" for e in data["audit"])
    pdf = client.get(f"/privacy/members/{member.pk}/export.pdf")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    logged = AuditEvent.objects.filter(action=Action.SUBJECT_EXPORTED)
    assert sorted(e.data["format"] for e in logged) == ["json", "pdf"]
    assert client.get(f"/privacy/members/{member.pk}/export.csv").status_code == 404


def test_export_refused_out_of_scope(client, tree, registrar_b):
    member = admit(tree.grassroots_a1, tree.admin, full_name="Võ Thị Lan")
    client.force_login(registrar_b)
    assert client.get(f"/privacy/members/{member.pk}/export.json").status_code in (403, 404)
    assert not AuditEvent.objects.filter(action=Action.SUBJECT_EXPORTED).exists()


pytestmark = pytest.mark.django_db
