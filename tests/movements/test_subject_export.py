"""A member's subject export (their personal data) holds the awards they were given, the support
they received and the campaigns they took part in."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from tests.dispatch.helpers import draft_and_issue
from tests.movements import helpers
from unionhub.core import scope
from unionhub.dispatch.models import DocumentType, TargetKind
from unionhub.movements import awards, care, services


def test_the_export_holds_the_members_award_support_and_registration(
    tree, officer_at, admit, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    member = admit(unit=tree.grassroots_a1, full_name="Lê Thị Mai")
    chair = officer_at(tree.province, scope.UNIT_ADMIN)
    clerk = officer_at(tree.grassroots_a1, scope.CLERK)
    decision = draft_and_issue(
        unit=tree.province, by=chair, targets=[(tree.district_a, TargetKind.UNIT)],
        summary="Về việc khen thưởng", doc_type=DocumentType.DECISION,
    )  # fmt: skip
    level = awards.level_add(
        unit=tree.province, name="Giấy khen", certificate_title="Giấy khen", by=chair
    )
    awards.award_grant(
        level=level, decision=decision, reason="Lao động sáng tạo", member=member, by=chair
    )
    care.support_propose(
        member=member, kind="sickness", date=dt.date(2026, 11, 20), fund="social_fund",
        amount=1_500_000, note="Ốm dài ngày", by=clerk,
    )  # fmt: skip
    campaign = helpers.campaign(tree.province, chair, participants="members")
    services.register(
        campaign=campaign, unit=tree.grassroots_a1, member=member, today=helpers.TODAY, by=clerk
    )
    registrar = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    client = Client()
    client.force_login(registrar)

    data = json.loads(client.get(f"/privacy/members/{member.pk}/export.json").content)

    (award,) = data["records"]["movements.Award"]
    assert (award["level"], award["reason"], award["revoked"]) == (
        "Giấy khen", "Lao động sáng tạo", None,
    )  # fmt: skip
    assert award["decision"] == str(decision)
    (support,) = data["records"]["movements.SupportRecord"]
    assert (support["date"], support["amount"], support["note"]) == (
        "2026-11-20", 1_500_000, "Ốm dài ngày",
    )  # fmt: skip
    assert "proposed_by" not in support and "ledger_entry" not in support
    (registration,) = data["records"]["movements.Registration"]
    assert registration["campaign"] == campaign.title


pytestmark = pytest.mark.django_db
