"""Synthetic data at scale for benchmarks (`srmt generate`).

`SyntheticData` is a pure generator: from a seed, a count and an end date it yields batches
of rows (cases, people, service requests, status changes) with the realistic mix of
`srmt.seed.mix`, due dates from the deadline policies (computed in Python from the
`Catalogue` loaded once) and an open/closed mix that depends on the request's age. The same
seed, count and end date always give the same rows, references included: references and
receipt numbers come from bijections of a counter, so they are unique without a lookup.

`write_generated` stores the rows in one transaction: COPY on PostgreSQL (the fastest path),
`bulk_create` elsewhere. This is a data tool, not a business action: individual rows are not
audited; one `data.generated` audit event records the seed and the counts.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from srmt.offices.constants import PREFIX_OFFICES, TIER2_OFFICE
from srmt.offices.models import FormType, Office
from srmt.offices.routing import RoutingFacts, route
from srmt.seed.mix import (
    CHANNEL_WEIGHTS,
    PROTECTED_FORMS,
    TYPE_WEIGHTS,
    WorkloadMix,
    chooser,
    describe,
    email_for,
    person_name,
    phone_for,
    workload_mix,
)
from srmt.service_requests.choices import Status, Urgency
from srmt.service_requests.lifecycle import TERMINAL
from srmt.service_requests.models import ServiceRequestType
from srmt.sla.deadlines import Target, add_target
from srmt.sla.models import DeadlinePolicy

REFERENCE_SPACE = 32**8  # 40 bits: SR-XXXX-XXXX in the references alphabet
RECEIPT_SPACE = 10**8  # the 8 digits after the fiscal year
PROTECTED_SHARE = 0.005
PROTECTED_OFFICE = "ESC-VAWA"
S = Status

# Paths through the lifecycle after RECEIVED; the last status is the request's status.
OPEN_PATHS: tuple[tuple[Status, ...], ...] = (
    (),
    (S.ASSIGNED,),
    (S.ASSIGNED, S.IN_PROGRESS),
    (S.ASSIGNED, S.RESPONDED),
    (S.ASSIGNED, S.RESPONDED, S.AWAITING_CUSTOMER),
    (S.TRANSFERRED,),
)
OPEN_WEIGHTS = (20, 20, 20, 20, 10, 10)
CLOSED_PATHS: tuple[tuple[Status, ...], ...] = (
    (S.ASSIGNED, S.RESPONDED, S.CLOSED),
    (S.ASSIGNED, S.CLOSED),
    (S.TRANSFERRED, S.ASSIGNED, S.RESPONDED, S.CLOSED),
    (S.WITHDRAWN,),
    (S.REDIRECTED,),
)
CLOSED_WEIGHTS = (60, 20, 10, 6, 4)
ANSWERS = frozenset({S.RESPONDED, S.CLOSED})
_choose_type = chooser(TYPE_WEIGHTS)
_choose_channel = chooser(CHANNEL_WEIGHTS)


@dataclass(frozen=True)
class Policy:
    id: int
    request_type: str
    urgency: str
    effective_from: dt.date
    effective_until: dt.date | None
    first: Target
    final: Target


@dataclass(frozen=True)
class Catalogue:
    """The reference rows generation needs, read once (no per-row queries)."""

    forms: dict[str, int]
    offices: dict[str, tuple[int, str]]  # code -> (id, time zone)
    types: dict[str, tuple[int, bool]]  # code -> (id, requires a receipt number)
    policies: tuple[Policy, ...]

    @classmethod
    def load(cls) -> Catalogue:
        return cls(
            forms=dict(FormType.objects.values_list("code", "id")),
            offices={o.code: (o.id, o.time_zone) for o in Office.objects.all()},
            types={
                t.code: (t.id, t.requires_receipt_number)
                for t in ServiceRequestType.objects.filter(is_active=True)
            },
            policies=tuple(
                Policy(
                    p.id,
                    p.request_type,
                    p.urgency,
                    p.effective_from,
                    p.effective_until,
                    p.first_response_target,
                    p.final_response_target,
                )
                for p in DeadlinePolicy.objects.all()
            ),
        )

    def __hash__(self) -> int:
        return id(self)

    @functools.lru_cache(maxsize=4096)  # noqa: B019 (the catalogue lives for one run)
    def policy(self, request_type: str, urgency: str, on: dt.date) -> Policy:
        """The same choice as sla.services.policy_for, in memory."""
        candidates = [
            p
            for p in self.policies
            if p.request_type in (request_type, "")
            and p.urgency in (urgency, "")
            and p.effective_from <= on
            and (p.effective_until is None or p.effective_until > on)
        ]
        if not candidates:
            raise LookupError(f"No deadline policy in force for {request_type} on {on}.")
        candidates.sort(
            key=lambda p: (p.request_type == "", p.urgency == "", -p.effective_from.toordinal())
        )
        return candidates[0]


CASE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "receipt_number",
    "form_type_id",
    "office_id",
    "received_on",
    "status_text",
    "status_updated_on",
    "is_protected",
)
PERSON_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "name",
    "email",
    "phone",
    "sms_consent",
    "language",
    "time_zone",
    "zip_code",
    "country",
    "external_id",
)
REQUEST_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "reference",
    "type_id",
    "channel",
    "case_id",
    "receipt_number",
    "requester_id",
    "description",
    "urgency",
    "status",
    "office_id",
    "routing_reason",
    "assignee_id",
    "created_by_id",
    "first_response_due_at",
    "due_at",
    "deadline_policy_id",
    "first_responded_at",
    "closed_at",
    "duplicate_of_id",
    "version",
)
CHANGE_COLUMNS = (
    "id",
    "service_request_id",
    "from_status",
    "to_status",
    "actor_id",
    "reason",
    "from_office_id",
    "to_office_id",
    "created_at",
)


@dataclass
class Batch:
    """Rows in column order. Ids are batch positions (0-based) until the writer sets them:
    `id` of every row, a request's case_id and requester_id, a change's service_request_id."""

    cases: list[list[Any]] = field(default_factory=list)
    people: list[list[Any]] = field(default_factory=list)
    requests: list[list[Any]] = field(default_factory=list)
    changes: list[list[Any]] = field(default_factory=list)


def encode_reference(number: int) -> str:
    from srmt.core.references import ALPHABET

    chars = []
    for _position in range(8):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    text = "".join(reversed(chars))
    return f"SR-{text[:4]}-{text[4:]}"


class SyntheticData:
    """Reproducible rows: the same (seed, requests, end, months) give the same batches."""

    def __init__(
        self,
        *,
        seed: int,
        requests: int,
        end: dt.datetime,
        catalogue: Catalogue,
        months: int = 12,
        batch_size: int = 5000,
        taken_references: frozenset[str] = frozenset(),
        taken_receipts: frozenset[str] = frozenset(),
    ) -> None:
        self.seed = seed
        self.total = requests
        self.end = end
        self.span = dt.timedelta(days=30 * months)
        self.catalogue = catalogue
        self.batch_size = batch_size
        self.mix: WorkloadMix = workload_mix()
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
        self.taken_references = taken_references
        self.taken_receipts = taken_receipts
        key = random.Random(seed * 7919 + 1)  # noqa: S311
        # Affine bijections of a counter: unique values that look random.
        self._ref_mul = key.randrange(1, REFERENCE_SPACE, 2) | 1
        self._ref_add = key.randrange(REFERENCE_SPACE)
        self._receipt_mul = key.randrange(1, RECEIPT_SPACE // 10) * 10 + 1
        self._receipt_add = key.randrange(RECEIPT_SPACE)
        self._ref_counter = 0
        self._receipt_counter = 0
        self._person_serial = 0

    def batches(self) -> Iterator[Batch]:
        done = 0
        while done < self.total:
            size = min(self.batch_size, self.total - done)
            batch = Batch()
            for _index in range(size):
                self._add_request(batch)
            done += size
            yield batch

    # --- identifiers -------------------------------------------------------------------

    def _next_reference(self) -> str:
        while True:
            self._ref_counter += 1
            number = (self._ref_counter * self._ref_mul + self._ref_add) % REFERENCE_SPACE
            reference = encode_reference(number)
            if reference not in self.taken_references:
                return reference

    def _next_receipt(self, prefix: str, received_on: dt.date) -> str:
        fiscal_year = (received_on.year + (received_on.month >= 10)) % 100
        while True:
            self._receipt_counter += 1
            digits = (self._receipt_counter * self._receipt_mul + self._receipt_add) % RECEIPT_SPACE
            receipt = f"{prefix}{fiscal_year:02d}{digits:08d}"
            if receipt not in self.taken_receipts:
                return receipt

    # --- rows --------------------------------------------------------------------------

    def _add_request(self, batch: Batch) -> None:
        rng = self.rng
        start = self.end - self.span * rng.random()
        type_code = _choose_type(rng)
        type_id, needs_receipt = self.catalogue.types[type_code]
        urgent = type_code in {"tier2_callback", "expedite_request"} and rng.random() < 0.2
        urgency = Urgency.URGENT if urgent else Urgency.NORMAL
        case_index = None
        if needs_receipt or (type_code != "change_of_address" and rng.random() < 0.4):
            case_index = self._pick_case(batch, start)
        receipt = batch.cases[case_index][3] if case_index is not None else ""
        case_office = self._office_code(batch.cases[case_index][5]) if receipt else ""
        decision = route(RoutingFacts(receipt, case_office, type_code))
        person_index = self._add_person(batch, start)
        path = self._path(start)
        self._add_request_rows(
            batch,
            start=start,
            fields={
                "type_code": type_code,
                "type_id": type_id,
                "urgency": urgency,
                "case_index": case_index,
                "receipt": receipt,
                "person_index": person_index,
                "office": decision.office_code,
                "reason": decision.reason[:300],
            },
            path=path,
        )

    @functools.cached_property
    def _office_codes(self) -> dict[int, str]:
        return {office_id: code for code, (office_id, _tz) in self.catalogue.offices.items()}

    def _office_code(self, office_id: int) -> str:
        return self._office_codes[office_id]

    def _pick_case(self, batch: Batch, start: dt.datetime) -> int:
        if batch.cases and self.rng.random() < 0.3:
            return self.rng.randrange(len(batch.cases))
        rng = self.rng
        protected = rng.random() < PROTECTED_SHARE
        prefix = "EAC" if protected else self.mix.prefix(rng)
        form = rng.choice(PROTECTED_FORMS) if protected else self.mix.form(rng, prefix)
        received_on = start.date() - dt.timedelta(days=rng.randint(30, 540))
        office = PROTECTED_OFFICE if protected else PREFIX_OFFICES[prefix]
        received_at = dt.datetime.combine(received_on, dt.time(14), tzinfo=dt.UTC)
        updated_on = received_on + dt.timedelta(days=rng.randint(0, 29))
        batch.cases.append(
            [
                len(batch.cases),
                received_at,
                received_at,
                self._next_receipt(prefix, received_on),
                self.catalogue.forms[form],
                self.catalogue.offices[office][0],
                received_on,
                self.mix.status_text(rng, form),
                updated_on,
                protected,
            ]
        )
        return len(batch.cases) - 1

    def _add_person(self, batch: Batch, start: dt.datetime) -> int:
        rng = self.rng
        self._person_serial += 1
        name = person_name(rng)
        language = "es" if rng.random() < 0.25 else "en"
        email = email_for(name, self._person_serial) if rng.random() < 0.8 else ""
        phone = phone_for(rng) if rng.random() < 0.7 else ""
        batch.people.append(
            [len(batch.people), start, start, name, email, phone, False, language, "", "", "US", ""]
        )
        return len(batch.people) - 1

    def _path(self, start: dt.datetime) -> tuple[Status, ...]:
        age_days = (self.end - start).total_seconds() / 86400
        closed_share = min(0.95, age_days / 30)
        if self.rng.random() < closed_share:
            return self.rng.choices(CLOSED_PATHS, CLOSED_WEIGHTS)[0]
        return self.rng.choices(OPEN_PATHS, OPEN_WEIGHTS)[0]

    def _add_request_rows(
        self, batch: Batch, *, start: dt.datetime, fields: dict[str, Any], path: tuple[Status, ...]
    ) -> None:
        office_code = fields["office"]
        office_id, time_zone = self.catalogue.offices[office_code]
        policy = self.catalogue.policy(fields["type_code"], fields["urgency"], start.date())
        horizon = min(self.end, start + dt.timedelta(days=20))
        moments = [start, *sorted(start + (horizon - start) * self.rng.random() for _s in path)]
        request_index = len(batch.requests)
        final_office = self._add_changes(batch, request_index, path, moments, office_id)
        answered = [m for status, m in zip(path, moments[1:], strict=True) if status in ANSWERS]
        status = path[-1] if path else Status.RECEIVED
        channel = _choose_channel(self.rng)
        batch.requests.append(
            [
                request_index,
                start,
                moments[-1],
                self._next_reference(),
                fields["type_id"],
                str(channel),
                fields["case_index"],
                fields["receipt"],
                fields["person_index"],
                describe(fields["type_code"], fields["receipt"]),
                str(fields["urgency"]),
                str(status),
                final_office,
                fields["reason"],
                None,
                None,
                add_target(start, policy.first, time_zone=time_zone),
                add_target(start, policy.final, time_zone=time_zone),
                policy.id,
                answered[0] if answered else None,
                moments[-1] if status in TERMINAL else None,
                None,
                len(path) + 1,
            ]
        )

    def _add_changes(
        self,
        batch: Batch,
        request_index: int,
        path: tuple[Status, ...],
        moments: list[dt.datetime],
        office_id: int,
    ) -> int:
        previous = ""
        for status, moment in zip((Status.RECEIVED, *path), moments, strict=True):
            to_office = office_id
            if status == Status.TRANSFERRED:
                to_office = self._transfer_target(office_id)
            batch.changes.append(
                [
                    len(batch.changes),
                    request_index,
                    str(previous),
                    str(status),
                    None,
                    "Transferred to the office holding the file."
                    if status == Status.TRANSFERRED
                    else "",
                    office_id if previous else None,
                    to_office,
                    moment,
                ]
            )
            office_id, previous = to_office, status
        return office_id

    def _transfer_target(self, office_id: int) -> int:
        nsc = self.catalogue.offices["NSC"][0]
        return nsc if office_id != nsc else self.catalogue.offices[TIER2_OFFICE][0]
