"""The notifications outbox: every message to a customer is a row before it is sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from srmt.core.models import TimeStampedModel
from srmt.notifications.choices import (
    WAITING_STATUSES,
    Audience,
    DeliveryChannel,
    DeliveryStatus,
    MessageKind,
)


class Notification(TimeStampedModel):
    """One message to one recipient. Written in the sender's transaction, delivered after it.

    The row is the truth (a transactional outbox, ADR 17): a queued row, or a failed one with
    attempts left, is delivered once its `next_attempt_at` has passed, whether or not a task
    was ever enqueued for it; the sweep wakes the ones no task delivered.

    `related_reference` names what the message is about (a service request reference); the
    notifications app does not import the apps that use it. `is_confidential` marks a
    message about an 8 U.S.C. 1367 case, which only cleared staff may read.

    A message to a customer is written only by the customer-delivery gate
    (notifications.delivery.send_to_customer, ADR 26), which records who acted, what kind of
    message it is and through which transport it leaves, and may hold it (`held`) until
    `release()`; messages to staff only by notifications.internal.notify_staff.
    """

    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.CUSTOMER)
    # Blank only on rows written before kinds were recorded (migration 0005).
    kind = models.CharField(max_length=32, choices=MessageKind.choices, blank=True)
    # The member of staff whose action sent it; null when the system did (the sweep, a
    # command, intake without a user).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(max_length=16, choices=DeliveryChannel.choices)
    to_address = models.CharField(max_length=254, blank=True)
    language = models.CharField(max_length=2, default="en")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # Secrets the body carries (an online access code; ADR 43, Revised), kept only while the
    # message waits to leave: when a transport has sent it, `services.deliver` masks them in
    # the body and empties this list, so the outbox stops holding them.
    secrets = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    # The registered transport that delivers it (notifications.transports); blank when a
    # member of staff delivers it and records it (a phone call, a letter today).
    transport = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The transport's retry policy, copied when the row is written; a rejection for good
    # lowers it to the attempts made, so the row is no longer waiting.
    max_attempts = models.PositiveSmallIntegerField(default=5)
    # When a worker last claimed it (queued -> sending): a row still sending long after its
    # claim belongs to a worker that died, and `services.requeue_stalled` takes it back.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    # When it is next due while queued or failed: its creation, then each failure plus the
    # transport's back-off. The sweep wakes due rows that no task delivered.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Why the gate held it, and when it was released into the outbox (once, audited).
    hold_reason = models.CharField(max_length=200, blank=True)
    # Held because its sender demanded it (a response held for supervisory review), not by
    # the release policy: only the sender's own release lets it go (`release(...,
    # demanded=True)`), never `srmt release_held`.
    hold_demanded = models.BooleanField(default=False, db_default=False)
    released_at = models.DateTimeField(null=True, blank=True)
    related_reference = models.CharField(max_length=32, blank=True, db_index=True)
    # About a case protected by 8 U.S.C. 1367 (set by the sender, which knows the case): only
    # staff cleared for such cases may read it, in the admin as anywhere else.
    is_confidential = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="notification_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=DeliveryChannel.values), name="notification_channel_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENDING) | Q(claimed_at__isnull=False),
                name="notification_sending_claimed",
            ),
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="notification_audience_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="") | Q(kind__in=MessageKind.values),
                name="notification_kind_valid",
            ),
            # Only the gate holds, and only messages to customers.
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.HELD) | Q(audience=Audience.CUSTOMER),
                name="notification_held_customer",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_outbox_idx"),
            # The sweep's question, "which waiting rows are due?", reads only waiting rows.
            models.Index(
                fields=["next_attempt_at"],
                name="notification_due_idx",
                condition=Q(status__in=WAITING_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.to_address or '-'}: {self.subject}"
