"""Cases as the agency's case systems know them, and the people on them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from srmt.cases.choices import REPRESENTATIVE_ROLES, Language, LinkMethod, PartyRole
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
    # An electronically filed case (an IOE receipt) belongs to the online account that filed
    # it, as the case systems say (issue 11, section 3); paper cases are linked instead.
    filed_online_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_filed_online",
        verbose_name=_("filed online by"),
    )

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


class CaseStatusChange(models.Model):
    """A status the case systems gave a case, kept in order: the case's status history
    (the Case Status API's `hist_case_status`, the public status page). Written by
    `cases.services.upsert_case` whenever the status text changes; never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    status_text = models.CharField(max_length=200)
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        ordering = ["case", "changed_at", "id"]
        indexes = [models.Index(fields=["case", "changed_at"], name="case_status_change_order")]

    def __str__(self) -> str:
        return f"{self.case}: {self.status_text} ({self.changed_at:%Y-%m-%d})"


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
    # Checked with the receipt number and the name before anyone without an account opens
    # an e-Request on a case (issue 11, section 4).
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)

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
    # With a G-28: the representative's identifier (accounts.representatives), which finds
    # their online account (cases.g28, ADR 42).
    representative_key = models.CharField(max_length=40, blank=True, db_index=True)

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


class CustomerLinkQuerySet(models.QuerySet["CustomerLink"]):
    def in_effect(self) -> Self:
        return self.filter(unlinked_at__isnull=True)


class CustomerLink(models.Model):
    """A customer account's verified link to a `Person` the case systems know (ADR 27).

    The account may act on the cases where that person is a party (not as a representative)
    and on the requests it made. Made and ended by cases.services (audited); an ended link is
    kept (`unlinked_at`), never deleted, and a person is linked to one account at a time.
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="customer_links",
        verbose_name=_("customer account"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="customer_links", verbose_name=_("person")
    )
    method = models.CharField(_("verified by"), max_length=16, choices=LinkMethod.choices)
    linked_at = models.DateTimeField(_("linked"))
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("linked by"),
    )
    unlinked_at = models.DateTimeField(_("unlinked"), null=True, blank=True)

    objects = CustomerLinkQuerySet.as_manager()

    class Meta:
        ordering = ["account", "id"]
        verbose_name = _("customer link")
        verbose_name_plural = _("customer links")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(unlinked_at__isnull=True),
                name="customer_link_one_account_per_person",
            ),
            models.CheckConstraint(
                condition=Q(method__in=LinkMethod.values), name="customer_link_method_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} → {self.person_id}"


class RepresentationQuerySet(models.QuerySet["Representation"]):
    def in_effect(self, on: dt.date) -> Self:
        """Forms G-28 accepted on or before `on` and not withdrawn by then."""
        return self.filter(accepted_on__lte=on).filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)
        )


class Representation(models.Model):
    """A Form G-28 on file: a representative account may act on one case (ADR 27).

    In effect from `accepted_on` until `withdrawn_on` (the day it was withdrawn or the
    representative was replaced). Recorded and withdrawn by cases.services (audited), by the
    case systems or by cleared staff in the admin; never deleted, so who represented whom,
    when, stays answerable.
    """

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="representations",
        verbose_name=_("representative account"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="representations", verbose_name=_("case")
    )
    role = models.CharField(
        _("capacity"),
        max_length=32,
        choices=[(v, label) for v, label in PartyRole.choices if v in REPRESENTATIVE_ROLES],
    )
    accepted_on = models.DateField(_("G-28 accepted on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = RepresentationQuerySet.as_manager()

    class Meta:
        ordering = ["case", "-accepted_on", "id"]
        verbose_name = _("representation (Form G-28)")
        verbose_name_plural = _("representations (Form G-28)")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "case"],
                condition=Q(withdrawn_on__isnull=True),
                name="representation_one_open_per_case",
            ),
            models.CheckConstraint(
                condition=Q(role__in=sorted(r.value for r in REPRESENTATIVE_ROLES)),
                name="representation_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("accepted_on")),
                name="representation_withdrawn_after_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"G-28 {self.account_id} on {self.case_id}"

    def is_in_effect(self, on: dt.date) -> bool:
        return self.accepted_on <= on and (self.withdrawn_on is None or self.withdrawn_on > on)
