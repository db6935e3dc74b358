"""Bulk actions of the queue: one action for many requests, each request still one audited
service call in its own savepoint, so a refusal leaves that request exactly as it was and
does not undo the others (docs/adr/0031)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.core.errors import DomainError
from srmt.service_requests import policies, services
from srmt.service_requests.models import ServiceRequest
from srmt.staff import submissions
from srmt.staff.workspace_forms import ASSIGN, STATUS, TRANSFER


@dataclass(frozen=True)
class RowResult:
    reference: str
    done: bool
    message: str


def not_found_message() -> str:
    # The same words for a reference that names nothing and one the user may not see.
    return _("No service request matches that reference, or you may not see it.")


def apply(
    user: User,
    references: Iterable[str],
    *,
    action: str,
    assignee: User | None = None,
    office_code: str = "",
    to: str = "",
    reason: str = "",
) -> list[RowResult]:
    """Run `action` on each request in turn; a per-row report of what was done or refused."""
    call: Callable[[ServiceRequest], ServiceRequest]
    if action == ASSIGN:

        def call(sr: ServiceRequest) -> ServiceRequest:
            return services.assign_request(sr, actor=user, assignee=assignee)
    elif action == TRANSFER:

        def call(sr: ServiceRequest) -> ServiceRequest:
            return services.transition_request(
                sr, actor=user, to="transferred", reason=reason, office_code=office_code
            )
    elif action == STATUS:

        def call(sr: ServiceRequest) -> ServiceRequest:
            return services.transition_request(sr, actor=user, to=to, reason=reason)
    else:
        raise ValueError(f"{action!r} is not a bulk action.")
    return [_one(user, reference, call) for reference in references]


def _one(user: User, reference: str, call: Callable[[ServiceRequest], ServiceRequest]) -> RowResult:
    try:
        sr = policies.get_request_for_user(user, reference)
    except Http404:
        return RowResult(reference, False, not_found_message())
    try:
        with transaction.atomic(), submissions.service_call():
            done = call(sr)
    except DomainError as exc:  # a refusal, permissions included: nothing of it was kept
        return RowResult(sr.reference, False, exc.message)
    return RowResult(sr.reference, True, _done_message(done))


def _done_message(sr: ServiceRequest) -> str:
    if sr.assignee is not None:
        return _("Done. Status: %(status)s; assigned to %(name)s.") % {
            "status": sr.get_status_display(),
            "name": sr.assignee.get_full_name() or sr.assignee.get_username(),
        }
    return _("Done. Status: %(status)s; at %(office)s.") % {
        "status": sr.get_status_display(),
        "office": sr.office.code,
    }
