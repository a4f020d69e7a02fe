"""Training in the browser: an organiser creates a course and a session, two unions nominate
people, the door's station checks them in by QR and by name, a participant opens the course's
materials on a phone from their pass, and the certificate's QR verifies."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from unionhub.core import scope
from unionhub.training import passes, services
from unionhub.training.models import Course, Enrolment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (shutil.which("zbarimg") and shutil.which("pdftoppm")),
        reason="needs poppler-utils and zbar-tools",
    ),
]
PHONE = {"width": 390, "height": 844}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_from_a_new_course_to_a_verified_certificate(
    login, page, live_server, tree, officer_at, admit, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    organiser = officer_at(tree.district_a, scope.UNIT_ADMIN)
    lan = admit(tree.grassroots_a1, full_name="Trần Thị Lan")
    hung = admit(tree.grassroots_a2, full_name="Lê Văn Hùng")

    # The organiser creates the course and its session on the pages.
    login(organiser.username, f"pw-{organiser.username}")
    page.goto(live_server.url + reverse("training:list"))
    page.locator("[data-unit-picker] input").first.fill(tree.district_a.code)
    page.fill("input[name=title]", "Gửi nhận văn bản trên hệ thống")
    page.fill("input[name=topic]", "Văn bản điện tử")
    page.get_by_role("button", name="Tạo khoá học").click()
    expect(page.locator("h1")).to_have_text("Gửi nhận văn bản trên hệ thống")
    starts = timezone.localtime() - dt.timedelta(minutes=15)  # the session is under way
    page.fill("input[name=starts]", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("input[name=place]", "Hội trường LĐLĐ huyện")
    page.fill("input[name=capacity]", "20")
    page.get_by_role("button", name="Thêm buổi tập huấn").click()
    course = Course.objects.get()
    session = course.sessions.get()
    services.material_add(
        course=course, title="Hướng dẫn sử dụng", file=SimpleUploadedFile("hd.pdf", PDF),
        by=organiser,
    )  # fmt: skip

    # Two unions' registrars nominate one person each, by document number.
    for registrar, person in (
        (officer_at(tree.grassroots_a1, scope.REGISTRAR), lan),
        (officer_at(tree.grassroots_a2, scope.REGISTRAR), hung),
    ):
        page.context.clear_cookies()
        login(registrar.username, f"pw-{registrar.username}")
        page.goto(live_server.url + reverse("training:session", args=[session.pk]))
        page.fill("input[name=id_number]", person.id_number)
        page.get_by_role("button", name="Cử đi học").click()
        expect(page.get_by_test_id("enrolments")).to_contain_text(person.full_name)
    assert Enrolment.objects.filter(session=session, state="confirmed").count() == 2

    # At the door: Lan's pass by the USB scanner, Hùng by name.
    page.context.clear_cookies()
    login(organiser.username, f"pw-{organiser.username}")
    page.goto(live_server.url + reverse("training:session", args=[session.pk]))
    page.get_by_test_id("station-link").click()
    expect(page.locator("#roster-state")).to_contain_text("2")
    lan_enrolment = Enrolment.objects.get(member=lan)
    pass_url = live_server.url + reverse(
        "training_public:pass", args=[passes.pass_token(lan_enrolment)]
    )
    page.get_by_test_id("scan-input").focus()
    page.keyboard.type(pass_url + "\n")
    result = page.get_by_test_id("scan-result")
    expect(result).to_have_attribute("data-status", "checked_in")
    expect(result).to_contain_text("Trần Thị Lan")
    page.keyboard.type(pass_url + "\n")
    expect(result).to_have_attribute("data-status", "already")
    page.get_by_test_id("name-search").fill("le van hung")
    page.get_by_test_id("search-results").get_by_role("button", name="Điểm danh").click()
    expect(result).to_have_attribute("data-status", "checked_in")
    expect(result).to_contain_text("Lê Văn Hùng")
    assert Enrolment.objects.filter(session=session, attended__isnull=False).count() == 2

    # Lan opens her pass on her phone and reads the handout.
    phone = page.context.browser.new_context(viewport=PHONE)
    mobile = phone.new_page()
    mobile.goto(pass_url)
    expect(mobile.get_by_test_id("participant-name")).to_have_text("Trần Thị Lan")
    expect(mobile.get_by_test_id("checked-in")).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    with mobile.expect_response(lambda r: "/m/" in r.url) as opened:
        mobile.get_by_role("link", name="Hướng dẫn sử dụng").click()
    assert opened.value.status == 200
    assert mobile.request.get(opened.value.url).body() == PDF
    phone.close()

    # Her certificate, from the session's list, carries a QR that verifies.
    page.goto(live_server.url + reverse("training:session", args=[session.pk]))
    certificate = page.get_by_role("link", name="Giấy chứng nhận").first.get_attribute("href")
    pdf = tmp_path / "certificate.pdf"
    pdf.write_bytes(page.request.get(live_server.url + certificate).body())
    # Read its QR code as a phone would.
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "c")], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("c*.png")))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    verify = re.search(r"/v/t/[A-Za-z0-9_-]+", decoded)
    assert verify, decoded
    page.goto(live_server.url + verify.group(0))
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "genuine")
    expect(page.get_by_text("Trần Thị Lan")).to_be_visible()
