"""What the live probes share: a scratch PostgreSQL database with the demo data, `srmt`
commands against it, and gunicorn with production settings on a free port.

Used by bench/probe_schema.py and bench/probe_crash_outbox.py; the small helpers (free
ports, waiting for a port, the PostgreSQL server) are bench/intake.py's.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import psycopg
from intake import HOST, PG_SERVER, ROOT, free_port, wait_for_port

# The virtualenv of the Python that runs the probe (.venv/bin with `make`): its gunicorn and
# schemathesis, and `python -m srmt` from ROOT, so that the code under test is this tree's.
BIN = Path(sys.executable).parent
# A Redis database of its own: the probes' throttle counts never meet another process's.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
# gunicorn's access log: one "status method path" line per answered request.
ACCESS_LOG_FORMAT = "%(s)s %(m)s %(U)s"


class Live:
    """One scratch database and one gunicorn at a time, all cleaned up by `cleanup()`."""

    def __init__(self, name: str, *, redis_url: str, env: dict[str, str] | None = None) -> None:
        self.db = f"srmt_probe_{name}_{os.getpid()}"
        self.url = f"{PG_SERVER}/{self.db}"
        self.port = free_port()
        self.var = Path(tempfile.mkdtemp(prefix=f"srmt-probe-{name}-"))
        self.cache = "redis" if reachable(redis_url) else "local"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DEBUG": "false",
            "SRMT_PRODUCTION": "true",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            # The probes talk plain HTTP to gunicorn; HSTS and Secure cookies stay on.
            "SECURE_SSL_REDIRECT": "false",
            # One token makes every call: no throttling, of users or of refused tokens.
            "SRMT_API_RATE_USER": "1000000/second",
            "SRMT_API_RATE_FAILED_AUTHENTICATION": "1000000/second",
            "SRMT_CACHE_BACKEND": self.cache,
            "REDIS_URL": redis_url,
            "SRMT_TASKS_BACKEND": "database",
            "SRMT_VAR_DIR": str(self.var),
            "DATABASE_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "srmt.settings",
            **(env or {}),
        }
        self.server: subprocess.Popen[bytes] | None = None
        self.server_log: IO[bytes] | None = None
        self.access_log = self.var / "access.log"
        self.error_log = self.var / "server.log"
        self.database_created = False

    # --- database and commands ------------------------------------------------------------

    def manage(self, *argv: str, timeout: float = 900) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "-m", "srmt", *argv],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"srmt {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code)

    def create_database(self) -> None:
        """Migrated, with the demo data, and static files collected (production serves the
        manifest's hashed names: without them every HTML error page fails)."""
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db}"')
        self.database_created = True
        self.manage("migrate", "--verbosity", "0")
        self.manage("demo")
        self.manage("collectstatic", "--no-input", "--verbosity", "0")

    def token(self, username: str) -> str:
        return self.manage("token", username, "--name", "probe").strip()

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with psycopg.connect(self.url) as conn:
            return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]

    def drop_database(self) -> None:
        if not self.database_created:
            return
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        self.database_created = False

    # --- gunicorn -------------------------------------------------------------------------

    def start(self, *gunicorn_args: str) -> None:
        """gunicorn in its own process group, logging to the probe's var directory (each
        start appends: a restarted server keeps one log)."""
        command = [
            str(BIN / "gunicorn"),
            "srmt.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--log-level",
            "warning",
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            *gunicorn_args,
        ]
        self.server_log = self.error_log.open("ab")
        self.server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port, self.server)

    def workers(self) -> list[int]:
        """The pids of the gunicorn master's live worker processes."""
        if self.server is None:
            return []
        return children_of(self.server.pid)

    def kill_server(self) -> None:
        """kill -9 the master and every worker at once (its whole process group)."""
        if self.server is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=10)
        self._forget_server()

    def stop(self) -> None:
        if self.server is None:
            return
        if self.server.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(timeout=5)
        # Workers left behind by a master killed earlier have exited on their own; make sure.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGKILL)
        self._forget_server()

    def _forget_server(self) -> None:
        self.server = None
        if self.server_log is not None:
            self.server_log.close()
            self.server_log = None

    def cleanup(self) -> None:
        try:
            self.stop()
        finally:
            try:
                self.drop_database()
            finally:
                shutil.rmtree(self.var, ignore_errors=True)


def children_of(pid: int) -> list[int]:
    """Pids whose parent is `pid`, from /proc (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after its ")".
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or HOST, parts.port or 6379), timeout=2):
            return True
    except OSError:
        return False


def exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the caller's cleanup


def install_signal_handlers() -> None:
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGINT, exit_on_signal)


def elapsed(since: float) -> float:
    return round(time.monotonic() - since, 1)
