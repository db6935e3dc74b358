"""Deadline policies: configuration with an effective date, never constants in code."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from srmt.sla.choices import TargetUnit
from srmt.sla.deadlines import Target


class DeadlinePolicyQuerySet(models.QuerySet["DeadlinePolicy"]):
    def in_force(self, on: dt.date) -> DeadlinePolicyQuerySet:
        return self.filter(effective_from__lte=on).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gt=on)
        )


class DeadlinePolicy(models.Model):
    """Targets for answering a type of service request, in force from a date.

    `request_type` is the type's code; an empty code is the default for every type without a
    policy of its own. `urgency` empty applies to every urgency. The most specific policy in
    force wins (see sla.services.policy_for).
    """

    request_type = models.CharField(max_length=48, blank=True)
    urgency = models.CharField(max_length=16, blank=True)
    effective_from = models.DateField()
    effective_until = models.DateField(null=True, blank=True)
    first_response_value = models.PositiveIntegerField()
    first_response_unit = models.CharField(max_length=16, choices=TargetUnit.choices)
    final_response_value = models.PositiveIntegerField()
    final_response_unit = models.CharField(max_length=16, choices=TargetUnit.choices)
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the target comes from (policy, memo)."
    )

    objects = DeadlinePolicyQuerySet.as_manager()

    class Meta:
        ordering = ["request_type", "urgency", "-effective_from"]
        verbose_name_plural = "deadline policies"
        constraints = [
            models.UniqueConstraint(
                fields=["request_type", "urgency", "effective_from"], name="deadline_policy_unique"
            ),
            models.CheckConstraint(
                condition=Q(first_response_unit__in=TargetUnit.values)
                & Q(final_response_unit__in=TargetUnit.values),
                name="deadline_policy_units_valid",
            ),
        ]

    def __str__(self) -> str:
        kind = self.request_type or "default"
        return f"{kind} {self.urgency or 'any'} from {self.effective_from}"

    @property
    def first_response_target(self) -> Target:
        return Target(self.first_response_value, TargetUnit(self.first_response_unit))

    @property
    def final_response_target(self) -> Target:
        return Target(self.final_response_value, TargetUnit(self.final_response_unit))
