"""Queue messages in the outbox; delivery runs after the transaction commits."""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from srmt.notifications.choices import AUTOMATED_CHANNELS, DeliveryChannel, DeliveryStatus
from srmt.notifications.models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def queue_message(
    *, channel: str, to_address: str, subject: str, body: str, language: str, related_reference: str
) -> Notification:
    """Write the message to the outbox; automated channels are sent after commit."""
    automated = channel in AUTOMATED_CHANNELS and bool(to_address)
    notification = Notification.objects.create(
        channel=channel,
        to_address=to_address,
        subject=subject,
        body=body,
        language=language,
        related_reference=related_reference,
        status=DeliveryStatus.QUEUED if automated else DeliveryStatus.RECORDED,
        sent_at=None if automated else timezone.now(),
    )
    if automated:
        from srmt.notifications.tasks import deliver_notification

        transaction.on_commit(lambda: deliver_notification.enqueue(notification.pk))
    return notification


def deliver(notification_id: int) -> str:
    """Send one queued notification. Idempotent: a sent or claimed one is left alone."""
    claimed = Notification.objects.filter(
        pk=notification_id,
        status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED],
        attempts__lt=MAX_ATTEMPTS,
    ).update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1)
    if claimed != 1:
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    try:
        _send(notification)
    except (smtplib.SMTPException, OSError) as exc:
        logger.warning("Notification %s failed: %s", notification_id, exc)
        Notification.objects.filter(pk=notification_id).update(
            status=DeliveryStatus.FAILED, last_error=str(exc)[:500]
        )
        return "failed"
    Notification.objects.filter(pk=notification_id).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _send(notification: Notification) -> None:
    if notification.channel != DeliveryChannel.EMAIL:
        raise OSError(f"No transport for {notification.channel}")
    EmailMessage(
        subject=notification.subject, body=notification.body, to=[notification.to_address]
    ).send(fail_silently=False)
