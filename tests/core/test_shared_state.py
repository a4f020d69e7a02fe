"""With REDIS_URL (and S3_BUCKET, TASK_BACKEND=rq) set, nothing a later request needs is kept in
one process's memory or on one host's disk, so requests may land on any app host: the cache
(rate limits, API throttles, job progress) is Redis, sessions and login lockouts are in the
database, files are on S3, jobs are on the Redis queue. Checked on the settings a deployment
loads, and by finding a rate-limit count and a job's progress in Redis itself."""

import json
import os
import subprocess
import sys

import redis

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")

PROBE = """
import json, uuid
from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle
from unionhub.core import ratelimit
from unionhub.core.jobs import Progress, _key
from unionhub.core.models import Job

tag = str(uuid.uuid4())
ratelimit.allow(f"audit:{tag}", limit=5, window=3600)
ratelimit.allow(f"audit:{tag}", limit=5, window=3600)
job = Job(pk=uuid.uuid4())
Progress(job).start(40)
print(json.dumps({
    "caches": {alias: settings.CACHES[alias]["BACKEND"] for alias in settings.CACHES},
    "throttle_cache": type(caches[SimpleRateThrottle.cache._alias]).__name__,
    "sessions": settings.SESSION_ENGINE,
    "axes": getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler"),
    "messages": settings.MESSAGE_STORAGE,
    "files": settings.STORAGES["default"]["BACKEND"],
    "tasks": settings.TASKS["default"]["BACKEND"],
    "limit_key": caches["default"].make_key(ratelimit._bucket(f"audit:{tag}", 3600)),
    "progress_key": caches["default"].make_key(_key(job.pk)),
}))
"""


def test_with_redis_set_every_shared_thing_lives_outside_the_process(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "UNIONHUB_VAR": str(tmp_path),
        "REDIS_URL": REDIS,
        "TASK_BACKEND": "rq",
        "S3_BUCKET": "unionhub-media",
    }
    done = subprocess.run(
        [sys.executable, "-m", "unionhub", "shell", "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(seen["caches"].values()) == {"django.core.cache.backends.redis.RedisCache"}
    assert seen["throttle_cache"] == "RedisCache"
    assert seen["sessions"] == "django.contrib.sessions.backends.db"
    assert seen["axes"] == "axes.handlers.database.AxesDatabaseHandler"
    # Flash messages ride in the session or a cookie, never in the process.
    assert seen["messages"] == "django.contrib.messages.storage.fallback.FallbackStorage"
    assert seen["files"] == "storages.backends.s3.S3Storage"
    assert seen["tasks"] == "django_tasks_rq.RQBackend"

    # The counts themselves are in Redis, where another host reads them.
    server = redis.Redis.from_url(REDIS)
    try:
        assert int(server.get(seen["limit_key"])) == 2
        assert server.get(seen["progress_key"]) is not None
    finally:
        server.delete(seen["limit_key"], seen["progress_key"])
