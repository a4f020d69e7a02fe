"""Background work: e-mails to recipient units, sent after the issue has committed.

Issuing to 1,500 units must not wait for 1,500 e-mails; the task sends them over one
connection of Django's e-mail backend (console by default).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from unionhub.dispatch import selectors
from unionhub.dispatch.models import Document, Recipient


def _messages(document: Document, unit_ids: list[int], base_url: str, reminder: bool):
    addresses = selectors.notification_addresses(unit_ids=unit_ids)
    for unit_id in unit_ids:
        to = addresses.get(unit_id)
        if not to:
            continue
        link = (base_url or settings.SITE_URL) + reverse(
            "dispatch:document", args=[unit_id, document.pk]
        )
        values = {
            "symbol": document.symbol,
            "sender": document.unit.name,
            "summary": document.summary,
            "link": link,
            "urgency": document.get_urgency_display(),
        }
        if reminder:
            subject = _("Reminder: document %(symbol)s from %(sender)s is unread") % values
        else:
            subject = _("New document %(symbol)s from %(sender)s") % values
        body = (
            _(
                "%(sender)s sent your unit the document %(symbol)s (%(urgency)s):\n"
                "%(summary)s\n\nOpen it here: %(link)s\n"
            )
            % values
        )
        yield EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to)


def _send(document_id: int, unit_ids: list[int] | None, base_url: str, reminder: bool) -> int:
    document = Document.objects.select_related("unit").get(pk=document_id)
    if unit_ids is None:
        unit_ids = list(
            Recipient.objects.filter(document=document).values_list("unit_id", flat=True)
        )
    with translation.override(settings.LANGUAGE_CODE):
        messages = list(_messages(document, unit_ids, base_url, reminder))
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


@task()
def notify_issued(document_id: int, base_url: str = "") -> int:
    """Tell the clerks and admins of every recipient unit that a document arrived."""
    return _send(document_id, None, base_url, reminder=False)


@task()
def notify_reminder(document_id: int, recipient_ids: list[int], base_url: str = "") -> int:
    """Remind the recipient units that have not opened the document yet."""
    unit_ids = list(
        Recipient.objects.filter(pk__in=recipient_ids, read_at__isnull=True).values_list(
            "unit_id", flat=True
        )
    )
    return _send(document_id, unit_ids, base_url, reminder=True)
