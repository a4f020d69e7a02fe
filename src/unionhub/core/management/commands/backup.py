"""`unionhub backup`: the database and every media file into one archive, then old archives
pruned (see docs/deploy.md for the schedule)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from unionhub.core import backup


class Command(BaseCommand):
    help = "Back up the database and the media files into one archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            default=os.environ.get("BACKUP_DIR", str(settings.VAR_DIR / "backups")),
            help="folder for the archives (BACKUP_DIR)",
        )
        parser.add_argument(
            "--keep-daily",
            type=int,
            default=int(os.environ.get("BACKUP_KEEP_DAILY", 14)),
            help="newest archives kept whatever their age",
        )
        parser.add_argument(
            "--keep-monthly",
            type=int,
            default=int(os.environ.get("BACKUP_KEEP_MONTHLY", 12)),
            help="months for which the newest archive is kept",
        )

    def handle(
        self, *args: Any, to: str, keep_daily: int, keep_monthly: int, **options: Any
    ) -> None:
        folder = Path(to)
        folder.mkdir(parents=True, exist_ok=True)
        archive = folder / backup.archive_name()
        try:
            manifest = backup.backup(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        deleted = backup.prune(folder, keep_daily=keep_daily, keep_monthly=keep_monthly)
        self.stdout.write(
            f"{archive} ({manifest['engine']}, {len(manifest['media'])} media files; "
            f"{len(deleted)} old archives removed)"
        )
