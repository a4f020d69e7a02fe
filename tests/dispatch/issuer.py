"""A clerk's process for the concurrency test: `python -m tests.dispatch.issuer CLERK DRAFT...`.

Runs with its own Django and database connection (DATABASE_URL from the parent), says READY,
waits for GO on stdin so that every process starts issuing at the same moment, then issues its
drafts one after another and prints their numbers.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhub.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from unionhub.dispatch import services
    from unionhub.dispatch.models import Document

    clerk = get_user_model().objects.get(pk=int(argv[0]))
    drafts = [Document.objects.get(pk=int(pk)) for pk in argv[1:]]
    print("READY", flush=True)
    if sys.stdin.readline().strip() != "GO":
        raise SystemExit("no GO from the parent")
    numbers = [services.document_issue(document=d, by=clerk).number for d in drafts]
    print("ISSUED " + " ".join(map(str, numbers)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
