"""Schema probe: schemathesis' CLI against gunicorn + PostgreSQL with production settings.

    .venv/bin/python bench/probe_schema.py [--max-examples N] [--seed S]  (or `make probe-schema`)

The in-process schema fuzzing of the test suite (ADR 21) calls the WSGI app on SQLite or
PostgreSQL with test settings; this probe asks the same questions from outside, of a real
server: any 5xx, any answer outside the committed openapi.yaml.

1. Setup: a fresh PostgreSQL database srmt_probe_schema_<pid>, migrated, `srmt demo`,
   `srmt collectstatic`, and a second administrator cleared for 8 U.S.C. 1367 cases
   (`probe_cleared_admin`); an API token for each user probed (`srmt token`).
2. gunicorn (sync, 3 workers) with SRMT_PRODUCTION=true, plain HTTP (SECURE_SSL_REDIRECT
   off), throttles raised, the Redis cache when Redis answers, its access log on.
3. Real objects, made through the API: an open request, a case, an expedite request with an
   attachment. bench/schema_hooks.py points generated path parameters of even length at
   them, as the in-process test does.
4. For each user (by default `admin`, the demo's uncleared administrator, then
   `probe_cleared_admin`, who may also PUT case records): `schemathesis run openapi.yaml`
   with every check, a fixed seed, all phases. Figures: operations tested, test cases,
   requests the server answered by status (gunicorn's access log), failures by kind, and each
   5xx with the error the server logged.

Everything is on loopback and cleaned up (gunicorn stopped, database dropped) even on
failure. Results (summary JSON, schemathesis' output and reports, the server log) go to
var/bench/probe-schema-<timestamp>/. Exit status 1 when any request was answered with a 5xx.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from intake import HOST, ROOT
from live import DEFAULT_REDIS_URL, Live, elapsed, install_signal_handlers

CLEARED_ADMIN = "probe_cleared_admin"
# Negative data must be refused with a 4xx; 412 counts too, because a PATCH checks its
# If-Match precondition before its body (RFC 9110, 13.2.1). As in the in-process test.
CONFIG = """\
[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422]
"""
PDF = b"%PDF-1.4\n" + b"p" * 64
# A log record's first line: Django's ("2026-12-03 12:00:00,123 ERROR ...") or gunicorn's.
RECORD_START = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d|\[\d{4}-\d\d-\d\d )")


@dataclass
class Run:
    user: str
    seconds: float
    exit_code: int
    operations_selected: int
    operations_tested: int
    test_cases: int
    unique_failures: int
    requests: int
    by_status: dict[str, int]
    failures: list[dict[str, Any]]
    operations_with_2xx: int = 0
    without_2xx: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    logged_errors: list[str] = field(default_factory=list)


# --- setup --------------------------------------------------------------------------------


def create_cleared_admin(live: Live) -> None:
    live.shell(
        "from srmt.accounts.models import User; from srmt.offices.models import Office; "
        f"u = User.objects.create_user({CLEARED_ADMIN!r}, role='administrator', "
        "is_1367_cleared=True); u.offices.set(Office.objects.filter(code='ESC'))"
    )


class Api:
    """Plain HTTP calls to the probe's server with one token."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.token = token

    def call(
        self, method: str, path: str, body: bytes = b"", content_type: str = "application/json"
    ) -> tuple[int, Any]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        if body:
            headers["Content-Type"] = content_type
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        finally:
            conn.close()
        return response.status, json.loads(payload) if payload else None


def make_objects(live: Live, api: Api) -> dict[str, Any]:
    """The real objects the hooks point path parameters at."""
    reference = live.query(
        "SELECT sr.reference FROM service_requests_servicerequest sr "
        "LEFT JOIN cases_case c ON c.id = sr.case_id "
        "WHERE sr.status NOT IN ('closed', 'redirected', 'withdrawn', 'merged') "
        "AND NOT coalesce(c.is_protected, false) ORDER BY sr.id LIMIT 1"
    )[0][0]
    receipt = live.query(
        "SELECT c.receipt_number FROM cases_case c "
        "JOIN offices_formtype f ON f.id = c.form_type_id "  # premium forms are not expedited
        "WHERE NOT c.is_protected AND NOT f.is_premium_processing_eligible "
        "ORDER BY c.id DESC LIMIT 1"
    )[0][0]
    status, created = api.call(
        "POST",
        "/api/v1/service-requests/",
        json.dumps(
            {
                "type": "expedite_request",
                "channel": "phone_tier1",
                "receipt_number": receipt,
                "description": "Caller asks to expedite: a job offer depends on it.",
                "requester": {"name": "Ana Pérez", "email": "ana@example.com", "language": "es"},
                "expedite": {
                    "criterion": "severe_financial_loss",
                    "justification": "A contract is lost if the card does not come.",
                },
            }
        ).encode(),
    )
    if status != 201:
        raise RuntimeError(f"creating the expedite request answered {status}: {created}")
    boundary = "probe-boundary-7f3a"
    part = 'Content-Disposition: form-data; name="file"; filename="letter.pdf"'
    upload = (
        f"--{boundary}\r\n{part}\r\nContent-Type: application/pdf\r\n\r\n".encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    expedite = created["reference"]
    status, attachment = api.call(
        "POST",
        f"/api/v1/service-requests/{expedite}/attachments/",
        upload,
        f"multipart/form-data; boundary={boundary}",
    )
    if status != 201:
        raise RuntimeError(f"uploading the attachment answered {status}: {attachment}")
    return {
        "reference": reference,
        "receipt_number": receipt,
        "expedite": expedite,
        "attachment_id": attachment["id"],
    }


# --- one schemathesis run -----------------------------------------------------------------


def fuzz(live: Live, args: argparse.Namespace, user: str, token: str, out: Path) -> Run:
    config = live.var / "schemathesis.toml"
    config.write_text(CONFIG, encoding="utf-8")
    report = out / f"schemathesis-{user}.json"
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        str(ROOT / "openapi.yaml"),
        "--url",
        f"http://{HOST}:{live.port}",
        "--header",
        f"Authorization: Token {token}",
        "--checks",
        args.checks,
        "--seed",
        str(args.seed),
        "--max-examples",
        str(args.max_examples),
        "--phases",
        args.phases,
        "--workers",
        str(args.workers),
        "--request-timeout",
        str(args.request_timeout),
        "--generation-database",
        "none",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--no-color",
    ]
    env = {
        **live.env,
        "SCHEMATHESIS_HOOKS": str(ROOT / "bench" / "schema_hooks.py"),
        "SRMT_PROBE_OBJECTS": json.dumps(args.objects),
    }
    access_from = size_of(live.access_log)
    log_from = size_of(live.error_log)
    started = time.monotonic()
    with (out / f"schemathesis-{user}.txt").open("wb") as output:
        done = subprocess.run(
            command,
            cwd=live.var,  # schemathesis writes nothing into the source tree
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=args.run_timeout,
            check=False,
        )
    seconds = elapsed(started)
    time.sleep(0.5)  # gunicorn writes its access log after the answer
    return summarize(user, seconds, done.returncode, report, live, access_from, log_from)


def size_of(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def read_from(path: Path, offset: int) -> str:
    with path.open("rb") as log:
        log.seek(offset)
        return log.read().decode("utf-8", "replace")


def summarize(
    user: str, seconds: float, code: int, report: Path, live: Live, access: int, log: int
) -> Run:
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    lines = [line.split(" ", 2) for line in read_from(live.access_log, access).splitlines()]
    statuses = collections.Counter(parts[0] for parts in lines if parts)
    operations = data.get("operations", {})
    cases = data.get("test_cases", {})
    succeeded = {operation_of(p[1], p[2]) for p in lines if len(p) == 3 and p[0][0] == "2"}
    documented = sorted(OPERATIONS)
    return Run(
        user=user,
        seconds=seconds,
        exit_code=code,
        operations_selected=operations.get("selected", 0),
        operations_tested=operations.get("tested", 0),
        test_cases=cases.get("generated", 0),
        unique_failures=cases.get("unique_failures", 0),
        requests=len(lines),
        by_status=dict(sorted(statuses.items())),
        failures=[
            {k: f[k] for k in ("code", "title", "count", "operations")}
            for f in data.get("failures", [])
        ],
        operations_with_2xx=len(succeeded & set(documented)),
        without_2xx=[o for o in documented if o not in succeeded],
        server_errors=[" ".join(p) for p in lines if len(p) == 3 and p[0].startswith("5")],
        logged_errors=error_records(read_from(live.error_log, log)),
    )


def load_operations() -> dict[str, re.Pattern[str]]:
    """ "METHOD /path/{param}/" of every operation in openapi.yaml -> a regex of its paths."""
    schema = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    found = {}
    for path, operations in schema["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + "$")
        for method in operations:
            if method in {"get", "put", "post", "patch", "delete"}:
                found[f"{method.upper()} {path}"] = pattern
    return found


OPERATIONS = load_operations()


def operation_of(method: str, path: str) -> str:
    for name, pattern in OPERATIONS.items():
        if name.startswith(f"{method} ") and pattern.match(path):
            return name
    return f"{method} {path}"


def error_records(log: str) -> list[str]:
    """Each ERROR record of the server's log: its first line and its last (the exception)."""
    records: list[list[str]] = []
    for line in log.splitlines():
        if RECORD_START.match(line):
            records.append([line])
        elif records:
            records[-1].append(line)
    found = []
    for record in records:
        if "ERROR" not in record[0]:
            continue
        last = next((x for x in reversed(record) if x.strip()), record[0])
        found.append(record[0] if last is record[0] else f"{record[0]}\n    -> {last.strip()}")
    return found


# --- report -------------------------------------------------------------------------------


def status_classes(by_status: dict[str, int]) -> str:
    classes = collections.Counter()
    for status, count in by_status.items():
        classes[f"{status[0]}xx"] += count
    return " ".join(f"{k}:{v}" for k, v in sorted(classes.items()))


def report(runs: list[Run], args: argparse.Namespace, live: Live, out: Path) -> None:
    print()
    print(
        f"{'user':<22} {'ops':>7} {'ops 2xx':>7} {'cases':>6} {'requests':>8} {'5xx':>4} "
        f"{'failures':>8} {'seconds':>7}  statuses"
    )
    for r in runs:
        print(
            f"{r.user:<22} {r.operations_tested:>3}/{r.operations_selected:<3} "
            f"{r.operations_with_2xx:>7} {r.test_cases:>6} {r.requests:>8} "
            f"{len(r.server_errors):>4} {r.unique_failures:>8} {r.seconds:>7.1f}  "
            f"{status_classes(r.by_status)}"
        )
    for r in runs:
        print(f"\n{r.user}: status codes {r.by_status}")
        print(f"  no 2xx answer: {', '.join(r.without_2xx) or 'none'}")
        for f in r.failures:
            print(f"  {f['code']} {f['title']}: {f['count']} ({len(f['operations'])} operations)")
            for operation in f["operations"]:
                print(f"      {operation}")
        for line in r.server_errors:
            print(f"  5xx: {line}")
        for record in r.logged_errors[:10]:
            print(f"  logged: {record}")
    print()
    print(
        f"gunicorn sync x{args.gunicorn_workers}, PostgreSQL, SRMT_PRODUCTION=true, "
        f"cache {live.cache}; schemathesis seed {args.seed}, max examples {args.max_examples}, "
        f"phases {args.phases}, checks {args.checks}, {args.workers} workers"
    )
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    payload = {
        "settings": {k: v for k, v in vars(args).items() if k != "objects"},
        "objects": args.objects,
        "cache": live.cache,
        "runs": [asdict(r) for r in runs],
    }
    (out / "summary.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    shutil.copy(live.error_log, out / "server.log")
    print(f"results: {out.relative_to(ROOT)}")


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", default=f"admin,{CLEARED_ADMIN}", help="Users probed, in turn.")
    parser.add_argument("--max-examples", type=int, default=50, help="Per operation and phase.")
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--phases", default="examples,coverage,fuzzing,stateful")
    parser.add_argument("--checks", default="all", help="schemathesis --checks.")
    parser.add_argument("--workers", type=int, default=2, help="Schemathesis workers.")
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--request-timeout", type=float, default=20.0, help="Seconds.")
    parser.add_argument("--run-timeout", type=float, default=1200.0, help="Seconds per user.")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    args = parser.parse_args(argv)
    args.users = [u for u in args.users.split(",") if u]
    return args


def run(live: Live, args: argparse.Namespace, out: Path) -> list[Run]:
    started = time.monotonic()
    print(f"Setting up {live.db} (demo data, static files)...", flush=True)
    live.create_database()
    create_cleared_admin(live)
    tokens = {user: live.token(user) for user in {*args.users, CLEARED_ADMIN}}
    live.start("--worker-class", "sync", "--workers", str(args.gunicorn_workers))
    args.objects = make_objects(live, Api(live.port, tokens[CLEARED_ADMIN]))
    print(f"  ready in {elapsed(started)} s; real objects: {args.objects}", flush=True)
    runs = []
    for user in args.users:
        print(f"schemathesis as {user}...", flush=True)
        result = fuzz(live, args, user, tokens[user], out)
        print(
            f"  {result.test_cases} test cases, {result.requests} requests, "
            f"{len(result.server_errors)} 5xx, in {result.seconds} s",
            flush=True,
        )
        runs.append(result)
    return runs


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    install_signal_handlers()
    started = dt.datetime.now(dt.UTC)
    out = ROOT / "var" / "bench" / f"probe-schema-{started:%Y%m%dT%H%M%SZ}"
    out.mkdir(parents=True, exist_ok=True)
    live = Live("schema", redis_url=args.redis_url)
    try:
        runs = run(live, args, out)
        report(runs, args, live, out)
    finally:
        live.cleanup()
    return 1 if any(r.server_errors for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
