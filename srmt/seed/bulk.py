"""Storing generated rows fast: COPY on PostgreSQL, bulk_create elsewhere.

Rows carry batch positions as ids; `store_batch` swaps them for real ids drawn from the
tables' sequences (PostgreSQL) or counted on from the largest id (SQLite, a single writer),
then writes each table. Everything runs inside the caller's transaction.

Decided expedites need a decider on the staff of the office holding the case: `Deciders`
gives each (office, slot) the user `gen_<office>_officer<slot + 1>`, created on first use
with no usable password, and reused by later runs.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
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
    EXPEDITE_COLUMNS,
    PERSON_COLUMNS,
    PROTECTED_OFFICE,
    REQUEST_COLUMNS,
    Batch,
    Catalogue,
    SyntheticData,
)
from srmt.service_requests.expedite_models import ExpediteRequest
from srmt.service_requests.models import ServiceRequest, StatusChange

METHODS = ("auto", "copy", "bulk")


@dataclass
class GenerationReport:
    seed: int
    method: str
    counts: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


class IdAllocator:
    """Hands out primary keys for explicit-id inserts."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.next_id = 0

    def take(self, count: int) -> list[int]:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
        if not self.next_id:
            self.next_id = (self.model._default_manager.aggregate(m=Max("id"))["m"] or 0) + 1
        ids = list(range(self.next_id, self.next_id + count))
        self.next_id += count
        return ids


class Deciders:
    """Staff who decide generated expedites, by (office code, slot); created when first needed."""

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

    MODELS = (Case, Person, ServiceRequest, StatusChange, ExpediteRequest)

    def __init__(self, method: str) -> None:
        self.method = resolve_method(method)
        self.ids = {m: IdAllocator(m) for m in self.MODELS}
        self.deciders = Deciders()

    def store(self, batch: Batch) -> None:
        case_ids = self.ids[Case].take(len(batch.cases))
        person_ids = self.ids[Person].take(len(batch.people))
        request_ids = self.ids[ServiceRequest].take(len(batch.requests))
        change_ids = self.ids[StatusChange].take(len(batch.changes))
        expedite_ids = self.ids[ExpediteRequest].take(len(batch.expedites))
        for row, new_id in zip(batch.cases, case_ids, strict=True):
            row[0] = new_id
        for row, new_id in zip(batch.people, person_ids, strict=True):
            row[0] = new_id
        for row, new_id in zip(batch.requests, request_ids, strict=True):
            row[0] = new_id
            row[6] = case_ids[row[6]] if row[6] is not None else None
            row[8] = person_ids[row[8]]
        for row, new_id in zip(batch.changes, change_ids, strict=True):
            row[0] = new_id
            row[1] = request_ids[row[1]]
        for row, new_id in zip(batch.expedites, expedite_ids, strict=True):
            row[0] = new_id
            row[1] = request_ids[row[1]]
            row[5] = self.deciders.user_id(*row[5]) if row[5] is not None else None
        self._write(Case, CASE_COLUMNS, batch.cases)
        self._write(Person, PERSON_COLUMNS, batch.people)
        self._write(ServiceRequest, REQUEST_COLUMNS, batch.requests)
        self._write(StatusChange, CHANGE_COLUMNS, batch.changes)
        self._write(ExpediteRequest, EXPEDITE_COLUMNS, batch.expedites)

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
    """COPY rows into the model's table on Django's own connection (same transaction)."""
    by_attname = {f.attname: _column(f) for f in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(by_attname[a]) for a in attnames)
    table = connection.ops.quote_name(model._meta.db_table)
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def generate(
    *,
    seed: int,
    requests: int,
    end: dt.datetime,
    months: int = 12,
    batch_size: int = 5000,
    method: str = "auto",
    progress: Any = None,
) -> GenerationReport:
    """Generate and store `requests` service requests with their cases, people, history and
    expedite details."""
    started = time.perf_counter()
    with transaction.atomic():
        store = BatchStore(method)
        data = SyntheticData(
            seed=seed,
            requests=requests,
            end=end,
            catalogue=Catalogue.load(),
            months=months,
            batch_size=batch_size,
            taken_references=frozenset(ServiceRequest.objects.values_list("reference", flat=True)),
            taken_receipts=frozenset(Case.objects.values_list("receipt_number", flat=True)),
        )
        report = GenerationReport(seed=seed, method=store.method)
        for batch in data.batches():
            report.counts.update(
                cases=len(batch.cases),
                people=len(batch.people),
                service_requests=len(batch.requests),
                status_changes=len(batch.changes),
                expedite_requests=len(batch.expedites),
            )
            store.store(batch)
            if progress is not None:
                progress.update(len(batch.requests))
        audit.record(
            actor=None,
            action=AuditAction.DATA_GENERATED,
            object_type="dataset",
            object_id=f"seed-{seed}",
            changes={"seed": seed, "end": end.isoformat(), "months": months, **report.counts},
        )
    report.seconds = time.perf_counter() - started
    return report
