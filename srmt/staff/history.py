"""The history of a request as people read it: what happened, by whom, when, and why.

Built from what the detail page reads anyway (the timeline of responses, notes and status
changes, the audit events, the escalations and the expedite), so it costs at most one more
query (the names of the people assignments name). Moves that change nothing ("Responded →
Responded" when a follow-up response is sent) are left out: the response shows. Audit codes
are never shown, only their labels in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent
from srmt.erequests.models import AddedInformation
from srmt.service_requests import reasons
from srmt.service_requests.choices import Status
from srmt.service_requests.expedite_models import ExpediteRequest
from srmt.service_requests.models import (
    Escalation,
    InternalNote,
    Response,
    ServiceRequest,
    StatusChange,
)
from srmt.staff.selectors import TimelineEntry

# Kinds of entry (a CSS modifier each): what the template shows for it.
CREATED = "created"
STATUS = "status"
TRANSFER = "transfer"
REDIRECT = "redirect"
ASSIGNMENT = "assignment"
RESPONSE = "response"
NOTE = "note"
ESCALATION = "escalation"
EXPEDITE = "expedite"
ADDED = "added_information"  # what the customer added online instead of a repeat (ADR 44)


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    kind: str
    title: str
    actor: str  # who did it, as shown ("System" for the sweep)
    details: list[str] = field(default_factory=list)
    item: Any = None  # the response or note (its body is shown), else None

    @property
    def order(self) -> tuple[dt.datetime, int]:
        return (self.at, _ORDER.get(self.kind, 9))


_ORDER = {CREATED: 0, STATUS: 1, TRANSFER: 1, REDIRECT: 1, ASSIGNMENT: 2, RESPONSE: 3}


def name_of(user: User | None) -> str:
    if user is None:
        return _("System")
    return user.get_full_name() or user.get_username()


def is_noop(change: StatusChange) -> bool:
    """A move to the status it was already in, in the same office: nothing to read."""
    return change.from_status == change.to_status and change.from_office_id == change.to_office_id


def _office(change: StatusChange, *, to: bool = True) -> str:
    office = change.to_office if to else change.from_office
    return f"{office.code} – {office.name}" if office is not None else ""


def _status_entry(change: StatusChange) -> HistoryEntry:
    actor = name_of(change.actor)
    reason = change.display_reason
    if not change.from_status:
        title = _("Recorded and routed to %(office)s") % {"office": _office(change)}
        return HistoryEntry(change.created_at, CREATED, title, actor, _why(reason))
    if change.to_status == Status.TRANSFERRED:
        title = _("Transferred from %(old)s to %(new)s") % {
            "old": _office(change, to=False),
            "new": _office(change),
        }
        return HistoryEntry(change.created_at, TRANSFER, title, actor, _why(reason))
    if change.to_status == Status.REDIRECTED:
        title = _("Redirected to another agency and closed")
        return HistoryEntry(change.created_at, REDIRECT, title, actor, _why(reason))
    title = _("Status: %(old)s → %(new)s") % {
        "old": change.get_from_status_display(),
        "new": change.get_to_status_display(),
    }
    return HistoryEntry(change.created_at, STATUS, title, actor, _why(reason))


def _why(reason: str) -> list[str]:
    return [_("Why: %(reason)s") % {"reason": reason}] if reason else []


def _timeline_entry(entry: TimelineEntry) -> HistoryEntry | None:
    item = entry.item
    if isinstance(item, Response):
        return HistoryEntry(
            entry.at, RESPONSE, str(item.get_kind_display()), name_of(item.author), item=item
        )
    if isinstance(item, InternalNote):
        return HistoryEntry(entry.at, NOTE, _("Internal note"), name_of(item.author), item=item)
    if is_noop(item):
        return None
    return _status_entry(item)


def _assignments(
    events: Iterable[AuditEvent], timeline: Sequence[TimelineEntry]
) -> list[HistoryEntry]:
    """Assignments that moved no status (a move to Assigned already says who)."""
    moved = [
        e.item.reason_params.get("user")
        for e in timeline
        if isinstance(e.item, StatusChange) and e.item.reason_code == reasons.ASSIGNED
    ]
    assigned = []
    for event in events:
        if event.action != AuditAction.SERVICE_REQUEST_ASSIGNED:
            continue
        new = (event.changes.get("assignee") or [None, None])[1]
        if new is not None and new in moved:
            moved.remove(new)  # shown by its move to Assigned
            continue
        assigned.append(event)
    usernames = {(e.changes.get("assignee") or [None, None])[1] for e in assigned} - {None}
    names = (
        {u.get_username(): name_of(u) for u in User.objects.filter(username__in=usernames)}
        if usernames
        else {}
    )
    entries = []
    for event in assigned:
        new = (event.changes.get("assignee") or [None, None])[1]
        title = (
            _("Assigned to %(name)s") % {"name": names.get(new, new)}
            if new
            else _("Returned to the office queue, nobody assigned")
        )
        actor = name_of(event.actor) if event.actor else event.actor_username or _("System")
        entries.append(HistoryEntry(event.occurred_at, ASSIGNMENT, title, actor))
    return entries


def _escalation_entry(escalation: Escalation) -> HistoryEntry:
    title = _("Escalated (level %(level)s) to %(office)s") % {
        "level": escalation.level,
        "office": f"{escalation.office.code} – {escalation.office.name}",
    }
    details = [_("No answer within the escalation period.")]
    return HistoryEntry(escalation.escalated_at, ESCALATION, title, _("System"), details)


def _expedite_entry(expedite: ExpediteRequest) -> HistoryEntry | None:
    if expedite.decided_at is None:
        return None
    title = _("Expedite decision: %(decision)s") % {"decision": expedite.get_status_display()}
    details = _why(expedite.decision_reason)
    return HistoryEntry(expedite.decided_at, EXPEDITE, title, name_of(expedite.decided_by), details)


def _added_entry(added: AddedInformation) -> HistoryEntry:
    author = added.author
    return HistoryEntry(
        at=added.created_at,
        kind=ADDED,
        title=_("The customer added information online"),
        actor=author.get_full_name() or author.email or author.get_username(),
        item=added,
    )


def history(
    timeline: Sequence[TimelineEntry],
    *,
    audit_events: Iterable[AuditEvent] = (),
    escalations: Iterable[Escalation] = (),
    expedite: ExpediteRequest | None = None,
    added: Iterable[AddedInformation] = (),
) -> list[HistoryEntry]:
    """Every entry of the request's history, oldest first."""
    entries = [e for e in map(_timeline_entry, timeline) if e is not None]
    entries += [_added_entry(a) for a in added]
    entries += _assignments(audit_events, timeline)
    entries += [_escalation_entry(e) for e in escalations]
    decided = _expedite_entry(expedite) if expedite is not None else None
    if decided is not None:
        entries.append(decided)
    return sorted(entries, key=lambda e: e.order)


@dataclass(frozen=True)
class Whereabouts:
    """Why the request is at its office now: routed there, or transferred there."""

    routed: bool
    reason: str
    transfer: StatusChange | None = None


def whereabouts(sr: ServiceRequest, timeline: Sequence[TimelineEntry]) -> Whereabouts:
    """The routing caption: the last transfer's reason when the request was transferred
    (the routing reason no longer says why it is where it is), else the routing reason."""
    transfers = [
        e.item
        for e in timeline
        if isinstance(e.item, StatusChange) and e.item.to_status == Status.TRANSFERRED
    ]
    if transfers:
        last = transfers[-1]
        return Whereabouts(routed=False, reason=last.display_reason, transfer=last)
    return Whereabouts(routed=True, reason=sr.display_routing_reason if sr.routing_reason else "")
