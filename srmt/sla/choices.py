from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    BUSINESS_DAYS = "business_days", _("business days")
    HOURS = "hours", _("hours")
    BUSINESS_HOURS = "business_hours", _("business hours")


# Units counted on the office calendar; a pause pushes their clocks by working time only.
BUSINESS_UNITS = frozenset({TargetUnit.BUSINESS_DAYS, TargetUnit.BUSINESS_HOURS})


class DeadlineState(models.TextChoices):
    """Where a request stands against its final due date, as the sweep last marked it."""

    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OVERDUE = "overdue", _("Overdue")
