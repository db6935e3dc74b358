"""ZIP -> field office and country -> international office, with the seeded reference data."""

from __future__ import annotations

import pytest

from srmt.core.errors import DomainError
from srmt.offices import jurisdiction
from srmt.offices.models import Office, RoutingRule, ZipOfficeOverride
from srmt.service_requests import routing_facts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("zip_code", "state", "office", "match"),
    [
        ("90012", "CA", "LOS", "nearest_in_state"),
        ("94103", "CA", "SFR", "nearest_in_state"),
        ("92101", "CA", "SND", "nearest_in_state"),
        ("95814-1234", "CA", "SAC", "nearest_in_state"),
        ("77002", "TX", "HOU", "nearest_in_state"),
        ("78205", "TX", "SNA", "nearest_in_state"),
        ("79901", "TX", "ELP", "nearest_in_state"),
        ("14202", "NY", "BUF", "nearest_in_state"),
        ("12207", "NY", "ALB", "nearest_in_state"),
        ("33130", "FL", "MIA", "nearest_in_state"),
        ("32801", "FL", "ORL", "nearest_in_state"),
        ("00901", "PR", "SAJ", "nearest_in_state"),
        ("19901", "DE", "BAL", "nearest_overall"),  # Delaware has no field office
    ],
)
def test_the_nearest_field_office_serves_a_zip(
    reference: None, zip_code: str, state: str, office: str, match: str
) -> None:
    facts, _case = routing_facts.build_facts(zip_code=zip_code)
    assert (facts.zip_state, facts.zip_office_code, facts.zip_match) == (state, office, match)


def test_a_configured_zip_prefix_wins_over_the_nearest_office(reference: None) -> None:
    ZipOfficeOverride.objects.create(zip_prefix="900", office=Office.objects.get(code="LAC"))
    ZipOfficeOverride.objects.create(zip_prefix="90013", office=Office.objects.get(code="SFV"))
    assert routing_facts.build_facts(zip_code="90012")[0].zip_office_code == "LAC"
    assert routing_facts.build_facts(zip_code="90013")[0].zip_office_code == "SFV"
    assert routing_facts.build_facts(zip_code="90012")[0].zip_match == "override"


@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"zip_code": "0547"}, "invalid_zip_code", "zip"),
        ({"zip_code": "05478-12"}, "invalid_zip_code", "zip"),
        ({"zip_code": "ABCDE"}, "invalid_zip_code", "zip"),
        ({"zip_code": "00000"}, "unknown_zip_code", "zip"),
        ({"country": "XX"}, "invalid_country_code", "country"),
        ({"country": "USA"}, "invalid_country_code", "country"),
        ({"receipt_number": "EAC12"}, "invalid_receipt_number", "receipt_number"),
    ],
)
def test_malformed_facts_are_refused(
    reference: None, kwargs: dict[str, str], code: str, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        routing_facts.build_facts(**kwargs)
    assert (refused.value.code, refused.value.field) == (code, field)


@pytest.mark.parametrize(
    ("country", "office", "rule"),
    [
        ("MX", "MEX", "overseas_referral"),
        ("gt", "GUA", "overseas_referral"),
        ("IN", "NDE", "overseas_referral"),
        ("KE", "NAI", "overseas_referral"),
        ("CN", "BEJ", "overseas_referral"),
        ("FR", "MEX", "overseas_referral"),  # no configured office: the default
        ("PR", "CC-T2", "no_receipt_number"),  # a U.S. territory is not abroad
        ("US", "CC-T2", "no_receipt_number"),
    ],
)
def test_residents_abroad_are_referred_by_country(
    reference: None, country: str, office: str, rule: str
) -> None:
    decision = routing_facts.route_submission(country=country).decision
    assert (decision.office_code, decision.rule) == (office, rule)


def test_the_seeded_rules_are_the_defaults_and_editable(reference: None) -> None:
    routed = routing_facts.route_submission(receipt_number="EAC2190012345")
    rule = RoutingRule.objects.get(code="prefix_eac")
    assert (routed.decision.office_code, routed.decision.rule_id) == ("ESC", rule.pk)
    # an administrator sends EAC receipts elsewhere
    rule.office = Office.objects.get(code="CSC")
    rule.save(update_fields=["office"])
    routed = routing_facts.route_submission(receipt_number="EAC2190012345")
    assert (routed.decision.office_code, routed.decision.rule) == ("CSC", "prefix_eac")


def test_an_inactive_rule_does_not_apply(reference: None) -> None:
    RoutingRule.objects.filter(code="protected_1367").update(is_active=False)
    from srmt.core.snapshots import invalidate

    invalidate("routing_rules")
    rules = routing_facts.rules.active_rules()
    assert "protected_1367" not in {r.code for r in rules}
    assert len(rules) == 14


def test_distance_is_haversine() -> None:
    assert round(jurisdiction.distance_km(44.8111, -73.089, 42.3601, -71.0589)) == 318
