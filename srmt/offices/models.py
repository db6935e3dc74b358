"""Offices that hold case files and answer service requests, and the forms they process."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from srmt.core.snapshots import snapshot
from srmt.offices.choices import OfficeKind


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
    is_active = models.BooleanField(default=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OfficeKind.values), name="office_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def offices_by_code() -> dict[str, Office]:
    """Every office by code, from this process's snapshot (core.snapshots)."""
    return snapshot("offices", lambda: {o.code: o for o in Office.objects.all()})


class FormType(models.Model):
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

    @property
    def name(self) -> str:
        return self.name_es if (get_language() or "en").startswith("es") else self.name_en
