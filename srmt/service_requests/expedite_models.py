"""Expedite criteria (versioned policy data) and expedite requests.

Imported at the end of service_requests.models so that Django sees these models as part of
the app. See docs/adr/0013-expedites-and-repeats.md.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srmt.core.bilingual import BilingualName


class ExpediteCriterionQuerySet(models.QuerySet["ExpediteCriterion"]):
    def in_force(self, on: dt.date) -> ExpediteCriterionQuerySet:
        """Criteria of the policy version in force on `on` (from inclusive, until exclusive)."""
        return self.filter(effective_from__lte=on).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gt=on)
        )


class ExpediteCriterion(BilingualName, models.Model):
    """One criterion of one version of the expedite policy (USCIS Policy Manual vol. 1 pt. A
    ch. 5). A new policy version is a new set of rows; old rows stay for old requests.

    `allowed_for_premium_processing`: requests for forms eligible for premium processing are
    not expedited, except under the criteria where this is True (the nonprofit one).
    """

    code = models.CharField(max_length=48)
    version = models.CharField(max_length=16, help_text=_("The policy version, e.g. 2021-06."))
    name_en = models.CharField(max_length=200)
    name_es = models.CharField(max_length=200)
    description_en = models.TextField(blank=True)
    description_es = models.TextField(blank=True)
    effective_from = models.DateField()
    effective_until = models.DateField(null=True, blank=True)
    allowed_for_premium_processing = models.BooleanField(default=False)
    sort_order = models.PositiveSmallIntegerField(default=100)

    objects = ExpediteCriterionQuerySet.as_manager()

    class Meta:
        ordering = ["-effective_from", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="expedite_criterion_code_version"
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gt=models.F("effective_from")),
                name="expedite_criterion_dates_ordered",
            ),
        ]
        verbose_name_plural = "expedite criteria"

    def __str__(self) -> str:
        return f"{self.code} ({self.version})"


class ExpediteStatus(models.TextChoices):
    PENDING = "pending", _("Pending decision")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class ExpediteRequest(models.Model):
    """The expedite details of a service request of type expedite_request.

    Recorded at intake (the contact center only records it); decided once, by staff of the
    office holding the case (expedites.decide_expedite).
    """

    service_request = models.OneToOneField(
        "service_requests.ServiceRequest", on_delete=models.CASCADE, related_name="expedite"
    )
    criterion = models.ForeignKey(ExpediteCriterion, on_delete=models.PROTECT, related_name="+")
    justification = models.TextField(max_length=10_000)
    # The date by which the customer needs the decision, and the evidence they have or will
    # send, as said at intake (ADR 28). Older expedites have neither.
    customer_deadline = models.DateField(null=True, blank=True)
    evidence = models.TextField(max_length=10_000, blank=True, default="", db_default="")
    status = models.CharField(
        max_length=16, choices=ExpediteStatus.choices, default=ExpediteStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(max_length=10_000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ExpediteStatus.values), name="expedite_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ExpediteStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ExpediteStatus.PENDING) & Q(decided_at__isnull=False)),
                name="expedite_decided_at_iff_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"expedite of {self.service_request_id}: {self.status}"

    @property
    def is_decided(self) -> bool:
        return self.status != ExpediteStatus.PENDING
