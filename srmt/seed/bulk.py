"""Storing generated rows fast: binary COPY on PostgreSQL, bulk_create elsewhere.

Rows carry batch positions as ids; `BatchStore.store` swaps them for real ids taken from the
tables' sequences in one block per table and batch (PostgreSQL) or counted on from the
largest id (SQLite, a single writer), then writes each table.

Decided expedites need a decider on the staff of the office holding the case, and responses
an author on the staff of the office holding the request: `Officers` gives each (office,
slot) the user `gen_<office>_officer<slot + 1>`, created on first use with no usable
password, and reused by later runs.

A large load on PostgreSQL (`LoadPlan`): the secondary indexes and the foreign keys of the
tables written are dropped first and made again at the end (building an index once is much
cheaper than keeping it up to date row by row; each foreign key is added NOT VALID, then
validated; the longest builds first, so that the connections making them finish
together), commits do not wait for the disk, and with `workers` > 1 that many processes
each make and COPY a share of the chunks (`SyntheticData.batches`), each in its own
transaction. ANALYZE at the end. A small load (the tests, SQLite) runs in the caller's
transaction as before.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import Field, Max, Model

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit import services as audit
from srmt.audit.actions import AuditAction
from srmt.cases.models import Case, Person
from srmt.offices.models import Office
from srmt.seed.generate import (
    CASE_COLUMNS,
    CHANGE_COLUMNS,
    DECIDERS_PER_OFFICE,
    ESCALATION_COLUMNS,
    EXPEDITE_COLUMNS,
    PERSON_COLUMNS,
    PROTECTED_OFFICE,
    REQUEST_COLUMNS,
    RESPONSE_COLUMNS,
    SURVEY_COLUMNS,
    Batch,
    Catalogue,
    SyntheticData,
)
from srmt.service_requests.expedite_models import ExpediteRequest
from srmt.service_requests.models import Escalation, Response, ServiceRequest, StatusChange
from srmt.surveys.models import Survey

METHODS = ("auto", "copy", "bulk")
# From this many requests (and more than the database holds), a PostgreSQL load drops the
# indexes and foreign keys of the tables it writes and makes them again at the end.
LARGE_LOAD = 100_000
ID_LOCK = 7_305_001  # advisory lock key: one id block taken at a time


@dataclass
class GenerationReport:
    seed: int
    method: str
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    # Wall-clock seconds of each phase of a large load: drop, load, indexes, foreign keys,
    # analyze (empty for a small one).
    phases: dict[str, float] = field(default_factory=dict)

    def phase(self, name: str, started: float) -> float:
        now = time.perf_counter()
        self.phases[name] = round(now - started, 1)
        return now


class IdAllocator:
    """Hands out primary keys for explicit-id inserts."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.next_id = 0

    def take(self, count: int) -> list[int]:
        if not count:
            return []
        if connection.vendor == "postgresql":
            # One block of consecutive ids; the lock keeps two writers' blocks apart.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [ID_LOCK])
                try:
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'),"
                        " nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                        [self.table, self.table, count],
                    )
                    last = int(cursor.fetchone()[0])
                finally:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [ID_LOCK])
            return list(range(last - count + 1, last + 1))
        if not self.next_id:
            self.next_id = (self.model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1
        ids = list(range(self.next_id, self.next_id + count))
        self.next_id += count
        return ids


class Officers:
    """Staff who decide generated expedites and write generated responses, by (office code,
    slot); created when first needed."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, int], int] = {}

    def user_id(self, office_code: str, slot: int) -> int:
        key = (office_code, slot)
        if key not in self._ids:
            self._ids[key] = self._user(office_code, slot).pk
        return self._ids[key]

    @staticmethod
    def _user(office_code: str, slot: int) -> User:
        user, created = User.objects.get_or_create(
            username=f"gen_{office_code.lower()}_officer{slot + 1}",
            defaults={
                "role": Role.OFFICE_STAFF,
                "first_name": "Generated",
                "last_name": f"{office_code} officer {slot + 1}",
                # Only cleared staff may act on 8 U.S.C. 1367 cases, held by this office.
                "is_1367_cleared": office_code == PROTECTED_OFFICE,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.offices.add(Office.objects.get(code=office_code))
        return user


class BatchStore:
    """Writes batches with one method ("copy" or "bulk") and real ids."""

    MODELS: tuple[type[Model], ...] = (
        Case,
        Person,
        ServiceRequest,
        StatusChange,
        ExpediteRequest,
        Response,
        Escalation,
        Survey,
    )

    def __init__(self, method: str) -> None:
        self.method = resolve_method(method)
        self.ids = {m: IdAllocator(m) for m in self.MODELS}
        self.officers = Officers()

    def store(self, batch: Batch) -> None:
        case_ids = self.ids[Case].take(len(batch.cases))
        person_ids = self.ids[Person].take(len(batch.people))
        request_ids = self.ids[ServiceRequest].take(len(batch.requests))
        change_ids = self.ids[StatusChange].take(len(batch.changes))
        expedite_ids = self.ids[ExpediteRequest].take(len(batch.expedites))
        response_ids = self.ids[Response].take(len(batch.responses))
        escalation_ids = self.ids[Escalation].take(len(batch.escalations))
        survey_ids = self.ids[Survey].take(len(batch.surveys))
        for row, new_id in zip(batch.cases, case_ids, strict=True):
            row[0] = new_id
        for row, new_id in zip(batch.people, person_ids, strict=True):
            row[0] = new_id
        for row, new_id in zip(batch.requests, request_ids, strict=True):
            row[0] = new_id
            row[6] = case_ids[row[6]] if row[6] is not None else None
            row[8] = person_ids[row[8]]
            row[24] = request_ids[row[24]] if row[24] is not None else None
        for row, new_id in zip(batch.changes, change_ids, strict=True):
            row[0] = new_id
            row[1] = request_ids[row[1]]
        for row, new_id in zip(batch.expedites, expedite_ids, strict=True):
            row[0] = new_id
            row[1] = request_ids[row[1]]
            row[5] = self.officers.user_id(*row[5]) if row[5] is not None else None
        for row, new_id in zip(batch.responses, response_ids, strict=True):
            row[0] = new_id
            row[3] = request_ids[row[3]]
            row[5] = self.officers.user_id(*row[5])
        for rows, ids in ((batch.escalations, escalation_ids), (batch.surveys, survey_ids)):
            for row, new_id in zip(rows, ids, strict=True):
                row[0] = new_id
                row[1] = request_ids[row[1]]
        self._write(Case, CASE_COLUMNS, batch.cases)
        self._write(Person, PERSON_COLUMNS, batch.people)
        self._write(ServiceRequest, REQUEST_COLUMNS, batch.requests)
        self._write(StatusChange, CHANGE_COLUMNS, batch.changes)
        self._write(ExpediteRequest, EXPEDITE_COLUMNS, batch.expedites)
        self._write(Response, RESPONSE_COLUMNS, batch.responses)
        self._write(Escalation, ESCALATION_COLUMNS, batch.escalations)
        self._write(Survey, SURVEY_COLUMNS, batch.surveys)

    def _write(self, model: type[Model], attnames: tuple[str, ...], rows: list[list[Any]]) -> None:
        if not rows:
            return
        if self.method == "copy":
            copy_rows(model, attnames, rows)
        else:
            model._default_manager.bulk_create(
                [model(**dict(zip(attnames, row, strict=True))) for row in rows],
                batch_size=1000,
            )


def resolve_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}; use one of {', '.join(METHODS)}.")
    if method == "auto":
        return "copy" if connection.vendor == "postgresql" else "bulk"
    if method == "copy" and connection.vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL; use --method bulk.")
    return method


def _column(model_field: Field[Any, Any]) -> str:
    if model_field.column is None:  # never for a concrete field
        raise ValueError(f"{model_field} has no database column.")
    return model_field.column


def copy_rows(model: type[Model], attnames: tuple[str, ...], rows: Iterable[list[Any]]) -> None:
    """COPY rows into the model's table on Django's own connection (same transaction), in
    the binary format: psycopg dumps a row several times faster than in text (datetimes
    above all), and the server parses it faster too."""
    by_attname = {f.attname: _column(f) for f in model._meta.concrete_fields}
    names = [by_attname[a] for a in attnames]
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    table = connection.ops.quote_name(model._meta.db_table)
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute"
            " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
            [model._meta.db_table],
        )
        oids = dict(cursor.fetchall())
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types([oids[name] for name in names])
            for row in rows:
                copy.write_row(row)


class LoadPlan:
    """The indexes and foreign keys of the tables a large load writes: dropped before it,
    made again after it (PostgreSQL). Primary keys stay (other tables' foreign keys need
    them; an increasing id only ever appends to its index), and so do check constraints and
    partial indexes (small, and PostgreSQL prints their condition back in another form)."""

    def __init__(self) -> None:
        self.tables = [m._meta.db_table for m in BatchStore.MODELS]
        self.indexes: list[str] = []  # CREATE INDEX statements
        self.uniques: list[tuple[str, str, str]] = []  # (table, name, definition)
        self.foreign_keys: list[tuple[str, str, str]] = []

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)"
                " FROM pg_constraint c WHERE conrelid = ANY(%s::regclass[])"
                " AND (contype = 'f' OR (contype = 'u' AND NOT EXISTS ("
                "   SELECT 1 FROM pg_constraint f WHERE f.contype = 'f'"
                "   AND f.conindid = c.conindid)))"
                " ORDER BY conrelid::regclass::text, conname",
                [self.tables],
            )
            for table, name, kind, definition in cursor.fetchall():
                target = self.foreign_keys if kind == "f" else self.uniques
                target.append((table, name, definition))
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i"
                " WHERE indrelid = ANY(%s::regclass[]) AND NOT indisprimary AND indpred IS NULL"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
                " ORDER BY 1",
                [self.tables],
            )
            names = []
            for name, definition in cursor.fetchall():
                names.append(name)
                self.indexes.append(definition)
            for table, name, _definition in [*self.foreign_keys, *self.uniques]:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {_quote(name)}")
            for name in names:
                cursor.execute(f"DROP INDEX {name}")

    def statements(self) -> tuple[list[str], list[str], dict[str, list[str]]]:
        """What makes them again: indexes and unique constraints (in any order), foreign
        keys added NOT VALID, and their validations by table."""
        builds = [
            *self.indexes,
            *(f"ALTER TABLE {t} ADD CONSTRAINT {_quote(n)} {d}" for t, n, d in self.uniques),
        ]
        adds = [
            f"ALTER TABLE {t} ADD CONSTRAINT {_quote(n)} {d} NOT VALID"
            for t, n, d in self.foreign_keys
        ]
        validations: dict[str, list[str]] = {}
        for table, name, _definition in self.foreign_keys:
            validations.setdefault(table, []).append(
                f"ALTER TABLE {table} VALIDATE CONSTRAINT {_quote(name)}"
            )
        return builds, adds, validations

    def restore(self, report: GenerationReport, *, workers: int = 1) -> None:
        """Make everything again: on this connection (inside the load's transaction) with
        one worker, else on `workers` connections of their own (after the load committed)."""
        builds, adds, validations = self.statements()
        started = time.perf_counter()
        if workers == 1:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for sql in builds:
                    cursor.execute(sql)
                started = report.phase("indexes", started)
                for sql in [*adds, *(v for vs in validations.values() for v in vs)]:
                    cursor.execute(sql)
                report.phase("foreign keys", started)
            return
        _run_apart(self.longest_first(builds), workers)
        started = report.phase("indexes", started)
        _run_apart(adds, 1)
        _run_apart(list(validations.values()), workers)
        report.phase("foreign keys", started)

    def longest_first(self, builds: list[str]) -> list[str]:
        """The builds, the longest first (GIN indexes, then by the size of their table), so
        that the connections building them finish at about the same time."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, pg_relation_size(oid) FROM pg_class"
                " WHERE oid = ANY(%s::regclass[])",
                [self.tables],
            )
            sizes = dict(cursor.fetchall())

        def cost(sql: str) -> tuple[bool, int]:
            match = _BUILT_ON.search(sql)
            table = match["table"] if match else ""
            return ("USING gin" in sql, sizes.get(table, 0))

        return sorted(builds, key=cost, reverse=True)

    def analyze(self) -> None:
        with connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"ANALYZE {table}")


# The table a CREATE INDEX or an ALTER TABLE works on (schema-qualified or not).
_BUILT_ON = re.compile(r"(?: ON | TABLE )(?:\w+\.)?(?P<table>\w+)")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _run_apart(work: Sequence[str | list[str]], workers: int) -> None:
    """Run statements (or lists of statements, each list in order) on `workers` threads,
    each on a connection of its own, in autocommit."""

    def run(item: str | list[str]) -> None:
        try:
            with connection.cursor() as cursor:
                # GIN builds (trigram, full text) gather their entries in this memory.
                cursor.execute("SET maintenance_work_mem = '1GB'")
                cursor.execute("SET work_mem = '256MB'")
                for sql in [item] if isinstance(item, str) else item:
                    cursor.execute(sql)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, work))


def _count(counts: Counter[str], batch: Batch) -> None:
    counts.update(
        cases=len(batch.cases),
        people=len(batch.people),
        service_requests=len(batch.requests),
        status_changes=len(batch.changes),
        expedite_requests=len(batch.expedites),
        responses=len(batch.responses),
        escalations=len(batch.escalations),
        surveys=len(batch.surveys),
    )


# What a worker process of a parallel load needs; set before the processes fork.
_worker_data: SyntheticData | None = None
_worker_officers: Officers | None = None


def _load_chunk(chunk: int) -> Counter[str]:
    """In a worker process: make and store one chunk in a transaction of its own."""
    if _worker_data is None or _worker_officers is None:
        raise RuntimeError("The worker was not set up.")
    counts: Counter[str] = Counter()
    store = BatchStore("copy")
    store.officers = _worker_officers
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        for batch in _worker_data.batches(chunks=[chunk]):
            _count(counts, batch)
            store.store(batch)
    return counts


def generate(
    *,
    seed: int,
    requests: int,
    end: dt.datetime,
    months: int = 12,
    batch_size: int = 5000,
    method: str = "auto",
    progress: Any = None,
    workers: int = 1,
    rebuild_indexes: bool | None = None,
    days: int | None = None,
) -> GenerationReport:
    """Generate and store `requests` service requests with their cases, people, history and
    expedite details.

    With one worker everything happens in one transaction. With `workers` > 1 (PostgreSQL,
    outside any transaction) that many processes store the chunks, each chunk committed on
    its own; the audit event is written last. `rebuild_indexes` (PostgreSQL): drop the
    tables' indexes and foreign keys first and make them again at the end; by default for a
    large load (LARGE_LOAD requests or more, and more than the database holds). `days`
    spreads the requests over that many days before `end` instead of `months` months."""
    started = time.perf_counter()
    resolved = resolve_method(method)
    if workers < 1:
        raise ValueError("--workers must be at least 1.")
    if workers > 1 and resolved != "copy":
        raise ValueError("Several workers need PostgreSQL (COPY).")
    if workers > 1 and connection.in_atomic_block:
        raise ValueError("Several workers cannot run inside a transaction.")
    if rebuild_indexes is None:
        rebuild_indexes = requests >= LARGE_LOAD and requests > ServiceRequest.objects.count()
    plan = LoadPlan() if rebuild_indexes and resolved == "copy" else None
    data = SyntheticData(
        seed=seed,
        requests=requests,
        end=end,
        catalogue=Catalogue.load(),
        months=months,
        days=days,
        batch_size=batch_size,
        taken_references=frozenset(ServiceRequest.objects.values_list("reference", flat=True)),
        taken_receipts=frozenset(Case.objects.values_list("receipt_number", flat=True)),
    )
    report = GenerationReport(seed=seed, method=resolved)
    if workers == 1:
        with transaction.atomic():
            _generate_here(data, plan, report, progress)
            _audit(seed, end, months, report.counts, days)
    else:
        _generate_apart(data, plan, workers, report, progress)
        with transaction.atomic():
            _audit(seed, end, months, report.counts, days)
    report.seconds = time.perf_counter() - started
    return report


def _generate_here(
    data: SyntheticData, plan: LoadPlan | None, report: GenerationReport, progress: Any
) -> None:
    """Store every batch on this connection, in the caller's transaction."""
    if report.method == "copy":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
    started = time.perf_counter()
    if plan is not None:
        plan.drop()
    store = BatchStore(report.method)
    for batch in data.batches():
        _count(report.counts, batch)
        store.store(batch)
        if progress is not None:
            progress.update(len(batch.requests))
    if plan is not None:
        started = report.phase("load", started)
        plan.restore(report)
        started = time.perf_counter()
        plan.analyze()
        report.phase("analyze", started)


def _generate_apart(
    data: SyntheticData,
    plan: LoadPlan | None,
    workers: int,
    report: GenerationReport,
    progress: Any,
) -> None:
    """Store the chunks from `workers` processes (forked: they share the catalogue). Every
    office's officers are made first, here: two workers must not create the same user. The
    indexes and foreign keys are made again even when a worker fails (the chunks committed
    stay; the error is raised after)."""
    global _worker_data, _worker_officers  # handed to the forked processes
    officers = Officers()
    for code in Office.objects.values_list("code", flat=True):
        for slot in range(DECIDERS_PER_OFFICE):
            officers.user_id(code, slot)
    if plan is not None:
        with transaction.atomic():
            plan.drop()
    started = time.perf_counter()
    _worker_data, _worker_officers = data, officers
    connections.close_all()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            for counts in pool.imap_unordered(_load_chunk, range(data.chunk_count)):
                report.counts.update(counts)
                if progress is not None:
                    progress.update(counts["service_requests"])
    finally:
        _worker_data, _worker_officers = None, None
        report.phase("load", started)
        if plan is not None:
            plan.restore(report, workers=workers)
            started = time.perf_counter()
            plan.analyze()
            report.phase("analyze", started)


def _audit(
    seed: int, end: dt.datetime, months: int, counts: Counter[str], days: int | None
) -> None:
    span: dict[str, int] = {"months": months} if days is None else {"days": days}
    audit.record(
        actor=None,
        action=AuditAction.DATA_GENERATED,
        object_type="dataset",
        object_id=f"seed-{seed}",
        changes={"seed": seed, "end": end.isoformat(), **span, **counts},
    )
