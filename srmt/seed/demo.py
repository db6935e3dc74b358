"""Demo data: one user per role, a few hundred cases and service requests (`srmt demo`).

Everything is created through the service layer (upsert_case, submit_request, assign_request,
add_response, transition_request), so status history, responses, notifications and audit
events are real. The services stamp their rows with the current time; to spread the data
over the last months, `_backdate` afterwards moves the timestamps of the rows this module
just created (request, status changes, responses, case) to their simulated times with
queryset updates. Only timestamps move, never statuses. Audit events keep the real time at
which the demo ran: the audit log is append-only and tells the truth about when rows were
written.

The random generator has a fixed seed, so every installation gets the same demo. Loading is
idempotent: when the demo users and requests are already there, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.cases.choices import PartyRole
from srmt.cases.models import Case
from srmt.cases.services import CaseData, PartyData, upsert_case
from srmt.notifications.choices import DeliveryStatus
from srmt.notifications.models import Notification
from srmt.offices.constants import PREFIX_OFFICES, TIER2_OFFICE
from srmt.offices.models import Office
from srmt.qa import services as qa
from srmt.reporting.models import RollupState
from srmt.reporting.rollups import build as rollups
from srmt.reporting.rollups.build import RefreshResult
from srmt.reviews.defaults import load_default_rules
from srmt.seed.demo_access import DemoAccess, ensure_demo_access
from srmt.seed.demo_accounts import ensure_demo_representative
from srmt.seed.demo_responses import demo_response
from srmt.seed.expedite_criteria import demo_expedite
from srmt.seed.mix import (
    CHANNEL_WEIGHTS,
    PROTECTED_FORMS,
    TYPE_WEIGHTS,
    describe,
    email_for,
    person_name,
    phone_for,
    weighted,
    workload_mix,
)
from srmt.seed.reference import load_reference
from srmt.service_requests import services
from srmt.service_requests.choices import Channel, ResponseKind, Status, Urgency
from srmt.service_requests.lifecycle import TERMINAL
from srmt.service_requests.models import Response, ServiceRequest, StatusChange
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.services import reviews as review_flow
from srmt.sla.services import deadlines_for

SEED = 1367
DEMO_CASES = 400
DEMO_PROTECTED_CASES = 8
DEMO_REQUESTS = 300
PROTECTED_OFFICE = "ESC-VAWA"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    offices: tuple[str, ...] = ()
    is_1367_cleared: bool = False
    is_admin: bool = False


DEMO_USERS = (
    DemoUser("tier1", Role.TIER1, ("CC-T1",)),
    DemoUser("tier2", Role.TIER2, ("CC-T2",)),
    DemoUser("vsc_officer", Role.OFFICE_STAFF, ("ESC", PROTECTED_OFFICE), is_1367_cleared=True),
    DemoUser("nsc_officer", Role.OFFICE_STAFF, ("NSC",)),
    DemoUser("supervisor", Role.SUPERVISOR),
    # A second supervisor with the same offices (none: national), so that the four-eyes rule
    # of supervisory review can be shown: neither decides on their own responses (ADR 35).
    DemoUser("supervisor2", Role.SUPERVISOR),
    DemoUser("qa", Role.QA_REVIEWER),
    DemoUser("analyst", Role.ANALYST),
    DemoUser("admin", Role.ADMINISTRATOR, is_admin=True),
    # The case systems' integration account: writes case records, cleared for 1367 because
    # the case systems hold protected cases (ADR 16).
    DemoUser("case_system", Role.CASE_SYSTEM, is_1367_cleared=True),
)
DEMO_USERNAMES = tuple(u.username for u in DEMO_USERS)

# Who works (and assigns) requests at an office; elsewhere the national supervisor does.
# Protected (1367) requests sit at the VAWA unit, worked by the only cleared user.
OFFICE_WORKERS = {"ESC": "vsc_officer", PROTECTED_OFFICE: "vsc_officer", "NSC": "nsc_officer"}
OFFICE_WORKERS[TIER2_OFFICE] = "tier2"

# outcome -> (weight, steps); steps run in order after intake.
OUTCOMES: dict[str, tuple[int, tuple[str, ...]]] = {
    "received": (8, ()),
    "assigned": (8, ("assign",)),
    "in_progress": (7, ("assign", "in_progress")),
    "responded": (8, ("assign", "initial")),
    "awaiting_customer": (4, ("assign", "initial", "awaiting_customer")),
    "closed": (45, ("assign", "initial", "final")),
    "closed_final_only": (8, ("assign", "final")),
    "transferred": (4, ("transfer",)),
    "transferred_closed": (5, ("transfer", "assign", "final")),
    "withdrawn": (3, ("withdrawn",)),
}
OPEN_OUTCOMES = frozenset({"received", "assigned", "in_progress", "responded", "transferred"})
OPEN_OUTCOMES |= {"awaiting_customer"}


@dataclass
class DemoReport:
    created: bool
    users: int = 0
    cases: int = 0
    requests: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    access: DemoAccess | None = None
    rollup: RefreshResult | None = None  # the daily rollups built over the demo (ADR 48)


def demo_present() -> bool:
    """True once the demo requests are in the database."""
    made_by_demo = ServiceRequest.objects.filter(created_by__username__in=DEMO_USERNAMES)
    return made_by_demo.count() >= DEMO_REQUESTS


def load_demo(*, password: str, now: dt.datetime | None = None) -> DemoReport:
    """Load reference data and the demo; a second call changes nothing. A demo loaded by an
    earlier release gets the demo users it lacks, and nothing else."""
    load_reference()
    if demo_present():
        with transaction.atomic():
            _create_users(password)
            load_default_rules()
            ensure_demo_representative(password)
        report = DemoReport(created=False, access=ensure_demo_access(today=timezone.localdate()))
        if not RollupState.objects.exists():  # a demo loaded before the rollups existed
            report.rollup = rollups.rebuild()
        return report
    now = now or timezone.now()
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    with transaction.atomic():
        users = _create_users(password)
        cases = _create_cases(rng, actor=users["case_system"], today=now.date())
        report = DemoReport(created=True, users=len(users), cases=len(cases))
        _DemoRequests(rng, users, cases, now, report).create(DEMO_REQUESTS)
        _mark_history_delivered()
        _draw_qa_samples(users["qa"], now)
        # The history above was answered before review rules existed; from now on they hold
        # responses, and a few are waiting for a supervisor (ADR 35).
        load_default_rules()
        _held_for_review(users, today=now.date())
        ensure_demo_representative(password)  # issue 11: a representative's account
        report.access = ensure_demo_access(today=now.date())
    # The reports and dashboards read the daily rollups: build them over the demo history.
    report.rollup = rollups.rebuild()
    return report


def _draw_qa_samples(reviewer: User, now: dt.datetime) -> None:
    """National QA review (ADR 36): the samples of the last four full weeks, seed 7."""
    for weeks_ago in range(4, 0, -1):
        year, week, _day = (now - dt.timedelta(weeks=weeks_ago)).isocalendar()
        qa.draw_sample(week=f"{year}-W{week:02d}", seed=7, actor=reviewer, at=now)


# How many demo responses wait for supervisory review, and the probation period of the
# demo's Tier 2 worker (every response they write is reviewed meanwhile).
DEMO_HELD_RESPONSES = 3
DEMO_PROBATION_DAYS = 90
_HELD_BODY = (
    "We checked your case today: the office holding it asked for your medical exam "
    "record (Form I-693) on %(date)s. Send it with the reference of this request."
)


def _held_for_review(users: dict[str, User], *, today: dt.date) -> int:
    """Put the Tier 2 worker on probation and have a few open requests answered so that a
    review rule holds the answers: they wait in the review queue. Returns how many."""
    tier2 = users["tier2"]
    tier2.probation_until = today + dt.timedelta(days=DEMO_PROBATION_DAYS)
    tier2.save(update_fields=["probation_until"])
    candidates = (
        ServiceRequest.objects.filter(
            status__in=[Status.ASSIGNED, Status.IN_PROGRESS], first_responded_at__isnull=True
        )
        .select_related("type", "office", "case", "requester")
        .order_by("id")
    )
    held = 0
    for sr in candidates:
        if sr.is_confidential:
            continue  # no demo supervisor is cleared for 1367 cases: none could decide it
        worker = users[OFFICE_WORKERS.get(sr.office.code, "supervisor")]
        body = _HELD_BODY % {"date": today.isoformat()}
        draft = Response(service_request=sr, kind=ResponseKind.INITIAL, author=worker, body=body)
        if review_flow.rule_for(draft) is None:
            continue
        services.add_response(sr, actor=worker, kind=ResponseKind.INITIAL, body=body)
        held += 1
        if held == DEMO_HELD_RESPONSES:
            break
    return held


def _mark_history_delivered() -> None:
    """The demo's responses are backdated history: count their emails as delivered.

    Runs before the commit, so the delivery tasks queued on commit find nothing to send and
    `make run` does not flood the local mail catcher with hundreds of old messages.
    """
    Notification.objects.filter(status=DeliveryStatus.QUEUED).update(
        status=DeliveryStatus.SENT, sent_at=F("created_at")
    )


def _create_users(password: str) -> dict[str, User]:
    users = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User.objects.create_user(
                username=spec.username,
                password=password,
                email=f"{spec.username}@srmt.example",
                role=spec.role,
                is_1367_cleared=spec.is_1367_cleared,
                is_staff=spec.is_admin,
                is_superuser=spec.is_admin,
            )
            user.offices.set(Office.objects.filter(code__in=spec.offices))
        users[spec.username] = user
    return users


def _create_cases(rng: random.Random, *, actor: User, today: dt.date) -> list[Case]:
    mix = workload_mix()
    seen: set[str] = set()
    cases = []
    for index in range(DEMO_CASES + DEMO_PROTECTED_CASES):
        protected = index >= DEMO_CASES
        prefix = "EAC" if protected else mix.prefix(rng)
        form = rng.choice(PROTECTED_FORMS) if protected else mix.form(rng, prefix)
        received_on = today - dt.timedelta(days=rng.randint(30, 540))
        receipt = _receipt_number(rng, prefix, received_on, seen)
        updated_on = received_on + dt.timedelta(days=rng.randint(0, (today - received_on).days))
        name = person_name(rng)
        data = CaseData(
            receipt_number=receipt,
            form_type=form,
            office=PROTECTED_OFFICE if protected else PREFIX_OFFICES[prefix],
            received_on=received_on,
            status_text=mix.status_text(rng, form),
            status_updated_on=updated_on,
            is_protected=protected,
            parties=[_applicant(rng, name, index)],
        )
        # The case systems send each status as it happens: the history ends in the current one.
        for status_text, on in status_history(data.status_text, received_on, updated_on):
            case, _created = upsert_case(
                replace(data, status_text=status_text, status_updated_on=on), actor=actor
            )
        received_at = dt.datetime.combine(received_on, dt.time(14), tzinfo=dt.UTC)
        Case.objects.filter(pk=case.pk).update(created_at=received_at)
        cases.append(case)
    return cases


# A plausible road to a case's current status (issue 11: the status page and the Case Status
# API show the history). Rejections happen at intake; other cases were received first.
_INTAKE_STATUSES = frozenset(
    {
        "Case Was Received",
        "Case Was Received and A Receipt Notice Was Sent",
        "Case Was Rejected Because It Was Improperly Filed",
        "Case Rejected Because I Sent An Incorrect Fee",
        "Case Was Rejected Because I Did Not Sign My Form",
        "Case Rejected For Incorrect Fee And Form Not Signed",
        "Case Rejected Because The Version Of The Form I Sent Is No Longer Accepted",
        "Case Rejected For Incorrect Fee And Incorrect Form Version",
        "Petition/Application Was Rejected For Insufficient Funds",
        "Fees Were Waived",
    }
)
_LATER_STEPS = (
    "Case Was Updated To Show Fingerprints Were Taken",
    "Case Is Being Actively Reviewed By USCIS",
)


def status_history(
    current: str, received_on: dt.date, updated_on: dt.date
) -> list[tuple[str, dt.date]]:
    """2 to 4 statuses, dated from `received_on` to `updated_on`, ending in `current`.

    Its own random generator (seeded by the case's facts), so the demo's other draws stay
    as they were."""
    rng = random.Random(f"{SEED}|{current}|{received_on}|{updated_on}")  # noqa: S311 (demo data)
    if current in _INTAKE_STATUSES:
        steps = ["Case Accepted By The USCIS Lockbox", current]
    else:
        later = [step for step in _LATER_STEPS if step != current and rng.random() < 0.6]
        steps = ["Case Was Received", *later, current]
    span = (updated_on - received_on).days
    last = len(steps) - 1
    return [
        (step, received_on + dt.timedelta(days=span * i // last)) for i, step in enumerate(steps)
    ]


def _receipt_number(rng: random.Random, prefix: str, received_on: dt.date, seen: set[str]) -> str:
    fiscal_year = (received_on.year + (received_on.month >= 10)) % 100
    while True:
        receipt = f"{prefix}{fiscal_year:02d}{rng.randint(900, 999)}{rng.randint(0, 99999):05d}"
        if receipt not in seen:
            seen.add(receipt)
            return receipt


def _applicant(rng: random.Random, name: str, serial: int) -> PartyData:
    return PartyData(
        name=name,
        role=PartyRole.APPLICANT,
        email=email_for(name, serial),
        phone=phone_for(rng),
        language="es" if rng.random() < 0.25 else "en",
    )


class _DemoRequests:
    """Submits the demo requests and walks each through its planned outcome."""

    def __init__(
        self,
        rng: random.Random,
        users: dict[str, User],
        cases: list[Case],
        now: dt.datetime,
        report: DemoReport,
    ) -> None:
        self.rng = rng
        self.users = users
        self.cases = [c for c in cases if not c.is_protected]
        self.protected = [c for c in cases if c.is_protected]
        self.now = now
        self.report = report
        self.steps: dict[str, Callable[[ServiceRequest], ServiceRequest]] = {
            "assign": self._assign,
            "in_progress": lambda sr: self._transition(sr, Status.IN_PROGRESS, ""),
            "initial": lambda sr: self._respond(sr, ResponseKind.INITIAL),
            "final": lambda sr: self._respond(sr, ResponseKind.FINAL),
            "awaiting_customer": lambda sr: self._transition(
                sr, Status.AWAITING_CUSTOMER, "Asked the customer for a copy of the notice."
            ),
            "transfer": self._transfer,
            "withdrawn": lambda sr: self._transition(
                sr, Status.WITHDRAWN, "The customer called back: the card arrived."
            ),
        }

    def create(self, count: int) -> None:
        for index in range(count):
            outcome = weighted(self.rng, {k: w for k, (w, _steps) in OUTCOMES.items()})
            case = self.protected[index] if index < len(self.protected) else None
            if case is not None and outcome.startswith("transferred"):
                outcome = "in_progress"  # 1367 files stay with the cleared VAWA unit
            sr = self._submit(case)
            for step in OUTCOMES[outcome][1]:
                sr = self.steps[step](sr)
            self._backdate(sr, outcome)
            self.report.requests += 1
            self.report.outcomes[outcome] = self.report.outcomes.get(outcome, 0) + 1

    def _submit(self, case: Case | None) -> ServiceRequest:
        request_type = "general_case_inquiry" if case else weighted(self.rng, TYPE_WEIGHTS)
        channel = weighted(self.rng, CHANNEL_WEIGHTS)
        if case is None and (request_type != "change_of_address" or self.rng.random() < 0.3):
            case = self.rng.choice(self.cases)
        party = case.parties.select_related("person").first() if case else None
        name = party.person.name if party else person_name(self.rng)
        serial = 10_000 + self.rng.randint(0, 99_999)
        urgent = request_type in {"tier2_callback", "expedite_request"} and self.rng.random() < 0.2
        sr, _created = services.submit_request(
            services.Submission(
                type=request_type,
                channel=channel,
                description=describe(request_type, case.receipt_number if case else ""),
                receipt_number=case.receipt_number if case else "",
                urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
                requester=RequesterData(
                    name=name,
                    email=party.person.email if party else email_for(name, serial),
                    phone=party.person.phone if party else phone_for(self.rng),
                    language=party.person.language if party else "en",
                ),
                expedite=demo_expedite(case) if request_type == "expedite_request" else None,
            ),
            actor=self.users["tier2" if channel == Channel.PHONE_TIER2 else "tier1"],
        )
        return sr

    def _worker(self, sr: ServiceRequest) -> User:
        return self.users[OFFICE_WORKERS.get(sr.office.code, "supervisor")]

    def _assign(self, sr: ServiceRequest) -> ServiceRequest:
        worker = self._worker(sr)
        return services.assign_request(sr, actor=worker, assignee=worker)

    def _transition(self, sr: ServiceRequest, to: str, reason: str) -> ServiceRequest:
        return services.transition_request(sr, actor=self._worker(sr), to=to, reason=reason)

    def _respond(self, sr: ServiceRequest, kind: ResponseKind) -> ServiceRequest:
        # News of an action taken on a day of its own (demo_responses).
        on = self.now.date() - dt.timedelta(days=3 + self.report.requests)
        body = demo_response(sr, kind, on=on)
        services.add_response(sr, actor=self._worker(sr), kind=kind, body=body)
        return ServiceRequest.objects.select_related("office").get(pk=sr.pk)

    def _transfer(self, sr: ServiceRequest) -> ServiceRequest:
        target = "NSC" if sr.office.code != "NSC" else "ESC"
        return services.transition_request(
            sr,
            actor=self.users["supervisor"],
            to=Status.TRANSFERRED,
            reason=f"The file was moved to {target}.",
            office_code=target,
        )

    def _backdate(self, sr: ServiceRequest, outcome: str) -> None:
        """Move the rows just created to simulated times (see the module docstring)."""
        open_request = outcome in OPEN_OUTCOMES
        age = dt.timedelta(days=self.rng.uniform(0.2, 40 if open_request else 180))
        start = self.now - age
        changes = list(StatusChange.objects.filter(service_request=sr).order_by("id"))
        horizon = min(self.now, start + dt.timedelta(days=25))
        later = sorted(start + (horizon - start) * self.rng.random() for _c in changes[1:])
        moments = [start, *later]
        for change, moment in zip(changes, moments, strict=True):
            StatusChange.objects.filter(pk=change.pk).update(created_at=moment)
        answers = [m for c, m in zip(changes, moments, strict=True) if _is_answer(c)]
        for response, moment in zip(
            Response.objects.filter(service_request=sr), answers, strict=True
        ):
            Response.objects.filter(pk=response.pk).update(created_at=moment, updated_at=moment)
        sr.refresh_from_db()
        deadlines = deadlines_for(
            sr.type.code, sr.urgency, start=start, time_zone=sr.office.time_zone
        )
        ServiceRequest.objects.filter(pk=sr.pk).update(
            created_at=start,
            updated_at=moments[-1],
            first_response_due_at=deadlines.first_response_due_at,
            due_at=deadlines.due_at,
            first_responded_at=answers[0] if answers else None,
            closed_at=moments[-1] if sr.status in TERMINAL else None,
        )


def _is_answer(change: StatusChange) -> bool:
    return change.to_status in {Status.RESPONDED, Status.CLOSED}
