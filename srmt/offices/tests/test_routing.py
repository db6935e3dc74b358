"""route(): the case office, else the receipt prefix, else Tier 2 triage, with the reason."""

from __future__ import annotations

import pytest

from srmt.offices.routing import RoutingDecision, RoutingFacts, route


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (
            RoutingFacts(receipt_number="EAC2190012345", case_office_code="CSC"),
            RoutingDecision("CSC", "case_office", "The case record places the file at CSC."),
        ),
        (
            RoutingFacts(receipt_number="IOE0912345678", case_office_code="NBC"),
            RoutingDecision("NBC", "case_office", "The case record places the file at NBC."),
        ),
        *[
            (
                RoutingFacts(receipt_number=f"{prefix}2190012345"),
                RoutingDecision(
                    office,
                    "receipt_prefix",
                    f"Receipt prefix {prefix} belongs to {office}; no case record.",
                ),
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
            RoutingFacts(receipt_number="IOE0912345678"),
            RoutingDecision(
                "CC-T2",
                "unknown_prefix",
                "Receipt prefix IOE names no service center; Tier 2 triages it.",
            ),
        ),
        (
            RoutingFacts(),
            RoutingDecision("CC-T2", "no_receipt_number", "No receipt number; Tier 2 triages it."),
        ),
    ],
)
def test_route(facts: RoutingFacts, expected: RoutingDecision) -> None:
    assert route(facts) == expected
