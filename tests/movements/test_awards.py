"""Awards decided in an issued decision, their certificate, its QR and the public check."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from tests.dispatch.helpers import draft_and_issue
from unionhub.core import scope
from unionhub.core.errors import DomainError, OutOfScope
from unionhub.dispatch.models import DocumentType, TargetKind
from unionhub.movements import awards, selectors


@pytest.fixture
def world(tree, officer_at, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    chair = officer_at(tree.province, scope.UNIT_ADMIN)
    decision = draft_and_issue(
        unit=tree.province, by=chair, targets=[(tree.district_a, TargetKind.UNIT)],
        summary="Về việc khen thưởng", doc_type=DocumentType.DECISION,
    )  # fmt: skip
    level = awards.level_add(
        unit=tree.province, name="Giấy khen", certificate_title="Giấy khen", by=chair
    )
    return chair, decision, level


def test_an_award_cites_an_issued_decision_of_the_awarding_unit(world, tree, admit, officer_at):
    chair, decision, level = world
    member = admit(unit=tree.grassroots_a1, full_name="Lê Thị Mai")
    letter = draft_and_issue(
        unit=tree.province, by=chair, targets=[(tree.district_a, TargetKind.UNIT)]
    )
    with pytest.raises(DomainError) as refused:
        awards.award_grant(level=level, decision=letter, reason="X", member=member, by=chair)
    assert refused.value.code == "decision"
    with pytest.raises(DomainError):
        awards.award_grant(
            level=level, decision=decision, reason="X", member=member, unit=tree.province, by=chair
        )
    with pytest.raises(OutOfScope):
        awards.award_grant(
            level=level, decision=decision, reason="X", member=member,
            by=officer_at(tree.district_a, scope.UNIT_ADMIN),
        )  # fmt: skip
    award = awards.award_grant(
        level=level, decision=decision, reason="Hoàn thành xuất sắc nhiệm vụ", member=member,
        by=chair,
    )  # fmt: skip
    assert award.unit == tree.grassroots_a1
    assert re.fullmatch(r"\d+/QĐ-\S+", award.decision.symbol)
    assert list(selectors.awards_of_member(user=chair, member=member)) == [award]
    sibling = officer_at(tree.grassroots_a2, scope.UNIT_ADMIN)
    assert not selectors.awards_of_member(user=sibling, member=member).exists()


def test_the_certificate_qr_verifies_then_shows_revoked(world, tree, admit, tmp_path):
    chair, decision, level = world
    member = admit(unit=tree.grassroots_a1, full_name="Lê Thị Mai")
    award = awards.award_grant(
        level=level, decision=decision, reason="Lao động sáng tạo", member=member, by=chair
    )
    officer = Client()
    officer.force_login(chair)
    response = officer.get(reverse("movements:award_pdf", args=[award.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "award.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", pdf, tmp_path / "page"],
                   check=True)  # fmt: skip
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", tmp_path / "page.png"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    assert decoded.startswith("http://testserver/v/a/")
    public = Client()
    page = public.get(decoded.removeprefix("http://testserver")).content.decode()
    assert 'data-verdict="genuine"' in page and "Lê Thị Mai" in page
    assert member.id_number not in page  # no personal data beyond the name
    awards.award_revoke(award=award, reason="Quyết định bị hủy", by=chair)
    page = public.get(decoded.removeprefix("http://testserver")).content.decode()
    assert 'data-verdict="revoked"' in page
    # A tampered or foreign token is not a certificate.
    forged = decoded[:-2] + ("AA" if not decoded.endswith("AA") else "BB")
    assert public.get(forged.removeprefix("http://testserver")).status_code == 404


def test_a_revocation_needs_the_awarding_unit_and_a_reason(world, tree, admit, officer_at):
    chair, decision, level = world
    award = awards.award_grant(
        level=level, decision=decision, reason="X", unit=tree.grassroots_a1, by=chair
    )
    with pytest.raises(OutOfScope):
        awards.award_revoke(
            award=award, reason="Y", by=officer_at(tree.grassroots_a1, scope.UNIT_ADMIN)
        )
    with pytest.raises(DomainError):
        awards.award_revoke(award=award, reason=" ", by=chair)
    awards.award_revoke(award=award, reason="Sai đối tượng", by=chair)
    with pytest.raises(DomainError):
        awards.award_revoke(award=award, reason="again", by=chair)
