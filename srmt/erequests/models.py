"""Who may open which self-service request on which form: eligibility as data (ADR 0044)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class Eligibility(models.Model):
    """One self-service request type on one form: may customers open it online, may they
    open it without an account (identity checked against the case), and, for "not
    received", how many days after the notice or card was mailed they may ask.

    `srmt seed` writes a row for every form and self-service type (erequests.defaults);
    an administrator may change them. A form and type without a row is not open online.
    """

    form_type = models.ForeignKey("offices.FormType", on_delete=models.CASCADE, related_name="+")
    request_type = models.CharField(max_length=48)  # a ServiceRequestType code
    is_allowed = models.BooleanField(default=True)
    without_account = models.BooleanField(
        default=False, help_text="May be opened without an account, with identity checked."
    )
    wait_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For 'not received': days after the notice or card was mailed.",
    )

    class Meta:
        ordering = ["form_type_id", "request_type"]
        verbose_name_plural = "eligibility"
        constraints = [
            models.UniqueConstraint(
                fields=["form_type", "request_type"], name="erequest_eligibility_unique"
            ),
            models.CheckConstraint(
                condition=Q(wait_days__isnull=True) | Q(wait_days__lte=365),
                name="erequest_wait_days_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_type_id}/{self.request_type}"


class AddedInformation(models.Model):
    """Information a customer added to an open request instead of opening a repeat."""

    service_request = models.ForeignKey(
        "service_requests.ServiceRequest", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5_000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"information added to {self.service_request_id}"
