"""`srmt worker`: run the background worker of the configured task backend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
RQ_BACKEND = "django_tasks_rq.RQBackend"
IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"


@dataclass(frozen=True)
class WorkerCall:
    command: str
    args: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


def worker_call(backend: str, *, queue: str = "default", batch: bool = False) -> WorkerCall:
    """The worker command for a task backend (a dotted path from settings.TASKS)."""
    if backend == DATABASE_BACKEND:
        return WorkerCall("db_worker", options={"queue_name": queue, "batch": batch})
    if backend == RQ_BACKEND:
        # django-tasks-rq needs its Job class in the worker (see its README).
        return WorkerCall("rqworker", [queue], {"job_class": "django_tasks_rq.Job", "burst": batch})
    if backend == IMMEDIATE_BACKEND:
        raise CommandError(
            "SRMT_TASKS_BACKEND is immediate: tasks run inside the web process as they are "
            "enqueued, so there is no worker to run. Use database or rq for a worker."
        )
    raise CommandError(f"No worker is known for the task backend {backend}.")


class Command(BaseCommand):
    help = (
        "Run the background worker for the configured task backend (SRMT_TASKS_BACKEND): "
        "django-tasks-db's db_worker for database, django-rq's rqworker for rq."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", default="default", help="Queue to work (default).")
        parser.add_argument(
            "--batch", action="store_true", help="Run the outstanding tasks, then exit."
        )
        parser.add_argument(
            "--no-sweep",
            action="store_true",
            help="Do not start the periodic sweep (`srmt sweep --schedule`) first.",
        )
        parser.add_argument(
            "--no-rollup",
            action="store_true",
            help="Do not start the periodic rollup refresh (`srmt rollup --schedule`) first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        call = worker_call(backend, queue=options["queue"], batch=options["batch"])
        self.stderr.write(f"Starting {call.command} for {backend} (queue {options['queue']}).")
        if not options["no_sweep"]:
            # The sweep re-enqueues itself; this starts the chain unless one is alive.
            call_command("sweep", schedule=True)
            call_command("detect", schedule=True)  # the daily detections (ADR 0051)
        if not options["no_rollup"]:
            # The rollup refresh re-enqueues itself too (reporting.rollups.tasks).
            call_command("rollup", schedule=True)
        call_command(call.command, *call.args, **call.options)
