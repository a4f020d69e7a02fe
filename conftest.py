"""Fixtures shared by tests/ and e2e/: a small tree (province → two districts → grassroots
unions) and officers."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from tests import databases, factories
from tests import demo_snapshot as snapshots
from tests.world import Tree, build_tree, found_commune, make_officer, make_superuser
from unionhub.core import scope
from unionhub.orgs.models import Unit

# What the property tests check is arithmetic and safety, not speed: on a CI machine shared with
# other work an example may take longer than hypothesis's default 200 ms deadline.
hypothesis_settings.register_profile("unionhub", deadline=None)
hypothesis_settings.load_profile("unionhub")

_id_serial = itertools.count(1)


def pytest_configure(config):
    """Fast password hashing for tests only: the default hasher's million rounds cost about half a
    second per account, and every tree, officer and login makes one; no test is about hashing
    strength (production keeps Django's default).

    On PostgreSQL, the test connections commit without waiting for the write-ahead log to reach
    the disk: a test database is thrown away, and the browser tests and the demo builds commit
    often."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.db.models.signals import post_migrate

    post_migrate.connect(_seeded_rows_back, dispatch_uid="tests-seeded-rows-back")
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        database.setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"


# Rows the migrations seed (RunPython) and the code expects to find: (app label, model, the
# migration that seeds them, its function). Several migrations may seed the same model.
SEEDED = [
    ("finance", "Rule", "unionhub.finance.migrations.0002_rules", "seed"),
    ("finance", "Rule", "unionhub.finance.migrations.0012_fee_collector_rules_seeded", "seed"),
]


def _seeded_rows_back(sender, *, using, apps=None, **kwargs):
    """After a transactional test, Django flushes every table and sends post_migrate: the rows
    the migrations seeded are put back, so that the next test of the same process, whichever
    it is (the tests are handed out to the processes a file at a time), finds them."""
    if apps is None:  # a flush sends no state of its own: the models as they are
        from django.apps import apps
    ours = [seeded for seeded in SEEDED if seeded[0] == sender.label]
    # Which tables are empty is settled before any is filled: a model seeded by two migrations
    # gets both seeds, not only the first.
    empty = {
        model
        for label, model, _module, _function in ours
        if not apps.get_model(label, model).objects.using(using).exists()
    }
    for _label, model, module, function in ours:
        if model in empty:
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def superuser(db):
    return make_superuser()


@pytest.fixture
def tree(superuser) -> Tree:
    return build_tree(superuser)


@pytest.fixture
def commune(tree) -> Unit:
    return found_commune(tree)


@pytest.fixture
def officer_at(tree):
    """officer_at(unit, role) → a new user holding `role` at `unit`."""

    def make(unit: Unit, role: str = scope.VIEWER) -> Any:
        return make_officer(tree, unit, role)

    return make


@pytest.fixture
def registrar_a(tree, officer_at):
    return officer_at(tree.grassroots_a1, scope.REGISTRAR)


@pytest.fixture
def registrar_b(tree, officer_at):
    return officer_at(tree.grassroots_b1, scope.REGISTRAR)


@pytest.fixture
def admit(tree):
    """admit(unit=…, **profile) → a member admitted by the superuser, with sensible defaults."""

    def make(unit=None, by=None, joined=dt.date(2020, 3, 1), **profile):
        serial = next(_id_serial)
        female = profile.get("gender", "male") == "female"
        defaults = {
            "full_name": "Nguyễn Văn Trọng",
            "gender": "male",
            "birth_date": dt.date(1990, 5, 17),
            "id_number": factories.cccd(serial, female=female),
        }
        return factories.admit(
            unit or tree.grassroots_a1, by or tree.admin, joined, **{**defaults, **profile}
        )

    return make


@pytest.fixture(autouse=True)
def jobs_on_rq(request):
    """With TASK_BACKEND=rq, a test's `jobs.job_run(id)` goes the way production goes: the task is
    enqueued on Redis, an RQ worker runs it, and its result is read back through django-tasks.

    The worker is RQ's SimpleWorker in this process, so it sees the test's database (the
    in-memory SQLite of a test is invisible to any other process). One queue per run: start
    such a run with `-n 0`, or one process's worker would take another's jobs."""
    from django.conf import settings

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_rq.RQBackend":
        yield
        return
    import django_rq
    from django_tasks import TaskResultStatus
    from django_tasks_rq import Job as RQJob
    from rq import SimpleWorker

    from unionhub.core import jobs
    from unionhub.core.models import Job
    from unionhub.core.tasks import run_job

    queue = django_rq.get_queue("default", job_class=RQJob)
    queue.empty()

    def run_on_rq(job_id: str) -> Job:
        result = run_job.enqueue(str(job_id))
        SimpleWorker([queue], connection=queue.connection, job_class=RQJob).work(burst=True)
        finished = run_job.get_result(result.id)
        assert finished.status == TaskResultStatus.SUCCESSFUL, finished.errors
        assert finished.return_value == Job.objects.get(pk=job_id).status
        return Job.objects.get(pk=job_id)

    # The task itself calls the job_run it imported, so only the tests' calls are rerouted.
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(jobs, "job_run", run_on_rq)
    yield
    monkeypatch.undo()
    queue.empty()


def pytest_addoption(parser):
    parser.addoption(
        "--job-tests-only",
        action="store_true",
        help="run only the tests that run a background job (e.g. to try them on TASK_BACKEND=rq)",
    )


@pytest.fixture(scope="session")
def migrated_sqlite(django_db_setup, tmp_path_factory) -> Callable[[Path], Path]:
    """migrated_sqlite(path) → `path`, a SQLite database as `unionhub migrate` leaves it, for the
    tests that start UnionHub in subprocesses (serve, backup, a server that is stopped): in the
    SQLite run, the run's migrated test database (tests/databases.py); in the PostgreSQL run,
    one migration per test process; then a file copy per test."""
    template = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
    if (migrated := databases.template_file(_run_folder(tmp_path_factory))) is not None:
        shutil.copyfile(migrated, template)
    else:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{template}",
            "UNIONHUB_VAR": str(template.parent),
            "DJANGO_SETTINGS_MODULE": "unionhub.settings",
        }
        subprocess.run([sys.executable, "-m", "unionhub", "migrate", "-v0"], env=env, check=True)

    def copy(path: Path) -> Path:
        shutil.copyfile(template, path)
        return path

    return copy


def _run_folder(tmp_path_factory) -> Path:
    """A folder every process of this run shares: xdist gives each worker a folder inside the
    controller's."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_modify_db_settings,
    django_db_blocker,
    tmp_path_factory,
):
    """pytest-django's test databases, migrated once per run (tests/databases.py)."""
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        config = databases.setup(
            _run_folder(tmp_path_factory),
            verbosity=verbosity,
            aliases=aliases,
            serialized=serialized,
        )
    yield
    with django_db_blocker.unblock():
        databases.teardown(config, verbosity=verbosity)


@pytest.fixture(scope="session")
def reset_database(django_db_setup, tmp_path_factory) -> Callable[[], None]:
    """reset_database() → this process's test database as the run's migrated template again
    (tests/databases.py), e.g. after a test that migrated it backwards."""
    shared = _run_folder(tmp_path_factory)
    return lambda: databases.reset(shared)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory) -> snapshots.Snapshot:
    """The demo province of this run, built once (tests/demo_snapshot.py); a module reads it
    through `snapshots.installed(...)`."""
    with django_db_blocker.unblock():
        return snapshots.build(_run_folder(tmp_path_factory))


def pytest_sessionfinish(session):
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is not None:
        snapshots.drop(factory.getbasetemp())
        databases.drop_template(factory.getbasetemp())


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        same_as_sqlite_run = pytest.mark.skip(
            reason="own SQLite database: the same test as in the SQLite run of the suite"
        )
        no_database = pytest.mark.skip(
            reason="uses no database: the same test as in the SQLite run of the suite"
        )
        for item in items:
            if item.get_closest_marker("own_sqlite"):
                item.add_marker(same_as_sqlite_run)
            elif item.get_closest_marker("no_database"):
                item.add_marker(no_database)
    # The long tests first (xdist hands tests out in this order): started last, one of them
    # would keep a process busy after the others have finished. Not a module whose tests share
    # a world: xdist deals the first tests out one by one, each process would build it. The
    # browser tests keep their place at the end, so that the two database runs do not drive
    # four browsers at once.
    items.sort(key=lambda item: not item.get_closest_marker("long"))
    if not config.getoption("--job-tests-only"):
        return
    import inspect

    def runs_a_job(item) -> bool:
        function = getattr(item, "function", None)
        if function is None:
            return False
        # The tests run jobs through jobs.job_run, some through a helper named run_job.
        source = inspect.getsource(function)
        return "job_run(" in source or "run_job(" in source

    selected = [item for item in items if runs_a_job(item)]
    config.hook.pytest_deselected(items=[item for item in items if item not in selected])
    items[:] = selected
