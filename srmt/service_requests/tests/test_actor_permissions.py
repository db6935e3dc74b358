"""The permission matrix for actors outside the agency and for the system (ADR 27).

Customers (their own case filed online, their own paper case with an IOE receipt, their own
paper case without one (status tracking only: ADR 43, revised), someone else's, their own
1367 case, someone else's 1367 case, a case whose link was ended), representatives (a Form
G-28 in effect, withdrawn, none, on a 1367 case with and without one) and the system,
against every service action and read that exists today. The outcomes are written out here,
not derived from the policies. "404" is the answer of something that does not exist, "403"
a refused action on a request the actor can see or may not act on at all, "403
status_only_case" an online action about a case the customer may only follow
(StatusOnlyCase); every refusal must leave the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import FileResponse, Http404

from srmt.accounts.actors import SYSTEM, Actor
from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.cases import links
from srmt.cases.errors import StatusOnlyCase
from srmt.cases.models import Case, CaseParty, CustomerLink, Person, Representation
from srmt.service_requests import attachments, expedites, policies, redirects, referrals, services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.tests.conftest import counts, snapshot
from srmt.testing.factories import (
    make_case,
    make_customer,
    make_g28,
    make_representative,
    make_service_request,
    make_user,
)

pytestmark = pytest.mark.usefixtures("clock")  # 2 November 2026
PDF = b"%PDF-1.4\n" + b"p" * 64


@dataclass(frozen=True)
class Scope:
    receipt_number: str
    office: str
    protected: bool


# One case per scope, each with one applicant; a request on it made by that applicant (by
# phone, recorded by cleared staff), with a response and an internal note. The customer
# filed "own" and "own_protected" online; "own_ioe" and "own_paper" are paper cases linked
# with an access code, with and without an IOE receipt.
SCOPES = {
    "own": Scope("WAC2190000001", "CSC", False),
    "own_ioe": Scope("IOE0990000011", "CSC", False),
    "own_paper": Scope("WAC2190000012", "CSC", False),
    "other": Scope("WAC2190000002", "CSC", False),
    "own_protected": Scope("EAC2190000003", "ESC", True),
    "other_protected": Scope("EAC2190000004", "ESC", True),
    "unlinked": Scope("WAC2190000005", "CSC", False),
    "g28": Scope("WAC2190000006", "CSC", False),
    "withdrawn": Scope("WAC2190000007", "CSC", False),
    "none": Scope("WAC2190000008", "CSC", False),
    "protected_g28": Scope("EAC2190000009", "ESC", True),
    "protected_none": Scope("EAC2190000010", "ESC", True),
}
# Service actions first (as in test_permissions.py), then reads.
ACTIONS = (
    "view",
    "create",
    "intake",  # the intake of the API and pages: referral abroad, or submit_request
    "note",
    "respond",
    "transition",
    "assign",
    "update",
    "redirect",
    "attach",
    "download",
    "decide",  # expedites.can_decide: who may decide an expedite request
    "case",
    "people",
    "responses",
    "notes",
)
OK, NOT_FOUND, FORBIDDEN, STATUS_ONLY = "ok", "404", "403", "403 status_only_case"
STAFF_ACTIONS_REFUSED = dict.fromkeys(
    ("note", "respond", "transition", "assign", "update", "redirect", "attach", "decide"),
    FORBIDDEN,
)
SEES_AND_ASKS = {
    "view": OK,
    "create": OK,
    "intake": OK,
    "download": OK,  # the evidence on their own request
    **STAFF_ACTIONS_REFUSED,
    "case": OK,
    "people": OK,
    "responses": OK,
    "notes": NOT_FOUND,  # internal notes are never shown outside the agency
}
# A paper case without an IOE receipt: the customer follows it (the request staff opened by
# phone, its response and evidence included) but asks nothing about it online.
FOLLOWS = {**SEES_AND_ASKS, "create": STATUS_ONLY, "intake": STATUS_ONLY}
NOTHING = {
    "view": NOT_FOUND,
    "create": NOT_FOUND,
    "intake": NOT_FOUND,
    "download": NOT_FOUND,
    **STAFF_ACTIONS_REFUSED,
    "case": NOT_FOUND,
    "people": NOT_FOUND,
    "responses": NOT_FOUND,
    "notes": NOT_FOUND,
}
SYSTEM_ROW = {
    "view": OK,
    "create": FORBIDDEN,  # every request is asked for by a person
    "intake": FORBIDDEN,
    "download": OK,
    **STAFF_ACTIONS_REFUSED,  # staff actions name a person; the sweep has its own functions
    "case": OK,
    "people": OK,
    "responses": OK,
    "notes": OK,
}
EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    ("customer", "own"): SEES_AND_ASKS,
    ("customer", "own_ioe"): SEES_AND_ASKS,
    ("customer", "own_paper"): FOLLOWS,
    ("customer", "other"): NOTHING,
    ("customer", "own_protected"): SEES_AND_ASKS,
    ("customer", "other_protected"): NOTHING,
    ("customer", "unlinked"): NOTHING,
    ("representative", "g28"): SEES_AND_ASKS,
    ("representative", "withdrawn"): NOTHING,
    ("representative", "none"): NOTHING,
    ("representative", "protected_g28"): SEES_AND_ASKS,
    ("representative", "protected_none"): NOTHING,
    ("system", "own"): SYSTEM_ROW,
    ("system", "own_protected"): SYSTEM_ROW,
}


def test_the_matrix_covers_every_kind_and_action() -> None:
    assert {kind for kind, _scope in EXPECTED} == {"customer", "representative", "system"}
    assert all(set(row) == set(ACTIONS) for row in EXPECTED.values())
    assert {scope for _kind, scope in EXPECTED} == set(SCOPES)


@dataclass
class World:
    customer: User
    representative: User
    requests: dict[str, ServiceRequest]
    cases: dict[str, Case]


@pytest.fixture
def world(reference: None, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path
    staff = make_user("cleared_admin", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    cases, requests, people = {}, {}, {}
    for name, scope in SCOPES.items():
        case = make_case(scope.receipt_number, office=scope.office, is_protected=scope.protected)
        person = Person.objects.create(name=f"Applicant {name}", email=f"{name}@example.com")
        CaseParty.objects.create(case=case, person=person, role="applicant")
        sr = make_service_request(
            actor=staff,
            receipt_number=scope.receipt_number,
            requester=RequesterData(name=person.name, email=person.email),
        )
        assert sr.requester == person  # the applicant asked
        services.add_response(sr, actor=staff, kind="initial", body="We are looking into it.")
        services.add_note(sr, actor=staff, body="Called the office.")
        attachments.add_attachment(sr, actor=staff, upload=SimpleUploadedFile("a.pdf", PDF))
        cases[name], requests[name], people[name] = case, sr, person
    customer = make_customer(
        "customer",
        people=[people[s] for s in ("own", "own_ioe", "own_paper", "own_protected", "unlinked")],
        filed_online=[cases["own"], cases["own_protected"]],
    )
    links.unlink_customer(CustomerLink.objects.get(person=people["unlinked"]), actor=SYSTEM)
    representative = make_representative("attorney", cases=[cases["g28"], cases["protected_g28"]])
    withdrawn = make_g28(representative, cases["withdrawn"], accepted_on=dt.date(2026, 1, 5))
    links.withdraw_representation(withdrawn, withdrawn_on=dt.date(2026, 6, 1), actor=SYSTEM)
    return World(
        customer,
        representative,
        {k: ServiceRequest.objects.get(pk=v.pk) for k, v in requests.items()},
        cases,
    )


def _actor(world: World, kind: str) -> Actor:
    return {"customer": world.customer, "representative": world.representative}.get(kind, SYSTEM)


def _found(exists: bool) -> None:
    if not exists:
        raise Http404


def _allowed(yes: bool) -> None:
    if not yes:
        raise policies.PermissionDenied("no")


def _topic() -> str:
    return redirects.active_topics()[0].code


def _action(action: str, actor: Actor, world: World, scope: str) -> Callable[[], object]:
    sr, case = world.requests[scope], world.cases[scope]
    assignee = User.objects.get(username="cleared_admin")
    submission = services.Submission(
        type="general_case_inquiry",
        channel="online",
        description="When will my interview be scheduled?",
        requester=RequesterData(name="Applicant", email=f"{scope}@example.com"),
        receipt_number=case.receipt_number,
    )
    return {
        "view": lambda: policies.get_request_for_user(actor, sr.reference),
        "create": lambda: services.submit_request(submission, actor=actor),
        "intake": lambda: referrals.submit_or_refer(submission, actor=actor).service_request,
        "note": lambda: services.add_note(sr, actor=actor, body="A note."),
        "respond": lambda: services.add_response(sr, actor=actor, kind="initial", body="Hi."),
        "transition": lambda: services.transition_request(sr, actor=actor, to="in_progress"),
        "assign": lambda: services.assign_request(sr, actor=actor, assignee=assignee),
        "update": lambda: services.update_request(sr, actor=actor, changes={"description": "E."}),
        "redirect": lambda: redirects.redirect_request(
            sr, actor=actor, topic_code=_topic(), reason="A visa question."
        ),
        "attach": lambda: attachments.add_attachment(
            sr, actor=actor, upload=SimpleUploadedFile("b.pdf", PDF)
        ),
        "download": lambda: attachments.download(
            actor,
            sr.reference,
            sr.attachments.get().pk,  # type: ignore[attr-defined]
        ),
        "decide": lambda: _allowed(expedites.can_decide(actor, sr)),
        "case": lambda: policies.get_case_for_user(actor, case.receipt_number),
        "people": lambda: _found(
            policies.visible_people(actor).filter(case_roles__case=case).exists()
        ),
        "responses": lambda: _found(
            policies.visible_responses(actor).filter(service_request=sr).exists()
        ),
        "notes": lambda: _found(policies.visible_notes(actor).filter(service_request=sr).exists()),
    }[action]


def _outcome(action: str, actor: Actor, world: World, scope: str) -> str:
    """Run one action in a savepoint that is rolled back; say what happened."""
    sr = world.requests[scope]
    before = (snapshot(sr), CustomerLink.objects.count(), Representation.objects.count())
    with transaction.atomic():
        try:
            result = _action(action, actor, world, scope)()
        except (Http404, policies.PermissionDenied, StatusOnlyCase) as refusal:
            after = (snapshot(sr), CustomerLink.objects.count(), Representation.objects.count())
            if after != before:
                return "refused but changed something"
            if isinstance(refusal, StatusOnlyCase):
                return STATUS_ONLY
            return NOT_FOUND if isinstance(refusal, Http404) else FORBIDDEN
        if action in ("create", "intake"):
            made = result[0] if action == "create" else result  # type: ignore[index]
            done = (
                counts()["requests"] == before[0]["requests"] + 1
                and made.created_by == actor
                and made.channel == "online"
                and made.case == world.cases[scope]
            )
        elif action in ("view", "case"):
            done = result in (sr, world.cases[scope])
        elif action == "download":
            done = isinstance(result, FileResponse)
            result.file_to_stream.close()  # type: ignore[union-attr]  # not close(): it ends the request
        else:
            done = snapshot(sr) == before[0]  # a read writes nothing
        transaction.set_rollback(True)
    return OK if done else "allowed but wrong"


ROWS = sorted(EXPECTED)


@pytest.mark.parametrize(("kind", "scope"), ROWS, ids=[f"{k}-{s}" for k, s in ROWS])
def test_actor_matrix(world: World, kind: str, scope: str) -> None:
    # given
    actor = _actor(world, kind)
    # when
    actual = {action: _outcome(action, actor, world, scope) for action in ACTIONS}
    # then
    assert actual == EXPECTED[(kind, scope)]


@pytest.mark.parametrize("kind", ["customer", "representative", "system"])
def test_querysets_return_exactly_what_the_matrix_allows(world: World, kind: str) -> None:
    # given
    actor = _actor(world, kind)
    system_sees = set(SCOPES) if kind == "system" else set()
    allowed = {
        scope for (k, scope), row in EXPECTED.items() if k == kind and row["view"] == OK
    } | system_sees
    # when
    requests = set(policies.visible_requests(actor))
    cases = set(policies.visible_cases(actor))
    responses = {r.service_request for r in policies.visible_responses(actor)}
    # then
    assert requests == {world.requests[s] for s in allowed}
    assert cases == {world.cases[s] for s in allowed}
    assert responses == requests
    assert {policies.can_view(actor, sr) for sr in requests} <= {True}
    hidden = set(world.requests.values()) - requests
    assert {policies.can_view(actor, sr) for sr in hidden} <= {False}


@pytest.mark.parametrize("kind", ["customer", "representative", "system"])
def test_actionable_cases_are_exactly_those_the_matrix_lets_them_ask_about(
    world: World, kind: str
) -> None:
    # given
    actor = _actor(world, kind)
    rows = {scope: row for (k, scope), row in EXPECTED.items() if k == kind}
    # when
    actionable = set(policies.actionable_cases(actor))
    status_only = set(policies.status_only_cases(actor))
    # then
    if kind == "system":  # it records no request of its own, but nothing is status-only
        assert actionable == set(world.cases.values())
    else:
        assert actionable == {world.cases[s] for s, row in rows.items() if row["create"] == OK}
    assert status_only == {
        world.cases[s] for s, row in rows.items() if row["create"] == STATUS_ONLY
    }
    visible = policies.visible_cases(actor)
    assert {c for c in visible if not policies.is_actionable(actor, c)} == status_only


@pytest.mark.parametrize("kind", ["customer", "representative"])
def test_a_case_not_theirs_is_answered_as_an_unknown_receipt_number(
    world: World, kind: str
) -> None:
    """Someone else's case, someone else's 1367 case and a receipt number with no case
    record get the same refusal, word for word, and change nothing."""
    actor = _actor(world, kind)
    receipts = [
        world.cases["other"].receipt_number,
        world.cases["other_protected"].receipt_number,
        world.cases["protected_none"].receipt_number,
        "EAC2199999999",
    ]
    before = counts()
    answers = set()
    for receipt_number in receipts:
        submission = services.Submission(
            type="general_case_inquiry",
            channel="online",
            description="Where is my case?",
            requester=RequesterData(name="Someone", email="someone@example.com"),
            receipt_number=receipt_number,
        )
        with pytest.raises(Http404) as refused:
            services.submit_request(submission, actor=actor)
        with pytest.raises(Http404) as case_refused:
            policies.get_case_for_user(actor, receipt_number)
        answers.add((str(refused.value), str(case_refused.value)))
        assert policies.known_case(actor, receipt_number) is None
    assert len(answers) == 1
    assert counts() == before


@pytest.mark.parametrize("kind", ["customer", "representative"])
def test_outside_actors_submit_online_only(world: World, kind: str) -> None:
    actor = _actor(world, kind)
    scope = "own" if kind == "customer" else "g28"
    before = counts()
    submission = services.Submission(
        type="general_case_inquiry",
        channel="phone_tier1",
        description="When will my interview be scheduled?",
        requester=RequesterData(name="Applicant", email=f"{scope}@example.com"),
        receipt_number=world.cases[scope].receipt_number,
    )
    with pytest.raises(policies.PermissionDenied):
        services.submit_request(submission, actor=actor)
    assert counts() == before


def test_a_customer_sees_the_requests_they_made_online_without_a_case(world: World) -> None:
    # given a change of address, which takes no receipt number
    before = counts()
    sr, created = services.submit_request(
        services.Submission(
            type="change_of_address",
            channel="online",
            description="I moved to Burlington.",
            requester=RequesterData(name="Applicant own", zip_code="05401"),
        ),
        actor=world.customer,
    )
    # then it is theirs, and nobody else's outside the agency
    assert created
    assert counts()["requests"] == before["requests"] + 1
    assert sr in policies.visible_requests(world.customer)
    assert sr not in policies.visible_requests(world.representative)
    # and a representative cannot ask without the receipt number of a represented case
    with pytest.raises(Http404):
        services.submit_request(
            services.Submission(
                type="change_of_address",
                channel="online",
                description="My client moved.",
                requester=RequesterData(name="Client", zip_code="05401"),
            ),
            actor=world.representative,
        )
    assert counts()["requests"] == before["requests"] + 1


def test_a_customer_never_sees_a_request_of_theirs_on_a_1367_case_they_are_not_party_to(
    world: World,
) -> None:
    """8 U.S.C. 1367: whoever asked about someone else's protected case (recorded by staff
    with the customer's own linked person as the requester) learns nothing about it."""
    sr = world.requests["other_protected"]
    own_person = CaseParty.objects.get(case=world.cases["own"]).person
    ServiceRequest.objects.filter(pk=sr.pk).update(requester=own_person)
    # then
    assert sr not in policies.visible_requests(world.customer)
    assert policies.can_view(world.customer, sr) is False
    with pytest.raises(Http404):
        policies.get_request_for_user(world.customer, sr.reference)
    # while a request they asked about someone else's unprotected case is theirs to see
    other = world.requests["other"]
    ServiceRequest.objects.filter(pk=other.pk).update(requester=own_person)
    assert other in policies.visible_requests(world.customer)
    assert world.cases["other"] not in policies.visible_cases(world.customer)


def test_a_g28_counts_from_its_acceptance_until_its_withdrawal(world: World, clock: object) -> None:
    # given a G-28 accepted tomorrow on a case the representative does not yet represent
    case = world.cases["none"]
    make_g28(world.representative, case, accepted_on=dt.date(2026, 11, 3))
    assert case not in policies.visible_cases(world.representative)
    # when tomorrow comes
    clock.move_to(dt.datetime(2026, 11, 3, 15, 0, tzinfo=dt.UTC))  # type: ignore[attr-defined]
    # then
    assert case in policies.visible_cases(world.representative)
    assert world.requests["none"] in policies.visible_requests(world.representative)


def test_the_system_is_audited_by_name(world: World) -> None:
    from srmt.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="representation.withdrawn").get()
    assert (event.actor_id, event.actor_username) == (None, "system")


def test_inactive_outside_accounts_see_nothing(world: World) -> None:
    for account in (world.customer, world.representative):
        User.objects.filter(pk=account.pk).update(is_active=False)
        account.refresh_from_db()
        assert list(policies.visible_requests(account)) == []
        assert list(policies.visible_cases(account)) == []
        assert list(policies.visible_people(account)) == []
        with pytest.raises(policies.PermissionDenied):
            policies.require_may_submit(
                account, receipt_number=world.cases["own"].receipt_number, channel="online"
            )
