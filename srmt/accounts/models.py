"""Staff users, their role and their offices."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srmt.accounts.choices import Role
from srmt.accounts.roles import CAPABILITIES, Capability


class User(AbstractUser):
    """A member of staff. `role` decides what they may do, `offices` where (roles.py).

    `is_1367_cleared` grants access to cases protected by 8 U.S.C. 1367 (VAWA, T, U). It is
    deliberately not a Django permission, so that superusers do not get it implicitly.
    """

    role = models.CharField(max_length=24, choices=Role.choices, default=Role.TIER1)
    offices = models.ManyToManyField("offices.Office", blank=True, related_name="staff")
    is_1367_cleared = models.BooleanField(
        _("cleared for 8 U.S.C. 1367 cases"),
        default=False,
        help_text=_("Can see VAWA, T and U cases. Grant only to staff who need it."),
    )
    language = models.CharField(
        max_length=2, choices=[("en", _("English")), ("es", _("Spanish"))], default="en"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="user_role_valid"),
        ]

    def can(self, capability: Capability) -> bool:
        if not self.is_active:
            return False
        return capability in CAPABILITIES.get(Role(self.role), frozenset())

    def office_ids(self) -> set[int]:
        """Ids of the user's offices, cached on the instance for the request."""
        cached = getattr(self, "_office_ids", None)
        if cached is None:
            cached = set(self.offices.values_list("id", flat=True))
            self._office_ids = cached
        return cached
