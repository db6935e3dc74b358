"""One-question satisfaction surveys sent with a final response (docs/adr/0038).

A survey row is made when a final response's message is written; the customer answers it
once, through a signed link (surveys.tokens), within SRMT_SURVEY_DAYS. The row makes the
link single-use and holds the answer: a rating from 1 to 5 and an optional comment.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q


def new_nonce() -> str:
    """The survey's random part of its link (the signature covers it)."""
    return secrets.token_urlsafe(16)


class Survey(models.Model):
    """One satisfaction survey: sent with a final response, answered once (1 to 5, an
    optional comment) through its signed link within SRMT_SURVEY_DAYS (ADR 38)."""

    service_request = models.ForeignKey(
        "service_requests.ServiceRequest", on_delete=models.CASCADE, related_name="surveys"
    )
    # Unique by a constraint (Meta): no LIKE index beside it (service_requests.ServiceRequest
    # .reference says why).
    nonce = models.CharField(max_length=32, default=new_nonce)
    # The customer's language when it was sent: the page asks in it.
    language = models.CharField(max_length=2)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(max_length=2_000, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="survey_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, rating__isnull=True)
                | Q(answered_at__isnull=False, rating__isnull=False),
                name="survey_answered_with_rating",
            ),
            models.UniqueConstraint(fields=["nonce"], name="survey_nonce_key"),
        ]
        # The daily rollups recompute a day's surveys sent and answered (reporting, ADR 0048).
        indexes = [
            models.Index(fields=["sent_at"], name="survey_sent_idx"),
            models.Index(fields=["answered_at"], name="survey_answered_idx"),
        ]

    def __str__(self) -> str:
        return f"survey {self.pk} on {self.service_request_id}"
