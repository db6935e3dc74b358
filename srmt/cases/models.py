"""Cases as the agency's case systems know them, and the people on them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from srmt.cases.choices import REPRESENTATIVE_ROLES, Language, PartyRole
from srmt.core.models import TimeStampedModel

if TYPE_CHECKING:
    from srmt.accounts.models import User


class CaseQuerySet(models.QuerySet["Case"]):
    def known_to(self, user: User | None) -> CaseQuerySet:
        """The cases whose existence `user` may know: all but 8 U.S.C. 1367 cases for staff
        without clearance (to them a protected case does not exist). Reading a case's
        details needs more: service_requests.policies.visible_cases (role and office scope).
        """
        if getattr(user, "is_1367_cleared", False):
            return self
        return self.filter(is_protected=False)


class Case(TimeStampedModel):
    """A benefit request (application or petition), keyed by its receipt number.

    Cases come from the agency's case systems (API upsert or `srmt import-cases`); SRMT
    never invents one. `is_protected` marks 8 U.S.C. 1367 confidentiality (VAWA, T, U).
    """

    receipt_number = models.CharField(max_length=13, unique=True)
    form_type = models.ForeignKey(
        "offices.FormType", on_delete=models.PROTECT, related_name="cases"
    )
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="cases")
    received_on = models.DateField()
    status_text = models.CharField(max_length=200, blank=True)
    status_updated_on = models.DateField(null=True, blank=True)
    is_protected = models.BooleanField(default=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["receipt_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(receipt_number__regex=r"^[A-Z]{3}[0-9]{10}$"),
                name="case_receipt_number_format",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_number


class Person(TimeStampedModel):
    """A customer: someone on a case or someone asking about one, with contact preferences."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=20, blank=True)  # E.164
    sms_consent = models.BooleanField(default=False)
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    time_zone = models.CharField(max_length=64, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=2, blank=True, default="US")
    external_id = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class CaseParty(models.Model):
    """A person's role on a case. Representatives need a Form G-28 on file."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(max_length=32, choices=PartyRole.choices)
    has_g28_on_file = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "role", "id"]
        verbose_name_plural = "case parties"
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="case_party_unique"),
            models.CheckConstraint(
                condition=Q(role__in=PartyRole.values), name="case_party_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role}) on {self.case}"

    @property
    def is_representative(self) -> bool:
        return self.role in REPRESENTATIVE_ROLES
