"""The one client-address helper: forwarded headers count only as far as our proxies vouch."""

import pytest
from django.test import RequestFactory, override_settings

from unionhub.core.clientip import client_address


def request(remote="10.0.0.2", forwarded=None, **meta):
    extra = {"REMOTE_ADDR": remote, **meta}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_address(request(forwarded="203.0.113.7")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # The client wrote the left entry itself; only the one our proxy appended counts.
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        # Reached us past fewer proxies than configured: the left-most address is all we have.
        (2, "203.0.113.7", "203.0.113.7"),
        (1, "", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
        (1, "203.0.113.7:5123", "203.0.113.7"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_proxy_count_picks_the_entry_our_outermost_proxy_added(count, forwarded, expected):
    with override_settings(TRUSTED_PROXY_COUNT=count):
        assert client_address(request(forwarded=forwarded)) == expected


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24", "192.0.2.5"])
def test_allow_list_skips_our_proxies_from_the_right():
    assert client_address(request(forwarded="1.2.3.4, 203.0.113.7, 192.0.2.5")) == "203.0.113.7"
    assert client_address(request(forwarded="203.0.113.7")) == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_allow_list_ignores_the_header_from_anyone_else():
    assert client_address(request(remote="198.51.100.3", forwarded="1.2.3.4")) == "198.51.100.3"


@override_settings(TRUSTED_PROXY_COUNT=1, TRUSTED_PROXY_HEADER="HTTP_X_REAL_IP")
def test_the_header_is_configurable():
    assert client_address(request(HTTP_X_REAL_IP="203.0.113.7")) == "203.0.113.7"
