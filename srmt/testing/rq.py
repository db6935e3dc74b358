"""The production task backend (Redis + RQ) for tests that prove it end to end."""

from __future__ import annotations

import os
from typing import Any

import pytest

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"
# `make test` runs the PostgreSQL and SQLite suites at once against the same Redis: each
# suite gets scratch databases of its own, or one suite's worker could take (and one suite's
# flush could drop) the other's jobs.
SQLITE_OFFSET = 4


def use_rq_backend(settings: Any, url: str = REDIS_TEST_URL) -> Any:
    """Point the task backend at a scratch Redis database, emptied; returns the connection.
    A SQLite run uses the database SQLITE_OFFSET below the one asked for.

    Skips when Redis is not running, except in CI (CI=true), where that is a failure.
    """
    import redis
    from django.db import connection as database

    if database.vendor == "sqlite":
        base, _, number = url.rpartition("/")
        url = f"{base}/{int(number) - SQLITE_OFFSET}"
    connection = redis.Redis.from_url(url)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    connection.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    return connection
