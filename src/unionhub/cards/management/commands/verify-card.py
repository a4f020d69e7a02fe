"""`unionhub verify-card TOKEN_OR_URL --public-key FILE`: check a card's signature offline.

No database is needed: employers and other unions run it with the key published at
/.well-known/unionhub-card-key. It proves the card number, issue date and holder key were
signed by the federation; only the verification page knows whether the card was revoked since.
Exit status 0 for a genuine signature, 1 otherwise.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from unionhub.cards import numbers, tokens
from unionhub.core import signing


class Command(BaseCommand):
    help = "Check a membership card's QR token (or link) against the published public key."
    requires_system_checks: list = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("token", help="the token or the whole /v/<token> link from the QR")
        parser.add_argument("--public-key", required=True, type=Path, help="PEM public key file")

    def handle(self, *args, token, public_key, **options):
        try:
            key = signing.load_public_key(public_key.read_bytes())
        except (OSError, ValueError) as error:
            raise CommandError(f"cannot read the public key: {error}") from error
        try:
            claim = tokens.read_token(tokens.token_from_text(token), key=key)
        except signing.BadToken as error:
            self.stdout.write(self.style.ERROR(f"NOT GENUINE ({error})"))
            raise SystemExit(1) from error
        self.stdout.write(self.style.SUCCESS("GENUINE signature"))
        self.stdout.write(f"card number: {numbers.display(claim.number)}")
        self.stdout.write(f"issued: {claim.issued:%d/%m/%Y}")
        self.stdout.write(f"holder key: {claim.member_key.hex()}")
        self.stdout.write("revocation is not checked offline; open the link to see it")
