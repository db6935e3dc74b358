"""ZIP -> field office and country -> international office, with the seeded reference data."""

from __future__ import annotations

import csv

import pytest

from srmt.core.errors import DomainError
from srmt.offices import jurisdiction
from srmt.offices.models import Office, RoutingRule, ZipOfficeOverride
from srmt.seed.reference import DATA
from srmt.service_requests import routing_facts

pytestmark = pytest.mark.django_db


# Real ZIP codes and the field office that serves them, in states with several offices: the
# office's own ZIP code, the city centre, and a neighbouring city.
NEAREST_FIELD_OFFICE = [
    ("10007", "NY", "NYC", "nearest_in_state"),  # Manhattan, City Hall
    ("10278", "NY", "NYC", "nearest_in_state"),  # 26 Federal Plaza
    ("10001", "NY", "NYC", "nearest_in_state"),  # Manhattan, Chelsea
    ("11201", "NY", "BNY", "nearest_in_state"),  # Brooklyn, Cadman Plaza
    ("11354", "NY", "QNS", "nearest_in_state"),  # Flushing
    ("11432", "NY", "QNS", "nearest_in_state"),  # Jamaica
    ("11747", "NY", "LNY", "nearest_in_state"),  # Melville
    ("11901", "NY", "LNY", "nearest_in_state"),  # Riverhead
    ("14202", "NY", "BUF", "nearest_in_state"),
    ("14604", "NY", "BUF", "nearest_in_state"),  # Rochester
    ("12207", "NY", "ALB", "nearest_in_state"),
    ("13202", "NY", "ALB", "nearest_in_state"),  # Syracuse
    ("90012", "CA", "LOS", "nearest_in_state"),
    ("91770", "CA", "LAC", "nearest_in_state"),  # Rosemead
    ("91311", "CA", "SFV", "nearest_in_state"),  # Chatsworth
    ("91401", "CA", "SFV", "nearest_in_state"),  # Van Nuys
    ("92701", "CA", "SAA", "nearest_in_state"),
    ("92618", "CA", "SAA", "nearest_in_state"),  # Irvine
    ("92408", "CA", "SBD", "nearest_in_state"),
    ("92501", "CA", "SBD", "nearest_in_state"),  # Riverside
    ("92101", "CA", "SND", "nearest_in_state"),
    ("92251", "CA", "IMP", "nearest_in_state"),
    ("93721", "CA", "FRE", "nearest_in_state"),
    ("95814-1234", "CA", "SAC", "nearest_in_state"),
    ("94103", "CA", "SFR", "nearest_in_state"),
    ("94612", "CA", "SFR", "nearest_in_state"),  # Oakland
    ("95112", "CA", "SNJ", "nearest_in_state"),
    ("77002", "TX", "HOU", "nearest_in_state"),
    ("75201", "TX", "DAL", "nearest_in_state"),
    ("76102", "TX", "DAL", "nearest_in_state"),  # Fort Worth
    ("78205", "TX", "SNA", "nearest_in_state"),
    ("79901", "TX", "ELP", "nearest_in_state"),
    ("78520", "TX", "HLG", "nearest_in_state"),  # Brownsville
    ("78501", "TX", "HLG", "nearest_in_state"),  # McAllen
    ("33130", "FL", "MIA", "nearest_in_state"),
    ("33150", "FL", "MIA", "nearest_in_state"),
    ("33186", "FL", "KND", "nearest_in_state"),
    ("33015", "FL", "HIA", "nearest_in_state"),
    ("33309", "FL", "OKL", "nearest_in_state"),
    ("33301", "FL", "OKL", "nearest_in_state"),  # Fort Lauderdale
    ("33401", "FL", "WPB", "nearest_in_state"),
    ("33602", "FL", "TAM", "nearest_in_state"),
    ("32801", "FL", "ORL", "nearest_in_state"),
    ("32202", "FL", "JAC", "nearest_in_state"),
    ("33901", "FL", "OFM", "nearest_in_state"),
    ("96910", "GU", "AGA", "nearest_in_state"),
    ("00901", "PR", "SAJ", "nearest_in_state"),
    ("00802", "VI", "CHA", "nearest_in_state"),  # St. Thomas
    ("00820", "VI", "CHR", "nearest_in_state"),  # St. Croix
    ("19901", "DE", "PHI", "nearest_overall"),  # Delaware has no field office
]


def test_the_expected_offices_are_field_offices_in_the_seed_data() -> None:
    """The table names field offices of offices.csv, in the ZIP's state unless it has none."""
    with (DATA / "offices.csv").open(encoding="utf-8") as fh:
        states = {r["code"]: r["state"] for r in csv.DictReader(fh) if r["kind"] == "field_office"}
    wrong = [
        (zip_code, office)
        for zip_code, state, office, match in NEAREST_FIELD_OFFICE
        if office not in states or (match == "nearest_in_state") != (states[office] == state)
    ]
    assert wrong == []


@pytest.mark.parametrize(("zip_code", "state", "office", "match"), NEAREST_FIELD_OFFICE)
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
