"""The permission matrix: every role x action x scope, at the service and policy level.

The expected outcomes are written out here, not derived from accounts.roles, so that a
wrong entry in CAPABILITIES, VIEW_SCOPE or ACT_SCOPE fails this test. Every refusal must
leave the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import transaction
from django.http import Http404

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.cases.models import Case
from srmt.search import people, queries
from srmt.service_requests import escalations, policies, services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.tests.conftest import NOW, counts, snapshot
from srmt.testing.factories import make_case, make_service_request, make_user

pytestmark = pytest.mark.usefixtures("clock")

ACTIONS = (
    "view",
    "search",
    "person",
    "create",
    "note",
    "respond",
    "transition",
    "assign",
    "update",
)
# search: the search box finds the request by its reference; person: the person view of the
# request's customer opens (srmt.search). Both follow what the user may view.
# own: a request at the user's office (ESC); other: at CSC; protected: a 1367 case at ESC,
# routed to the user's VAWA/T/U unit (ESC-VAWA),
# seen by a user with clearance (protected_cleared) or without (protected_uncleared).
# escalated: held at CSC and escalated through both rungs of the ladder (level 1 to CSC,
# the office holding the case, level 2 to HQ-SCOPS), seen by a user at HQ-SCOPS; and the
# same for a request on a 1367 case, held by the VAWA/T/U unit (ADR 23).
SCOPES = (
    "own",
    "other",
    "protected_cleared",
    "protected_uncleared",
    "escalated",
    "escalated_protected_cleared",
    "escalated_protected_uncleared",
)
USER_OFFICES = {
    "escalated": ["HQ-SCOPS"],
    "escalated_protected_cleared": ["HQ-SCOPS"],
    "escalated_protected_uncleared": ["HQ-SCOPS"],
}

Y, N = True, False
# role -> action -> outcome per scope (own, other, protected_cleared, protected_uncleared,
# escalated, escalated_protected_cleared, escalated_protected_uncleared)
EXPECTED: dict[str, dict[str, tuple[bool, ...]]] = {
    Role.TIER1: {
        "view": (Y, Y, Y, N, Y, Y, N),
        "search": (Y, Y, Y, N, Y, Y, N),
        "person": (Y, Y, Y, N, Y, Y, N),
        "create": (Y, Y, Y, Y, Y, Y, Y),
        "note": (Y, Y, Y, N, Y, Y, N),
        "respond": (N, N, N, N, N, N, N),
        "transition": (N, N, N, N, N, N, N),
        "assign": (N, N, N, N, N, N, N),
        "update": (N, N, N, N, N, N, N),
    },
    Role.TIER2: {
        "view": (Y, Y, Y, N, Y, Y, N),
        "search": (Y, Y, Y, N, Y, Y, N),
        "person": (Y, Y, Y, N, Y, Y, N),
        "create": (Y, Y, Y, Y, Y, Y, Y),
        "note": (Y, N, Y, N, N, N, N),
        "respond": (Y, N, Y, N, N, N, N),
        "transition": (Y, N, Y, N, N, N, N),
        "assign": (Y, N, Y, N, N, N, N),
        "update": (Y, N, Y, N, N, N, N),
    },
    # Office staff see what is escalated to their office, and act only on what it holds.
    Role.OFFICE_STAFF: {
        "view": (Y, N, Y, N, Y, Y, N),
        "search": (Y, N, Y, N, Y, Y, N),
        "person": (Y, N, Y, N, Y, Y, N),
        "create": (Y, Y, Y, Y, Y, Y, Y),
        "note": (Y, N, Y, N, N, N, N),
        "respond": (Y, N, Y, N, N, N, N),
        "transition": (Y, N, Y, N, N, N, N),
        "assign": (Y, N, Y, N, N, N, N),
        "update": (Y, N, Y, N, N, N, N),
    },
    Role.SUPERVISOR: {
        "view": (Y, Y, Y, N, Y, Y, N),
        "search": (Y, Y, Y, N, Y, Y, N),
        "person": (Y, Y, Y, N, Y, Y, N),
        "create": (Y, Y, Y, Y, Y, Y, Y),
        "note": (Y, Y, Y, N, Y, Y, N),
        "respond": (Y, Y, Y, N, Y, Y, N),
        "transition": (Y, Y, Y, N, Y, Y, N),
        "assign": (Y, Y, Y, N, Y, Y, N),
        "update": (Y, Y, Y, N, Y, Y, N),
    },
    Role.QA_REVIEWER: {
        "view": (Y, Y, Y, N, Y, Y, N),
        "search": (Y, Y, Y, N, Y, Y, N),
        "person": (Y, Y, Y, N, Y, Y, N),
        "create": (N, N, N, N, N, N, N),
        "note": (N, N, N, N, N, N, N),
        "respond": (N, N, N, N, N, N, N),
        "transition": (N, N, N, N, N, N, N),
        "assign": (N, N, N, N, N, N, N),
        "update": (N, N, N, N, N, N, N),
    },
    Role.ANALYST: dict.fromkeys(ACTIONS, (N, N, N, N, N, N, N)),
    Role.CASE_SYSTEM: dict.fromkeys(ACTIONS, (N, N, N, N, N, N, N)),
    Role.ADMINISTRATOR: {
        "view": (Y, Y, Y, N, Y, Y, N),
        "search": (Y, Y, Y, N, Y, Y, N),
        "person": (Y, Y, Y, N, Y, Y, N),
        "create": (Y, Y, Y, Y, Y, Y, Y),
        "note": (Y, Y, Y, N, Y, Y, N),
        "respond": (Y, Y, Y, N, Y, Y, N),
        "transition": (Y, Y, Y, N, Y, Y, N),
        "assign": (Y, Y, Y, N, Y, Y, N),
        "update": (Y, Y, Y, N, Y, Y, N),
    },
}
RECEIPTS = {
    "own": "EAC2190000001",
    "other": "WAC2190000002",
    "protected_cleared": "EAC2190000003",
    "protected_uncleared": "EAC2190000003",
    "escalated": "WAC2190000004",
    "escalated_protected_cleared": "EAC2190000005",
    "escalated_protected_uncleared": "EAC2190000005",
}
# (receipt number, office, protected): the case records behind RECEIPTS
CASES = (
    ("EAC2190000001", "ESC", False),
    ("WAC2190000002", "CSC", False),
    ("EAC2190000003", "ESC", True),
    ("WAC2190000004", "CSC", False),
    ("EAC2190000005", "ESC", True),
)
# Old enough for both rungs: 15 days to the office holding the case, 21 more to HQ-SCOPS.
BOTH_RUNGS_AT = NOW + dt.timedelta(days=36)


def test_the_matrix_covers_every_role_and_action() -> None:
    assert set(EXPECTED) == set(Role)
    assert all(set(row) == set(ACTIONS) for row in EXPECTED.values())
    assert all(
        len(outcomes) == len(SCOPES) for row in EXPECTED.values() for outcomes in row.values()
    )


def _cleared_admin(username: str) -> User:
    return User.objects.filter(username=username).first() or make_user(
        username, role=Role.ADMINISTRATOR, is_1367_cleared=True
    )


def _request_in(scope: str) -> ServiceRequest:
    """A request for `scope`; an escalated one climbs both rungs by the sweep's own insert
    (make the escalated ones first: the sweep escalates every open request old enough)."""
    creator = _cleared_admin("creator")
    if not Case.objects.exists():
        for receipt_number, office, protected in CASES:
            make_case(receipt_number, office=office, is_protected=protected)
    sr = make_service_request(
        actor=creator,
        receipt_number=RECEIPTS[scope],
        requester=RequesterData(name="Ana Pérez", phone="802-527-4000"),
    )
    if scope.startswith("escalated"):
        escalations.load_default_ladder()
        escalations.escalate_due(BOTH_RUNGS_AT)
        assert sorted(sr.escalations.values_list("level", "office__code")) == [
            (1, sr.case.office.code),
            (2, "HQ-SCOPS"),
        ]
    return sr


def _found_by_search(user: User, sr: ServiceRequest) -> ServiceRequest:
    """The request as the search box finds it by its reference; Http404 when it does not."""
    if [h.request for h in queries.search(user, sr.reference).hits] != [sr]:
        raise Http404
    return sr


def _action(action: str, user: User, sr: ServiceRequest, scope: str) -> Callable[[], object]:
    assignee = _cleared_admin("assignee")
    submission = services.Submission(
        type="general_case_inquiry",
        channel="phone_tier1",
        description="A second question.",
        requester=RequesterData(name="Bo Li"),
        receipt_number=RECEIPTS[scope],
    )
    return {
        "view": lambda: policies.get_request_for_user(user, sr.reference),
        "search": lambda: _found_by_search(user, sr),
        "person": lambda: people.get_person_for_user(user, sr.requester_id),
        "create": lambda: services.submit_request(submission, actor=user),
        "note": lambda: services.add_note(sr, actor=user, body="A note."),
        "respond": lambda: services.add_response(sr, actor=user, kind="initial", body="Hi."),
        "transition": lambda: services.transition_request(sr, actor=user, to="in_progress"),
        "assign": lambda: services.assign_request(sr, actor=user, assignee=assignee),
        "update": lambda: services.update_request(sr, actor=user, changes={"description": "E."}),
    }[action]


def _outcome(action: str, user: User, sr: ServiceRequest, scope: str) -> str:
    """Run one action in a savepoint that is rolled back; say what happened."""
    before = snapshot(sr)
    with transaction.atomic():
        try:
            result = _action(action, user, sr, scope)()
        except (Http404, policies.PermissionDenied) as refusal:
            if snapshot(sr) != before:
                return "refused but changed something"
            if isinstance(refusal, Http404) != (action in ("view", "search", "person")):
                return f"refused with the wrong error: {type(refusal).__name__}"
            return "refused"
        done = {
            "view": result == sr,
            "search": result == sr,
            "person": result == sr.requester,
            "create": counts()["requests"] == before["requests"] + 1,
        }.get(action, snapshot(sr)["version"] == before["version"] + 1)
        transaction.set_rollback(True)
    return "allowed" if done else "allowed but did nothing"


ROLE_SCOPES = [(role, scope) for role in Role for scope in SCOPES]


@pytest.mark.parametrize(
    ("role", "scope"), ROLE_SCOPES, ids=[f"{r.value}-{s}" for r, s in ROLE_SCOPES]
)
def test_permission_matrix(reference: None, role: Role, scope: str) -> None:
    # given
    sr = _request_in(scope)
    user = make_user(
        f"{role.value}_user",
        role=role,
        offices=USER_OFFICES.get(scope, ["ESC", "ESC-VAWA"]),
        is_1367_cleared=scope.endswith("protected_cleared"),
    )
    column = SCOPES.index(scope)
    expected = {
        action: "allowed" if EXPECTED[role][action][column] else "refused" for action in ACTIONS
    }
    # when
    actual = {action: _outcome(action, user, sr, scope) for action in ACTIONS}
    # then
    assert actual == expected


@pytest.mark.parametrize("role", list(Role))
def test_visible_requests_follow_the_view_scope(reference: None, role: Role) -> None:
    # given one request per scope
    own, other, protected = (_request_in(s) for s in ("own", "other", "protected_cleared"))
    user = make_user("viewer", role=role, offices=["ESC", "ESC-VAWA"])
    cleared = make_user(
        "cleared_viewer", role=role, offices=["ESC", "ESC-VAWA"], is_1367_cleared=True
    )
    expected_view = EXPECTED[role]["view"]
    # when
    seen = set(policies.visible_requests(user))
    seen_cleared = set(policies.visible_requests(cleared))
    # then
    assert seen == {sr for sr, ok in [(own, expected_view[0]), (other, expected_view[1])] if ok}
    assert (protected in seen_cleared) is expected_view[2]
    assert protected not in seen
    # and the query-free check of one request agrees with the queryset, request by request
    for viewer, visible in ((user, seen), (cleared, seen_cleared)):
        assert {sr: policies.can_view(viewer, sr) for sr in (own, other, protected)} == {
            sr: sr in visible for sr in (own, other, protected)
        }


@pytest.mark.parametrize("role", list(Role))
def test_visible_requests_reach_what_is_escalated_to_the_users_offices(
    reference: None, role: Role, django_assert_num_queries: Callable[..., object]
) -> None:
    # given two requests escalated to HQ-SCOPS (one on a 1367 case), then one at CSC that
    # was never escalated, and viewers at HQ-SCOPS with and without clearance
    escalated, escalated_protected = (
        _request_in(s) for s in ("escalated", "escalated_protected_cleared")
    )
    other = _request_in("other")
    user = make_user("hq_viewer", role=role, offices=USER_OFFICES["escalated"])
    cleared = make_user(
        "hq_cleared_viewer", role=role, offices=USER_OFFICES["escalated"], is_1367_cleared=True
    )
    view = EXPECTED[role]["view"]
    # when
    seen = set(policies.visible_requests(user))
    seen_cleared = set(policies.visible_requests(cleared))
    # then
    assert seen == {sr for sr, ok in [(escalated, view[4]), (other, view[1])] if ok}
    assert seen_cleared == {
        sr
        for sr, ok in [(escalated, view[4]), (escalated_protected, view[5]), (other, view[1])]
        if ok
    }
    assert (escalated_protected in seen) is view[6] is False
    # and the query-free check agrees, on requests loaded with their escalation rows
    loaded = list(
        ServiceRequest.objects.for_lists()
        .prefetch_related("escalations")
        .filter(pk__in=[escalated.pk, escalated_protected.pk, other.pk])
    )
    viewers = {user: seen, cleared: seen_cleared}
    for viewer in viewers:
        viewer.office_ids()  # read once per request cycle, cached on the user
    with django_assert_num_queries(0):
        checked = {(v, sr): policies.can_view(v, sr) for v in viewers for sr in loaded}
    assert checked == {(v, sr): sr in visible for v, visible in viewers.items() for sr in loaded}


def test_inactive_users_can_do_nothing(reference: None) -> None:
    sr = _request_in("own")
    user = make_user("gone", role=Role.ADMINISTRATOR, offices=["ESC"], is_active=False)
    assert list(policies.visible_requests(user)) == []
    assert policies.can_view(user, sr) is False
    for action in ACTIONS:
        before = snapshot(sr)
        with pytest.raises((Http404, policies.PermissionDenied)):
            _action(action, user, sr, "own")()
        assert snapshot(sr) == before
