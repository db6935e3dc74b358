"""Online access codes, the attempts to use them and customers' requests for new ones."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srmt.access_codes.choices import Delivery


class OnlineAccessCode(models.Model):
    """A single-use code that links one person on one case to an online account (ADR 43).

    Only a keyed hash of the code is stored (`codes.digest`, with this code's `salt`). A
    code is usable until `expires_at` (90 days), once: `used_at`. A newer code for the same
    case and person replaces it (`revoked_at`)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="access_codes", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        related_name="access_codes",
        verbose_name=_("person"),
    )
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delivery = models.CharField(_("sent by"), max_length=8, choices=Delivery.choices)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("replaced"), null=True, blank=True)

    class Meta:
        ordering = ["case", "-issued_at", "id"]
        verbose_name = _("online access code")
        verbose_name_plural = _("online access codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery__in=Delivery.values), name="access_code_delivery_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")), name="access_code_expires_later"
            ),
        ]
        indexes = [models.Index(fields=["case", "person"], name="access_code_case_person")]

    def __str__(self) -> str:
        return f"access code {self.pk} for {self.case_id}/{self.person_id}"

    def is_expired(self, at: dt.datetime) -> bool:
        return at >= self.expires_at


class AccessCodeAttempt(models.Model):
    """One try at entering a code: the rate limits and the lockout count these."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    client_ip = models.CharField(max_length=45, blank=True)
    at = models.DateTimeField()
    succeeded = models.BooleanField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["account", "at"], name="access_code_attempt_account"),
            models.Index(fields=["client_ip", "at"], name="access_code_attempt_ip"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} at {self.at:%Y-%m-%d %H:%M}"


class AccessCodeRequest(models.Model):
    """A customer's (or their representative's) request for a new code: its reference and
    the date by which the Account Acceptance Notice should arrive."""

    reference = models.CharField(_("reference"), max_length=16, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_code_requests"
    )
    on_behalf = models.BooleanField(_("asked by the representative"), default=False)
    requested_at = models.DateTimeField(_("requested"))
    expected_on = models.DateField(_("expected by"))
    code = models.OneToOneField(OnlineAccessCode, on_delete=models.PROTECT, related_name="request")

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("new access code request")
        verbose_name_plural = _("new access code requests")

    def __str__(self) -> str:
        return self.reference
