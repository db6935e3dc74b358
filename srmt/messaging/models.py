"""Threads, messages and their attachments (ADR 45)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from srmt.messaging.files import message_storage, stored_name


class Thread(models.Model):
    """A conversation between the customer side (the customer, their representative) and the
    agency about one case or one service request (then `case` is the request's case, if any).

    `is_protected`: about a case protected by 8 U.S.C. 1367 (copied when it starts): only
    1367-cleared staff of the VAWA/T/U unit (ESC-VAWA) may see or answer it."""

    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_request = models.ForeignKey(
        "service_requests.ServiceRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_protected = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(service_request__isnull=False),
                name="message_thread_about_something",
            )
        ]

    def __str__(self) -> str:
        return f"Thread {self.pk}: {self.subject}"

    @property
    def reference(self) -> str:
        """What the outbox records the notices as being about (no case details)."""
        return f"MSG-{self.pk}"


class Message(models.Model):
    """One message. An agency message reaches the customer only through the delivery gate:
    its notices (`notices`, one per account told) are written by send_to_customer, and the
    message is shown to the customer only when none of them is held (ADR 26, 35)."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_agency = models.BooleanField()
    body = models.TextField()
    created_at = models.DateTimeField()
    # When the other side first opened it (the customer side for an agency message, any
    # member of staff who may answer for a customer's).
    read_at = models.DateTimeField(null=True, blank=True)
    notices = models.ManyToManyField("notifications.Notification", blank=True, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Message {self.pk} in thread {self.thread_id}"


class MessageAttachment(models.Model):
    """A file sent with a message: checked by content, stored under a random name outside the
    web root; the customer's file name is kept as data only."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(storage=message_storage, upload_to=stored_name, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
