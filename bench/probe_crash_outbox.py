"""Outbox probe: no customer email lost or sent twice when web processes are killed with -9.

    .venv/bin/python bench/probe_crash_outbox.py [--writes N] [--seed S]  (or `make probe-outbox`)

ADR 17: the notification row is the truth, its delivery task only a wake-up; a process that
dies between its commit and the enqueue of the task leaves a queued row that the sweep wakes.
This probe checks it from outside, against a real server and a real SMTP server.

1. Setup: a fresh PostgreSQL database srmt_probe_outbox_<pid>, migrated, `srmt demo`,
   `srmt collectstatic`; an API token for the demo `supervisor` (supervisors respond to
   requests of every office); an SMTP sink (aiosmtpd, in this process) on a free port.
2. Load, with the `database` task backend and NO worker running: concurrent clients send
   `--writes` responses (POST /api/v1/service-requests/{ref}/responses/, initial or
   follow-up, on open demo requests whose requester has an email), each with its own
   Idempotency-Key and a unique text that the email carries. Meanwhile gunicorn's workers
   are killed with -9 at random moments, and every few kills the master too (then
   restarted). A client retries a failed call (no answer, or a 5xx) with the same key and
   body until it gets its 201.
3. The crash window, deterministically: `--crash-after-commit` more responses are written by
   `srmt shell` processes that kill themselves (-9) right after their commit, before the
   on_commit enqueue of the delivery task can run (a callback registered first).
4. Counts in the database: responses, notifications by status, delivery tasks enqueued,
   notifications committed without a task. Then `srmt sweep --at <now + 3 min>` (past the
   outbox grace, SRMT_OUTBOX_GRACE_SECONDS) and `srmt worker --batch --no-sweep` until no
   delivery task is left; then what the SMTP sink received: emails per response, duplicates
   (one response's text delivered twice), lost (never delivered).

Everything is on loopback and cleaned up (gunicorn stopped, database dropped) even on
failure. Results go to var/bench/probe-outbox-<timestamp>/ (summary JSON, the received
emails one line each, the server log). Exit status 1 when an email was lost or duplicated,
or a write never succeeded.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import email
import email.policy
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from intake import HOST, ROOT, free_port
from live import BIN, DEFAULT_REDIS_URL, Live, elapsed, install_signal_handlers

TERMINAL = ("closed", "redirected", "withdrawn", "merged")
DELIVER_TASK = "srmt.notifications.tasks.deliver_notification"
MARKER = re.compile(r"Probe (write|crash) (\d+) of run ([0-9a-f]+)\.")
# Run by `srmt shell`: one response, committed; the process then dies (-9) before the
# on_commit enqueue of its delivery task, as a worker killed right after its commit would.
CRASH_AFTER_COMMIT = """
import os, signal
from django.db import transaction
from srmt.accounts.models import User
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
sr = ServiceRequest.objects.get(reference={reference!r})
kind = "follow_up" if sr.first_responded_at else "initial"
with transaction.atomic():
    transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))  # runs first
    services.add_response(
        sr, actor=User.objects.get(username="supervisor"), kind=kind, body={body!r}
    )
print("survived its commit")
"""


# --- the SMTP sink ------------------------------------------------------------------------


@dataclass(frozen=True)
class Received:
    message_id: str
    to: str
    subject: str
    marker: str  # "write 12" / "crash 3", or "" for another message (escalations...)


class Sink:
    """An SMTP server that keeps one line per message it accepts."""

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self.messages: list[Received] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname=HOST, port=self.port)

    # aiosmtpd calls handle_DATA for each message.
    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else ""
        found = MARKER.search(text)
        marker = f"{found[1]} {found[2]}" if found and found[3] == self.run_id else ""
        received = Received(
            str(message["Message-ID"]), ",".join(envelope.rcpt_tos), str(message["Subject"]), marker
        )
        with self.lock:
            self.messages.append(received)
        return "250 Message accepted for delivery"


# --- the load -----------------------------------------------------------------------------


@dataclass
class Write:
    index: int
    reference: str
    kind: str
    key: str
    body: str
    attempts: int = 0
    status: int = 0
    replayed: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class Load:
    seconds: float = 0.0
    worker_kills: int = 0
    master_kills: int = 0
    restarts: int = 0
    writes: list[Write] = field(default_factory=list)


def targets(live: Live) -> list[tuple[str, bool]]:
    """Open requests the supervisor may answer by email: (reference, already answered)."""
    rows = live.query(
        "SELECT sr.reference, sr.first_responded_at IS NOT NULL "
        "FROM service_requests_servicerequest sr "
        "JOIN cases_person p ON p.id = sr.requester_id "
        "LEFT JOIN cases_case c ON c.id = sr.case_id "
        "WHERE sr.status <> ALL(%s) AND p.email <> '' AND NOT coalesce(c.is_protected, false) "
        "ORDER BY sr.id",
        (list(TERMINAL),),
    )
    return [(str(ref), bool(answered)) for ref, answered in rows]


def plan(requests: list[tuple[str, bool]], count: int, run_id: str) -> list[Write]:
    """`count` responses spread over the requests; each request's first is initial unless
    it was answered before."""
    answered = dict(requests)
    writes = []
    for index in range(count):
        reference = requests[index % len(requests)][0]
        kind = "follow_up" if answered[reference] else "initial"
        answered[reference] = True
        body = f"Probe write {index} of run {run_id}. We are looking into your case."
        writes.append(Write(index, reference, kind, str(uuid.uuid4()), body))
    return writes


def post(port: int, token: str, write: Write) -> tuple[int, bool, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(
            "POST",
            f"/api/v1/service-requests/{write.reference}/responses/",
            body=json.dumps({"kind": write.kind, "body": write.body}).encode(),
            headers={
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": write.key,
            },
        )
        response = conn.getresponse()
        return (
            response.status,
            response.getheader("Idempotent-Replayed") == "true",
            response.read(),
        )
    finally:
        conn.close()


def send(port: int, token: str, write: Write, deadline: float) -> None:
    """POST until a 2xx (or a 4xx, which is not retried); the same key and body each time."""
    delay = 0.05
    while time.monotonic() < deadline:
        write.attempts += 1
        try:
            status, replayed, payload = post(port, token, write)
        except (OSError, http.client.HTTPException) as exc:
            write.errors.append(type(exc).__name__)
        else:
            write.status, write.replayed = status, replayed
            if status < 500:
                if status >= 300:
                    write.errors.append(f"HTTP {status}: {payload[:300]!r}")
                return
            write.errors.append(f"HTTP {status}")
        time.sleep(delay)
        delay = min(delay * 2, 1.0)


def killer(live: Live, args: argparse.Namespace, load: Load, done: threading.Event) -> None:
    """kill -9 a random worker now and then; every `master_every` kills, the master and
    all its workers, then start gunicorn again."""
    rng = random.Random(args.seed)
    while not done.wait(rng.uniform(0.5, 1.5) * args.kill_every):
        if (load.worker_kills + load.master_kills + 1) % args.master_every == 0:
            live.kill_server()
            load.master_kills += 1
            time.sleep(rng.uniform(0.2, 1.0))  # clients find nobody listening
            restart(live, args)
            load.restarts += 1
            continue
        workers = live.workers()
        if workers:
            try:
                os.kill(rng.choice(workers), signal.SIGKILL)
            except ProcessLookupError:
                continue
            load.worker_kills += 1


def restart(live: Live, args: argparse.Namespace) -> None:
    for attempt in range(3):
        try:
            live.start(*gunicorn_args(args))
        except RuntimeError:
            live.stop()
            if attempt == 2:
                raise
            time.sleep(1)
        else:
            return


def gunicorn_args(args: argparse.Namespace) -> list[str]:
    return ["--worker-class", "sync", "--workers", str(args.gunicorn_workers), "--timeout", "30"]


def run_load(live: Live, args: argparse.Namespace, token: str, writes: list[Write]) -> Load:
    load = Load(writes=writes)
    deadline = time.monotonic() + args.load_timeout
    # Each client owns whole requests, so that one request's responses keep their order.
    references = sorted({w.reference for w in writes})
    owner = {ref: n % args.clients for n, ref in enumerate(references)}
    queues = [[w for w in writes if owner[w.reference] == c] for c in range(args.clients)]
    done = threading.Event()
    kills = threading.Thread(target=killer, args=(live, args, load, done), daemon=True)

    def client(mine: list[Write]) -> None:
        for write in mine:
            send(live.port, token, write, deadline)

    clients = [threading.Thread(target=client, args=(q,), daemon=True) for q in queues]
    started = time.monotonic()
    kills.start()
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join(args.load_timeout + 5)
    done.set()
    kills.join(60)
    load.seconds = elapsed(started)
    return load


def crash_after_commit(live: Live, count: int, run_id: str, requests: list[str]) -> list[int]:
    """Responses whose process dies right after its commit; their exit codes (-9 each)."""
    codes = []
    for index in range(count):
        code = CRASH_AFTER_COMMIT.format(
            reference=requests[index % len(requests)],
            body=f"Probe crash {index} of run {run_id}. We are looking into your case.",
        )
        done = subprocess.run(
            [str(BIN / "python"), "-m", "srmt", "shell", "-c", code],
            cwd=ROOT,
            env=live.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != -9:
            raise RuntimeError(f"the crashing writer ended with {done.returncode}:\n{done.stderr}")
        codes.append(done.returncode)
    return codes


# --- counting -----------------------------------------------------------------------------


def outbox(live: Live, run_id: str) -> dict[str, Any]:
    """The probe's responses, their notifications and their delivery tasks."""
    rows = live.query(
        "SELECT r.body, n.id, n.status, n.attempts, "
        "  (SELECT count(*) FROM django_tasks_database_dbtaskresult t "
        "    WHERE t.task_path = %s AND (t.args_kwargs->'args'->>0)::bigint = n.id), "
        "  (SELECT count(*) FROM django_tasks_database_dbtaskresult t "
        "    WHERE t.task_path = %s AND (t.args_kwargs->'args'->>0)::bigint = n.id "
        "    AND t.status = 'READY') "
        "FROM service_requests_response r "
        "LEFT JOIN notifications_notification n ON n.id = r.notification_id "
        "WHERE r.body LIKE %s",
        (DELIVER_TASK, DELIVER_TASK, f"Probe % of run {run_id}.%"),
    )
    markers = collections.Counter()
    without_task = []
    for body, notification, _status, _attempts, tasks, _ready in rows:
        found = MARKER.search(str(body))
        marker = f"{found[1]} {found[2]}" if found else "?"
        markers[marker] += 1
        if notification is not None and not tasks:
            without_task.append(marker)
    results = live.query(
        "SELECT coalesce(t.return_value #>> '{}', t.status), count(*) "
        "FROM django_tasks_database_dbtaskresult t "
        "JOIN service_requests_response r "
        "  ON r.notification_id = (t.args_kwargs->'args'->>0)::bigint "
        "WHERE t.task_path = %s AND r.body LIKE %s GROUP BY 1 ORDER BY 1",
        (DELIVER_TASK, f"Probe % of run {run_id}.%"),
    )
    return {
        "responses": len(rows),
        "responses_per_write_max": max(markers.values(), default=0),
        "notifications": sum(1 for r in rows if r[1] is not None),
        "notifications_by_status": dict(collections.Counter(str(r[2]) for r in rows)),
        "attempts_max": max((int(r[3] or 0) for r in rows), default=0),
        "tasks": sum(int(r[4]) for r in rows),
        "tasks_ready": sum(int(r[5]) for r in rows),
        "notifications_without_task": len(without_task),
        "without_task": sorted(without_task, key=lambda m: (m.split()[0], int(m.split()[-1]))),
        "task_results": {str(k): int(v) for k, v in results},
    }


def deliveries(sink: Sink, expected: set[str]) -> dict[str, Any]:
    with sink.lock:
        messages = list(sink.messages)
    markers = collections.Counter(m.marker for m in messages if m.marker)
    ids = collections.Counter(m.message_id for m in messages)
    return {
        "emails": len(messages),
        "probe_emails": sum(markers.values()),
        "other_emails": sum(1 for m in messages if not m.marker),
        "distinct_responses_delivered": len(markers),
        "duplicates": sum(n - 1 for n in markers.values()),
        "duplicate_message_ids": sum(n - 1 for n in ids.values()),
        "lost": sorted(expected - set(markers), key=lambda m: (m.split()[0], int(m.split()[1]))),
    }


# --- phases -------------------------------------------------------------------------------


def drain(live: Live, run_id: str) -> tuple[str, list[float]]:
    """The sweep as of a few minutes from now, then the worker until no task is left."""
    at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
    swept = live.manage("sweep", "--at", at.isoformat(timespec="seconds")).strip()
    rounds = []
    for _ in range(5):
        started = time.monotonic()
        live.manage("worker", "--batch", "--no-sweep", timeout=900)
        rounds.append(elapsed(started))
        time.sleep(1)  # the last messages reach the sink
        if not outbox(live, run_id)["tasks_ready"]:
            break
    return swept, rounds


def run(live: Live, sink: Sink, args: argparse.Namespace, run_id: str) -> dict[str, Any]:
    started = time.monotonic()
    print(f"Setting up {live.db} (demo data, static files)...", flush=True)
    live.create_database()
    token = live.token("supervisor")
    requests = targets(live)
    writes = plan(requests, args.writes, run_id)
    live.start(*gunicorn_args(args))
    print(
        f"  ready in {elapsed(started)} s: {len(requests)} open requests with an email; "
        f"SMTP sink on port {sink.port}",
        flush=True,
    )
    print(f"Load: {args.writes} responses from {args.clients} clients, killing...", flush=True)
    load = run_load(live, args, token, writes)
    live.stop()
    print(
        f"  {load.seconds} s; {load.worker_kills} workers and {load.master_kills} masters "
        "killed with -9",
        flush=True,
    )
    after_load = outbox(live, run_id)
    codes = crash_after_commit(live, args.crash_after_commit, run_id, [r for r, _ in requests])
    before_sweep = outbox(live, run_id)
    emails_before = len(sink.messages)
    print("Sweep and worker...", flush=True)
    swept, rounds = drain(live, run_id)
    expected = {f"write {w.index}" for w in writes if 200 <= w.status < 300}
    expected |= {f"crash {n}" for n in range(len(codes))}
    return {
        "load": load,
        "after_load": after_load,
        "crashed_after_commit": len(codes),
        "before_sweep": before_sweep,
        "emails_before_sweep": emails_before,
        "sweep": swept,
        "worker_rounds_seconds": rounds,
        "after_drain": outbox(live, run_id),
        "delivered": deliveries(sink, expected),
    }


# --- report -------------------------------------------------------------------------------


def write_figures(load: Load) -> dict[str, Any]:
    by_status = collections.Counter(w.status for w in load.writes)
    errors = collections.Counter(e.split(":")[0] for w in load.writes for e in w.errors)
    return {
        "writes": len(load.writes),
        "succeeded": sum(1 for w in load.writes if 200 <= w.status < 300),
        "final_status": dict(sorted((str(k), v) for k, v in by_status.items())),
        "attempts": sum(w.attempts for w in load.writes),
        "retried_writes": sum(1 for w in load.writes if w.attempts > 1),
        "replayed": sum(1 for w in load.writes if w.replayed),
        "failed_attempts_by_error": dict(errors.most_common()),
        "refused": [asdict(w) for w in load.writes if w.status >= 300 or not w.status][:5],
    }


def report(outcome: dict[str, Any], args: argparse.Namespace, live: Live, out: Path) -> bool:
    load: Load = outcome["load"]
    figures = write_figures(load)
    delivered = outcome["delivered"]
    print()
    print(
        f"load: {figures['writes']} writes in {load.seconds} s, {figures['attempts']} attempts; "
        f"{load.worker_kills} worker kills, {load.master_kills} master kills "
        f"({load.restarts} restarts)"
    )
    print(
        f"  succeeded {figures['succeeded']}, final statuses {figures['final_status']}; "
        f"{figures['retried_writes']} writes retried, {figures['replayed']} answered "
        "Idempotent-Replayed: true"
    )
    print(f"  failed attempts: {figures['failed_attempts_by_error']}")
    for name in ("after_load", "before_sweep", "after_drain"):
        print(f"{name.replace('_', ' ')}: {outcome[name]}")
    for line in crash_window(outcome["after_load"], load):
        print(line)
    print(f"crashed right after commit (deterministic): {outcome['crashed_after_commit']}")
    print(f"emails before the sweep: {outcome['emails_before_sweep']} (no worker ran)")
    print(f"sweep: {outcome['sweep']}")
    print(f"worker rounds (s): {outcome['worker_rounds_seconds']}")
    print(
        f"emails: {delivered['emails']} received, {delivered['probe_emails']} for the probe's "
        f"responses ({delivered['distinct_responses_delivered']} distinct), "
        f"{delivered['other_emails']} others; duplicates {delivered['duplicates']}, "
        f"lost {len(delivered['lost'])} {delivered['lost'][:10]}"
    )
    print(
        f"gunicorn sync x{args.gunicorn_workers}, PostgreSQL, SRMT_PRODUCTION=true, "
        f"cache {live.cache}, tasks database; {args.clients} clients, seed {args.seed}"
    )
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    payload = {**outcome, "load": {**asdict(load), "writes": None}, "writes": figures}
    payload["settings"] = vars(args)
    (out / "summary.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    shutil.copy(live.error_log, out / "server.log")
    print(f"results: {out.relative_to(ROOT)}")
    after = outcome["after_drain"]
    return bool(
        delivered["lost"]
        or delivered["duplicates"]
        or figures["succeeded"] != figures["writes"]
        or after["responses_per_write_max"] > 1
    )


def crash_window(after_load: dict[str, Any], load: Load) -> list[str]:
    """How each write whose notification was committed without a task went, client-side."""
    lines = []
    for marker in after_load["without_task"]:
        write = load.writes[int(marker.split()[-1])]
        lines.append(
            f"  {marker} ({write.reference}) committed without its task: {write.attempts} "
            f"attempts {write.errors}, final status {write.status}, replayed {write.replayed}"
        )
    return lines


def save_messages(sink: Sink, out: Path) -> None:
    with sink.lock:
        lines = [f"{m.marker or '-'}\t{m.to}\t{m.message_id}\t{m.subject}" for m in sink.messages]
    (out / "emails.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writes", type=int, default=300, help="Responses sent through the API.")
    parser.add_argument("--clients", type=int, default=6, help="Concurrent clients.")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--kill-every", type=float, default=1.2, help="Mean seconds per kill.")
    parser.add_argument("--master-every", type=int, default=5, help="Every Nth kill: master.")
    parser.add_argument("--crash-after-commit", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--load-timeout", type=float, default=600.0, help="Seconds.")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    install_signal_handlers()
    started = dt.datetime.now(dt.UTC)
    out = ROOT / "var" / "bench" / f"probe-outbox-{started:%Y%m%dT%H%M%SZ}"
    out.mkdir(parents=True, exist_ok=True)
    run_id = uuid.uuid4().hex[:12]
    sink = Sink(run_id)
    live = Live(
        "outbox", redis_url=args.redis_url, env={"EMAIL_HOST": HOST, "EMAIL_PORT": str(sink.port)}
    )
    sink.controller.start()
    try:
        outcome = run(live, sink, args, run_id)
        failed = report(outcome, args, live, out)
    finally:
        save_messages(sink, out)
        sink.controller.stop()
        live.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
