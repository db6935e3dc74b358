"""Messages to members of staff (supervisors' escalation digests, transfer alerts).

They are not messages to customers and do not pass the customer-delivery gate (ADR 26):
they leave by email as soon as the sender's transaction commits (ADR 17).
"""

from __future__ import annotations

from srmt.notifications import services as outbox
from srmt.notifications import transports
from srmt.notifications.choices import STAFF_KINDS, Audience, DeliveryChannel
from srmt.notifications.models import Notification


def notify_staff(
    *,
    kind: str,
    to_address: str,
    subject: str,
    body: str,
    language: str,
    related_reference: str,
    is_confidential: bool,
) -> Notification:
    """Email a member of staff; written in the caller's transaction, sent after it commits."""
    if kind not in STAFF_KINDS:
        raise ValueError(f"{kind!r} is not a kind of message to staff.")
    return outbox.write_message(
        audience=Audience.STAFF,
        kind=kind,
        actor=None,
        channel=DeliveryChannel.EMAIL,
        to_address=to_address,
        subject=subject,
        body=body,
        language=language,
        related_reference=related_reference,
        is_confidential=is_confidential,
        transport=transports.for_channel(DeliveryChannel.EMAIL),
    )
