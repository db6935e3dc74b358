"""What each role may do, in one table (see docs/adr/0004-roles-and-access.md).

Scope: "national" means every office; "own_offices" means the offices in the user's
memberships. Protected (8 U.S.C. 1367) cases need `User.is_1367_cleared` on top, whatever
the role: the statute limits disclosure to staff who need it, so no role implies it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from srmt.accounts.choices import Role


class Capability(StrEnum):
    VIEW = "view"  # see service requests and case facts (within scope)
    CREATE = "create"  # record a new service request (intake)
    NOTE = "note"  # add internal notes
    RESPOND = "respond"  # send initial, follow-up and final responses
    TRANSITION = "transition"  # change status, assign, edit
    AGGREGATES = "aggregates"  # counts without personal data
    MANAGE_CASES = "manage_cases"  # upsert case records (integration with case systems)
    MANAGE_TEMPLATES = "manage_templates"  # write response templates (national or an office's)
    REVIEW_RESPONSES = "review_responses"  # decide responses held for supervisory review
    QA_REVIEW = "qa_review"  # score sampled requests in national QA review, calibrate, disputes
    QUALITY_REPORTS = "quality_reports"  # quality dashboards, outcome metrics, satisfaction


NATIONAL: Final = "national"
OWN_OFFICES: Final = "own_offices"
NONE: Final = "none"

_ALL = frozenset(Capability)

CAPABILITIES: Final[dict[Role, frozenset[Capability]]] = {
    Role.TIER1: frozenset({Capability.VIEW, Capability.CREATE, Capability.NOTE}),
    Role.TIER2: frozenset(
        {
            Capability.VIEW,
            Capability.CREATE,
            Capability.NOTE,
            Capability.RESPOND,
            Capability.TRANSITION,
        }
    ),
    Role.OFFICE_STAFF: frozenset(
        {
            Capability.VIEW,
            Capability.CREATE,
            Capability.NOTE,
            Capability.RESPOND,
            Capability.TRANSITION,
        }
    ),
    # National QA review is done by QA reviewers, never by the supervisors whose teams it scores.
    Role.SUPERVISOR: _ALL - {Capability.MANAGE_CASES, Capability.QA_REVIEW},
    Role.QA_REVIEWER: frozenset(
        {Capability.VIEW, Capability.AGGREGATES, Capability.QA_REVIEW, Capability.QUALITY_REPORTS}
    ),
    Role.ANALYST: frozenset({Capability.AGGREGATES, Capability.QUALITY_REPORTS}),
    Role.ADMINISTRATOR: _ALL,
    # Writing case records also needs 1367 clearance (cases.services.require_case_writer).
    Role.CASE_SYSTEM: frozenset({Capability.MANAGE_CASES}),
}

# Where a role may see requests, and where it may act on them (respond, transition, note).
VIEW_SCOPE: Final[dict[Role, str]] = {
    Role.TIER1: NATIONAL,
    Role.TIER2: NATIONAL,
    Role.OFFICE_STAFF: OWN_OFFICES,
    Role.SUPERVISOR: NATIONAL,
    Role.QA_REVIEWER: NATIONAL,
    Role.ANALYST: NONE,
    Role.ADMINISTRATOR: NATIONAL,
    Role.CASE_SYSTEM: NONE,
}
ACT_SCOPE: Final[dict[Role, str]] = {
    Role.TIER1: NATIONAL,  # notes only (see CAPABILITIES)
    Role.TIER2: OWN_OFFICES,
    Role.OFFICE_STAFF: OWN_OFFICES,
    Role.SUPERVISOR: NATIONAL,
    Role.QA_REVIEWER: NONE,
    Role.ANALYST: NONE,
    Role.ADMINISTRATOR: NATIONAL,
    Role.CASE_SYSTEM: NONE,
}
