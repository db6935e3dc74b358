"""The service request lifecycle: one explicit transition table. Pure, no I/O.

Staff move a request with `transition_request`; responses move it too (an initial or
follow-up response to RESPONDED, a final response to CLOSED), which is why RESPONDED and
CLOSED are reachable in ALLOWED but not in MANUAL_TARGETS.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from django.utils.translation import gettext as _

from srmt.core.errors import DomainError
from srmt.service_requests.choices import Status

S = Status

TERMINAL: Final = frozenset({S.CLOSED, S.REDIRECTED, S.WITHDRAWN, S.MERGED})
OPEN_STATUSES: Final = frozenset(set(Status) - TERMINAL)

_FROM_NEW: Final = frozenset(
    {
        S.ASSIGNED,
        S.IN_PROGRESS,
        S.AWAITING_CUSTOMER,
        S.AWAITING_OFFICE,
        S.RESPONDED,
        S.CLOSED,
        S.TRANSFERRED,
        S.REDIRECTED,
        S.WITHDRAWN,
        S.MERGED,
    }
)

ALLOWED: Final[Mapping[Status, frozenset[Status]]] = {
    S.RECEIVED: _FROM_NEW,
    S.TRANSFERRED: _FROM_NEW,
    S.REOPENED: _FROM_NEW,
    S.ASSIGNED: _FROM_NEW,  # ASSIGNED -> ASSIGNED is a reassignment
    S.IN_PROGRESS: _FROM_NEW - {S.IN_PROGRESS},
    S.AWAITING_CUSTOMER: frozenset(
        {S.IN_PROGRESS, S.RESPONDED, S.CLOSED, S.TRANSFERRED, S.WITHDRAWN}
    ),
    S.AWAITING_OFFICE: frozenset(
        {S.IN_PROGRESS, S.RESPONDED, S.CLOSED, S.TRANSFERRED, S.WITHDRAWN}
    ),
    S.RESPONDED: frozenset(
        {
            S.IN_PROGRESS,
            S.AWAITING_CUSTOMER,
            S.AWAITING_OFFICE,
            S.RESPONDED,
            S.CLOSED,
            S.TRANSFERRED,
            S.WITHDRAWN,
        }
    ),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REDIRECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.MERGED: frozenset(),
}

# Targets staff may choose directly; RESPONDED and CLOSED come from sending a response.
MANUAL_TARGETS: Final = frozenset(set(Status) - {S.RESPONDED, S.CLOSED, S.RECEIVED})


class InvalidTransition(DomainError):
    code = "invalid_transition"
    http_status = 409


class ResponseRequired(DomainError):
    code = "response_required"
    http_status = 409


def can_move(current: Status | str, target: Status | str) -> bool:
    return Status(target) in ALLOWED.get(Status(current), frozenset())


def require(current: Status | str, target: Status | str) -> None:
    if not can_move(current, target):
        raise InvalidTransition(
            _("A request that is %(current)s cannot be moved to %(target)s.")
            % {"current": Status(current).label, "target": Status(target).label},
            field="to",
            current=str(current),
            target=str(target),
        )


def require_manual(current: Status | str, target: Status | str) -> None:
    if Status(target) in {S.RESPONDED, S.CLOSED}:
        raise ResponseRequired(
            _("Send a response to answer a request; a final response closes it."), field="to"
        )
    require(current, target)


def manual_targets(current: Status | str) -> list[Status]:
    return [s for s in Status if s in MANUAL_TARGETS and can_move(current, s)]
