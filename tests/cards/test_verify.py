"""The public verification page, the published key, the rate limit and the offline command."""

import datetime as dt
import io
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from unionhub.cards import selectors, services, tokens
from unionhub.cards.models import RevokeReason
from unionhub.core import signing
from unionhub.privacy import services as privacy_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_genuine_card_shows_only_name_unit_and_validity(client, issued_card):
    token = selectors.card_token(issued_card)
    response = client.get(f"/v/{token}")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-verdict="genuine"' in page
    assert issued_card.member.full_name in page
    assert issued_card.unit.name in page
    assert issued_card.member.id_number not in page
    assert "17/05/1990" not in page  # birth date never shown


def test_revoked_card_says_since_when(client, issued_card, registrar):
    token = selectors.card_token(issued_card)
    card = services.card_revoke(card=issued_card, reason=RevokeReason.LOST, by=registrar)
    page = client.get(f"/v/{token}").content.decode()
    assert 'data-verdict="revoked"' in page
    assert timezone.localdate(card.revoked_at).strftime("%d/%m/%Y") in page


def test_tampered_and_foreign_tokens_are_not_genuine(client, issued_card):
    token = selectors.card_token(issued_card)
    tampered = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]
    claim = tokens.read_token(token)
    foreign = tokens.make_token(claim, key=Ed25519PrivateKey.generate())
    for bad in (tampered, token[:-3], foreign, "garbage"):
        response = client.get(f"/v/{bad}")
        assert response.status_code == 404
        assert 'data-verdict="not_genuine"' in response.content.decode()


def test_signed_token_for_a_card_we_never_issued_is_not_genuine(issued_card):
    claim = tokens.read_token(selectors.card_token(issued_card))
    other_member = tokens.CardClaim(claim.number, claim.issued, b"\x00" * 8)
    assert (
        selectors.card_verify(token=tokens.make_token(other_member)).verdict
        == selectors.Verdict.NOT_GENUINE
    )


def test_photo_thumbnail_only_for_genuine_cards(client, admit, registrar, approver, series):
    member = admit(photo=True)
    # The public page shows a photo only with the holder's consent (privacy app).
    privacy_services.consent_record(
        member=member, purpose="photo", given_on=dt.date(2026, 1, 1), method="paper", by=registrar
    )
    card = services.card_approve(
        card=services.card_request(member=member, by=registrar), by=approver
    )
    token = selectors.card_token(card)
    response = client.get(f"/v/{token}/photo")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    services.card_revoke(card=card, reason=RevokeReason.LOST, by=registrar)
    assert client.get(f"/v/{token}/photo").status_code == 404


@override_settings(CARD_VERIFY_RATE=(5, 60))
def test_enumeration_is_rate_limited_per_client(client, issued_card):
    token = selectors.card_token(issued_card)
    statuses = [client.get(f"/v/{token}").status_code for _ in range(7)]
    assert statuses[:5] == [200] * 5
    assert statuses[5:] == [429, 429]
    limited = client.get(f"/v/{token}")
    assert limited["Retry-After"] == "60"
    other = client.get(f"/v/{token}", REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_public_key_is_published(client):
    pem = client.get("/.well-known/unionhub-card-key")
    assert pem.status_code == 200
    assert pem.content.decode() == signing.public_key_pem()
    page = client.get("/v/key/").content.decode()
    assert "BEGIN PUBLIC KEY" in page


def test_offline_command_verifies_with_the_public_key_only(tmp_path, issued_card):
    key_file = tmp_path / "key.pem"
    key_file.write_text(signing.public_key_pem())
    url = f"https://cards.example/v/{selectors.card_token(issued_card)}"
    out = io.StringIO()
    call_command("verify-card", url, "--public-key", str(key_file), stdout=out)
    assert "GENUINE" in out.getvalue()
    assert issued_card.number_display in out.getvalue()

    foreign = tmp_path / "foreign.pem"
    foreign.write_text(signing.public_key_pem(Ed25519PrivateKey.generate().public_key()))
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("verify-card", url, "--public-key", str(foreign), stdout=out)
    assert exit_.value.code == 1
    assert re.search("NOT GENUINE", out.getvalue())


@override_settings(CARD_VERIFY_RATE=(2, 60), TRUSTED_PROXY_COUNT=1)
def test_rate_limit_behind_a_proxy_counts_each_client_apart(client, issued_card):
    token = selectors.card_token(issued_card)

    def check(client_address):
        # Every request arrives from the proxy, which names the client in X-Forwarded-For.
        return client.get(
            f"/v/{token}", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address
        ).status_code

    assert [check("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert check("198.51.100.9") == 200
    # A client that forges the header still lands in its own bucket: the proxy appended it.
    assert check("198.51.100.10, 203.0.113.7") == 429


def verdict_classes(response):
    article = re.search(
        r'<article class="([^"]*)" data-testid="verdict"', response.content.decode()
    )
    return set(article.group(1).split())


def test_the_check_is_green_for_a_genuine_card_and_red_otherwise(client, issued_card, registrar):
    token = selectors.card_token(issued_card)
    assert "verify-ok" in verdict_classes(client.get(f"/v/{token}"))
    assert "verify-bad" in verdict_classes(client.get(f"/v/{token[:-3]}"))
    services.card_revoke(card=issued_card, reason=RevokeReason.LOST, by=registrar)
    assert verdict_classes(client.get(f"/v/{token}")) >= {"verify-bad", "verdict-revoked"}
    with open(finders.find("unionhub/app.css"), encoding="utf-8") as css:
        rules = css.read()
    assert re.search(r"article\.verify-ok \{[^}]*#2e7d32", rules)
    assert re.search(r"article\.verify-bad \{[^}]*#c62828", rules)
