"""ZIP -> field office and country -> international office, with the seeded reference data."""

from __future__ import annotations

import csv

import pytest
import zipcodes

from srmt.core.errors import DomainError
from srmt.offices import jurisdiction, rules
from srmt.offices.defaults import DEFAULT_ZIP_OVERRIDES
from srmt.offices.models import Office, RoutingRule, ZipOfficeOverride
from srmt.seed.reference import DATA, load_reference
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
    assert len(rules) == 16


def test_distance_is_haversine() -> None:
    assert round(jurisdiction.distance_km(44.8111, -73.089, 42.3601, -71.0589)) == 318


# The rule table of ZIP -> office for accommodation requests (the rule that routes by ZIP):
# zip, office, rule, match. WAS (in Fairfax, VA, filed under DC) serves DC and Northern
# Virginia through the seeded overrides; Maryland is Baltimore's; the rest of Virginia
# Norfolk's. ZIPs the package places at 0,0 (*) take their prefix's area; military mail
# (APO/FPO/DPO) has no field office by address, nor has a ZIP without any position and no
# single office in its state: both go to Tier 2, each with its own reason (ADR 23).
FIELD = "accommodation_field_office"
MILITARY = "accommodation_military_mail"
NO_FIELD = "accommodation_no_field_office"
REASONS = {
    MILITARY: (
        "Military mail ZIP (APO/FPO/DPO): no field office serves ZIP {zip} ({state}) by "
        "address; the contact center's Tier 2 (CC-T2) serves the customer.",
        "Código postal de correo militar (APO/FPO/DPO): ninguna oficina local atiende el código "
        "postal {zip} ({state}) por domicilio; lo atiende el Nivel 2 del centro de contacto "
        "(CC-T2).",
    ),
    NO_FIELD: (
        "ZIP {zip} ({state}) has no known location and its state no single field office: no "
        "field office can be chosen by address; the contact center's Tier 2 (CC-T2) serves the "
        "customer.",
        "El código postal {zip} ({state}) no tiene ubicación conocida y su estado no tiene una "
        "única oficina local: no se puede elegir oficina por domicilio; lo atiende el Nivel 2 "
        "del centro de contacto (CC-T2).",
    ),
}
JURISDICTION = [
    ("22031", "WAS", FIELD, "override"),  # Fairfax, the office's own ZIP
    ("22201", "WAS", FIELD, "override"),  # Arlington
    ("20147", "WAS", FIELD, "override"),  # Ashburn
    ("22314", "WAS", FIELD, "override"),  # Alexandria
    ("20001", "WAS", FIELD, "override"),  # Washington, DC
    ("20500", "WAS", FIELD, "override"),  # the White House
    ("20598", "WAS", FIELD, "override"),  # DHS, filed under VA in DC's 205 prefix
    ("20588", "WAS", FIELD, "override"),  # * DHS, filed under MD in DC's 205 prefix
    ("21201", "BAL", FIELD, "nearest_in_state"),  # Baltimore
    ("20850", "BAL", FIELD, "nearest_in_state"),  # Rockville, MD: Maryland is Baltimore's
    ("23510", "NOR", FIELD, "nearest_in_state"),  # Norfolk
    ("22401", "NOR", FIELD, "nearest_in_state"),  # Fredericksburg: no override
    ("56908", "WAS", FIELD, "nearest_in_state"),  # * DC, Parcel Return Service: prefix 569
    ("88888", "WAS", FIELD, "only_in_state"),  # * DC, North Pole: no prefix neighbours
    ("90085", "LOS", FIELD, "nearest_in_state"),  # * Los Angeles: prefix 900
    ("90140", "LOS", FIELD, "nearest_in_state"),  # * Commerce: prefix 901
    ("90205", "LOS", FIELD, "nearest_in_state"),  # * Bell Gardens: prefix 902
    ("95214", "SAC", FIELD, "nearest_in_state"),  # * Stockton: prefix 952
    ("09001", "CC-T2", MILITARY, "military_mail"),  # * AE
    ("34001", "CC-T2", MILITARY, "military_mail"),  # * AA
    ("96201", "CC-T2", MILITARY, "military_mail"),  # * AP
    ("96507", "CC-T2", MILITARY, "military_mail"),  # AP with a position: still military
    ("09905", "CC-T2", MILITARY, "military_mail"),  # * APO filed under NJ
    ("09980", "CC-T2", MILITARY, "military_mail"),  # * DPO filed under NJ
    ("96941", "CC-T2", NO_FIELD, "unknown_position"),  # * Pohnpei, FM: no position, no office
]
AT_ZERO = {"20588", "56908", "88888", "90085", "90140", "90205", "95214"}
AT_ZERO |= {"09001", "34001", "96201", "09905", "09980", "96941"}


def _package_position(zip_code: str) -> tuple[float, float]:
    (row,) = zipcodes.matching(zip_code)
    return float(row["lat"]), float(row["long"])


def test_the_table_marks_the_zips_the_package_places_at_0_0() -> None:
    marked = {zip_code for zip_code, *_rest in JURISDICTION if zip_code in AT_ZERO}
    at_zero = {z for z, *_rest in JURISDICTION if _package_position(z) == (0.0, 0.0)}
    assert marked == at_zero == AT_ZERO


@pytest.mark.parametrize(("zip_code", "office", "rule", "match"), JURISDICTION)
def test_the_jurisdiction_table(
    reference: None, zip_code: str, office: str, rule: str, match: str
) -> None:
    routed = routing_facts.route_submission(request_type="accommodation_request", zip_code=zip_code)
    decision = routed.decision
    assert (decision.office_code, decision.rule, routed.facts.zip_match) == (office, rule, match)
    if rule in REASONS:
        english, spanish = (
            text.format(zip=zip_code, state=routed.facts.zip_state) for text in REASONS[rule]
        )
        assert (decision.reason, decision.reason_es) == (english, spanish)


def test_the_seeded_zip_overrides_are_dc_and_northern_virginia(reference: None) -> None:
    seeded = dict(ZipOfficeOverride.objects.values_list("zip_prefix", "office__code"))
    assert seeded == {
        **dict.fromkeys(["200", "202", "203", "204", "205"], "WAS"),
        **dict.fromkeys(["201", "220", "221", "222", "223"], "WAS"),
    }
    states = {
        prefix: {r["state"] for r in zipcodes.list_all() if r["zip_code"][:3] == prefix}
        for prefix in DEFAULT_ZIP_OVERRIDES
    }
    # the DC prefixes hold two federal ZIPs filed under MD and VA (20588, 20598)
    assert {p for p, s in states.items() if s == {"VA"}} == {"201", "220", "221", "222", "223"}
    assert {p for p, s in states.items() if "DC" in s} == {"200", "202", "203", "204", "205"}


def test_seeding_again_keeps_an_administrators_override(reference: None) -> None:
    override = ZipOfficeOverride.objects.get(zip_prefix="220")
    override.office = Office.objects.get(code="NOR")
    override.save(update_fields=["office"])
    count = ZipOfficeOverride.objects.count()
    load_reference()
    assert ZipOfficeOverride.objects.count() == count
    assert ZipOfficeOverride.objects.get(zip_prefix="220").office.code == "NOR"
    assert routing_facts.build_facts(zip_code="22031")[0].zip_office_code == "NOR"


def test_no_zip_is_placed_at_0_0() -> None:
    """0,0 in the package means "not known": a ZIP takes its prefix's mean or no position."""
    located = [jurisdiction.locate_zip(z) for z in jurisdiction.all_zip_codes()]
    assert [loc.zip_code for loc in located if (loc.latitude, loc.longitude) == (0, 0)] == []
    unknown = [loc for loc in located if loc.latitude is None]
    assert all(loc.position == jurisdiction.POSITION_UNKNOWN for loc in unknown)
    # without a position: military mail, DC's 88888, MD's 20588, and Micronesia's four
    assert {loc.zip_code for loc in unknown if not loc.is_military_mail} == {
        "20588",
        "88888",
        "96941",
        "96942",
        "96943",
        "96944",
    }


def test_a_zip_without_a_position_goes_to_the_states_only_office_or_none() -> None:
    nowhere = jurisdiction.ZipLocation("88888", "DC", None, None, jurisdiction.POSITION_UNKNOWN)
    was = jurisdiction.OfficePoint("WAS", "DC", 38.86, -77.26)
    los = jurisdiction.OfficePoint("LOS", "CA", 34.05, -118.24)
    lac = jurisdiction.OfficePoint("LAC", "CA", 34.06, -118.09)
    found = jurisdiction.field_office_for(nowhere, [was, los, lac], {})
    assert found == jurisdiction.ZipJurisdiction("WAS", "DC", "only_in_state", None)
    in_ca = jurisdiction.ZipLocation("90085", "CA", None, None, jurisdiction.POSITION_UNKNOWN)
    found = jurisdiction.field_office_for(in_ca, [was, los, lac], {})
    assert found == jurisdiction.ZipJurisdiction("", "CA", "unknown_position", None)
    # an administrator's override still wins, for military mail too
    military = jurisdiction.locate_zip("09001")
    assert jurisdiction.field_office_for(military, [was], {"090": "WAS"}) == (
        jurisdiction.ZipJurisdiction("WAS", "AE", "override", None)
    )


# Outside the 48 contiguous states: Alaska, Hawaii, the territories, the freely associated
# states and the Armed Forces "states" of military mail.
NOT_CONTIGUOUS = frozenset(
    {"AK", "HI", "PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW", "AA", "AE", "AP"}
)
MAX_KM = 1000
FAR_EXCEPTIONS: set[str] = set()  # ZIPs of the 48 states (and DC) allowed farther: none


def test_no_zip_of_the_contiguous_states_goes_to_an_office_far_away(reference: None) -> None:
    """A sweep over every package ZIP of the 48 contiguous states and DC (about 3 s)."""
    offices, overrides = rules.field_offices(), rules.zip_overrides()
    where = {o.code: o for o in offices}
    located = [jurisdiction.locate_zip(z) for z in jurisdiction.all_zip_codes()]
    contiguous = [loc for loc in located if loc.state not in NOT_CONTIGUOUS]
    assert len({loc.state for loc in contiguous}) == 49  # and DC
    far, without_office = [], []
    for location in contiguous:
        zip_code = location.zip_code
        found = jurisdiction.field_office_for(location, offices, overrides)
        if found is None or not found.office_code:
            if not location.is_military_mail:
                without_office.append(zip_code)
            continue
        if location.latitude is None or location.longitude is None:
            continue  # the state's only office (DC's 88888) or an override (MD's 20588)
        office = where[found.office_code]
        km = jurisdiction.distance_km(
            location.latitude, location.longitude, office.latitude, office.longitude
        )
        if km > MAX_KM and zip_code not in FAR_EXCEPTIONS:
            far.append((zip_code, found.office_code, round(km)))
    assert far == []
    assert without_office == []
