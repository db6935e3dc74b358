"""Synthetic data at scale for benchmarks (`srmt generate`).

`SyntheticData` is a pure generator: from a seed, a count and an end date it yields batches
of rows (cases, people, service requests, status changes) with the realistic mix of
`srmt.seed.mix`, due dates from the deadline policies (computed in Python from the
`Catalogue` loaded once) and an open/closed mix that depends on the request's age. The same
seed, count and end date always give the same rows, references included: references and
receipt numbers come from bijections of a counter, so they are unique without a lookup.

Every expedite request gets its expedite details (`ExpediteRequest`): a criterion of the
policy version in force on its day, and a decision where the real flow would have one (the
office holding the case closed it with a final response). The criterion is drawn before the
request's case, which follows it: a criterion that forms eligible for premium processing may
not claim gets a case on another form.

Every request gets its history: the status changes of its path, a response for every answer
(initial, follow-up, final), a reopening of some closed requests, escalations when still
running at a step of the ladder, a survey sent with most final responses (some answered),
and repeat links between requests of one batch on the same case and type (ADR 13's window).
Requests come in chunks of CHUNK_REQUESTS whose random stream (numpy's PCG64) and counters
depend only on the seed and the chunk's number, so that chunks can be made in any order, by
several processes. Each batch draws its per-request values at once with numpy and makes its
datetimes in bulk (ADR 52, revision): the rows of a seed are not those made before that.

`srmt.seed.bulk.generate` stores the rows: binary COPY on PostgreSQL (the fastest path, in
one transaction or from several processes), `bulk_create` elsewhere. This is a data tool, not a
business action: individual rows are not audited; one `data.generated` audit event records
the seed and the counts.
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import functools
import itertools
import random
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from srmt.offices.constants import PREFIX_OFFICES, TIER2_OFFICE
from srmt.offices.models import FormType, Office
from srmt.offices.routing import RoutingFacts, route
from srmt.seed.mix import (
    CHANNEL_WEIGHTS,
    DESCRIPTIONS,
    FIRST_NAMES,
    LAST_NAMES,
    PROTECTED_FORMS,
    TYPE_WEIGHTS,
    WorkloadMix,
    email_for,
    workload_mix,
)
from srmt.service_requests.choices import Status, Urgency
from srmt.service_requests.escalations import HEADQUARTERS_OFFICE
from srmt.service_requests.expedite_models import ExpediteCriterion, ExpediteStatus
from srmt.service_requests.lifecycle import TERMINAL
from srmt.service_requests.models import EscalationStep, ServiceRequestType
from srmt.sla.deadlines import Target, add_target, is_business_day
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
# What follows a closure for some requests (expedites excepted: their closure is a decision).
REOPEN_SHARE = 0.06
REOPEN_PATHS: tuple[tuple[Status, ...], ...] = (
    (S.REOPENED,),
    (S.REOPENED, S.ASSIGNED),
    (S.REOPENED, S.RESPONDED, S.CLOSED),
    (S.REOPENED, S.ASSIGNED, S.RESPONDED, S.CLOSED),
)
REOPEN_WEIGHTS = (15, 15, 40, 30)
# Statuses the escalation sweep counts as running (escalations.RUNNING_STATUSES).
NOT_RUNNING = TERMINAL | {S.AWAITING_CUSTOMER}
RESPONSE_BODIES = {
    "initial": "We received your request and are looking into it.",
    "follow_up": "We are still working on your request; we will write again soon.",
    "final": "We have finished working on your request. This is our answer.",
}
SURVEY_SHARE = 0.7  # final responses sent with a survey
SURVEY_ANSWER_SHARE = 0.3
RATING_WEIGHTS = (10, 8, 15, 30, 37)  # ratings 1 to 5
SURVEY_DAYS = 30  # settings.SRMT_SURVEY_DAYS by default
REPEAT_WINDOW = dt.timedelta(days=30)  # settings.SRMT_REPEAT_WINDOW_DAYS by default
REPEAT_LINK_SHARE = 0.8  # candidates linked as repeats (the others recorded as new)
# Chunks: every CHUNK_REQUESTS requests start streams and counters of their own.
CHUNK_REQUESTS = 100_000
_OPEN_CUMULATIVE = tuple(itertools.accumulate(OPEN_WEIGHTS))
_CLOSED_CUMULATIVE = tuple(itertools.accumulate(CLOSED_WEIGHTS))

# Expedite criteria by how often they are claimed, per 100 expedite requests under the 2021
# list (codes of the earlier lists weighted alike; others 5). USCIS publishes no counts per
# criterion: these are estimates from each criterion's reach. Emergencies and urgent
# humanitarian reasons, and severe financial loss (mostly people waiting for a work permit),
# make three quarters; a clear USCIS error about one in seven; government interests few; the
# nonprofit criterion, for an IRS-designated nonprofit furthering U.S. cultural or social
# interests, about 3 in 100. The criterion is drawn first and the case follows it: forms
# eligible for premium processing may be expedited only under the nonprofit criterion (USCIS
# Policy Manual vol. 1 part A ch. 5, since June 2021), so any other criterion gets a case on
# another form, whose share of the mix is the real one among the remaining forms. (Drawing
# the case first gave the nonprofit criterion to every expedite on such a form, about half.)
# Below: the share of decided ones approved under each (others 45 %).
CRITERION_WEIGHTS: dict[str, int] = {
    "emergency_humanitarian": 40,
    "humanitarian": 30,
    "severe_financial_loss": 35,
    "emergency": 15,
    "uscis_error": 15,
    "us_government_interests": 7,
    "dod_national_interest": 4,
    "uscis_compelling_interest": 2,
    "nonprofit": 3,
}
APPROVAL_SHARE: dict[str, float] = {
    "uscis_error": 0.75,
    "us_government_interests": 0.6,
    "dod_national_interest": 0.6,
    "emergency_humanitarian": 0.55,
    "humanitarian": 0.55,
    "emergency": 0.55,
    "nonprofit": 0.5,
    "severe_financial_loss": 0.35,
}
# Deciders are staff of the office holding the case, and response authors staff of the office
# holding the request; the writer gives each (office, slot) a user.
DECIDERS_PER_OFFICE = 3
JUSTIFICATIONS: dict[str, tuple[str, ...]] = {
    "severe_financial_loss": (
        "A job offer will be withdrawn if the work permit is not approved within {days} days.",
        "The company will lose a contract worth ${amount},000 without the employee by then.",
        "The applicant cannot work and will lose the family home in {days} days.",
    ),
    "humanitarian": (
        "A parent abroad is critically ill; the applicant must travel within {days} days.",
        "The applicant needs surgery in {days} days and the insurance requires the card.",
        "The family fled a disaster abroad and the children need to be enrolled in school.",
    ),
    "uscis_error": (
        "The card was issued with the wrong date of birth; the applicant starts work in "
        "{days} days.",
        "The case was closed by mistake after the applicant answered the request for evidence.",
    ),
    "government": (
        "A federal agency asks for the case to be expedited for a public safety investigation.",
        "The applicant is a researcher on a Department of Defense project starting in {days} days.",
    ),
    "nonprofit": (
        "A nonprofit cultural organization needs the artist for a festival in {days} days.",
        "A nonprofit research hospital needs the physician to start in {days} days.",
    ),
}
DENIAL_REASONS: dict[str, tuple[str, ...]] = {
    "severe_financial_loss": (
        "The evidence does not show a severe financial loss: the loss described is the "
        "ordinary effect of waiting for a decision.",
        "No documents were provided to show the financial loss.",
    ),
    "humanitarian": (
        "The medical records provided do not show an urgent need to travel.",
        "The evidence does not show an urgent humanitarian reason.",
    ),
    "uscis_error": ("The records show no USCIS error; the case is in its normal order.",),
    "government": ("No request from a federal, state or local agency was provided.",),
    "nonprofit": ("The organization is not designated as a nonprofit by the IRS.",),
}
GENERIC_DENIALS = ("The evidence does not show that the criterion applies.",)
APPROVAL_NOTES = (
    "",
    "",
    "Evidence reviewed and accepted.",
    "The evidence shows the urgency described.",
)
CRITERION_FAMILY = {
    "emergency_humanitarian": "humanitarian",
    "emergency": "humanitarian",
    "us_government_interests": "government",
    "dod_national_interest": "government",
    "uscis_compelling_interest": "government",
}


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
class Criterion:
    id: int
    code: str
    effective_from: dt.date
    effective_until: dt.date | None
    allowed_for_premium_processing: bool


@dataclass(frozen=True)
class Step:
    """A rung of the escalation ladder (service_requests.EscalationStep)."""

    id: int
    order: int
    days_after_previous: int
    target: str
    office_id: int | None
    effective_from: dt.date
    effective_until: dt.date | None


@dataclass(frozen=True)
class Catalogue:
    """The reference rows generation needs, read once (no per-row queries)."""

    forms: dict[str, int]
    offices: dict[str, tuple[int, str]]  # code -> (id, time zone)
    types: dict[str, tuple[int, bool]]  # code -> (id, requires a receipt number)
    policies: tuple[Policy, ...]
    criteria: tuple[Criterion, ...] = ()
    premium_forms: frozenset[int] = frozenset()  # ids of forms eligible for premium processing
    steps: tuple[Step, ...] = ()

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
            criteria=tuple(
                Criterion(
                    c.id,
                    c.code,
                    c.effective_from,
                    c.effective_until,
                    c.allowed_for_premium_processing,
                )
                for c in ExpediteCriterion.objects.order_by("sort_order", "code", "id")
            ),
            premium_forms=frozenset(
                FormType.objects.filter(is_premium_processing_eligible=True).values_list(
                    "id", flat=True
                )
            ),
            steps=tuple(
                Step(
                    s.id,
                    s.order,
                    s.days_after_previous,
                    s.target,
                    s.office_id,
                    s.effective_from,
                    s.effective_until,
                )
                for s in EscalationStep.objects.order_by("order", "-effective_from")
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

    @functools.lru_cache(maxsize=512)  # noqa: B019 (the catalogue lives for one run)
    def criteria_in_force(self, on: dt.date, *, premium: bool) -> tuple[Criterion, ...]:
        """As ExpediteCriterion.objects.in_force(on), less those a premium-processing form
        may not use (expedites.check_submission)."""
        in_force = tuple(
            c
            for c in self.criteria
            if c.effective_from <= on
            and (c.effective_until is None or c.effective_until > on)
            and (c.allowed_for_premium_processing or not premium)
        )
        if not in_force:
            raise LookupError(f"No expedite criterion in force on {on}; run `srmt seed` first.")
        return in_force

    @functools.lru_cache(maxsize=512)  # noqa: B019 (the catalogue lives for one run)
    def ladder(self, on: dt.date) -> tuple[tuple[Step, dt.timedelta], ...]:
        """As escalations.steps_in_force(on): for each order the newest step in force, with
        the time from creation at which it is due."""
        newest: dict[int, Step] = {}
        for step in self.steps:
            if step.effective_from <= on and (
                step.effective_until is None or step.effective_until > on
            ):
                newest.setdefault(step.order, step)
        elapsed = dt.timedelta(0)
        ladder = []
        for order in sorted(newest):
            elapsed += dt.timedelta(days=newest[order].days_after_previous)
            ladder.append((newest[order], elapsed))
        return tuple(ladder)


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
    "transfer_count",
    "repeat_of_id",
    "repeat_count",
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
    "restarted_clock",
)
EXPEDITE_COLUMNS = (
    "id",
    "service_request_id",
    "criterion_id",
    "justification",
    "status",
    "decided_by_id",
    "decided_at",
    "decision_reason",
    "created_at",
)

RESPONSE_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "service_request_id",
    "kind",
    "author_id",
    "body",
    "delivery_channel",
    "template_code",
    "form_letter_override_reason",
)
ESCALATION_COLUMNS = ("id", "service_request_id", "step_id", "level", "office_id", "escalated_at")
SURVEY_COLUMNS = (
    "id",
    "service_request_id",
    "nonce",
    "language",
    "sent_at",
    "expires_at",
    "answered_at",
    "rating",
    "comment",
)


@dataclass
class Batch:
    """Rows in column order. Ids are batch positions (0-based) until the writer sets them:
    `id` of every row, a request's case_id, requester_id and repeat_of_id, the
    service_request_id of a change, an expedite, a response, an escalation and a survey. An
    expedite's decided_by_id and a response's author_id are (office code, slot) until then."""

    cases: list[list[Any]] = field(default_factory=list)
    people: list[list[Any]] = field(default_factory=list)
    requests: list[list[Any]] = field(default_factory=list)
    changes: list[list[Any]] = field(default_factory=list)
    expedites: list[list[Any]] = field(default_factory=list)
    responses: list[list[Any]] = field(default_factory=list)
    escalations: list[list[Any]] = field(default_factory=list)
    surveys: list[list[Any]] = field(default_factory=list)
    # (case position, type id) -> positions of the batch's requests, for repeats
    threads: dict[tuple[int, int], list[int]] = field(default_factory=dict)


@functools.cache
def _reference_halves() -> tuple[str, ...]:
    """The 32**4 groups of four characters, by their number."""
    from srmt.core.references import ALPHABET

    return tuple("".join(chars) for chars in itertools.product(ALPHABET, repeat=4))


def encode_reference(number: int) -> str:
    high, low = divmod(number % 32**8, 32**4)
    halves = _reference_halves()
    return f"SR-{halves[high]}-{halves[low]}"


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DAY_US = 86_400_000_000
_EPOCH_ORDINAL = _EPOCH.toordinal()
_WINDOW_US = 20 * _DAY_US  # a request's moves, and a reopening's, fall within 20 days
_SURVEY_ANSWER = dt.timedelta(days=10)
_REPEAT_WINDOW_US = REPEAT_WINDOW // dt.timedelta(microseconds=1)
_SURVEY_EXPIRY = dt.timedelta(days=SURVEY_DAYS)
# Paths as plain strings (comparing and hashing StrEnum members is slower).
_CLOSED_PATHS = tuple(tuple(str(s) for s in p) for p in CLOSED_PATHS)
_OPEN_PATHS = tuple(tuple(str(s) for s in p) for p in OPEN_PATHS)
_REOPEN_PATHS = tuple(tuple(str(s) for s in p) for p in REOPEN_PATHS)
_REOPEN_CUMULATIVE = tuple(itertools.accumulate(REOPEN_WEIGHTS))
_RATING_CUMULATIVE = tuple(itertools.accumulate(RATING_WEIGHTS))
_RECEIVED, _RESPONDED, _CLOSED = str(S.RECEIVED), str(S.RESPONDED), str(S.CLOSED)
_TRANSFERRED = str(S.TRANSFERRED)
_TERMINAL = frozenset(str(s) for s in TERMINAL)
_NOT_RUNNING = frozenset(str(s) for s in NOT_RUNNING)
_TRANSFER_REASON = "Transferred to the office holding the file."
_TYPE_CODES = tuple(TYPE_WEIGHTS)
_TYPE_CUMULATIVE = np.cumsum(np.array([TYPE_WEIGHTS[t] for t in _TYPE_CODES], dtype=np.float64))
_CHANNELS = tuple(str(c) for c in CHANNEL_WEIGHTS)
_CHANNEL_CUMULATIVE = np.cumsum(np.array(list(CHANNEL_WEIGHTS.values()), dtype=np.float64))
_URGENT_TYPES = frozenset({"tier2_callback", "expedite_request"})
_NAMES = tuple(f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES)
_AREA_CODES = ("802", "202", "305", "512", "415")
# 555-0100 to 555-0199 are reserved for fiction in the North American plan.
_PHONES = tuple(f"+1{area}5550{line}" for area in _AREA_CODES for line in range(100, 200))
_URGENT, _NORMAL = str(Urgency.URGENT), str(Urgency.NORMAL)
_PENDING = str(ExpediteStatus.PENDING)
_APPROVED, _DENIED = str(ExpediteStatus.APPROVED), str(ExpediteStatus.DENIED)


_DAYS = tuple(dt.timedelta(days) for days in range(600))
_RECEIVED_TIME = dt.time(14)


def _datetimes(microseconds: np.ndarray) -> list[dt.datetime]:
    """Aware UTC datetimes of microseconds since the epoch, made from their pickled form
    (year, month, day, hour, minute, second and microsecond bytes), which is computed for
    the whole array at once: several times faster than adding timedeltas one by one."""
    stamps = microseconds.astype("datetime64[us]")
    months = stamps.astype("datetime64[M]")
    years = stamps.astype("datetime64[Y]").astype(np.int64) + 1970
    of_day = (stamps - stamps.astype("datetime64[D]")).astype(np.int64)
    state = np.empty((len(stamps), 10), dtype=np.uint8)
    state[:, 0], state[:, 1] = years >> 8, years & 255
    state[:, 2] = months.astype(np.int64) % 12 + 1
    state[:, 3] = (stamps.astype("datetime64[D]") - months).astype(np.int64) + 1
    state[:, 4] = of_day // 3_600_000_000
    state[:, 5] = of_day // 60_000_000 % 60
    state[:, 6] = of_day // 1_000_000 % 60
    micro = of_day % 1_000_000
    state[:, 7], state[:, 8], state[:, 9] = micro >> 16, (micro >> 8) & 255, micro & 255
    raw, make, utc = state.tobytes(), dt.datetime, dt.UTC
    return [make(raw[at : at + 10], utc) for at in range(0, len(raw), 10)]  # type: ignore[call-arg, arg-type]


def _microseconds(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def _cut(cumulative: Sequence[float], u: float) -> int:
    """The index a uniform draw `u` picks by cumulative weights (as random.choices)."""
    return bisect.bisect(cumulative, u * cumulative[-1], 0, len(cumulative) - 1)


@functools.cache
def _description_parts(request_type: str) -> tuple[str, str]:
    template = DESCRIPTIONS.get(request_type, "The customer asks for help{about}.")
    before, after = template.split("{about}")
    return before, after


@functools.cache
def _hours(hours: int) -> dt.timedelta:
    return dt.timedelta(hours=hours)


@functools.cache
def _calendar_day(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


@functools.cache
def _business_day(day: dt.date, days: int) -> dt.date:
    """As sla.deadlines without an office calendar: `days` business days after `day`."""
    while days > 0:
        day += dt.timedelta(days=1)
        days -= is_business_day(day)
    return day


class SyntheticData:
    """Reproducible rows: the same (seed, requests, end, months, batch size) give the same
    batches.

    Requests come in chunks of `chunk_size`: chunk k has a random stream (numpy's PCG64,
    seeded by the seed and k) and counters of its own, so `batches(chunks=...)` may make
    any chunks in any order and still give the rows they have in a run of all of them.

    Each batch draws its per-request values at once with numpy (creation moments, types,
    urgency, whether the request has a case, the requester, the path and its moments,
    reopenings) and then makes the rows in one lean loop that computes moments as integer
    microseconds; the draws a request needs in varying number (new cases, responses,
    surveys, repeats, expedite details) come from a pool of uniforms drawn with it."""

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
        chunk_size: int = CHUNK_REQUESTS,
        days: int | None = None,
    ) -> None:
        self.seed = seed
        self.chunk_size = chunk_size
        self.total = requests
        self.end = end
        # Requests are created over the `days` (else 30 x `months` days) before `end`.
        self.span = dt.timedelta(days=days if days is not None else 30 * months)
        self.catalogue = catalogue
        self.batch_size = batch_size
        self.mix: WorkloadMix = workload_mix()
        self.taken_references = taken_references
        self.taken_receipts = taken_receipts
        key = random.Random(seed * 7919 + 1)  # noqa: S311 (synthetic data, not security)
        # Affine bijections of a counter: unique values that look random.
        self._ref_mul = key.randrange(1, REFERENCE_SPACE, 2) | 1
        self._ref_add = key.randrange(REFERENCE_SPACE)
        self._receipt_mul = key.randrange(1, RECEIPT_SPACE // 10) * 10 + 1
        self._receipt_add = key.randrange(RECEIPT_SPACE)
        self._route_cache: dict[tuple[str, str, str], tuple[str, str]] = {}
        self._end_us = _microseconds(end)
        self._span_us = self.span // dt.timedelta(microseconds=1)
        self._start_chunk(0)

    @property
    def chunk_count(self) -> int:
        return -(-self.total // self.chunk_size)

    def _start_chunk(self, chunk: int) -> None:
        """Stream and counters of `chunk`. A chunk's counters stay below the next chunk's
        start (each chunk makes at most `chunk_size` references, receipts and people, and
        may skip as many references and receipts already taken)."""
        self.rng = np.random.default_rng([self.seed, chunk, 7305])
        self._ref_counter = chunk * self.chunk_size * 2
        self._receipt_counter = chunk * self.chunk_size * 2
        self._person_serial = chunk * self.chunk_size

    def batches(self, chunks: Iterable[int] | None = None) -> Iterator[Batch]:
        """The batches of `chunks` (default: all, in order); no batch spans two chunks."""
        for chunk in range(self.chunk_count) if chunks is None else chunks:
            self._start_chunk(chunk)
            size = min(self.chunk_size, self.total - chunk * self.chunk_size)
            done = 0
            while done < size:
                count = min(self.batch_size, size - done)
                yield self._batch(count)
                done += count

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

    # --- cached lookups ------------------------------------------------------------------

    @functools.cached_property
    def _office_codes(self) -> dict[int, str]:
        return {office_id: code for code, (office_id, _tz) in self.catalogue.offices.items()}

    @functools.cached_property
    def _premium_forms(self) -> frozenset[str]:
        ids = self.catalogue.premium_forms
        return frozenset(code for code, form_id in self.catalogue.forms.items() if form_id in ids)

    @functools.cached_property
    def _zones(self) -> dict[str, zoneinfo.ZoneInfo]:
        return {tz: zoneinfo.ZoneInfo(tz) for _id, tz in self.catalogue.offices.values()}

    @functools.cache  # noqa: B019 (one generator per run)
    def _day(self, day_number: int) -> dt.date:
        return dt.date.fromordinal(_EPOCH_ORDINAL + day_number)

    @functools.cache  # noqa: B019 (one generator per run)
    def _criteria(self, on: dt.date) -> tuple[tuple[Criterion, ...], tuple[int, ...]]:
        """The criteria an expedite request of `on` may claim, with cumulative weights by
        how often each is claimed (CRITERION_WEIGHTS)."""
        options = self.catalogue.criteria_in_force(on, premium=False)
        weights = itertools.accumulate(CRITERION_WEIGHTS.get(c.code, 5) for c in options)
        return options, tuple(weights)

    @functools.cache  # noqa: B019 (one generator per run)
    def _ladder(self, on: dt.date) -> tuple[tuple[str, int | None, int, int, dt.timedelta], ...]:
        """(target, office id, step id, microseconds from creation, time from creation) of
        each rung."""
        return tuple(
            (step.target, step.office_id, step.id, due // dt.timedelta(microseconds=1), due)
            for step, due in self.catalogue.ladder(on)
        )

    def _route(self, receipt: str, case_office: str, type_code: str) -> tuple[str, str]:
        """The office and reason routing gives (it reads the receipt's prefix only)."""
        key = (receipt[:3], case_office, type_code)
        if key not in self._route_cache:
            decision = route(RoutingFacts(receipt, case_office, type_code))
            self._route_cache[key] = (decision.office_code, decision.reason[:300])
        return self._route_cache[key]

    def _due(self, start: dt.datetime, policy: Policy, time_zone: str) -> tuple[Any, Any]:
        """add_target for the policy's two targets, with the calendar days cached."""
        local: dt.datetime | None = None
        dues = []
        for target in (policy.first, policy.final):
            unit = target.unit
            if unit == "hours":
                dues.append(start + _hours(target.value))
                continue
            if unit not in ("calendar_days", "business_days"):
                dues.append(add_target(start, target, time_zone=time_zone))
                continue
            if local is None:
                local = start.astimezone(self._zones[time_zone])
            on = local.date()
            day = (
                _calendar_day(on, target.value)
                if unit == "calendar_days"
                else _business_day(on, target.value)
            )
            due = dt.datetime.combine(day, local.time(), local.tzinfo)
            dues.append(due.astimezone(dt.UTC))
        return dues[0], dues[1]

    # --- rows --------------------------------------------------------------------------

    def _batch(self, n: int) -> Batch:
        """`n` requests with their cases, people and history."""
        rng, end_us = self.rng, self._end_us
        starts = end_us - (rng.random(n) * self._span_us).astype(np.int64)
        types = np.searchsorted(_TYPE_CUMULATIVE, rng.random(n) * _TYPE_CUMULATIVE[-1], "right")
        channels = np.searchsorted(
            _CHANNEL_CUMULATIVE, rng.random(n) * _CHANNEL_CUMULATIVE[-1], "right"
        )
        # The path: closed more often the older the request (95 % from 30 days on).
        closed_share = np.minimum(0.95, (end_us - starts) / (30 * _DAY_US))
        closed = rng.random(n) < closed_share
        path_u = rng.random(n)
        closed_ids = np.searchsorted(_CLOSED_CUMULATIVE, path_u * _CLOSED_CUMULATIVE[-1], "right")
        open_ids = np.searchsorted(_OPEN_CUMULATIVE, path_u * _OPEN_CUMULATIVE[-1], "right")
        path_ids = np.where(closed, closed_ids, len(_CLOSED_PATHS) + open_ids)
        paths = _CLOSED_PATHS + _OPEN_PATHS
        lengths = np.array([len(p) for p in paths])[path_ids]
        # Its moments: sorted uniform points between creation and 20 days later (or the end).
        horizons = np.minimum(end_us, starts + _WINDOW_US)
        points = rng.random((n, 4))
        points[np.arange(4) >= lengths[:, None]] = 2.0
        points.sort(axis=1)
        moved_us = starts[:, None] + ((horizons - starts)[:, None] * points).astype(np.int64)
        # Reopenings: some closed requests (expedites excepted), within 20 days of closure.
        last = moved_us[np.arange(n), np.maximum(lengths - 1, 0)]
        reopen_u = rng.random(n)
        reopen_ids = np.searchsorted(_REOPEN_CUMULATIVE, rng.random(n) * _REOPEN_CUMULATIVE[-1])
        reopen_horizons = np.minimum(end_us, last + _WINDOW_US)
        later = rng.random((n, 4))
        more_lengths = np.array([len(p) for p in _REOPEN_PATHS])[reopen_ids]
        later[np.arange(4) >= more_lengths[:, None]] = 2.0
        later.sort(axis=1)
        later_moments = last[:, None] + ((reopen_horizons - last)[:, None] * later).astype(np.int64)
        ends_closed = np.array([bool(p) and p[-1] == _CLOSED for p in paths])[path_ids]
        reopened = ends_closed & (reopen_u < REOPEN_SHARE) & (reopen_horizons > last)
        reopened &= types != _TYPE_CODES.index("expedite_request")
        # The requester.
        person_u = rng.random((n, 3)).tolist()
        names = rng.integers(0, len(_NAMES), n).tolist()
        phones = rng.integers(0, len(_PHONES), n).tolist()
        nonces = rng.bytes(32 * n)
        # The moments as datetimes, made only where used: a request's moves from
        # offsets[i], a reopened request's later moves from 4 x its rank among them.
        start_moments = _datetimes(starts)
        moved_at = _datetimes(moved_us[np.arange(4) < lengths[:, None]])
        offsets = (np.cumsum(lengths) - lengths).tolist()
        reopened_rows = np.flatnonzero(reopened)
        reopened_at = _datetimes(later_moments[reopened_rows].ravel())
        reopened_rank = dict(zip(reopened_rows.tolist(), itertools.count(0, 4), strict=False))
        batch = Batch()
        # Draws a request needs in varying number (about 7 on average), in blocks of n.
        pool = itertools.chain.from_iterable(iter(lambda: rng.random(n).tolist(), None))
        state = _BatchState(pool, nonces)
        for i, (
            start_us,
            type_index,
            channel,
            path_id,
            row,
            more_id,
            reopen,
            later_row,
        ) in enumerate(
            zip(
                starts.tolist(),
                types.tolist(),
                channels.tolist(),
                path_ids.tolist(),
                moved_us.tolist(),
                reopen_ids.tolist(),
                reopened.tolist(),
                later_moments.tolist(),
                strict=True,
            )
        ):
            path = paths[path_id]
            moments_us = [start_us, *row[: len(path)]]
            moments = [start_moments[i], *moved_at[offsets[i] : offsets[i] + len(path)]]
            type_code = _TYPE_CODES[type_index]
            if reopen:
                more = _REOPEN_PATHS[more_id]
                path = path + more
                moments_us += later_row[: len(more)]
                rank = reopened_rank[i]
                moments += reopened_at[rank : rank + len(more)]
            self._request(
                batch,
                state,
                type_code=type_code,
                channel=_CHANNELS[channel],
                path=path,
                moments_us=moments_us,
                moments=moments,
                person=(names[i], phones[i], person_u[i]),
            )
        return batch

    def _request(
        self,
        batch: Batch,
        state: _BatchState,
        *,
        type_code: str,
        channel: str,
        path: tuple[str, ...],
        moments_us: list[int],
        moments: list[dt.datetime],
        person: tuple[int, int, list[float]],
    ) -> None:
        draw = state.draw
        start_us, start = moments_us[0], moments[0]
        on = self._day(start_us // _DAY_US)
        type_id, needs_receipt = self.catalogue.types[type_code]
        urgent = draw() < 0.2 if type_code in _URGENT_TYPES else False
        urgency = _URGENT if urgent else _NORMAL
        criterion = None
        if type_code == "expedite_request":
            options, cumulative = self._criteria(on)
            criterion = options[_cut(cumulative, draw())]
        case_index = None
        if needs_receipt or (type_code != "change_of_address" and draw() < 0.4):
            premium_allowed = criterion is None or criterion.allowed_for_premium_processing
            case_index = self._pick_case(batch, state, on, start, premium_allowed)
        case = batch.cases[case_index] if case_index is not None else None
        receipt = case[3] if case is not None else ""
        case_office = self._office_codes[case[5]] if case is not None else ""
        office_code, reason = self._route(receipt, case_office, type_code)
        # the requester
        person_index = len(batch.people)
        self._person_serial += 1
        name_index, phone_index, (language_u, email_u, phone_u) = person
        name = _NAMES[name_index]
        language = "es" if language_u < 0.25 else "en"
        email = email_for(name, self._person_serial) if email_u < 0.8 else ""
        phone = _PHONES[phone_index] if phone_u < 0.7 else ""
        batch.people.append(
            [person_index, start, start, name, email, phone, False, language, "", "", "US", ""]
        )
        # the status changes
        office_id, time_zone = self.catalogue.offices[office_code]
        request_index = len(batch.requests)
        changes = batch.changes
        offices = [office_id]
        changes.append(
            [len(changes), request_index, "", _RECEIVED, None, "", None, office_id, start, None]
        )
        previous, transfers = _RECEIVED, 0
        for status, moment in zip(path, moments[1:], strict=True):
            if status == _TRANSFERRED:
                to_office = self._transfer_target(office_id)
                transfers += 1
                changes.append(
                    [
                        len(changes),
                        request_index,
                        previous,
                        status,
                        None,
                        _TRANSFER_REASON,
                        office_id,
                        to_office,
                        moment,
                        False,  # the due dates count from creation: no transfer restarts them
                    ]
                )
                office_id = to_office
            else:
                changes.append(
                    [
                        len(changes),
                        request_index,
                        previous,
                        status,
                        None,
                        "",
                        office_id,
                        office_id,
                        moment,
                        None,
                    ]
                )
            offices.append(office_id)
            previous = status
        status = path[-1] if path else _RECEIVED
        policy = self.catalogue.policy(type_code, urgency, on)
        first_due, due = self._due(start, policy, time_zone)
        first_response = self._add_responses(
            batch, state, request_index, path, moments, offices, email != "", language
        )
        closed_at = moments[-1] if status in _TERMINAL else None
        request = [
            request_index,
            start,
            moments[-1],
            self._next_reference(),
            type_id,
            channel,
            case_index,
            receipt,
            person_index,
            _describe(type_code, receipt),
            urgency,
            status,
            offices[-1],
            reason,
            None,
            None,
            first_due,
            due,
            policy.id,
            first_response,
            closed_at,
            None,
            len(path) + 1,
            transfers,
            None,
            0,
        ]
        batch.requests.append(request)
        state.starts.append(start_us)
        state.closures.append(moments_us[-1] if closed_at is not None else None)
        self._add_escalations(batch, request_index, path, moments_us, moments, offices, case, on)
        if case_index is not None:
            self._link_repeat(batch, state, request_index, case_index, type_id)
        if criterion is not None and case is not None:
            self._add_expedite(batch, state, request, case, criterion, closed_at=moments[-1])

    def _pick_case(
        self,
        batch: Batch,
        state: _BatchState,
        on: dt.date,
        start: dt.datetime,
        premium_allowed: bool,
    ) -> int:
        """A case of the batch again, or a new one; on a form eligible for premium
        processing only if `premium_allowed`."""
        draw = state.draw
        cases = batch.cases
        if cases and draw() < 0.3:
            index = int(draw() * len(cases))
            if premium_allowed or cases[index][4] not in self.catalogue.premium_forms:
                return index
        mix = self.mix if premium_allowed else workload_mix(without_forms=self._premium_forms)
        protected = draw() < PROTECTED_SHARE
        if protected:
            prefix = "EAC"
            form = PROTECTED_FORMS[int(draw() * len(PROTECTED_FORMS))]
            office = PROTECTED_OFFICE
        else:
            prefix = mix.prefixes[_cut(mix.prefix_weights, draw())]
            forms, weights = mix.forms_by_prefix[prefix]
            form = forms[_cut(weights, draw())]
            office = PREFIX_OFFICES[prefix]
        received_on = on - _DAYS[30 + int(draw() * 511)]
        received_at = dt.datetime.combine(received_on, _RECEIVED_TIME, dt.UTC)
        updated_on = received_on + _DAYS[int(draw() * 30)]
        if form in self.mix.statuses_by_form:
            texts, counts = self.mix.statuses_by_form[form]
            status_text = texts[_cut(counts, draw())][:200]
        else:
            status_text = "Case Was Received"
        cases.append(
            [
                len(cases),
                received_at,
                received_at,
                self._next_receipt(prefix, received_on),
                self.catalogue.forms[form],
                self.catalogue.offices[office][0],
                received_on,
                status_text,
                updated_on,
                protected,
            ]
        )
        return len(cases) - 1

    # --- history -------------------------------------------------------------------------

    def _add_responses(
        self,
        batch: Batch,
        state: _BatchState,
        request_index: int,
        path: tuple[str, ...],
        moments: list[dt.datetime],
        offices: list[int],
        has_email: bool,
        language: str,
    ) -> dt.datetime | None:
        """A response for every answer: a move to RESPONDED is the initial response (or a
        follow-up after one), a move to CLOSED a final response; each written by staff of
        the office holding the request, with a survey for most final responses. Returns
        the moment of the first response."""
        draw = state.draw
        delivery = "email" if has_email else "mail"
        first = None
        responses = batch.responses
        for status, moment, office_id in zip(path, moments[1:], offices[1:], strict=True):
            if status == _RESPONDED:
                kind = "initial" if first is None else "follow_up"
            elif status == _CLOSED:
                kind = "final"
            else:
                continue
            if first is None:
                first = moment
            author = (self._office_codes[office_id], int(draw() * DECIDERS_PER_OFFICE))
            responses.append(
                [
                    len(responses),
                    moment,
                    moment,
                    request_index,
                    kind,
                    author,
                    RESPONSE_BODIES[kind],
                    delivery,
                    "",
                    "",
                ]
            )
            if kind == "final" and draw() < SURVEY_SHARE:
                self._add_survey(batch, state, request_index, moment, language)
        return first

    def _add_survey(
        self,
        batch: Batch,
        state: _BatchState,
        request_index: int,
        sent_at: dt.datetime,
        language: str,
    ) -> None:
        draw = state.draw
        answered_at, rating = None, None
        if draw() < SURVEY_ANSWER_SHARE:
            at = sent_at + _SURVEY_ANSWER * draw()
            if at <= self.end:
                answered_at = at
                rating = 1 + _cut(_RATING_CUMULATIVE, draw())
        batch.surveys.append(
            [
                len(batch.surveys),
                request_index,
                state.nonce(),
                language,
                sent_at,
                sent_at + _SURVEY_EXPIRY,
                answered_at,
                rating,
                "",
            ]
        )

    def _add_escalations(
        self,
        batch: Batch,
        request_index: int,
        path: tuple[str, ...],
        moments_us: list[int],
        moments: list[dt.datetime],
        offices: list[int],
        case: list[Any] | None,
        on: dt.date,
    ) -> None:
        """Each level of the ladder in force on the request's day that it reached: still
        running (open, not awaiting the customer) when the level fell due, before the end."""
        start_us, start = moments_us[0], moments[0]
        for level, (target, step_office, step_id, due_us, due) in enumerate(self._ladder(on), 1):
            at = start_us + due_us
            if at > self._end_us:
                return
            now = bisect.bisect_right(moments_us, at) - 1
            if (path[now - 1] if now else _RECEIVED) in _NOT_RUNNING:
                return
            if target == "case_office":
                office_id = case[5] if case is not None else offices[now]
            elif target == "headquarters":
                office_id = self.catalogue.offices[HEADQUARTERS_OFFICE][0]
            else:
                office_id = step_office
            batch.escalations.append(
                [len(batch.escalations), request_index, step_id, level, office_id, start + due]
            )

    def _link_repeat(
        self, batch: Batch, state: _BatchState, request_index: int, case_index: int, type_id: int
    ) -> None:
        """Link the request as a repeat of an earlier request of the batch on the same case
        and of the same type, open or closed within the repeat window when it came in (as
        intake offers them: repeats.candidates), as most staff would."""
        starts, closures = state.starts, state.closures
        start = starts[request_index]
        earlier = batch.threads.setdefault((case_index, type_id), [])
        candidates = [
            i
            for i in earlier
            if starts[i] < start
            and ((closed := closures[i]) is None or start - closed <= _REPEAT_WINDOW_US)
        ]
        earlier.append(request_index)
        if not candidates or state.draw() >= REPEAT_LINK_SHARE:
            return
        requests = batch.requests
        latest = max(candidates, key=starts.__getitem__)
        root = requests[latest][24]
        if root is None:
            root = latest
        requests[request_index][24] = root
        # every request of the thread, the new one included, carries its count of repeats
        count = requests[root][25] + 1
        for i in earlier:
            if i == root or requests[i][24] == root:
                requests[i][25] = count

    def _add_expedite(
        self,
        batch: Batch,
        state: _BatchState,
        request: list[Any],
        case: list[Any],
        criterion: Criterion,
        *,
        closed_at: dt.datetime,
    ) -> None:
        """The expedite details of `request` (expedite requests always have a case, on a
        form the criterion allows: _pick_case).

        Decided when the office holding the case closed the request: a decision is answered
        with a final response, which closes it (expedites.decide_expedite). Else pending."""
        draw = state.draw
        created_at, status, office_id = request[1], request[11], request[12]
        family = CRITERION_FAMILY.get(criterion.code, criterion.code)
        templates = JUSTIFICATIONS.get(family, JUSTIFICATIONS["humanitarian"])
        template = templates[int(draw() * len(templates))]
        justification = template.format(days=10 + int(draw() * 81), amount=50 + int(draw() * 851))
        decision: list[Any] = [_PENDING, None, None, ""]
        if status == _CLOSED and office_id == case[5]:
            decider = (self._office_codes[office_id], int(draw() * DECIDERS_PER_OFFICE))
            if draw() < APPROVAL_SHARE.get(criterion.code, 0.45):
                note = APPROVAL_NOTES[int(draw() * len(APPROVAL_NOTES))]
                decision = [_APPROVED, decider, closed_at, note]
            else:
                reasons = DENIAL_REASONS.get(family, GENERIC_DENIALS)
                decision = [_DENIED, decider, closed_at, reasons[int(draw() * len(reasons))]]
        batch.expedites.append(
            [len(batch.expedites), request[0], criterion.id, justification, *decision, created_at]
        )

    def _transfer_target(self, office_id: int) -> int:
        nsc = self.catalogue.offices["NSC"][0]
        return nsc if office_id != nsc else self.catalogue.offices[TIER2_OFFICE][0]


def _describe(request_type: str, receipt_number: str) -> str:
    """mix.describe, from the template split once."""
    before, after = _description_parts(request_type)
    return f"{before} about {receipt_number}{after}" if receipt_number else before + after


class _BatchState:
    """The draws of a batch made with it (uniforms, nonce bytes), handed out in order, and
    each request's creation and closure in microseconds (for repeats)."""

    def __init__(self, pool: Iterator[float], nonces: bytes) -> None:
        self._pool = pool
        self._nonces = nonces
        self._nonce_at = 0
        self.starts: list[int] = []
        self.closures: list[int | None] = []

    def draw(self) -> float:
        return next(self._pool)

    def nonce(self) -> str:
        """22 URL-safe characters from 16 random bytes."""
        at = self._nonce_at
        self._nonce_at += 16
        return base64.urlsafe_b64encode(self._nonces[at : at + 16]).decode().rstrip("=")
