"""Two-factor login: a code after the password, and enrolment required of province admins."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from unionhub.core import scope


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(client, user):
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": f"pw-{user.username}"}
    )
    assert response.status_code == 302
    return response


@pytest.fixture
def enrolled(tree, officer_at):
    officer = officer_at(tree.grassroots_a1, scope.REGISTRAR)
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    return officer, device


def test_an_enrolled_officer_gives_a_code_before_any_page_opens(client, enrolled):
    officer, device = enrolled
    log_in(client, officer)
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/verify/?next=%2Fmembers%2F")
    wrong_code = f"{(int(code_for(device)) + 1) % 10**6:06d}"
    wrong = client.post("/accounts/two-factor/verify/", {"code": wrong_code, "next": "/members/"})
    assert wrong.status_code == 200 and client.get("/members/").status_code == 302
    # Right after a wrong code even the right one is refused: codes cannot be tried in bulk.
    data = {"code": code_for(device), "next": "/members/"}
    assert client.post("/accounts/two-factor/verify/", data).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post("/accounts/two-factor/verify/", {**data, "code": code_for(device)})
    assert right.status_code == 302 and right["Location"] == "/members/"
    assert client.get("/members/").status_code == 200


def test_officers_without_a_device_are_not_asked_unless_required(client, tree, officer_at):
    admin = officer_at(tree.province, scope.UNIT_ADMIN)
    log_in(client, admin)
    assert client.get("/members/").status_code == 200


def test_province_admins_must_enrol_when_the_setting_says_so(client, tree, officer_at, settings):
    settings.TWO_FACTOR_PROVINCE_ADMINS = True
    admin = officer_at(tree.province, scope.UNIT_ADMIN)
    log_in(client, admin)
    response = client.get("/members/")
    assert response["Location"].startswith("/accounts/two-factor/?next=")
    page = client.get("/accounts/two-factor/").content.decode()
    assert "<svg" in page  # the QR code to scan
    secret = re.search(r'data-testid="two-factor-secret">([A-Z2-7]+)<', page).group(1)
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert secret in device.config_url
    done = client.post("/accounts/two-factor/", {"code": code_for(device), "next": "/members/"})
    assert done["Location"] == "/members/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/members/").status_code == 200


def test_the_setting_spares_officers_below_the_province(client, tree, officer_at, settings):
    settings.TWO_FACTOR_PROVINCE_ADMINS = True
    admin = officer_at(tree.district_a, scope.UNIT_ADMIN)
    log_in(client, admin)
    assert client.get("/members/").status_code == 200
