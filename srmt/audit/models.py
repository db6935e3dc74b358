"""The append-only audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImmutableRecordError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def for_object(self, object_type: str, object_id: str) -> AuditEventQuerySet:
        return self.filter(object_type=object_type, object_id=object_id)

    def update(self, **kwargs: Any) -> int:
        raise ImmutableRecordError("Audit events cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("Audit events cannot be deleted.")


class AuditEvent(models.Model):
    """One consequential action or view of case-specific data. Never updated or deleted.

    On PostgreSQL and SQLite a database trigger refuses UPDATE and DELETE on this table
    (migration 0002), so not even raw SQL can rewrite history.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    # The API token (accounts.ApiToken id) that authenticated the request; null for sessions,
    # commands and tasks. Not a foreign key: the audit log sits below accounts and outlives
    # the tokens it names.
    api_token_id = models.BigIntegerField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(
                fields=["object_type", "object_id", "occurred_at"], name="audit_object_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableRecordError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError("Audit events cannot be deleted.")
