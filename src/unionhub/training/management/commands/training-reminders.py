"""`unionhub training-reminders`: e-mail the participants of every training session starting
within two days their time, place and pass link, once per session. Run it daily (cron, a
systemd timer); the organiser's button on the session page does the same for one session."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from unionhub.training import services


class Command(BaseCommand):
    help = "E-mail reminders to the participants of training sessions starting within two days."

    def handle(self, *args, **options):
        sent = services.reminders_due()
        self.stdout.write(f"{sent} reminder e-mails sent.")
