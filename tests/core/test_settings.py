"""Deploy-time settings: production refuses to start without its secrets and passes --deploy."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# The settings are read with DATABASE_URL unset, whichever database the suite runs on.
pytestmark = pytest.mark.no_database

UNIONHUB = str(Path(sys.executable).parent / "unionhub")


def run(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a "deployment".
    unset = {"SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update({"UNIONHUB_PRODUCTION": "1", **env_extra})
    return subprocess.run([UNIONHUB, *args], env=env, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    done = run({"ALLOWED_HOSTS": "union.example.vn"}, "check")
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    done = run({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": ""}, "check")
    assert done.returncode != 0
    assert "ALLOWED_HOSTS must be set" in done.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    done = run(
        {
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "union.example.vn",
            "SIGNING_KEY_FILE": str(tmp_path / "signing.pem"),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
