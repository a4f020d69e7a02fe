"""The `unionhub` console script: the project's manage.py."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionhub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["unionhub", *sys.argv[1:]])


if __name__ == "__main__":
    main()
