"""Queue messages in the outbox; delivery runs after the transaction commits."""

from __future__ import annotations

import datetime as dt
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
# Wait before attempt 2, 3, 4 and 5: 1 minute, 5 minutes, 25 minutes, about 2 hours.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=25),
    dt.timedelta(minutes=125),
)


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


def schedule_retry(notification_id: int) -> dt.datetime | None:
    """Enqueue another attempt of a failed notification after a back-off; returns when.

    Only backends that can defer a task retry by themselves (database, RQ); elsewhere a
    failed notification waits for `deliver` to be called again.
    """
    from srmt.notifications.tasks import deliver_notification

    attempts = (
        Notification.objects.filter(pk=notification_id, status=DeliveryStatus.FAILED)
        .values_list("attempts", flat=True)
        .first()
    )
    if attempts is None or attempts >= MAX_ATTEMPTS:
        return None
    if not deliver_notification.get_backend().supports_defer:
        return None
    run_after = timezone.now() + RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
    deliver_notification.using(run_after=run_after).enqueue(notification_id)
    return run_after


def _send(notification: Notification) -> None:
    if notification.channel != DeliveryChannel.EMAIL:
        raise OSError(f"No transport for {notification.channel}")
    EmailMessage(
        subject=notification.subject, body=notification.body, to=[notification.to_address]
    ).send(fail_silently=False)
