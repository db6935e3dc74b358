"""Intake benchmark: service requests created through the HTTP API vs a PostgreSQL ceiling.

    .venv/bin/python bench/intake.py [--quick]      (or `make bench-intake`)

1. Setup: a fresh PostgreSQL database srmt_bench_<pid>, migrated, with reference data,
   synthetic cases (`srmt generate`) and a Tier 1 user with an API token (`srmt token`).
2. Phase 1 (saturation, per gunicorn configuration): concurrent keep-alive clients POST
   /api/v1/service-requests/ as fast as the server answers; SR/s and p50/p95/p99 latency
   over a fixed number of requests after a warm-up.
3. Phase 2 (fixed rate, best configuration): 50 SR/s for a fixed time, open loop (each
   request is due at its slot; latency counts from the slot, so queueing shows).
4. Phase 3 (ceiling): the same rows per SR (person, service request, status change, audit
   event) inserted by a plain psycopg loop, one transaction per SR, same concurrency.

Everything is on loopback, bounded in count and time, and cleaned up (gunicorn stopped,
database dropped) even on failure. Results go to var/bench/intake-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"
ENDPOINT = "/api/v1/service-requests/"
TARGET_SR_PER_S = 300.0
TARGET_P99_MS = 100.0
FIXED_RATE = 50.0
PHASE_TIMEOUT_S = 300.0

# name -> gunicorn arguments; tuned for 2 cores.
# A request spends most of its time waiting on PostgreSQL round trips, so more workers than
# cores keep both cores busy; gthread shares one process between threads (GIL-bound).
CONFIGS: dict[str, list[str]] = {
    "sync-w3": ["--worker-class", "sync", "--workers", "3"],
    "sync-w6": ["--worker-class", "sync", "--workers", "6"],
    "gthread-w2-t4": ["--worker-class", "gthread", "--workers", "2", "--threads", "4"],
    "gthread-w3-t4": ["--worker-class", "gthread", "--workers", "3", "--threads", "4"],
}
TYPES = (
    ("outside_normal_processing_time", True),
    ("general_case_inquiry", True),
    ("notice_not_received", True),
    ("change_of_address", False),
    ("tier2_callback", False),
)


@dataclass
class PhaseResult:
    name: str
    requests: int
    errors: int
    seconds: float
    rate: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    error_samples: list[str] = field(default_factory=list)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarize(name: str, latencies: list[float], errors: list[str], seconds: float) -> PhaseResult:
    total = len(latencies) + len(errors)
    return PhaseResult(
        name=name,
        requests=total,
        errors=len(errors),
        seconds=round(seconds, 3),
        rate=round(len(latencies) / seconds, 1) if seconds else 0.0,
        p50_ms=round(percentile(latencies, 0.50) * 1000, 1),
        p95_ms=round(percentile(latencies, 0.95) * 1000, 1),
        p99_ms=round(percentile(latencies, 0.99) * 1000, 1),
        max_ms=round(max(latencies, default=float("nan")) * 1000, 1),
        error_samples=errors[:5],
    )


# --- setup ----------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.db = f"srmt_bench_{os.getpid()}"
        self.url = f"{PG_SERVER}/{self.db}"
        self.port = free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DEBUG": "false",
            "SRMT_PRODUCTION": "true",
            # The benchmark talks plain HTTP to gunicorn, and one token makes every call.
            "SECURE_SSL_REDIRECT": "false",
            "SRMT_API_RATE_USER": "1000000/second",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SRMT_TASKS_BACKEND": args.tasks,
            "DATABASE_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "srmt.settings",
            # The API serves no static files; silence whitenoise's missing STATIC_ROOT warning.
            "PYTHONWARNINGS": "ignore::UserWarning",
        }
        self.server: subprocess.Popen[bytes] | None = None
        self.token = ""
        self.receipts: list[str] = []

    def manage(self, *argv: str) -> str:
        done = subprocess.run(
            [str(BIN / "python"), "-m", "srmt", *argv],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"srmt {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def create_database(self) -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db}"')
        self.manage("migrate", "--verbosity", "0")
        self.manage("seed")
        self.manage("generate", "--requests", str(self.args.existing), "--seed", "1", "-v", "0")
        self.manage(
            "shell",
            "-c",
            "from srmt.accounts.models import User; from srmt.offices.models import Office; "
            "u = User.objects.create_user('bench', role='tier1'); "
            "u.offices.set(Office.objects.filter(code='CC-T1'))",
        )
        self.token = self.manage("token", "bench").strip()
        with psycopg.connect(self.url) as conn:
            rows = conn.execute(
                "SELECT receipt_number FROM cases_case WHERE NOT is_protected "
                "ORDER BY id LIMIT 2000"
            ).fetchall()
        self.receipts = [r[0] for r in rows]

    def drop_database(self) -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')

    # --- server -------------------------------------------------------------------------

    @contextlib.contextmanager
    def gunicorn(self, config: str) -> Iterator[None]:
        command = [
            str(BIN / "gunicorn"),
            "srmt.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--keep-alive",
            "30",
            "--backlog",
            "256",
            "--log-level",
            "warning",
            *CONFIGS[config],
        ]
        self.server = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        try:
            wait_for_port(self.port, self.server)
            yield
        finally:
            self.stop_server()

    def stop_server(self) -> None:
        if self.server is None or self.server.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(timeout=5)
        self.server = None

    # --- request bodies -----------------------------------------------------------------

    def body(self, index: int) -> bytes:
        request_type, needs_receipt = TYPES[index % len(TYPES)]
        receipt = self.receipts[index % len(self.receipts)] if needs_receipt else ""
        return json.dumps(
            {
                "type": request_type,
                "channel": "phone_tier1",
                "receipt_number": receipt,
                "description": f"Benchmark request {index}: caller asks about the case.",
                "requester": {
                    "name": "Ana Pérez",
                    "email": f"ana.{index}@example.com",
                    "phone": "802-555-0123",
                    "language": "es" if index % 4 == 0 else "en",
                },
            }
        ).encode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start listening within 30 s")


# --- HTTP clients -------------------------------------------------------------------------


class Client:
    """One keep-alive connection (reopened when a sync worker closes it)."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.headers = {
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }

    def post(self, body: bytes) -> tuple[int, bytes]:
        try:
            self.conn.request("POST", ENDPOINT, body=body, headers=self.headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise

    def close(self) -> None:
        self.conn.close()


def run_threads(count: int, work: Callable[[int], None]) -> None:
    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(PHASE_TIMEOUT_S)


def saturate(bench: Bench, name: str, total: int, first: int) -> PhaseResult:
    """`total` requests from `concurrency` closed-loop clients, as fast as possible."""
    counter = iter(range(first, first + total))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + PHASE_TIMEOUT_S

    def work(_worker: int) -> None:
        client = Client(bench.port, bench.token)
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            record(client, bench.body(index), time.perf_counter(), latencies, errors)
        client.close()

    started = time.perf_counter()
    run_threads(bench.args.concurrency, work)
    return summarize(name, latencies, errors, time.perf_counter() - started)


def record(
    client: Client, body: bytes, since: float, latencies: list[float], errors: list[str]
) -> None:
    try:
        status, payload = client.post(body)
    except (OSError, http.client.HTTPException) as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
        return
    if status == 201:
        latencies.append(time.perf_counter() - since)
    else:
        errors.append(f"HTTP {status}: {payload[:200]!r}")


def fixed_rate(bench: Bench, rate: float, seconds: float, first: int) -> PhaseResult:
    """Open loop: request i is due at start + i/rate; latency counts from its due time."""
    total = int(rate * seconds)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    slots = iter(range(total))
    start = time.perf_counter() + 0.2

    def work(_worker: int) -> None:
        client = Client(bench.port, bench.token)
        while True:
            with lock:
                slot = next(slots, None)
            if slot is None:
                break
            due = start + slot / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            record(client, bench.body(first + slot), due, latencies, errors)
        client.close()

    run_threads(bench.args.concurrency, work)
    return summarize(f"fixed {rate:g} SR/s", latencies, errors, time.perf_counter() - start)


# --- PostgreSQL ceiling -------------------------------------------------------------------

CEILING_SQL = {
    "person": """INSERT INTO cases_person (created_at, updated_at, name, email, phone,
        sms_consent, language, time_zone, zip_code, country, external_id)
        VALUES (now(), now(), %s, %s, %s, false, %s, '', '', 'US', '') RETURNING id""",
    "request": """INSERT INTO service_requests_servicerequest (created_at, updated_at,
        reference, type_id, channel, case_id, receipt_number, requester_id, description,
        urgency, status, office_id, routing_reason, created_by_id, first_response_due_at,
        due_at, deadline_policy_id, version)
        VALUES (now(), now(), %s, %s, 'phone_tier1', NULL, '', %s, %s, 'normal', 'received',
        %s, 'benchmark', %s, now() + interval '15 days', now() + interval '15 days', %s, 1)
        RETURNING id""",
    "change": """INSERT INTO service_requests_statuschange (service_request_id, from_status,
        to_status, actor_id, reason, from_office_id, to_office_id, created_at)
        VALUES (%s, '', 'received', %s, 'benchmark', NULL, %s, now())""",
    "audit": """INSERT INTO audit_auditevent (occurred_at, actor_id, actor_username, action,
        object_type, object_id, changes, request_id)
        VALUES (now(), %s, 'bench', 'service_request.created', 'service_request', %s, %s, '')""",
}


def ceiling(bench: Bench, total: int) -> PhaseResult:
    with psycopg.connect(bench.url) as conn:
        facts = conn.execute(
            "SELECT (SELECT id FROM offices_office WHERE code = 'CC-T2'), "
            "(SELECT id FROM service_requests_servicerequesttype "
            " WHERE code = 'general_case_inquiry'), "
            "(SELECT id FROM accounts_user WHERE username = 'bench'), "
            "(SELECT id FROM sla_deadlinepolicy WHERE request_type = '' LIMIT 1)"
        ).fetchone()
    assert facts is not None
    office, request_type, user, policy = facts
    counter = iter(range(total))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def work(_worker: int) -> None:
        with psycopg.connect(bench.url, autocommit=True) as conn:
            while True:
                with lock:
                    index = next(counter, None)
                if index is None:
                    break
                since = time.perf_counter()
                try:
                    insert_one(conn, index, office, request_type, user, policy)
                except psycopg.Error as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                latencies.append(time.perf_counter() - since)

    started = time.perf_counter()
    run_threads(bench.args.concurrency, work)
    return summarize("psycopg ceiling", latencies, errors, time.perf_counter() - started)


def insert_one(
    conn: psycopg.Connection[Any], index: int, office: int, rtype: int, user: int, policy: int
) -> None:
    reference = f"SR-{secrets.token_hex(4).upper()[:4]}-{secrets.token_hex(4).upper()[:4]}"
    with conn.transaction():
        person = conn.execute(
            CEILING_SQL["person"], ("Ana Pérez", f"ana.{index}@example.com", "+18025550123", "en")
        ).fetchone()[0]
        sr = conn.execute(
            CEILING_SQL["request"],
            (reference, rtype, person, f"Benchmark request {index}.", office, user, policy),
        ).fetchone()[0]
        conn.execute(CEILING_SQL["change"], (sr, user, office))
        changes = json.dumps({"type": "general_case_inquiry", "office": "CC-T2"})
        conn.execute(CEILING_SQL["audit"], (user, reference, changes))


# --- report -------------------------------------------------------------------------------


def table(results: list[PhaseResult]) -> str:
    lines = [
        f"{'phase':<28} {'requests':>8} {'errors':>6} {'SR/s':>8} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    ]
    for r in results:
        lines.append(
            f"{r.name:<28} {r.requests:>8} {r.errors:>6} {r.rate:>8.1f} "
            f"{r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {r.p99_ms:>8.1f} {r.max_ms:>8.1f}"
        )
    return "\n".join(lines)


def verdicts(best: PhaseResult, steady: PhaseResult, roof: PhaseResult) -> dict[str, Any]:
    return {
        "throughput": {
            "value": best.rate,
            "target": f">= {TARGET_SR_PER_S:g} SR/s",
            "pass": best.rate >= TARGET_SR_PER_S and best.errors == 0,
        },
        "p99_at_fixed_rate": {
            "value": steady.p99_ms,
            "target": f"< {TARGET_P99_MS:g} ms at {FIXED_RATE:g} SR/s",
            "pass": steady.p99_ms < TARGET_P99_MS and steady.errors == 0,
        },
        "api_to_ceiling": round(best.rate / roof.rate, 3) if roof.rate else None,
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="A short run (about a minute).")
    parser.add_argument("--requests", type=int, help="Phase 1 requests per configuration.")
    parser.add_argument("--warmup", type=int, help="Warm-up requests per configuration.")
    parser.add_argument("--concurrency", type=int, default=8, help="Concurrent clients.")
    parser.add_argument("--seconds", type=float, help="Phase 2 duration.")
    parser.add_argument("--existing", type=int, help="Synthetic requests loaded first.")
    parser.add_argument(
        "--configs",
        default="sync-w3,sync-w6,gthread-w2-t4",
        help=f"Gunicorn configs to compare, comma-separated: {', '.join(CONFIGS)}.",
    )
    parser.add_argument(
        "--tasks", choices=("immediate", "database"), default="database", help="Task backend."
    )
    args = parser.parse_args(argv)
    quick = args.quick
    args.requests = args.requests or (400 if quick else 3000)
    args.warmup = args.warmup or (50 if quick else 200)
    args.seconds = args.seconds or (5.0 if quick else 20.0)
    args.existing = args.existing or (2000 if quick else 20000)
    args.configs = [c for c in args.configs.split(",") if c]
    unknown = [c for c in args.configs if c not in CONFIGS]
    if unknown:
        parser.error(f"unknown config(s): {', '.join(unknown)}")
    return args


def run(bench: Bench) -> dict[str, Any]:
    args = bench.args
    print(f"Setting up {bench.db} ({args.existing} synthetic requests)...", flush=True)
    bench.create_database()
    saturation: list[PhaseResult] = []
    next_index = 0
    for config in args.configs:
        with bench.gunicorn(config):
            saturate(bench, "warm-up", args.warmup, next_index)
            next_index += args.warmup
            result = saturate(bench, f"saturation {config}", args.requests, next_index)
            next_index += args.requests
        print(f"  {result.name}: {result.rate} SR/s, p99 {result.p99_ms} ms", flush=True)
        saturation.append(result)
    best = max(saturation, key=lambda r: (r.errors == 0, r.rate))
    best_config = best.name.removeprefix("saturation ")
    with bench.gunicorn(best_config):
        saturate(bench, "warm-up", args.warmup, next_index)
        next_index += args.warmup
        steady = fixed_rate(bench, FIXED_RATE, args.seconds, next_index)
    steady.name = f"{steady.name} ({best_config})"
    roof = ceiling(bench, args.requests)
    return {
        "results": [*saturation, steady, roof],
        "best": best,
        "steady": steady,
        "roof": roof,
        "best_config": best_config,
    }


def report(bench: Bench, outcome: dict[str, Any], started: dt.datetime) -> None:
    results: list[PhaseResult] = outcome["results"]
    checks = verdicts(outcome["best"], outcome["steady"], outcome["roof"])
    print()
    print(table(results))
    print()
    print(f"best gunicorn config: {outcome['best_config']} (concurrency {bench.args.concurrency})")
    print(f"API / PostgreSQL ceiling: {checks['api_to_ceiling']}")
    # Other processes on the machine skew every figure; say how busy it was.
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for key in ("throughput", "p99_at_fixed_rate"):
        check = checks[key]
        verdict = "PASS" if check["pass"] else "MISS"
        print(f"{verdict}  {key}: {check['value']} (target {check['target']})")
    for result in results:
        for sample in result.error_samples:
            print(f"error in {result.name}: {sample}")
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"intake-{started:%Y%m%dT%H%M%SZ}.json"
    payload = {
        "started_at": started.isoformat(),
        "cpu_count": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "settings": dict(vars(bench.args)),
        "best_config": outcome["best_config"],
        "results": [asdict(r) for r in results],
        "checks": checks,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"results: {path.relative_to(ROOT)}")


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the cleanup below


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    bench = Bench(args)
    started = dt.datetime.now(dt.UTC)
    try:
        outcome = run(bench)
        report(bench, outcome, started)
    finally:
        bench.stop_server()
        bench.drop_database()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
