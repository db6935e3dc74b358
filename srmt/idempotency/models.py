"""Records that make a repeated submission do nothing twice (ADR 18).

`IdempotencyRecord`: an API POST sent with an `Idempotency-Key` and the answer it got.
`SubmissionToken`: a staff form's one-time token, claimed by its first submission.
Both are written in the same transaction as the write they guard, unique per user, and
purged by the sweep after SRMT_IDEMPOTENCY_RETENTION_HOURS.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class IdempotencyRecord(models.Model):
    """An API POST made with an Idempotency-Key, and the answer it got.

    Inserted before the write, in its transaction, and completed with the answer before it
    commits: a concurrent duplicate waits on the unique (user, key) index until then, and
    a committed record always has its answer. A refused request leaves no record.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    # sha256 of the canonical JSON of the parsed body (uploaded files by their sha256).
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    # The headers a replay repeats (Location, ETag).
    headers = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"


class SubmissionToken(models.Model):
    """A staff form's one-time submission token, claimed by the submission that used it.

    Claimed in the same transaction as the service call it guards; `result_url` is where
    that submission landed, so a second submission of the same form lands there too.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    claimed_at = models.DateTimeField(default=timezone.now, db_index=True)
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="submission_token_unique"),
        ]

    def __str__(self) -> str:
        return self.token
