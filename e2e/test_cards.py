"""A card from the officer's screen to a stranger's phone: download the PDF, read its QR code
as a phone would (pdftoppm + zbarimg), open the link: genuine; revoke the card: revoked."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import make_user
from unionhub.cards import services
from unionhub.core import scope
from unionhub.members import services as member_services
from unionhub.orgs import services as org_services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
        reason="needs poppler-utils and zbar-tools",
    ),
]
NAME = "Đặng Thị Ửng Huyền Trâm"


@pytest.fixture
def card(tree):
    registrar = make_user("thuky", first_name="Lan")
    org_services.role_grant(
        user=registrar, unit=tree.grassroots_a1, role=scope.REGISTRAR, by=tree.admin
    )
    services.card_series_set(unit=tree.province, code="042", by=tree.admin)
    member = member_services.member_admit(
        unit=tree.grassroots_a1,
        by=tree.admin,
        joined=dt.date(2020, 3, 1),
        full_name=NAME,
        gender="female",
        birth_date=dt.date(1991, 2, 3),
        id_number="042191000123",
    )
    requested = services.card_request(member=member, by=registrar)
    return services.card_approve(card=requested, by=tree.admin)


def test_printed_qr_code_opens_genuine_then_revoked(login, live_server, card, tmp_path):
    page = login("thuky", "pw-thuky")
    page.goto(f"{live_server.url}/cards/{card.pk}/")
    with page.expect_download() as download:
        page.get_by_role("button", name="PDF: máy in thẻ").click()
    pdf = tmp_path / "card.pdf"
    download.value.save_as(pdf)

    assert NAME in PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    subprocess.run(
        ["pdftoppm", "-r", "300", "-f", "2", "-l", "2", "-png", str(pdf), str(tmp_path / "back")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("back*.png")))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert decoded.startswith(f"{live_server.url}/v/")

    stranger = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    phone = stranger.new_page()
    phone.goto(decoded)
    verdict = phone.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-verdict", "genuine")
    expect(verdict).to_contain_text(NAME)
    expect(verdict).not_to_contain_text("03/02/1991")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391

    page.get_by_text("Thu hồi", exact=True).click()
    page.select_option("form[action$='/revoke/'] select[name=reason]", "lost")
    page.get_by_role("button", name="Thu hồi thẻ này").click()
    expect(page.get_by_test_id("card-state")).to_contain_text("Đã thu hồi")

    phone.goto(decoded)
    expect(phone.get_by_test_id("verdict")).to_have_attribute("data-verdict", "revoked")
    expect(phone.get_by_test_id("revoked-since")).to_contain_text(
        dt.date.today().strftime("%d/%m/%Y")
    )
    stranger.close()
