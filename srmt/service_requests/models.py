"""Service requests, their responses, notes and status history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language

from srmt.core.models import TimeStampedModel
from srmt.core.references import new_reference
from srmt.core.snapshots import snapshot
from srmt.notifications.choices import DeliveryChannel
from srmt.service_requests.choices import Channel, ResponseKind, Status, Urgency
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.sla.deadlines import is_at_risk

if TYPE_CHECKING:
    from srmt.accounts.models import User


class ServiceRequestType(models.Model):
    """An entry of the request-type catalogue, with the rules that go with the type.

    `code` is the stable API code; names are shown in the user's language.
    """

    code = models.CharField(max_length=48, unique=True)
    name_en = models.CharField(max_length=120)
    name_es = models.CharField(max_length=120)
    description_en = models.TextField(blank=True)
    description_es = models.TextField(blank=True)
    requires_receipt_number = models.BooleanField(default=True)
    is_priority = models.BooleanField(default=False)
    is_self_service = models.BooleanField(
        default=False, help_text="Customers may submit it online as an e-Request."
    )
    allows_protected_cases = models.BooleanField(
        default=True,
        help_text="False where the type must not touch 1367 cases (change of "
        "address through self-service tools).",
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return self.name_es if (get_language() or "en").startswith("es") else self.name_en


def active_request_types() -> dict[str, ServiceRequestType]:
    """Active request types by code, from this process's snapshot (core.snapshots)."""
    return snapshot(
        "request_types",
        lambda: {t.code: t for t in ServiceRequestType.objects.filter(is_active=True)},
    )


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def open(self) -> ServiceRequestQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, at: dt.datetime) -> ServiceRequestQuerySet:
        return self.open().filter(due_at__lt=at)

    def for_lists(self) -> ServiceRequestQuerySet:
        return self.select_related(
            "type", "office", "case", "case__form_type", "requester", "assignee"
        )


class ServiceRequest(TimeStampedModel):
    """A customer's inquiry that could not be resolved on first contact.

    `status` changes only through service_requests.services; lifecycle.ALLOWED lists the
    permitted moves. `version` increases with every write and is the API's ETag.
    """

    reference = models.CharField(max_length=16, unique=True, default=new_reference)
    type = models.ForeignKey(ServiceRequestType, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=32, choices=Channel.choices)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    receipt_number = models.CharField(max_length=13, blank=True, db_index=True)
    requester = models.ForeignKey(
        "cases.Person", on_delete=models.PROTECT, related_name="service_requests"
    )
    description = models.TextField(max_length=10_000)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.RECEIVED)
    office = models.ForeignKey(
        "offices.Office", on_delete=models.PROTECT, related_name="service_requests"
    )
    routing_reason = models.CharField(max_length=300, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_response_due_at = models.DateTimeField()
    due_at = models.DateTimeField()
    deadline_policy = models.ForeignKey(
        "sla.DeadlinePolicy", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    version = models.PositiveIntegerField(default=1)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="service_request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="service_request_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="service_request_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(receipt_number="") | Q(receipt_number__regex=r"^[A-Z]{3}[0-9]{10}$"),
                name="service_request_receipt_format",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "status", "due_at"], name="sr_queue_idx"),
            models.Index(fields=["status", "due_at"], name="sr_status_due_idx"),
            models.Index(fields=["created_at"], name="sr_created_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("staff:request-detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, at: dt.datetime) -> bool:
        return self.is_open and self.due_at < at

    def is_at_risk(self, at: dt.datetime) -> bool:
        return self.is_open and is_at_risk(
            created_at=self.created_at, due_at=self.due_at, at=at, share=settings.SRMT_AT_RISK_SHARE
        )

    @property
    def etag(self) -> str:
        return f'"{self.reference}.{self.version}"'


class StatusChange(models.Model):
    """One move in a request's lifecycle: who, when, from, to and why."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=1000, blank=True)
    from_office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.service_request_id}: {self.from_status or '-'} -> {self.to_status}"


class Response(TimeStampedModel):
    """An answer sent to the customer. A request carries any number; a final one closes it."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="responses"
    )
    kind = models.CharField(max_length=16, choices=ResponseKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=10_000)
    delivery_channel = models.CharField(max_length=16, choices=DeliveryChannel.choices)
    notification = models.OneToOneField(
        "notifications.Notification",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ResponseKind.values), name="response_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} response to {self.service_request_id}"

    @property
    def delivery_status(self) -> str:
        return self.notification.status if self.notification_id else "recorded"


class InternalNote(TimeStampedModel):
    """Staff-only working notes. Never shown or sent to the customer."""

    service_request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=10_000)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on {self.service_request_id}"


class SubmissionKey(models.Model):
    """An Idempotency-Key seen on a submission: the same key and body give the same request.

    The unique constraint makes concurrent duplicates create exactly one request: the
    second insert waits for the first transaction and then fails, and the caller reads the
    winner's request.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    body_hash = models.CharField(max_length=64)
    service_request = models.ForeignKey(
        ServiceRequest, null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_unique"),
        ]

    def __str__(self) -> str:
        return self.key


def user_label(user: User | None) -> str:
    return user.get_username() if user else "system"
