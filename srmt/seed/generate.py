"""Synthetic data at scale for benchmarks (`srmt generate`).

`SyntheticData` is a pure generator: from a seed, a count and an end date it yields batches
of rows (cases, people, service requests, status changes) with the realistic mix of
`srmt.seed.mix`, due dates from the deadline policies (computed in Python from the
`Catalogue` loaded once) and an open/closed mix that depends on the request's age. The same
seed, count and end date always give the same rows, references included: references and
receipt numbers come from bijections of a counter, so they are unique without a lookup.

Every expedite request gets its expedite details (`ExpediteRequest`): a criterion of the
policy version in force on its day, and a decision where the real flow would have one (the
office holding the case closed it with a final response). These draw from a random stream of
their own. The criterion is drawn before the request's case, which follows it: a criterion
that forms eligible for premium processing may not claim gets a case on another form (this
changed, once, every row of a seed after its first expedite request).

Every request gets its history (a stream of its own, so that the rows above do not change):
the status changes of its path, a response for every answer (initial, follow-up, final), a
reopening of some closed requests, escalations when still running at a step of the ladder,
a survey sent with most final responses (some answered), and repeat links between requests
of one batch on the same case and type (ADR 13's window). Requests come in chunks of
CHUNK_REQUESTS whose random streams and counters depend only on the seed and the chunk's
number, so that chunks can be made in any order, by several processes.

`srmt.seed.bulk.generate` stores the rows: COPY on PostgreSQL (the fastest path, in one
transaction or from several processes), `bulk_create` elsewhere. This is a data tool, not a
business action: individual rows are not audited; one `data.generated` audit event records
the seed and the counts.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import itertools
import random
from collections.abc import Iterable, Iterator
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
    pick,
    workload_mix,
)
from srmt.service_requests.choices import Status, Urgency
from srmt.service_requests.escalations import HEADQUARTERS_OFFICE
from srmt.service_requests.expedite_models import ExpediteCriterion, ExpediteStatus
from srmt.service_requests.lifecycle import TERMINAL
from srmt.service_requests.models import EscalationStep, ServiceRequestType
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
_choose_type = chooser(TYPE_WEIGHTS)
_choose_channel = chooser(CHANNEL_WEIGHTS)

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


class SyntheticData:
    """Reproducible rows: the same (seed, requests, end, months) give the same batches.

    Requests come in chunks of `chunk_size`: chunk k has random streams and counters of
    its own, so `batches(chunks=...)` may make any chunks in any order and still give the
    rows they have in a run of all of them. The first chunk's main and expedite streams are
    those of the generator before chunks (its rows did not change)."""

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
        self._start_chunk(0)

    @property
    def chunk_count(self) -> int:
        return -(-self.total // self.chunk_size)

    def _start_chunk(self, chunk: int) -> None:
        """Streams and counters of `chunk`. A chunk's counters stay below the next chunk's
        start (each chunk makes at most `chunk_size` references, receipts and people, and
        may skip as many references and receipts already taken)."""
        if chunk == 0:
            self.rng = random.Random(self.seed)  # noqa: S311
            self.expedite_rng = random.Random(self.seed * 7919 + 2)  # noqa: S311
        else:
            self.rng = random.Random(f"srmt-generate:{self.seed}:{chunk}:main")  # noqa: S311
            self.expedite_rng = random.Random(  # noqa: S311
                f"srmt-generate:{self.seed}:{chunk}:expedite"
            )
        self.history_rng = random.Random(  # noqa: S311
            f"srmt-generate:{self.seed}:{chunk}:history"
        )
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
                batch = Batch()
                for _index in range(count):
                    self._add_request(batch)
                done += count
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
        criterion = self._expedite_criterion(start) if type_code == "expedite_request" else None
        case_index = None
        if needs_receipt or (type_code != "change_of_address" and rng.random() < 0.4):
            premium_allowed = criterion is None or criterion.allowed_for_premium_processing
            case_index = self._pick_case(batch, start, premium_allowed=premium_allowed)
        receipt = batch.cases[case_index][3] if case_index is not None else ""
        case_office = (
            self._office_code(batch.cases[case_index][5])
            if receipt and case_index is not None
            else ""
        )
        office, reason = self._route(receipt, case_office, type_code)
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
                "office": office,
                "reason": reason,
                "criterion": criterion,
            },
            path=path,
        )

    def _route(self, receipt: str, case_office: str, type_code: str) -> tuple[str, str]:
        """The office and reason routing gives (it reads the receipt's prefix only)."""
        key = (receipt[:3], case_office, type_code)
        if key not in self._route_cache:
            decision = route(RoutingFacts(receipt, case_office, type_code))
            self._route_cache[key] = (decision.office_code, decision.reason[:300])
        return self._route_cache[key]

    @functools.cached_property
    def _office_codes(self) -> dict[int, str]:
        return {office_id: code for code, (office_id, _tz) in self.catalogue.offices.items()}

    def _office_code(self, office_id: int) -> str:
        return self._office_codes[office_id]

    @functools.cached_property
    def _premium_forms(self) -> frozenset[str]:
        ids = self.catalogue.premium_forms
        return frozenset(code for code, form_id in self.catalogue.forms.items() if form_id in ids)

    def _pick_case(self, batch: Batch, start: dt.datetime, *, premium_allowed: bool = True) -> int:
        """A case of the batch again, or a new one; on a form eligible for premium
        processing only if `premium_allowed`."""
        if batch.cases and self.rng.random() < 0.3:
            index = self.rng.randrange(len(batch.cases))
            if premium_allowed or batch.cases[index][4] not in self.catalogue.premium_forms:
                return index
        rng = self.rng
        mix = self.mix if premium_allowed else workload_mix(without_forms=self._premium_forms)
        protected = rng.random() < PROTECTED_SHARE
        prefix = "EAC" if protected else mix.prefix(rng)
        form = rng.choice(PROTECTED_FORMS) if protected else mix.form(rng, prefix)
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
            return pick(self.rng, CLOSED_PATHS, _CLOSED_CUMULATIVE)
        return pick(self.rng, OPEN_PATHS, _OPEN_CUMULATIVE)

    def _add_request_rows(
        self, batch: Batch, *, start: dt.datetime, fields: dict[str, Any], path: tuple[Status, ...]
    ) -> None:
        office_code = fields["office"]
        office_id, time_zone = self.catalogue.offices[office_code]
        policy = self.catalogue.policy(fields["type_code"], fields["urgency"], start.date())
        horizon = min(self.end, start + dt.timedelta(days=20))
        moments = [start, *sorted(start + (horizon - start) * self.rng.random() for _s in path)]
        if fields["type_code"] != "expedite_request":
            path, moments = self._reopen(path, moments)
        request_index = len(batch.requests)
        offices = self._add_changes(batch, request_index, path, moments, office_id)
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
                offices[-1],
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
                path.count(Status.TRANSFERRED),
                None,
                0,
            ]
        )
        person = batch.people[fields["person_index"]]
        self._add_responses(batch, request_index, path, moments, offices, person)
        case = batch.cases[fields["case_index"]] if fields["case_index"] is not None else None
        self._add_escalations(batch, request_index, path, moments, offices, case)
        if case is not None:
            self._link_repeat(batch, request_index, fields["case_index"])
        if fields["criterion"] is not None:
            self._add_expedite(
                batch, batch.requests[-1], fields["criterion"], closed_at=moments[-1]
            )

    def _add_changes(
        self,
        batch: Batch,
        request_index: int,
        path: tuple[Status, ...],
        moments: list[dt.datetime],
        office_id: int,
    ) -> list[int]:
        """The status changes; returns the office holding the request after each."""
        previous = ""
        offices = []
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
                    # the due dates count from creation: no generated transfer restarts them
                    False if status == Status.TRANSFERRED else None,
                ]
            )
            office_id, previous = to_office, status
            offices.append(office_id)
        return offices

    # --- history (its own stream: the rows above do not depend on it) -----------------

    def _reopen(
        self, path: tuple[Status, ...], moments: list[dt.datetime]
    ) -> tuple[tuple[Status, ...], list[dt.datetime]]:
        """Some closed requests are reopened within 20 days, and some of them answered and
        closed again."""
        rng = self.history_rng
        if not path or path[-1] != Status.CLOSED or rng.random() >= REOPEN_SHARE:
            return path, moments
        more = rng.choices(REOPEN_PATHS, REOPEN_WEIGHTS)[0]
        closed = moments[-1]
        horizon = min(self.end, closed + dt.timedelta(days=20))
        if horizon <= closed:
            return path, moments
        later = sorted(closed + (horizon - closed) * rng.random() for _s in more)
        return (*path, *more), [*moments, *later]

    def _add_responses(
        self,
        batch: Batch,
        request_index: int,
        path: tuple[Status, ...],
        moments: list[dt.datetime],
        offices: list[int],
        person: list[Any],
    ) -> None:
        """A response for every answer: a move to RESPONDED is the initial response (or a
        follow-up after one), a move to CLOSED a final response; each written by staff of
        the office holding the request, with a survey for most final responses."""
        rng = self.history_rng
        delivery = "email" if person[4] else "mail"
        sent = False
        for status, moment, office_id in zip(path, moments[1:], offices[1:], strict=True):
            if status == Status.RESPONDED:
                kind = "follow_up" if sent else "initial"
            elif status == Status.CLOSED:
                kind = "final"
            else:
                continue
            sent = True
            author = (self._office_code(office_id), rng.randrange(DECIDERS_PER_OFFICE))
            batch.responses.append(
                [
                    len(batch.responses),
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
            if kind == "final" and rng.random() < SURVEY_SHARE:
                self._add_survey(batch, request_index, moment, language=person[7])

    def _add_survey(
        self, batch: Batch, request_index: int, sent_at: dt.datetime, *, language: str
    ) -> None:
        rng = self.history_rng
        nonce = base64.urlsafe_b64encode(rng.getrandbits(128).to_bytes(16, "big")).decode()
        answered_at, rating = None, None
        if rng.random() < SURVEY_ANSWER_SHARE:
            at = sent_at + dt.timedelta(days=10) * rng.random()
            if at <= self.end:
                answered_at = at
                rating = rng.choices((1, 2, 3, 4, 5), RATING_WEIGHTS)[0]
        batch.surveys.append(
            [
                len(batch.surveys),
                request_index,
                nonce.rstrip("="),
                language,
                sent_at,
                sent_at + dt.timedelta(days=SURVEY_DAYS),
                answered_at,
                rating,
                "",
            ]
        )

    def _add_escalations(
        self,
        batch: Batch,
        request_index: int,
        path: tuple[Status, ...],
        moments: list[dt.datetime],
        offices: list[int],
        case: list[Any] | None,
    ) -> None:
        """Each level of the ladder in force on the request's day that it reached: still
        running (open, not awaiting the customer) when the level fell due, before the end."""
        start = moments[0]
        statuses = (Status.RECEIVED, *path)
        for level, (step, due_after) in enumerate(self.catalogue.ladder(start.date()), 1):
            at = start + due_after
            if at > self.end:
                return
            now = max(i for i, moment in enumerate(moments) if moment <= at)
            if statuses[now] in NOT_RUNNING:
                return
            if step.target == "case_office":
                office_id = case[5] if case is not None else offices[now]
            elif step.target == "headquarters":
                office_id = self.catalogue.offices[HEADQUARTERS_OFFICE][0]
            else:
                office_id = step.office_id
            batch.escalations.append(
                [len(batch.escalations), request_index, step.id, level, office_id, at]
            )

    def _link_repeat(self, batch: Batch, request_index: int, case_index: int) -> None:
        """Link the request as a repeat of an earlier request of the batch on the same case
        and of the same type, open or closed within the repeat window when it came in (as
        intake offers them: repeats.candidates), as most staff would."""
        row = batch.requests[request_index]
        start, key = row[1], (case_index, row[4])
        earlier = batch.threads.setdefault(key, [])
        candidates = [
            i
            for i in earlier
            if batch.requests[i][1] < start
            and (batch.requests[i][20] is None or start - batch.requests[i][20] <= REPEAT_WINDOW)
        ]
        earlier.append(request_index)
        if not candidates or self.history_rng.random() >= REPEAT_LINK_SHARE:
            return
        latest = max(candidates, key=lambda i: batch.requests[i][1])
        root = batch.requests[latest][24]
        if root is None:
            root = latest
        row[24] = root
        thread = [i for i in earlier if i == root or batch.requests[i][24] == root]
        for i in thread:
            batch.requests[i][25] += 1

    def _expedite_criterion(self, start: dt.datetime) -> Criterion:
        """The criterion an expedite request of `start` claims: one in force on its day, by
        how often each is claimed (CRITERION_WEIGHTS)."""
        options = self.catalogue.criteria_in_force(start.date(), premium=False)
        weights = [CRITERION_WEIGHTS.get(c.code, 5) for c in options]
        return self.expedite_rng.choices(options, weights)[0]

    def _add_expedite(
        self, batch: Batch, request: list[Any], criterion: Criterion, *, closed_at: dt.datetime
    ) -> None:
        """The expedite details of `request` (expedite requests always have a case, on a
        form the criterion allows: _pick_case).

        Decided when the office holding the case closed the request: a decision is answered
        with a final response, which closes it (expedites.decide_expedite). Else pending."""
        rng = self.expedite_rng
        created_at, status, office_id = request[1], request[11], request[12]
        case = batch.cases[request[6]]
        family = CRITERION_FAMILY.get(criterion.code, criterion.code)
        template = rng.choice(JUSTIFICATIONS.get(family, JUSTIFICATIONS["humanitarian"]))
        justification = template.format(days=rng.randint(10, 90), amount=rng.randint(50, 900))
        decision: list[Any] = [str(ExpediteStatus.PENDING), None, None, ""]
        if status == Status.CLOSED and office_id == case[5]:
            decision = self._expedite_decision(criterion.code, family, office_id, at=closed_at)
        batch.expedites.append(
            [len(batch.expedites), request[0], criterion.id, justification, *decision, created_at]
        )

    def _expedite_decision(
        self, code: str, family: str, office_id: int, *, at: dt.datetime
    ) -> list[Any]:
        """status, decided_by (office code, slot), decided_at, decision_reason."""
        rng = self.expedite_rng
        decider = (self._office_code(office_id), rng.randrange(DECIDERS_PER_OFFICE))
        if rng.random() < APPROVAL_SHARE.get(code, 0.45):
            return [str(ExpediteStatus.APPROVED), decider, at, rng.choice(APPROVAL_NOTES)]
        reason = rng.choice(DENIAL_REASONS.get(family, GENERIC_DENIALS))
        return [str(ExpediteStatus.DENIED), decider, at, reason]

    def _transfer_target(self, office_id: int) -> int:
        nsc = self.catalogue.offices["NSC"][0]
        return nsc if office_id != nsc else self.catalogue.offices[TIER2_OFFICE][0]
