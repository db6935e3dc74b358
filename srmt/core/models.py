"""Abstract bases only: core holds no concrete domain models."""

from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    """Adds `created_at` and `updated_at` (aware, UTC)."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
