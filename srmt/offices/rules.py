"""Routing reference data as plain values for the pure routing functions, from per-process
snapshots (core.snapshots; dropped when an administrator edits the rows)."""

from __future__ import annotations

from django.conf import settings

from srmt.core.snapshots import snapshot
from srmt.offices.choices import OfficeKind
from srmt.offices.jurisdiction import OfficePoint
from srmt.offices.models import CountryOffice, Office, RoutingRule, ZipOfficeOverride
from srmt.offices.routing import tri_state
from srmt.offices.rule_spec import RuleSpec

SNAPSHOTS = ("routing_rules", "field_offices", "zip_overrides", "country_offices")


def _codes(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def rule_spec(rule: RoutingRule) -> RuleSpec:
    return RuleSpec(
        code=rule.code,
        name=rule.name,
        position=rule.position,
        action=rule.action,
        explanation=rule.explanation,
        explanation_es=rule.explanation_es,
        office_code=rule.office.code if rule.office is not None else "",
        receipt_prefixes=tuple(p.upper() for p in _codes(rule.receipt_prefixes)),
        request_types=_codes(rule.request_types),
        is_protected=tri_state(rule.is_protected),
        has_case_record=tri_state(rule.has_case_record),
        has_receipt_number=tri_state(rule.has_receipt_number),
        has_zip_code=tri_state(rule.has_zip_code),
        requester_in_us=tri_state(rule.requester_in_us),
        zip_is_military_mail=tri_state(rule.zip_is_military_mail),
        effective_from=rule.effective_from,
        effective_until=rule.effective_until,
        pk=rule.pk,
    )


def active_rules() -> tuple[RuleSpec, ...]:
    """The active routing rules in position order (route() filters them by date)."""
    return snapshot(
        "routing_rules",
        lambda: tuple(
            rule_spec(r)
            for r in RoutingRule.objects.filter(is_active=True).select_related("office")
        ),
    )


def _office_point(office: Office) -> OfficePoint:
    if office.latitude is None or office.longitude is None:
        raise ValueError(f"Office {office.code} has no coordinates")
    return OfficePoint(office.code, office.state, float(office.latitude), float(office.longitude))


def field_offices() -> tuple[OfficePoint, ...]:
    """Active field offices that have coordinates."""
    return snapshot(
        "field_offices",
        lambda: tuple(
            _office_point(o)
            for o in Office.objects.active().filter(
                kind=OfficeKind.FIELD_OFFICE, latitude__isnull=False, longitude__isnull=False
            )
        ),
    )


def zip_overrides() -> dict[str, str]:
    return snapshot(
        "zip_overrides",
        lambda: dict(ZipOfficeOverride.objects.values_list("zip_prefix", "office__code")),
    )


def country_offices() -> dict[str, str]:
    return snapshot(
        "country_offices",
        lambda: dict(CountryOffice.objects.values_list("country", "office__code")),
    )


def default_international_office() -> str:
    return str(settings.SRMT_DEFAULT_INTERNATIONAL_OFFICE)
