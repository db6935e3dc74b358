"""The staff workspace's records: what each member of staff is told, and keeps, for their work.

The workspace does not import the service requests (it sits below them, docs/architecture.md):
a notification names its request by reference, as the outbox does, and carries the 8 U.S.C.
1367 mark its sender knows. Who may read one is decided again when it is shown (the staff
pages keep only notifications about requests the reader may see today).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from srmt.workspace.choices import StaffNotificationKind

VIEW_NAME_LENGTH = 80


class StaffNotification(models.Model):
    """One thing one member of staff is told about one service request, in the app."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=StaffNotificationKind.choices)
    reference = models.CharField(max_length=32, db_index=True)
    # About a case protected by 8 U.S.C. 1367: written only for cleared staff.
    is_confidential = models.BooleanField(default=False)
    # Who assigned, handed back or transferred it; null for the escalation sweep.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # An escalation's level and the office it was escalated to.
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    office_code = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="staffnotif_unread_idx",
                condition=Q(read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "kind", "created_at"], name="staffnotif_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=StaffNotificationKind.values),
                name="staffnotif_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Whether a member of staff also wants their notifications by email (default: no)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    email = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user_id}: email {'on' if self.email else 'off'}"


class SavedQueueView(models.Model):
    """A named set of queue filters and a sort, of one office's queue, for one user only."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=VIEW_NAME_LENGTH)
    # The queue page's query parameters (filters and sort), as the page checked them.
    query = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedqueueview_owner_name"),
        ]

    def __str__(self) -> str:
        return self.name
