from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from srmt.core.management.commands import worker

DATABASE = {"default": {"BACKEND": worker.DATABASE_BACKEND}}


def test_database_backend_runs_db_worker():
    assert worker.worker_call(worker.DATABASE_BACKEND) == worker.WorkerCall(
        "db_worker", [], {"queue_name": "default", "batch": False}
    )


def test_rq_backend_runs_rqworker_with_the_tasks_job_class():
    assert worker.worker_call(worker.RQ_BACKEND, queue="mail", batch=True) == worker.WorkerCall(
        "rqworker", ["mail"], {"job_class": "django_tasks_rq.Job", "burst": True}
    )


def test_immediate_backend_has_no_worker():
    with pytest.raises(CommandError, match="there is no worker to run"):
        worker.worker_call(worker.IMMEDIATE_BACKEND)
    with pytest.raises(CommandError, match=r"No worker is known for the task backend x\.Y"):
        worker.worker_call("x.Y")


def test_command_dispatches_to_the_configured_backend(settings, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "call_command", lambda *a, **kw: calls.append((a, kw)))
    settings.TASKS = {"default": {"BACKEND": worker.RQ_BACKEND}}
    call_command("worker", stderr=StringIO())
    settings.TASKS = DATABASE
    call_command("worker", "--batch", "--queue", "mail", stderr=StringIO())
    call_command("worker", "--no-sweep", stderr=StringIO())
    call_command("worker", "--no-rollup", stderr=StringIO())
    # each start first makes sure the periodic sweep and the periodic rollup refresh are
    # scheduled, unless told not to
    assert calls == [
        (("sweep",), {"schedule": True}),
        (("detect",), {"schedule": True}),
        (("rollup",), {"schedule": True}),
        (("rqworker", "default"), {"job_class": "django_tasks_rq.Job", "burst": False}),
        (("sweep",), {"schedule": True}),
        (("detect",), {"schedule": True}),
        (("rollup",), {"schedule": True}),
        (("db_worker",), {"queue_name": "mail", "batch": True}),
        (("rollup",), {"schedule": True}),
        (("db_worker",), {"queue_name": "default", "batch": False}),
        (("sweep",), {"schedule": True}),
        (("detect",), {"schedule": True}),
        (("db_worker",), {"queue_name": "default", "batch": False}),
    ]


def test_command_refuses_immediate_backend(settings, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "call_command", lambda *a, **kw: calls.append((a, kw)))
    with pytest.raises(CommandError, match="SRMT_TASKS_BACKEND is immediate"):
        call_command("worker")
    assert calls == []
