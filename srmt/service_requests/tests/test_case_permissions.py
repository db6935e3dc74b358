"""The permission matrix extended to cases: who reads a case's details (its people), per role
and scope, in the policy (visible_cases, visible_people) and through GET /api/v1/cases/.

Written out here, not derived from accounts.roles. A case a user may not read is answered
exactly as a receipt number without a case record: the same 404 body.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from srmt.accounts.choices import Role
from srmt.cases.models import CaseParty, Person
from srmt.service_requests import escalations, policies
from srmt.testing.factories import make_case, make_service_request, make_user

# own: a case at the user's office (ESC); other: at CSC; held: at CSC, with a request on it
# transferred to the user's office; protected: a 1367 case at the user's VAWA/T/U unit;
# escalated: at CSC, with a request held there and escalated to the user's HQ-SCOPS (ADR 23).
SCOPES = ("own", "other", "held", "protected_cleared", "protected_uncleared", "escalated")
RECEIPTS = {
    "own": "EAC2190000001",
    "other": "WAC2190000002",
    "held": "WAC2190000003",
    "protected_cleared": "EAC2190000004",
    "protected_uncleared": "EAC2190000004",
    "escalated": "WAC2190000005",
}
Y, N = True, False
EXPECTED: dict[Role, tuple[bool, ...]] = {
    Role.TIER1: (Y, Y, Y, Y, N, Y),
    Role.TIER2: (Y, Y, Y, Y, N, Y),
    Role.OFFICE_STAFF: (Y, N, Y, Y, N, Y),
    Role.SUPERVISOR: (Y, Y, Y, Y, N, Y),
    Role.QA_REVIEWER: (Y, Y, Y, Y, N, Y),
    Role.ANALYST: (N, N, N, N, N, N),
    Role.ADMINISTRATOR: (Y, Y, Y, Y, N, Y),
    Role.CASE_SYSTEM: (N, N, N, N, N, N),
}
UNKNOWN = "EAC2199999999"


def test_the_case_matrix_covers_every_role() -> None:
    assert set(EXPECTED) == set(Role)


@pytest.fixture
def cases(reference: None) -> dict[str, object]:
    """One case per scope, each with one person on it."""
    made = {}
    for scope, office, protected in (
        ("own", "ESC", False),
        ("other", "CSC", False),
        ("held", "CSC", False),
        ("protected_cleared", "ESC-VAWA", True),
        ("escalated", "CSC", False),
    ):
        case = make_case(RECEIPTS[scope], office=office, is_protected=protected)
        person = Person.objects.create(name=f"Person {scope}", email=f"{scope}@example.com")
        CaseParty.objects.create(case=case, person=person, role="applicant")
        made[scope] = case
    made["protected_uncleared"] = made["protected_cleared"]
    creator = make_user("creator", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    held = make_service_request(actor=creator, receipt_number=RECEIPTS["held"])
    held.office = held.office.__class__.objects.get(code="ESC")  # transferred to ESC
    held.save(update_fields=["office"])
    # a request on the escalated case, still at CSC, reaches HQ-SCOPS (the ladder's level 2)
    escalated = make_service_request(actor=creator, receipt_number=RECEIPTS["escalated"])
    escalations.load_default_ladder()
    escalations.escalate_due(timezone.now() + dt.timedelta(days=36))
    assert escalated.escalations.filter(office__code="HQ-SCOPS").exists()
    return made


ROLE_SCOPES = [(role, scope) for role in Role for scope in SCOPES]


@pytest.mark.parametrize(
    ("role", "scope"), ROLE_SCOPES, ids=[f"{r.value}-{s}" for r, s in ROLE_SCOPES]
)
def test_case_matrix(cases: dict[str, object], role: Role, scope: str) -> None:
    # given
    user = make_user(
        f"{role.value}_reader",
        role=role,
        offices=["ESC", "ESC-VAWA", "HQ-SCOPS"],
        is_1367_cleared=scope == "protected_cleared",
    )
    allowed = EXPECTED[role][SCOPES.index(scope)]
    case = cases[scope]
    client = APIClient()
    client.force_authenticate(user)
    # when
    in_policy = policies.visible_cases(user).filter(pk=case.pk).exists()
    person_seen = policies.visible_people(user).filter(case_roles__case=case).exists()
    answer = client.get(f"/api/v1/cases/{RECEIPTS[scope]}/")
    unknown = client.get(f"/api/v1/cases/{UNKNOWN}/")
    # then
    assert (in_policy, person_seen) == (allowed, allowed)
    if allowed:
        assert answer.status_code == 200
        assert [p["name"] for p in answer.json()["parties"]] == [f"Person {scope}"]
    else:
        assert answer.status_code == unknown.status_code
        assert _without_request_id(answer.json()) == _without_request_id(unknown.json())


def _without_request_id(body: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in body.items() if k != "request_id"}


def test_a_person_also_on_a_protected_case_is_hidden_from_the_uncleared(
    cases: dict[str, object],
) -> None:
    # given the person of the unprotected case is (from older data) also on the protected one
    person = CaseParty.objects.get(case=cases["own"]).person
    CaseParty.objects.create(case=cases["protected_cleared"], person=person, role="beneficiary")
    uncleared = make_user("uncleared", role=Role.ADMINISTRATOR)
    cleared = make_user("cleared", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    # then
    assert person not in policies.visible_people(uncleared)
    assert person in policies.visible_people(cleared)
