"""Transfers between offices: the counter, the ping-pong flag and the clock restart.

transition_request (services) moves the request; after_transfer() is its second half, in
the same transaction. A request transferred more than SRMT_TRANSFER_FLAG_AFTER times is
flagged and every supervisor with an email address is told once. When the request's type
has `restarts_clock_on_transfer`, its deadlines are computed again from the transfer, in
the new office's calendar (sla.services.deadlines_for); otherwise they stand. The transfer's
StatusChange records which (`restarted_clock`), so that counting the deadlines again later
(clocks.recompute) follows what the transfer did, not the type's flag as it is by then.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.notifications.choices import MessageKind
from srmt.notifications.internal import notify_staff
from srmt.offices.models import Office
from srmt.service_requests import policies, reasons
from srmt.service_requests.choices import Status
from srmt.service_requests.models import ServiceRequest, StatusChange
from srmt.sla.services import deadlines_for


def after_transfer(
    sr: ServiceRequest, *, actor: User, from_office: Office, transfer: StatusChange
) -> dict[str, Any]:
    """Count the transfer, flag ping-pong and restart the clock if the type says so, and
    record on `transfer` (the move's StatusChange) whether it did.
    Returns the changes for the transition's audit event."""
    now = timezone.now()
    sr.transfer_count += 1
    changes: dict[str, Any] = {"transfer_count": sr.transfer_count}
    fields = ["transfer_count"]
    transfer.restarted_clock = sr.type.restarts_clock_on_transfer
    transfer.save(update_fields=["restarted_clock"])
    if transfer.restarted_clock:
        deadlines = deadlines_for(
            sr.type.code,
            sr.urgency,
            start=now,
            time_zone=sr.office.time_zone,
            office_id=sr.office_id,
        )
        sr.first_response_due_at = deadlines.first_response_due_at
        sr.due_at = deadlines.due_at
        sr.deadline_policy_id = deadlines.policy_id
        fields += ["first_response_due_at", "due_at", "deadline_policy"]
        changes["due_at"] = sr.due_at.isoformat()
    if sr.transfer_count > settings.SRMT_TRANSFER_FLAG_AFTER and not sr.is_flagged:
        sr.is_flagged = True
        # Shown in the reader's language from the code and parameters (ADR 0015, 0023).
        sr.flag_reason_code = reasons.TRANSFERRED_TOO_OFTEN
        sr.flag_reason_params = {
            "count": sr.transfer_count,
            "limit": settings.SRMT_TRANSFER_FLAG_AFTER,
            "from_office": from_office.code,
            "to_office": sr.office.code,
        }
        sr.flag_reason = reasons.english(sr.flag_reason_code, sr.flag_reason_params)
        fields += ["is_flagged", "flag_reason", "flag_reason_code", "flag_reason_params"]
        changes["flagged"] = sr.flag_reason
        changes["supervisors_notified"] = _notify_supervisors(sr)
    sr.save(update_fields=fields)
    return changes


def supervisors_to_notify() -> QuerySet[User]:
    return User.objects.filter(role=Role.SUPERVISOR, is_active=True).exclude(email="")


def _notify_supervisors(sr: ServiceRequest) -> int:
    """Tell the supervisors who may see `sr` (for a 1367 case, only cleared ones)."""
    count = 0
    for supervisor in supervisors_to_notify().order_by("pk"):
        if not policies.can_view(supervisor, sr):
            continue
        language = getattr(supervisor, "language", "") or "en"
        with override(language):
            subject = _("Request %(reference)s keeps being transferred") % {
                "reference": sr.reference
            }
            body = _(
                "Service request %(reference)s has been transferred %(count)d times and is "
                "now at %(office)s. Please decide which office holds it: %(url)s"
            ) % {
                "reference": sr.reference,
                "count": sr.transfer_count,
                "office": sr.office.code,
                "url": sr.get_absolute_url(),
            }
        notify_staff(
            kind=MessageKind.TRANSFER_ALERT,
            to_address=supervisor.email,
            subject=subject,
            body=body,
            language=language,
            related_reference=sr.reference,
            is_confidential=sr.is_confidential,
        )
        count += 1
    return count


def transfer_chain(sr: ServiceRequest) -> list[StatusChange]:
    """The request's transfers, oldest first, with their offices, actors and reasons."""
    return list(
        StatusChange.objects.filter(service_request=sr, to_status=Status.TRANSFERRED)
        .select_related("from_office", "to_office", "actor")
        .order_by("created_at", "id")
    )
