"""The escalation ladder: set-based, idempotent escalation of requests nobody answered.

Level N is due once a request has stayed open (time awaiting the customer excluded) for the
sum of the `days_after_previous` of steps 1..N in force, counted from its receipt, and it
reached level N-1. Rows are inserted with INSERT ... SELECT ... ON CONFLICT DO NOTHING on
the unique (request, level): two sweeps at once cannot escalate a request twice, and the
one whose insert won notifies the supervisors of the target office (one digest per office
and sweep, so a backlog does not flood their inboxes).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.notifications.choices import MessageKind
from srmt.notifications.internal import notify_staff
from srmt.offices.models import Office
from srmt.service_requests import workspace_hooks
from srmt.service_requests.choices import Status
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import (
    Escalation,
    EscalationStep,
    EscalationTarget,
    ServiceRequest,
)

HEADQUARTERS_OFFICE = "HQ-SCOPS"
DIGEST_REFERENCES = 20
# Statuses whose clocks run: open, and not waiting for the customer.
RUNNING_STATUSES = tuple(sorted(s.value for s in OPEN_STATUSES if s != Status.AWAITING_CUSTOMER))


# The published ladder (also seeded by migration 0002_deadline_clocks).
DEFAULT_LADDER = (
    (1, "Office holding the case", 15, EscalationTarget.CASE_OFFICE),
    (2, "Headquarters (HQ-SCOPS)", 21, EscalationTarget.HEADQUARTERS),
)
DEFAULT_LADDER_START = dt.date(2000, 1, 1)


def load_default_ladder() -> int:
    """Create the published ladder's steps where missing; returns how many were created."""
    created = 0
    for order, name, days, target in DEFAULT_LADDER:
        _step, was_created = EscalationStep.objects.get_or_create(
            order=order,
            effective_from=DEFAULT_LADDER_START,
            defaults={"name": name, "days_after_previous": days, "target": target},
        )
        created += was_created
    return created


class LadderMisconfigured(LookupError):
    """A step points at an office that does not exist."""


@dataclass
class EscalationReport:
    by_level: dict[int, int] = field(default_factory=dict)
    notifications: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_level.values())


def steps_in_force(on: dt.date) -> list[EscalationStep]:
    """The ladder on a date: for each order, the newest step in force."""
    steps = EscalationStep.objects.filter(effective_from__lte=on).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gt=on)
    )
    newest: dict[int, EscalationStep] = {}
    for step in steps.order_by("order", "-effective_from"):
        newest.setdefault(step.order, step)
    return [newest[order] for order in sorted(newest)]


def escalate_due(at: dt.datetime) -> EscalationReport:
    """Escalate every request due a new level at `at`; returns what this call inserted."""
    report = EscalationReport()
    inserted: dict[int, list[int]] = defaultdict(list)  # office id -> request ids
    levels: list[tuple[int, int, int]] = []  # (request id, level, office id): in-app notices
    elapsed = dt.timedelta(0)
    steps = steps_in_force(at.date())
    targets = [_target_sql(step) for step in steps]  # refuse a bad ladder before any insert
    for level, (step, target) in enumerate(zip(steps, targets, strict=True), start=1):
        elapsed += dt.timedelta(days=step.days_after_previous)
        rows = _insert_level(step, target, level=level, cutoff=at - elapsed, at=at)
        report.by_level[level] = len(rows)
        for request_id, office_id in rows:
            inserted[office_id].append(request_id)
            levels.append((request_id, level, office_id))
    report.notifications = _notify(inserted, at=at)
    workspace_hooks.escalated(levels)
    return report


def _target_sql(step: EscalationStep) -> tuple[str, list[object]]:
    if step.target == EscalationTarget.CASE_OFFICE:
        return "COALESCE(c.office_id, sr.office_id)", []
    if step.target == EscalationTarget.HEADQUARTERS:
        office_id = Office.objects.filter(code=HEADQUARTERS_OFFICE).values_list("id", flat=True)
        if not office_id:
            raise LadderMisconfigured(f"Office {HEADQUARTERS_OFFICE} does not exist.")
        return "%s", [office_id[0]]
    return "%s", [step.office_id]


def _paused_sql() -> str:
    # created_at + paused_seconds <= cutoff, in each database's own date arithmetic.
    if connection.vendor == "postgresql":
        return "sr.created_at + make_interval(secs => sr.paused_seconds) <= %s"
    return "julianday(sr.created_at) + sr.paused_seconds / 86400.0 <= julianday(%s)"


def _insert_level(
    step: EscalationStep,
    target_sql: tuple[str, list[object]],
    *,
    level: int,
    cutoff: dt.datetime,
    at: dt.datetime,
) -> list[tuple[int, int]]:
    """Insert level `level` for every running request past `cutoff` that reached the level
    below and not this one. The level reached is read from the escalation rows themselves
    (the (request, level) unique index), so escalating writes only these narrow rows."""
    sr_table = ServiceRequest._meta.db_table
    esc_table = Escalation._meta.db_table
    target, target_params = target_sql
    statuses = ", ".join(["%s"] * len(RUNNING_STATUSES))
    reached_below = ""
    if level > 1:
        reached_below = (
            f"AND EXISTS (SELECT 1 FROM {esc_table} below "  # noqa: S608 (model metadata)
            "WHERE below.service_request_id = sr.id AND below.level = %s)"
        )
    sql = f"""
        INSERT INTO {esc_table}
            (service_request_id, step_id, level, office_id, escalated_at)
        SELECT sr.id, %s, %s, {target}, %s
        FROM {sr_table} sr LEFT JOIN cases_case c ON c.id = sr.case_id
        WHERE sr.status IN ({statuses})
          AND sr.created_at <= %s AND {_paused_sql()}
          AND NOT EXISTS (SELECT 1 FROM {esc_table} done
                          WHERE done.service_request_id = sr.id AND done.level >= %s)
          {reached_below}
        ORDER BY sr.id
        ON CONFLICT (service_request_id, level) DO NOTHING
        RETURNING service_request_id, office_id
    """  # noqa: S608 (table names come from model metadata, values are parameters)
    params: list[Any] = [
        step.pk,
        level,
        *target_params,
        _param(at),
        *RUNNING_STATUSES,
        _param(cutoff),
        _param(cutoff),
        level,
        *([] if level == 1 else [level - 1]),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(r[0]), int(r[1])) for r in cursor.fetchall()]


def _param(value: dt.datetime) -> object:
    # SQLite stores naive UTC text; PostgreSQL takes the aware datetime.
    if connection.vendor == "postgresql":
        return value
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def _supervisors(office_ids: set[int]) -> list[User]:
    """Active supervisors with an email whose offices include one of `office_ids`, and the
    national ones (no offices)."""
    supervisors = User.objects.filter(role=Role.SUPERVISOR, is_active=True).exclude(email="")
    return list(
        supervisors.filter(Q(offices__in=office_ids) | Q(offices__isnull=True))
        .distinct()
        .order_by("pk")
    )


def _concerns(user: User, *, target_id: int, office_id: int) -> bool:
    """Whether an escalation to `target_id` of a request held by `office_id` concerns the
    supervisor: national supervisors, and those of either office."""
    mine = user.office_ids()
    return not mine or target_id in mine or office_id in mine


def _notify(inserted: dict[int, list[int]], *, at: dt.datetime) -> int:
    """One digest per office escalated to and supervisor concerned (of that office, of the
    request's own office, or national), naming only what that supervisor may see: the
    requests on 8 U.S.C. 1367 cases, and anything escalated to a confidential unit, go to
    cleared supervisors only (an uncleared one is told nothing of them, not even a count)."""
    sent = 0
    offices = Office.objects.in_bulk(list(inserted))
    for target_id, request_ids in sorted(inserted.items()):
        office = offices[target_id]
        escalated = list(
            ServiceRequest.objects.filter(pk__in=request_ids)
            .order_by("reference")
            .values_list("reference", "case__is_protected", "office_id")
        )
        for user in _supervisors({target_id, *(held for _r, _p, held in escalated)}):
            cleared = user.is_1367_cleared
            if office.is_confidential and not cleared:
                continue
            shown = [
                (ref, bool(protected))
                for ref, protected, held in escalated
                if (cleared or not protected)
                and _concerns(user, target_id=target_id, office_id=held)
            ]
            if not shown:
                continue
            names_protected = any(protected for _ref, protected in shown)
            references = [ref for ref, _protected in shown]
            with translation.override(user.language):
                subject, body = _digest(office, len(references), references[:DIGEST_REFERENCES])
            notify_staff(
                kind=MessageKind.ESCALATION_DIGEST,
                to_address=user.email,
                subject=subject,
                body=body,
                language=user.language,
                related_reference=references[0] if len(references) == 1 else "",
                is_confidential=office.is_confidential or names_protected,
            )
            sent += 1
    return sent


def staff_link(reference: str) -> str:
    """The request's staff page as an absolute address (SRMT_STAFF_BASE_URL)."""
    return f"{settings.SRMT_STAFF_BASE_URL}{reverse('staff:request-detail', args=[reference])}"


def _digest(office: Office, count: int, references: list[str]) -> tuple[str, str]:
    """Subject and body of a digest: each request named with a link to its page, and the
    count in the right plural ("1 service request", "2 service requests")."""
    values = {"count": count, "office": office.code}
    subject = (
        ngettext(
            "%(count)d service request escalated to %(office)s",
            "%(count)d service requests escalated to %(office)s",
            count,
        )
        % values
    )
    intro = ngettext(
        "This service request had no answer within the escalation period and was "
        "escalated to %(office)s:",
        "These service requests had no answer within the escalation period and were "
        "escalated to %(office)s:",
        count,
    ) % {"office": f"{office.code} {office.name}"}
    lines = [intro, "", *(f"{ref}  {staff_link(ref)}" for ref in references)]
    if count > len(references):
        lines += ["", _("and %(more)d more.") % {"more": count - len(references)}]
    return subject, "\n".join(lines)
