"""`unionhub demo`: the demo province (DESIGN §1), deterministic for a given seed.

Order: the tree as it stood before 2025, members and their history up to 30 June 2025, the
1 July 2025 reorganisation (merged unions take their members along), members' history since,
officers, then every other app's `<app>/demo.py: populate(*, province, rng, by, log)`, which
also gets `options` ({"members", "seed"}) when it takes that argument.
"""

from __future__ import annotations

import inspect
import random
import time
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from unionhub.demo import members as demo_members
from unionhub.demo import officers, province
from unionhub.members.models import Member
from unionhub.orgs.models import Unit

# Read by the Makefile's `run` target: the login it prints once serving, only for a demo database.
LOGIN_FILE = "demo-login.txt"


def _database_is_empty() -> bool:
    """True only for a fresh database: the demo's known password must never land beside real
    data, even when the real data has no account called "admin"."""
    return not (
        Unit.objects.exists() or Member.objects.exists() or get_user_model().objects.exists()
    )


class Command(BaseCommand):
    help = "Build the demo province: units, the 2025 reorganisation, officers (and members)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2023)
        parser.add_argument(
            "--members",
            type=int,
            default=0,
            help="members to generate (70000 gives DESIGN §1's sizes)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database holds any unit, member or user",
        )
        parser.add_argument(
            "--password", default=officers.DEMO_PASSWORD, help="password of every demo account"
        )

    def handle(self, *args, seed: int, members: int, if_empty: bool, password: str, **options):
        if settings.PRODUCTION:
            # A production database holds real members, and the demo's accounts share one
            # published password.
            raise CommandError("The demo does not run when UNIONHUB_PRODUCTION is on.")
        if not _database_is_empty():
            if if_empty:
                self.stdout.write("The database holds data already; the demo was not built.")
                if not get_user_model().objects.filter(username="tinh").exists():
                    # Not the demo's data: `make run` must not print the demo's login for it.
                    (settings.VAR_DIR / LOGIN_FILE).unlink(missing_ok=True)
                return
            raise CommandError(
                "The database already holds units, members or users; "
                "run the demo on an empty database."
            )
        started = time.perf_counter()
        rng = random.Random(seed)
        admin = officers.ensure_admin(password=password)
        with transaction.atomic():
            built = province.build(rng=rng, by=admin, log=self.stdout.write)
            generator = None
            if members > 0:
                generator = demo_members.populate_before(
                    province=built,
                    members=members,
                    rng=random.Random(seed + 1),
                    by=admin,
                    log=self.stdout.write,
                )
            province.reorganise(province=built, by=admin, log=self.stdout.write)
            if generator is not None:
                demo_members.populate_after(generator=generator, members=members)
            accounts = officers.create_officers(
                province=built, rng=rng, password=password, by=admin
            )
            demo_members.pending_transfers(rng=rng, by=admin, log=self.stdout.write)
            for index, populate in enumerate(_app_demo_steps(), start=2):
                extra = {"options": {"members": members, "seed": seed}}
                populate(
                    province=built,
                    rng=random.Random(seed + index),
                    by=admin,
                    log=self.stdout.write,
                    **(extra if _accepts_options(populate) else {}),
                )
        self.stdout.write(f"  {len(accounts)} officer accounts (password: {password})")
        (settings.VAR_DIR / LOGIN_FILE).write_text(
            f"Log in as: admin / {password} (province officer: tinh / {password})\n",
            encoding="utf-8",
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo province built in {time.perf_counter() - started:.1f} s.")
        )


def _accepts_options(populate) -> bool:
    """`options` (the command's choices, e.g. the number of members) is optional for a step."""
    parameters = inspect.signature(populate).parameters.values()
    return any(p.name == "options" or p.kind == p.VAR_KEYWORD for p in parameters)


def _app_demo_steps():
    """Each app above the tree may add demo data with `<app>/demo.py: populate(...)`."""
    for config in apps.get_app_configs():
        if not config.name.startswith("unionhub.") or config.label in {"demo", "orgs"}:
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        yield module.populate
