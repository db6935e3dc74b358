from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetUnit(models.TextChoices):
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    BUSINESS_DAYS = "business_days", _("business days")
    HOURS = "hours", _("hours")
