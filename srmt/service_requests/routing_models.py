"""Referrals: customers outside the U.S. sent to an international office (no SR opened)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

from srmt.core.bilingual import in_language
from srmt.core.references import new_reference
from srmt.offices.jurisdiction import country_name


def new_referral_reference() -> str:
    """A referral's reference, RF-XXXX-XXXX: no service request was opened, so it never
    reads as one (an SR- reference)."""
    return new_reference("RF")


class Referral(models.Model):
    """A customer living outside the U.S. referred to the international office serving
    their country. No service request is opened; this row records who asked, what, where
    they were sent and which contact details they were given."""

    reference = models.CharField(max_length=16, unique=True, default=new_referral_reference)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)
    language = models.CharField(max_length=2, default="en")
    country = models.CharField(max_length=2)
    request_type = models.CharField(max_length=48)
    receipt_number = models.CharField(max_length=13, blank=True)
    channel = models.CharField(max_length=32)
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    routing_rule = models.ForeignKey(
        "offices.RoutingRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300)  # English
    reason_es = models.CharField(max_length=300, blank=True, default="", db_default="")
    contact_details = models.TextField(max_length=2000)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} -> {self.office_id}"

    @property
    def country_name(self) -> str:
        """The customer's country in the active language."""
        return country_name(self.country)

    @property
    def display_reason(self) -> str:
        """The reason in the active language (English when there is no Spanish text)."""
        return in_language(self.reason, self.reason_es, get_language())
