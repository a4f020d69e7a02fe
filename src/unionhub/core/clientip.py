"""The client's address, the one key every rate limit and lockout counts by.

Behind a reverse proxy REMOTE_ADDR is the proxy, so every visitor would share one bucket; the
forwarded header, though, is written by whoever sends the request, so only the entries added by
proxies we run can be believed. Settings (from the environment, see README):

- ``TRUSTED_PROXY_COUNT``: how many proxies stand in front of the app; the client is the entry
  that many places from the right of ``X-Forwarded-For`` + REMOTE_ADDR.
- ``TRUSTED_PROXIES``: addresses or networks of our proxies; the client is the right-most
  address of that chain that is not one of them. Wins over the count when both are set.
- ``TRUSTED_PROXY_HEADER``: the META key of the forwarded header (default X-Forwarded-For).

With neither set the forwarded header is ignored and REMOTE_ADDR is the client.
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Network, IPv6Network

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def _address(text: str) -> str | None:
    """`text` as a normalised IP address, or None when it is not one."""
    text = text.strip()
    # Some proxies append the port ("203.0.113.7:5123", "[2001:db8::1]:443").
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def _trusted(address: str, networks: list[IPv4Network | IPv6Network]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as far as our own proxies vouch for it."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    networks = [
        ipaddress.ip_network(item, strict=False)
        for item in getattr(settings, "TRUSTED_PROXIES", ())
    ]
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not networks and not count:
        return remote
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "HTTP_X_FORWARDED_FOR")
    forwarded = [_address(item) for item in request.META.get(header, "").split(",")]
    chain = [*forwarded, remote] if remote != UNKNOWN else forwarded
    if networks:
        if remote == UNKNOWN or not _trusted(remote, networks):
            return remote  # not sent by one of our proxies: its header means nothing
        for address in reversed(chain):
            if address is None:
                # A garbled entry stops the walk: nothing left of it can be trusted either.
                return remote
            if not _trusted(address, networks):
                return address
        return chain[0] or remote
    # The n-th entry from the right was added by our outermost proxy; anything further left was
    # written by the client and may be forged.
    index = max(len(chain) - 1 - count, 0)
    return chain[index] or remote


def client_address_or_none(request: HttpRequest) -> str | None:
    """For django-axes, which stores the address in an IP column: None when there is none (a
    request made inside the process, such as a test client's force_login)."""
    address = client_address(request)
    return None if address == UNKNOWN else address
