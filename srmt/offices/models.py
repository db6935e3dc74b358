"""Offices that hold case files and answer service requests, and the forms they process."""

from __future__ import annotations

import string
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from srmt.core.bilingual import BilingualName
from srmt.core.snapshots import snapshot
from srmt.offices.choices import OfficeKind, RoutingAction, TriState
from srmt.offices.routing import PLACEHOLDERS


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class OfficeQuerySet(models.QuerySet["Office"]):
    def active(self) -> OfficeQuerySet:
        return self.filter(is_active=True)


class Office(models.Model):
    """An agency office: a contact center tier, service center, field office, unit, ...

    `parent` places a unit inside a larger office (e.g. a specialised unit of a service center).
    """

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=32, choices=OfficeKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    state = models.CharField(max_length=2, blank=True)
    city = models.CharField(max_length=80, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=240, blank=True)
    # Public contact details given to customers (e.g. with an overseas referral), from the
    # agency's public pages: opening hours or how to get an appointment, and the office's page.
    hours = models.CharField(_("public hours"), max_length=240, blank=True)
    # The same in Spanish, for Spanish-speaking customers (blank: the English text is used).
    hours_es = models.CharField(_("public hours (Spanish)"), max_length=240, blank=True)
    web_page = models.URLField(_("public web page"), blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # 8 U.S.C. 1367: the unit that works VAWA, T and U cases. What it holds is confidential,
    # so its figures are folded into its parent office for staff without clearance, and
    # messages naming it or its requests go only to cleared staff.
    is_confidential = models.BooleanField(
        _("confidential unit (8 U.S.C. 1367)"),
        default=False,
        help_text=_(
            "The unit works cases protected by 8 U.S.C. 1367. Its counts are shown only "
            "inside its parent office, and messages about its requests go only to cleared staff."
        ),
    )

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OfficeKind.values), name="office_kind_valid"
            ),
            # Folding a unit's figures into its parent needs a parent.
            models.CheckConstraint(
                condition=Q(is_confidential=False) | Q(parent__isnull=False),
                name="office_confidential_unit_has_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def offices_by_code() -> dict[str, Office]:
    """Every office by code, from this process's snapshot (core.snapshots)."""
    return snapshot("offices", lambda: {o.code: o for o in Office.objects.all()})


class FormType(BilingualName, models.Model):
    """An immigration form (I-130, N-400, ...) with its names in English and Spanish."""

    code = models.CharField(max_length=16, unique=True)
    name_en = models.CharField(max_length=200)
    name_es = models.CharField(max_length=200)
    is_premium_processing_eligible = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_en}"


def validate_code_list(value: str) -> None:
    """A comma-separated list of codes: letters, digits and underscores."""
    for item in value.split(","):
        if item.strip() and not item.strip().replace("_", "").isalnum():
            raise ValidationError(
                _("%(item)s is not a code; separate codes with commas."), params={"item": item}
            )


def validate_explanation(value: str) -> None:
    """Placeholders an explanation may use: the routing facts (offices.routing.PLACEHOLDERS)."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(value) if name]
    except ValueError:
        raise ValidationError(
            _("Write a placeholder as {office}; write a brace itself as {{ or }}.")
        ) from None
    unknown = sorted(set(names) - set(PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("%(names)s: not a routing fact. Use %(allowed)s."),
            params={
                "names": ", ".join(f"{{{n}}}" for n in unknown),
                "allowed": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS),
            },
        )


class RoutingRule(models.Model):
    """One ordered routing rule: criteria on the request's facts, and where it goes.

    offices.routing.route() evaluates the active rules in `position` order and the first
    that matches decides. Blank lists and "any" match everything. `explanation` (English)
    and `explanation_es` (Spanish) are the reason stored with the request in each language
    (ADR 0015); both may name facts: {prefix}, {office}, {case_office}, {zip_code},
    {zip_state}, {country}, {request_type}. A blank Spanish explanation shows the English one.
    """

    code = models.SlugField(max_length=48, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField()
    effective_from = models.DateField(null=True, blank=True)
    effective_until = models.DateField(
        null=True, blank=True, help_text="Last day the rule applies (blank: open-ended)."
    )
    is_active = models.BooleanField(default=True)
    receipt_prefixes = models.CharField(
        max_length=200, blank=True, validators=[validate_code_list], help_text="e.g. EAC,WAC"
    )
    request_types = models.CharField(
        max_length=400, blank=True, validators=[validate_code_list], help_text="Type codes."
    )
    is_protected = models.CharField(
        max_length=8, choices=TriState.choices, default=TriState.ANY, help_text="1367 case."
    )
    has_case_record = models.CharField(max_length=8, choices=TriState.choices, default=TriState.ANY)
    has_receipt_number = models.CharField(
        max_length=8, choices=TriState.choices, default=TriState.ANY
    )
    has_zip_code = models.CharField(max_length=8, choices=TriState.choices, default=TriState.ANY)
    requester_in_us = models.CharField(max_length=8, choices=TriState.choices, default=TriState.ANY)
    zip_is_military_mail = models.CharField(
        "ZIP is military mail",
        max_length=8,
        choices=TriState.choices,
        default=TriState.ANY,
        help_text="The customer's ZIP code is military mail (APO/FPO/DPO).",
    )
    action = models.CharField(max_length=32, choices=RoutingAction.choices)
    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For the action route to a fixed office.",
    )
    explanation = models.CharField(
        "explanation (English)", max_length=240, validators=[validate_explanation]
    )
    explanation_es = models.CharField(
        "explanation (Spanish)",
        max_length=240,
        blank=True,
        default="",
        db_default="",
        validators=[validate_explanation],
        help_text="Same placeholders as the English one. Blank: Spanish pages show the English.",
    )

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=RoutingAction.values), name="routing_rule_action_valid"
            ),
            models.CheckConstraint(
                condition=~Q(action=RoutingAction.FIXED_OFFICE) | Q(office__isnull=False),
                name="routing_rule_fixed_office_named",
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_until__gte=models.F("effective_from")),
                name="routing_rule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} {self.code}"

    def clean(self) -> None:
        if self.action == RoutingAction.FIXED_OFFICE and self.office_id is None:
            raise ValidationError({"office": _("Choose the office this rule routes to.")})


class ZipOfficeOverride(models.Model):
    """A configured ZIP code (5 digits) or ZIP prefix (3 or 4 digits) with its field office.

    It wins over the nearest office; the longest matching prefix wins among overrides.
    """

    zip_prefix = models.CharField(
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^[0-9]{3,5}$", _("Enter 3 to 5 digits."))],
    )
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["zip_prefix"]

    def __str__(self) -> str:
        return f"{self.zip_prefix} -> {self.office_id}"


class CountryOffice(models.Model):
    """The international office that serves residents of a country (ISO 3166-1 alpha-2).

    Countries without a row go to the default international office (SRMT_DEFAULT_
    INTERNATIONAL_OFFICE).
    """

    country = models.CharField(max_length=2, unique=True)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["country"]
        verbose_name_plural = "country offices"

    def __str__(self) -> str:
        return f"{self.country} -> {self.office_id}"


class OtherAgency(BilingualName, models.Model):
    """Another agency that handles what is outside this agency's jurisdiction."""

    code = models.SlugField(max_length=16, unique=True)
    name_en = models.CharField(max_length=200)
    name_es = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    mailing_address = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "other agencies"

    def __str__(self) -> str:
        return self.code


class RedirectTopic(BilingualName, models.Model):
    """An inquiry topic another agency handles (visas -> State, I-94 -> CBP, ...)."""

    code = models.SlugField(max_length=48, unique=True)
    name_en = models.CharField(max_length=200)
    name_es = models.CharField(max_length=200)
    agency = models.ForeignKey(OtherAgency, on_delete=models.PROTECT, related_name="topics")
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.code
