"""Where a new service request goes, and why. Pure: facts in, decision out.

This is the first, fixed version of routing (the office holding the case, else the service
center named by the receipt prefix, else Tier 2 triage). Rule rows replace it later without
changing callers: they pass RoutingFacts and read RoutingDecision.
"""

from __future__ import annotations

from dataclasses import dataclass

from srmt.offices.constants import PREFIX_OFFICES, TIER2_OFFICE


@dataclass(frozen=True)
class RoutingFacts:
    receipt_number: str = ""
    case_office_code: str = ""
    request_type: str = ""


@dataclass(frozen=True)
class RoutingDecision:
    office_code: str
    rule: str
    reason: str


def route(facts: RoutingFacts) -> RoutingDecision:
    if facts.case_office_code:
        return RoutingDecision(
            facts.case_office_code,
            "case_office",
            f"The case record places the file at {facts.case_office_code}.",
        )
    prefix = facts.receipt_number[:3]
    if prefix in PREFIX_OFFICES:
        office = PREFIX_OFFICES[prefix]
        return RoutingDecision(
            office,
            "receipt_prefix",
            f"Receipt prefix {prefix} belongs to {office}; no case record.",
        )
    if facts.receipt_number:
        return RoutingDecision(
            TIER2_OFFICE,
            "unknown_prefix",
            f"Receipt prefix {prefix} names no service center; Tier 2 triages it.",
        )
    return RoutingDecision(
        TIER2_OFFICE, "no_receipt_number", "No receipt number; Tier 2 triages it."
    )
