"""Deadline policies: configuration with an effective date, never constants in code."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

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


class OfficeCalendar(models.Model):
    """An office's working days and hours. The row without an office is the default."""

    office = models.OneToOneField(
        "offices.Office", null=True, blank=True, on_delete=models.CASCADE, related_name="calendar"
    )
    work_start = models.TimeField(default=dt.time(8, 0))
    work_end = models.TimeField(default=dt.time(16, 30))
    workdays = models.CharField(
        max_length=7,
        default="12345",
        help_text="ISO weekday numbers the office works: 1 is Monday, 7 is Sunday.",
    )
    observes_federal_holidays = models.BooleanField(default=True)

    class Meta:
        ordering = ["office__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_start__lt=models.F("work_end")),
                name="office_calendar_hours_valid",
            ),
            models.CheckConstraint(
                condition=Q(workdays__regex=r"^[1-7]{1,7}$"), name="office_calendar_workdays_valid"
            ),
            # One row per office, and one default (no office): NULL counts as office 0.
            models.UniqueConstraint(
                Coalesce("office", Value(0)), name="office_calendar_one_per_office"
            ),
        ]

    def __str__(self) -> str:
        return f"calendar of {self.office.code if self.office else 'every office'}"

    @property
    def weekday_numbers(self) -> frozenset[int]:
        """Working days as date.weekday() numbers (0 is Monday)."""
        return frozenset(int(d) - 1 for d in self.workdays)


class OfficeClosure(models.Model):
    """Days an office is closed (weather, emergencies), entered by staff. No office: all.

    Without times the office is closed all day; with `start_time` and `end_time` (local to
    the office) it is closed only from one to the other, on each day of the closure.
    """

    office = models.ForeignKey(
        "offices.Office", null=True, blank=True, on_delete=models.CASCADE, related_name="closures"
    )
    start_date = models.DateField()
    end_date = models.DateField(help_text="Last day of the closure (inclusive).")
    start_time = models.TimeField(
        _("closed from"),
        null=True,
        blank=True,
        help_text=_(
            "Local time of the office. Leave both times empty to close the whole day; give "
            "both to close only part of each day (for example 12:00 to 17:00)."
        ),
    )
    end_time = models.TimeField(
        _("closed until"),
        null=True,
        blank=True,
        help_text=_("Local time of the office when it opens again, after the start time."),
    )
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="office_closure_range_valid"
            ),
            # Both times or neither; NULL < anything is unknown, which a CHECK lets through,
            # so "both" spells out that they are set.
            models.CheckConstraint(
                condition=Q(start_time__isnull=True, end_time__isnull=True)
                | Q(
                    start_time__isnull=False,
                    end_time__isnull=False,
                    start_time__lt=models.F("end_time"),
                ),
                name="office_closure_times_valid",
                violation_error_message=_(
                    "Give both a start and an end time, the start before the end, or neither "
                    "for a whole-day closure."
                ),
            ),
        ]

    def __str__(self) -> str:
        where = self.office.code if self.office else "every office"
        hours = f" {self.start_time:%H:%M}-{self.end_time:%H:%M}" if self.is_partial else ""
        return f"{where} closed {self.start_date}..{self.end_date}{hours}"

    @property
    def is_partial(self) -> bool:
        return self.start_time is not None and self.end_time is not None

    def days(self) -> list[dt.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + dt.timedelta(days=n) for n in range(count)]
