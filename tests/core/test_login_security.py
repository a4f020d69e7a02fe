"""Password guessing: login lockout, throttled reset mails, throttled API."""

import pytest
from django.core import mail
from django.test import override_settings
from rest_framework import throttling
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import make_user


def login(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.fixture
def officer(db):
    return make_user("registrar", email="registrar@union.example.vn")


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_passwords_lock_the_account_from_that_address(client, officer):
    assert [login(client, "registrar", "guess").status_code for _ in range(3)] == [200, 200, 429]
    # Locked: even the right password is refused now, with a page that says why.
    locked = login(client, "registrar", "pw-registrar")
    assert locked.status_code == 429
    assert "locked-out" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another officer behind another address is not held up.
    assert login(client, "registrar", "pw-registrar", REMOTE_ADDR="10.9.9.9").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2, TRUSTED_PROXY_COUNT=1)
def test_lockout_counts_the_client_behind_the_proxy(client, officer):
    def attempt(address, password="guess"):
        return login(
            client, "registrar", password, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address
        ).status_code

    assert [attempt("203.0.113.7") for _ in range(2)] == [200, 429]
    assert attempt("198.51.100.9", "pw-registrar") == 302


@override_settings(PASSWORD_RESET_RATE=2)
def test_password_reset_mails_are_limited(client, officer):
    def ask(email, **extra):
        return client.post("/accounts/password/reset/", {"email": email}, **extra)

    assert [ask("registrar@union.example.vn").status_code for _ in range(2)] == [302, 302]
    refused = ask("registrar@union.example.vn", REMOTE_ADDR="10.9.9.9")
    assert refused.status_code == 429
    assert len(mail.outbox) == 2
    # One client cannot spread its tries over many addresses either.
    assert ask("someone@union.example.vn").status_code == 429


@override_settings(API_DOCS_PUBLIC=True)
def test_api_is_throttled_for_tokens_and_anonymous_clients(officer, monkeypatch):
    # DRF reads the rates once, when it loads.
    monkeypatch.setattr(
        throttling.SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "3/minute"}
    )
    token = Token.objects.create(user=officer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert [api.get("/api/v1/units/").status_code for _ in range(4)] == [200, 200, 200, 429]
    anonymous = APIClient()
    assert [anonymous.get("/api/schema/").status_code for _ in range(3)] == [200, 200, 429]
    # Behind the proxy each client has its own count.
    with override_settings(TRUSTED_PROXY_COUNT=1):
        behind = anonymous.get("/api/schema/", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert behind.status_code == 200


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=4)
def test_a_password_spray_over_many_accounts_is_stopped_per_address(client, officer):
    for name in ("an", "binh", "chi", "dung"):
        make_user(name)
        assert login(client, name, "Matkhau@123").status_code == 200  # wrong, not locked
    # A fifth account, even with its right password, waits: the address is spraying.
    sprayed = login(client, "registrar", "pw-registrar")
    assert sprayed.status_code == 429
    assert "_auth_user_id" not in client.session
    # The office next door, behind another address, is not held up.
    assert login(client, "registrar", "pw-registrar", REMOTE_ADDR="10.9.9.9").status_code == 302


@override_settings(LOGIN_ADDRESS_FAILURE_LIMIT=2)
def test_successful_logins_do_not_count_towards_the_address_ceiling(client, officer):
    for _ in range(3):
        assert login(client, "registrar", "pw-registrar").status_code == 302
        client.logout()
