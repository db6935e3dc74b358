"""route(): the default rule set as a table of facts -> (office, rule), plus rule mechanics."""

from __future__ import annotations

import datetime as dt

import pytest

from srmt.offices.defaults import DEFAULT_RULES
from srmt.offices.routing import NO_RULE, RoutingDecision, RoutingFacts, RuleSpec, route

ZIP_VT = {"zip_code": "05478", "zip_state": "VT", "zip_office_code": "STA", "zip_match": "x"}
ABROAD = {"country": "IN", "is_in_us": False, "international_office_code": "NDE"}
MILITARY_ZIP = {
    "zip_code": "09001",
    "zip_state": "AE",
    "zip_match": "military_mail",
    "zip_is_military_mail": True,
}
UNLOCATED_ZIP = {"zip_code": "96941", "zip_state": "FM", "zip_match": "unknown_position"}


@pytest.mark.parametrize(
    ("_case", "facts", "office", "rule"),
    [
        *[
            (
                f"prefix {prefix}",
                RoutingFacts(receipt_number=f"{prefix}2190012345"),
                office,
                f"prefix_{prefix.lower()}",
            )
            for prefix, office in [
                ("EAC", "ESC"),
                ("WAC", "CSC"),
                ("LIN", "NSC"),
                ("SRC", "SSC"),
                ("MSC", "NBC"),
                ("YSC", "YSC"),
            ]
        ],
        (
            "transferred file wins over the prefix",
            RoutingFacts(receipt_number="EAC2190012345", case_office_code="CSC"),
            "CSC",
            "case_office",
        ),
        (
            "IOE goes to the office holding the case",
            RoutingFacts(receipt_number="IOE0912345678", case_office_code="NBC"),
            "NBC",
            "case_office",
        ),
        (
            "IOE without a case record",
            RoutingFacts(receipt_number="IOE0912345678"),
            "CC-T2",
            "prefix_ioe_no_case",
        ),
        ("unknown prefix", RoutingFacts(receipt_number="ABC2190012345"), "CC-T2", "unknown_prefix"),
        ("no receipt number", RoutingFacts(), "CC-T2", "no_receipt_number"),
        (
            "accommodation, military mail ZIP",
            RoutingFacts(request_type="accommodation_request", **MILITARY_ZIP),
            "CC-T2",
            "accommodation_military_mail",
        ),
        (
            "accommodation, ZIP without a known location",
            RoutingFacts(request_type="accommodation_request", **UNLOCATED_ZIP),
            "CC-T2",
            "accommodation_no_field_office",
        ),
        (
            "military mail ZIP of a request not routed by ZIP",
            RoutingFacts(receipt_number="EAC2190012345", **MILITARY_ZIP),
            "ESC",
            "prefix_eac",
        ),
        (
            "1367 wins over the case office",
            RoutingFacts(receipt_number="WAC2190012345", case_office_code="CSC", is_protected=True),
            "ESC-VAWA",
            "protected_1367",
        ),
        (
            "1367 wins over residence abroad and the type",
            RoutingFacts(
                receipt_number="EAC2190012345",
                case_office_code="ESC",
                is_protected=True,
                request_type="appointment_request",
                **ABROAD,
            ),
            "ESC-VAWA",
            "protected_1367",
        ),
        (
            "overseas: referral to the international office",
            RoutingFacts(receipt_number="EAC2190012345", case_office_code="ESC", **ABROAD),
            "NDE",
            "overseas_referral",
        ),
        (
            "appointment request: Tier 2 over the case office",
            RoutingFacts(
                receipt_number="EAC2190012345",
                case_office_code="ESC",
                request_type="appointment_request",
            ),
            "CC-T2",
            "appointment_tier2",
        ),
        (
            "expedite: the office holding the case",
            RoutingFacts(
                receipt_number="EAC2190012345",
                case_office_code="NBC",
                request_type="expedite_request",
            ),
            "NBC",
            "expedite_case_office",
        ),
        (
            "accommodation: the field office for the ZIP",
            RoutingFacts(
                receipt_number="EAC2190012345",
                case_office_code="ESC",
                request_type="accommodation_request",
                **ZIP_VT,
            ),
            "STA",
            "accommodation_field_office",
        ),
        (
            "accommodation without a ZIP: the case office",
            RoutingFacts(
                receipt_number="EAC2190012345",
                case_office_code="ESC",
                request_type="accommodation_request",
            ),
            "ESC",
            "case_office",
        ),
    ],
)
def test_default_rules(_case: str, facts: RoutingFacts, office: str, rule: str) -> None:
    decision = route(facts)
    assert (decision.office_code, decision.rule) == (office, rule)
    assert decision.is_referral is (rule == "overseas_referral")


def test_the_decision_says_which_facts_decided() -> None:
    decision = route(
        RoutingFacts(receipt_number="EAC2190012345", request_type="accommodation_request", **ZIP_VT)
    )
    assert decision == RoutingDecision(
        office_code="STA",
        rule="accommodation_field_office",
        reason="Accommodation requests go to the field office for the customer's address: "
        "ZIP 05478 (VT) is served by STA.",
        facts_used={
            "request_type": "accommodation_request",
            "has_zip_code": True,
            "zip_code": "05478",
            "zip_state": "VT",
            "zip_match": "x",
        },
        is_referral=False,
        rule_id=None,
        reason_es="Las solicitudes de acomodo van a la oficina local del domicilio del cliente: "
        "el código postal 05478 (VT) lo atiende STA.",
    )


def test_reasons_name_the_offices() -> None:
    assert route(RoutingFacts(receipt_number="EAC2190012345", case_office_code="CSC")).reason == (
        "The case record places the file at CSC."
    )
    assert route(RoutingFacts(receipt_number="LIN2190012345")).reason == (
        "Receipt prefix LIN belongs to NSC; no case record."
    )


def test_rules_apply_in_position_order_within_their_dates() -> None:
    old = RuleSpec(
        code="old",
        action="fixed_office",
        office_code="NSC",
        explanation="old",
        position=1,
        effective_until=dt.date(2026, 6, 30),
    )
    new = RuleSpec(
        code="new",
        action="fixed_office",
        office_code="CSC",
        explanation="new {office}",
        position=2,
        effective_from=dt.date(2026, 7, 1),
    )
    assert route(RoutingFacts(), [new, old], on=dt.date(2026, 6, 30)).rule == "old"
    assert route(RoutingFacts(), [new, old], on=dt.date(2026, 7, 1)).reason == "new CSC"


def test_a_rule_whose_action_cannot_name_an_office_is_skipped() -> None:
    zip_rule = RuleSpec(code="zip", action="zip_field_office", explanation="z", position=1)
    assert route(RoutingFacts(), [zip_rule, *DEFAULT_RULES]).rule == "no_receipt_number"


def test_no_matching_rule_sends_the_request_to_tier_2() -> None:
    only_1367 = [r for r in DEFAULT_RULES if r.code == "protected_1367"]
    decision = route(RoutingFacts(receipt_number="EAC2190012345"), only_1367)
    assert (decision.office_code, decision.rule) == ("CC-T2", NO_RULE)


def test_a_typo_in_an_explanation_placeholder_is_shown_as_written() -> None:
    rule = RuleSpec(code="r", action="fixed_office", office_code="ESC", explanation="{nope")
    assert route(RoutingFacts(), [rule]).reason == "{nope"


def test_without_the_military_mail_rule_military_mail_is_not_called_unlocated() -> None:
    # an administrator turned the military mail rule off: the rule for ZIPs without a known
    # location does not claim military mail, which goes on to the next rules
    rules = [r for r in DEFAULT_RULES if r.code != "accommodation_military_mail"]
    decision = route(RoutingFacts(request_type="accommodation_request", **MILITARY_ZIP), rules)
    assert (decision.office_code, decision.rule) == ("CC-T2", "no_receipt_number")
