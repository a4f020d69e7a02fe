"""Text messages to a phone, through the backend settings.SMS_BACKEND names (a dotted path to a
class with `send(phone, text)`), as Django's e-mail backends work: the console by default, a
provider's gateway in production, an outbox in the tests."""

from __future__ import annotations

import logging
import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class Backend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    """Prints the message, for a single machine without a gateway (and `make run`)."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"SMS to {phone}: {text}\n")
        sys.stdout.flush()


# The messages LocmemBackend sent, as (phone, text), for the tests.
outbox: list[tuple[str, str]] = []


class LocmemBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def send(phone: str, text: str) -> None:
    backend: Backend = import_string(settings.SMS_BACKEND)()
    backend.send(phone, text)
    logger.info("SMS sent to a phone ending %s", phone[-3:])
