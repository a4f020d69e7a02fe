"""The member's own page in the browser at phone size: a member signs in with the code sent to
her phone, asks for a correction of her birth date, her union's registrar approves it on the
member page, and the member sees her corrected record."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from unionhub.core import sms

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def test_a_member_asks_for_a_correction_the_registrar_approves(
    login, page, live_server, tree, admit, registrar_a, settings
):
    settings.SMS_BACKEND = "unionhub.core.sms.LocmemBackend"
    sms.outbox.clear()
    member = admit(
        tree.grassroots_a1,
        full_name="Lê Thị Hằng",
        gender="female",
        birth_date=dt.date(1990, 4, 5),
        phone="0912345678",
    )

    phone = page.context.browser.new_context(viewport=PHONE)
    mobile = phone.new_page()
    mobile.goto(live_server.url + "/me/")
    mobile.get_by_label("Số điện thoại hoặc e-mail của bạn").fill("0912 345 678")
    mobile.get_by_role("button", name="Gửi mã cho tôi").click()
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)
    mobile.get_by_label("Mã sáu chữ số bạn nhận được").fill(code)
    mobile.get_by_role("button", name="Đăng nhập").click()
    expect(mobile.get_by_test_id("self-name")).to_have_text("Lê Thị Hằng")
    expect(mobile.get_by_test_id("self-profile")).to_contain_text("05/04/1990")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    form = mobile.get_by_test_id("self-correction")
    form.get_by_label("Thông tin sai").select_option("birth_date")
    form.get_by_label("Giá trị đúng").fill("06/04/1990")
    form.get_by_role("button", name="Gửi công đoàn").click()
    expect(mobile.get_by_test_id("self-message")).to_be_visible()
    expect(mobile.get_by_test_id("self-corrections")).to_contain_text("Chờ cán bộ quản lý")

    # The registrar sees the request on the member page and approves it.
    login(registrar_a.username, f"pw-{registrar_a.username}")
    page.goto(live_server.url + reverse("members:detail", args=[member.pk]))
    requests = page.get_by_test_id("member-corrections")
    expect(requests).to_contain_text("06/04/1990")
    requests.get_by_role("button", name="Duyệt và sửa").click()
    expect(page.get_by_test_id("member-corrections")).to_have_count(0)

    mobile.reload()
    expect(mobile.get_by_test_id("self-profile")).to_contain_text("06/04/1990")
    expect(mobile.get_by_test_id("self-corrections")).to_contain_text("Đã duyệt và sửa")
    phone.close()
    member.refresh_from_db()
    assert member.birth_date == dt.date(1990, 4, 6)
