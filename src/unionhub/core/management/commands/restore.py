"""`unionhub restore ARCHIVE`: a backup back into an empty database and an empty media storage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from unionhub.core import backup


class Command(BaseCommand):
    help = "Restore a backup made by `unionhub backup` into an empty database and media storage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, archive: Path, **options: Any) -> None:
        try:
            manifest = backup.restore(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored {archive}: {manifest['engine']} database of {manifest['created']}, "
            f"{len(manifest['media'])} media files"
        )
