"""Staff users, their role and their offices; their API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Self

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from srmt.accounts.choices import AccountKind, RepresentativeKind, Role, TokenStatus
from srmt.accounts.roles import CAPABILITIES, Capability


class User(AbstractUser):
    """An account: a member of staff, a customer or a representative (`kind`, ADR 27).

    For staff, `role` decides what they may do, `offices` where (roles.py).
    `is_1367_cleared` grants access to cases protected by 8 U.S.C. 1367 (VAWA, T, U). It is
    deliberately not a Django permission, so that superusers do not get it implicitly.

    Customers and representatives have none of these (the database refuses a role, a
    clearance, or Django's staff and superuser flags on them): what they may see follows from
    their verified links to people (`cases.CustomerLink`) and the Forms G-28 on file for them
    (`cases.Representation`), in service_requests.policies.
    """

    kind = models.CharField(
        _("account kind"), max_length=16, choices=AccountKind.choices, default=AccountKind.STAFF
    )
    role = models.CharField(max_length=24, choices=Role.choices, default=Role.TIER1, blank=True)
    offices = models.ManyToManyField("offices.Office", blank=True, related_name="staff")
    is_1367_cleared = models.BooleanField(
        _("cleared for 8 U.S.C. 1367 cases"),
        default=False,
        help_text=_("Can see VAWA, T and U cases. Grant only to staff who need it."),
    )
    language = models.CharField(
        max_length=2, choices=[("en", _("English")), ("es", _("Spanish"))], default="en"
    )
    # The last day of a member of staff's probation period: until then every response they
    # write is held for supervisory review (srmt.reviews, the probation rule). Set by
    # administrators in the admin.
    probation_until = models.DateField(
        _("probation until"),
        null=True,
        blank=True,
        help_text=_("Responses by this member of staff are reviewed until this day included."),
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=AccountKind.STAFF, role__in=Role.values)
                | Q(
                    kind__in=[AccountKind.CUSTOMER, AccountKind.REPRESENTATIVE],
                    role="",
                    is_1367_cleared=False,
                    is_staff=False,
                    is_superuser=False,
                ),
                name="user_role_valid",
            ),
        ]

    @property
    def is_agency_staff(self) -> bool:
        """A staff account: the only kind that may use the staff pages, the admin and the API."""
        return self.kind == AccountKind.STAFF

    def can(self, capability: Capability) -> bool:
        """Whether this member of staff's role has `capability`; never for other accounts."""
        if not self.is_active or not self.is_agency_staff:
            return False
        return capability in CAPABILITIES.get(Role(self.role), frozenset())

    def on_probation(self, on: dt.date) -> bool:
        """Whether `on` falls within this member of staff's probation period."""
        return self.probation_until is not None and on <= self.probation_until

    def office_ids(self) -> set[int]:
        """Ids of the user's offices, cached on the instance for the request."""
        cached = getattr(self, "_office_ids", None)
        if cached is None:
            cached = set(self.offices.values_list("id", flat=True))
            self._office_ids = cached
        return cached


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def owned_by(self, user: User) -> Self:
        return self.filter(user=user)


class ApiToken(models.Model):
    """A credential for the REST API, held by one user (docs/adr/0019-api-tokens.md).

    Only the SHA-256 of the token is stored (`secret_hash`); the token itself is shown once,
    when accounts.services.create_api_token() makes it. A token works until `expires_at`,
    unless revoked earlier; neither ever comes back. Every change goes through
    accounts.services and is audited.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=24, unique=True)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        # No add/change/delete in the admin: tokens are made by their user and revoked.
        default_permissions = ("view",)
        permissions = [("revoke_apitoken", "Can revoke anyone's API token")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="api_token_expires_after_creation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.name}, {self.user.get_username()})"

    def status(self, *, at: dt.datetime) -> TokenStatus:
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at <= at:
            return TokenStatus.EXPIRED
        return TokenStatus.ACTIVE


class PublicProfile(models.Model):
    """What a customer or representative account keeps beyond its User row (ADR 42): how
    they want to be reached, their time zone, and for a representative what entitles them
    to file a Form G-28. Written by accounts.services (audited); the account's email is
    django-allauth's, its language `User.language`."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="public_profile", verbose_name=_("account")
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True)  # E.164
    sms_consent = models.BooleanField(_("text messages allowed"), default=False)
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    representative_kind = models.CharField(
        _("representative"), max_length=32, choices=RepresentativeKind.choices, blank=True
    )
    bar_state = models.CharField(_("state of the bar"), max_length=2, blank=True)
    representative_number = models.CharField(
        _("bar number or EOIR number"), max_length=20, blank=True
    )
    # The normal form (accounts.representatives) that the case systems' G-28 parties carry.
    representative_key = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        verbose_name = _("public account profile")
        verbose_name_plural = _("public account profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(sms_consent=False) | ~Q(phone=""), name="profile_sms_needs_phone"
            ),
            models.CheckConstraint(
                condition=Q(representative_kind="", representative_key="")
                | (~Q(representative_kind="") & ~Q(representative_key="")),
                name="profile_representative_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"profile of {self.user.get_username()}"
