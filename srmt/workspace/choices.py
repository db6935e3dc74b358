from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffNotificationKind(models.TextChoices):
    """What an in-app notification tells a member of staff about a service request."""

    ASSIGNED = "assigned", _("Assigned to you")
    # Handed back to someone who held it before: reassigned or transferred back today; the
    # review workflow (issue 10) hands requests back through the same function.
    RETURNED = "returned", _("Returned to you")
    ESCALATED = "escalated", _("Escalated")
