"""The public core every write to a service request builds on.

Locking the row, cleaning typed text, moving the lifecycle (with its StatusChange row),
bumping the version, resolving a request type and where a customer's message goes. The
action modules (`service_requests.services.*`) and the modules beside them (expedites,
repeats, transfers, redirects, protection, attachments, address changes) call these, all
inside the caller's transaction. This module imports no action module, so anything may
build on it without an import cycle (docs/adr/0025-services-package-and-no-import-cycles.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from srmt.accounts.models import User
from srmt.cases.models import Person
from srmt.notifications.choices import DeliveryChannel
from srmt.offices.models import Office
from srmt.service_requests import clocks, lifecycle, reasons
from srmt.service_requests.errors import RequestClosed, UnknownRequestType
from srmt.service_requests.models import (
    ServiceRequest,
    ServiceRequestType,
    StatusChange,
    active_request_types,
)

MAX_TEXT = 10_000


def lock(sr: ServiceRequest) -> ServiceRequest:
    """The request re-read under a row lock, with what writes need (the caller's transaction)."""
    return (
        ServiceRequest.objects.select_for_update(of=("self",))
        .select_related("type", "office", "requester", "assignee", "case")
        .get(pk=sr.pk)
    )


def clean_text(value: str, *, field: str, error: type[Exception]) -> str:
    """Typed text stripped; refused with `error` on `field` when empty or too long."""
    text = (value or "").strip()
    if not text:
        raise error(_("Enter some text."), field=field)  # type: ignore[call-arg]
    if len(text) > MAX_TEXT:
        raise error(
            _("Use at most %(max)d characters (this has %(count)d).")  # type: ignore[call-arg]
            % {"max": MAX_TEXT, "count": len(text)},
            field=field,
        )
    return text


def require_open(sr: ServiceRequest) -> None:
    if not sr.is_open:
        raise RequestClosed(_("This request is closed. Reopen it to change it."))


def resolve_type(code: str) -> ServiceRequestType:
    """The active request type with this code, or UnknownRequestType on `type`."""
    request_type = active_request_types().get(code)
    if request_type is None:
        raise UnknownRequestType(
            _("%(code)s is not a type of service request.") % {"code": code}, field="type"
        )
    return request_type


def delivery_for(person: Person) -> tuple[str, str]:
    """How a message reaches this person: (channel, address)."""
    if person.email:
        return DeliveryChannel.EMAIL, person.email
    if person.phone:
        return DeliveryChannel.PHONE, person.phone
    return DeliveryChannel.MAIL, ""


def move(
    sr: ServiceRequest,
    to: str,
    *,
    actor: User,
    reason: str = "",
    code: str = "",
    params: dict[str, Any] | None = None,
    from_office: Office | None = None,
    at: dt.datetime | None = None,
) -> StatusChange:
    """Apply a lifecycle move and write its StatusChange row; returns the row.

    `reason` is what a person typed; a reason the system gives is a `code` from
    service_requests.reasons with its `params`, stored with its English text (ADR 0015).
    Saves the request with a version bump.
    """
    lifecycle.require(sr.status, to)
    at = at or timezone.now()
    params = params or {}
    if code:
        reason = reasons.english(code, params)
    sr.status_before_move = sr.status
    change = StatusChange.objects.create(
        service_request=sr,
        from_status=sr.status,
        to_status=to,
        actor=actor,
        reason=reason[:1000],
        reason_code=code,
        reason_params=params,
        from_office=from_office or sr.office,
        to_office=sr.office,
        created_at=at,
    )
    sr.status = to
    if to in lifecycle.TERMINAL:
        sr.closed_at = at
    clock_fields = clocks.on_status_change(sr, old=sr.status_before_move, new=to, at=at)
    bump(
        sr,
        extra_fields=[
            "status",
            "office",
            "assignee",
            "closed_at",
            "first_responded_at",
            "duplicate_of",
            *clock_fields,
        ],
    )
    return change


def bump(sr: ServiceRequest, extra_fields: list[str] | None = None) -> None:
    """Save the request with its version one higher (every write to a request does)."""
    sr.version += 1
    sr.save(update_fields=["version", "updated_at", "assignee", *(extra_fields or [])])
