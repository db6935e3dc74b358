"""The search box and the person view: what each kind of entry finds, in which order, for
whom (role, office scope, 8 U.S.C. 1367), on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.utils import translation

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.actions import AuditAction
from srmt.audit.models import AuditEvent
from srmt.cases.models import CaseParty, Person
from srmt.search import people, queries
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.requesters import RequesterData
from srmt.testing.factories import make_case, make_service_request, make_user

QUERIES_FOR_WORDS = {"sqlite": 8, "postgresql": 12}[connection.vendor]
START = dt.datetime(2026, 10, 5, 14, 0, tzinfo=dt.UTC)
ANA_RN = "EAC2190000101"
BO_RN = "WAC2190000202"
ROSA_RN = "EAC2190000303"

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram similarity needs PostgreSQL"
)


@dataclass
class World:
    ana: ServiceRequest  # at ESC, the oldest
    bo: ServiceRequest  # at CSC
    rosa: ServiceRequest  # a 1367 case, at the VAWA/T/U unit
    ana_again: ServiceRequest  # at ESC, the newest
    users: dict[str, User]


def _request(
    at: dt.datetime, receipt: str, description: str, requester: RequesterData
) -> ServiceRequest:
    actor = User.objects.get(username="intake_admin")
    with time_machine.travel(at, tick=False):
        return make_service_request(
            actor=actor, receipt_number=receipt, description=description, requester=requester
        )


@pytest.fixture
def world(reference: None) -> World:
    make_user("intake_admin", role=Role.ADMINISTRATOR, is_1367_cleared=True)
    make_case(ANA_RN, office="ESC")
    make_case(BO_RN, office="CSC")
    rosa_case = make_case(ROSA_RN, office="ESC-VAWA", is_protected=True, form="I-360")
    ana = RequesterData(name="Ana Pérez", email="ana@example.com", phone="802-555-0142")
    ana_sr = _request(START, ANA_RN, "Asks about the passport and the interview.", ana)
    bo_sr = _request(
        START + dt.timedelta(days=1),
        BO_RN,
        "Passport stolen; needs a new card.",
        RequesterData(name="Bo Li", email="bo@example.com", phone="305-555-0199"),
    )
    rosa_sr = _request(
        START + dt.timedelta(days=2),
        ROSA_RN,
        "Rosa asks about her interview.",
        RequesterData(name="Rosa Díaz", email="rosa@example.com"),
    )
    CaseParty.objects.create(case=rosa_case, person=rosa_sr.requester, role="applicant")
    again = _request(START + dt.timedelta(days=3), ANA_RN, "Una entrevista, por favor.", ana)
    # One person for both of Ana's requests (intake keeps one per case party; here by hand).
    duplicate = again.requester
    ServiceRequest.objects.filter(pk=again.pk).update(requester=ana_sr.requester)
    duplicate.delete()
    again.refresh_from_db()
    users = {
        "supervisor": make_user("sup", role=Role.SUPERVISOR),
        "cleared_supervisor": make_user("csup", role=Role.SUPERVISOR, is_1367_cleared=True),
        "esc_officer": make_user("esc", role=Role.OFFICE_STAFF, offices=["ESC"]),
        "csc_officer": make_user("csc", role=Role.OFFICE_STAFF, offices=["CSC"]),
        "tier1": make_user("t1", role=Role.TIER1, offices=["CC-T1"]),
        "analyst": make_user("an", role=Role.ANALYST),
    }
    return World(ana_sr, bo_sr, rosa_sr, again, users)


def _found(world: World, user: str, q: str) -> list[tuple[str, str]]:
    """(kind, label) of every hit, in order: a reference, a receipt number or a name."""
    results = queries.search(world.users[user], q)
    labels = {
        "request": lambda h: h.request.reference,
        "case": lambda h: h.case.receipt_number,
        "person": lambda h: h.person.name,
    }
    return [(h.kind, labels[h.kind](h)) for h in results.hits]


def _expected(world: World, names: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Test rows name requests by their world attribute ("@ana"); replaced by references."""
    return [
        (kind, getattr(world, label[1:]).reference if label.startswith("@") else label)
        for kind, label in names
    ]


ANA = ("person", "Ana Pérez")
CASES = [
    # (why, user, query, expected hits in order)
    ("a reference", "supervisor", "{ana}", [("request", "@ana")]),
    ("a reference typed loosely", "supervisor", "{ana_loose}", [("request", "@ana")]),
    (
        "a receipt number: the case, then its requests",
        "supervisor",
        "eac-2190000101",
        [("case", ANA_RN), ("request", "@ana_again"), ("request", "@ana")],
    ),
    (
        "an email: the person, then their requests, newest first",
        "supervisor",
        "ANA@example.com",
        [ANA, ("request", "@ana_again"), ("request", "@ana")],
    ),
    (
        "a phone number in any format",
        "supervisor",
        "(802) 555-0142",
        [ANA, ("request", "@ana_again"), ("request", "@ana")],
    ),
    (
        "a name: the person, then their requests, newest first",
        "supervisor",
        "Ana Pérez",
        [ANA, ("request", "@ana_again"), ("request", "@ana")],
    ),
    (
        "a description word: the newest first when the text rank ties",
        "supervisor",
        "passport",
        [("request", "@bo"), ("request", "@ana")],
    ),
    ("two description words", "supervisor", "passport interview", [("request", "@ana")]),
    ("office scope: ESC", "esc_officer", "passport", [("request", "@ana")]),
    ("office scope: CSC", "csc_officer", "passport", [("request", "@bo")]),
    ("office scope: another office's receipt", "csc_officer", "EAC2190000101", []),
    ("office scope: another office's customer", "csc_officer", "ana@example.com", []),
    ("tier 1 sees every office", "tier1", "passport", [("request", "@bo"), ("request", "@ana")]),
    ("an analyst sees no case data", "analyst", "passport", []),
    ("1367: the protected receipt", "supervisor", ROSA_RN, []),
    ("1367: the protected reference", "supervisor", "{rosa}", []),
    ("1367: the protected person's email", "supervisor", "rosa@example.com", []),
    ("1367: the protected person's name", "supervisor", "Rosa Díaz", []),
    ("1367: the protected description", "supervisor", "interview", [("request", "@ana")]),
    (
        "1367: cleared staff see it",
        "cleared_supervisor",
        "interview",
        [("request", "@rosa"), ("request", "@ana")],
    ),
    (
        "1367: cleared staff find the protected case",
        "cleared_supervisor",
        ROSA_RN,
        [("case", ROSA_RN), ("request", "@rosa")],
    ),
    ("nothing matches", "supervisor", "zebra", []),
    ("an empty entry", "supervisor", "   ", []),
]


@pytest.mark.parametrize(("why", "user", "query", "expected"), CASES, ids=[c[0] for c in CASES])
def test_search_finds_what_the_user_may_see_in_rank_order(
    world: World, why: str, user: str, query: str, expected: list[tuple[str, str]]
) -> None:
    q = query.format(
        ana=world.ana.reference,
        ana_loose=world.ana.reference.lower().replace("-", ""),
        rosa=world.rosa.reference,
    )
    assert _found(world, user, q) == _expected(world, expected)


@postgresql_only
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ana Perez", [ANA, ("request", "@ana_again"), ("request", "@ana")]),  # no accent
        ("Ana Peres", [ANA, ("request", "@ana_again"), ("request", "@ana")]),  # and a typo
        ("entrevistas", []),  # a word is a prefix of what is searched, not the other way
        ("entrev", [("request", "@ana_again")]),  # a prefix finds the Spanish word
    ],
)
def test_postgresql_forgives_typos_and_finds_prefixes(
    world: World, query: str, expected: list[tuple[str, str]]
) -> None:
    assert _found(world, "supervisor", query) == _expected(world, expected)


def test_search_writes_nothing(world: World) -> None:
    before = AuditEvent.objects.count(), ServiceRequest.objects.count(), Person.objects.count()
    queries.search(world.users["supervisor"], "passport")
    assert (
        AuditEvent.objects.count(),
        ServiceRequest.objects.count(),
        Person.objects.count(),
    ) == before


# --- the pages ----------------------------------------------------------------------------


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_search_page_lists_results_by_kind_in_both_languages(
    world: World, language: str
) -> None:
    client = _client(world.users["supervisor"])
    client.cookies["django_language"] = language
    response = client.get("/staff/search/", {"q": "ana@example.com"})
    assert response.status_code == 200
    body = response.content.decode()
    with translation.override(language):
        assert translation.gettext("Person") in body
        assert translation.gettext("Request") in body
    assert body.count(f'href="/staff/requests/{world.ana.reference}/"') == 1
    assert body.count(f'href="/staff/people/{world.ana.requester_id}/"') >= 1
    assert "Rosa" not in body
    # The requests shown are audited as a list, as the queue's are.
    listed = AuditEvent.objects.get(action=AuditAction.SERVICE_REQUEST_LISTED)
    assert listed.changes == {"ids": [world.ana_again.reference, world.ana.reference]}


def test_the_search_page_is_refused_to_roles_without_case_data(world: World) -> None:
    response = _client(world.users["analyst"]).get("/staff/search/", {"q": "passport"})
    assert response.status_code == 403


def test_the_header_has_the_search_box_for_staff_who_may_view(world: World) -> None:
    page = _client(world.users["tier1"]).get(f"/staff/requests/{world.ana.reference}/")
    assert 'class="usa-search usa-search--small"' in page.content.decode()
    assert 'action="/staff/search/"' in page.content.decode()


def test_the_request_page_links_to_the_person(world: World) -> None:
    page = _client(world.users["supervisor"]).get(f"/staff/requests/{world.ana.reference}/")
    assert f'href="/staff/people/{world.ana.requester_id}/"' in page.content.decode()


@pytest.mark.parametrize(
    ("user", "person", "status"),
    [
        ("supervisor", "ana", 200),
        ("esc_officer", "ana", 200),
        ("csc_officer", "ana", 404),  # another office's customer
        ("csc_officer", "bo", 200),
        ("analyst", "ana", 404),
        ("supervisor", "rosa", 404),  # 8 U.S.C. 1367: as an id with no person
        ("cleared_supervisor", "rosa", 200),
    ],
)
def test_the_person_page_follows_the_access_rules(
    world: World, user: str, person: str, status: int
) -> None:
    person_id = getattr(world, person).requester_id
    client = _client(world.users[user])
    before = AuditEvent.objects.count()
    response = client.get(f"/staff/people/{person_id}/")
    assert response.status_code == status
    viewed = AuditEvent.objects.filter(action=AuditAction.PERSON_VIEWED, object_id=str(person_id))
    if status == 200:
        assert viewed.count() == 1
        assert viewed.get().actor_username == world.users[user].username
    else:
        assert AuditEvent.objects.count() == before


def test_a_missing_person_is_the_same_404_as_a_protected_one(world: World) -> None:
    client = _client(world.users["supervisor"])
    protected = client.get(f"/staff/people/{world.rosa.requester_id}/")
    missing = client.get("/staff/people/999999/")
    assert protected.status_code == missing.status_code == 404
    assert _CSRF.sub("", protected.content.decode()).replace(
        f"/staff/people/{world.rosa.requester_id}/", "/staff/people/999999/"
    ) == _CSRF.sub("", missing.content.decode())


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_person_page_shows_the_whole_person(world: World, language: str) -> None:
    services.add_response(
        world.ana, actor=User.objects.get(username="intake_admin"), kind="initial", body="We wrote."
    )
    client = _client(world.users["supervisor"])
    client.cookies["django_language"] = language
    body = client.get(f"/staff/people/{world.ana.requester_id}/").content.decode()
    with translation.override(language):
        for heading in (
            "Contact preferences",
            "Representative on file",
            "Cases",
            "Open and recently closed requests",
            "Responses sent to this person",
        ):
            assert translation.gettext(heading) in body
    assert ANA_RN in body
    assert world.ana.reference in body
    assert world.ana_again.reference in body
    assert "We wrote." in body
    assert "+18025550142" in body
    assert "ana@example.com" in body
    assert BO_RN not in body
    assert ROSA_RN not in body


def test_the_profile_keeps_requests_closed_in_the_last_90_days_only(world: World) -> None:
    # Closed the day before the world began (a direct update: this test only reads).
    ServiceRequest.objects.filter(pk=world.ana.pk).update(
        status="closed", closed_at=START - dt.timedelta(days=1)
    )
    person = world.ana.requester
    supervisor = world.users["supervisor"]
    recent = people.person_profile(supervisor, person, now=START + dt.timedelta(days=80))
    later = people.person_profile(supervisor, person, now=START + dt.timedelta(days=95))
    assert [sr.reference for sr in recent.requests] == [
        world.ana_again.reference,
        world.ana.reference,
    ]
    assert [sr.reference for sr in later.requests] == [world.ana_again.reference]


def test_the_view_of_a_protected_person_is_left_out_of_the_audit_log_of_the_uncleared(
    world: World,
) -> None:
    from srmt.backoffice.visibility import visible_audit_events

    rosa, ana = world.rosa.requester, world.ana.requester
    people.record_person_view(rosa, actor=world.users["cleared_supervisor"])
    people.record_person_view(ana, actor=world.users["cleared_supervisor"])
    viewed = AuditEvent.objects.filter(action=AuditAction.PERSON_VIEWED)

    def seen(user: str) -> list[str]:
        events = visible_audit_events(world.users[user]).filter(pk__in=viewed.values("pk"))
        return sorted(events.values_list("object_id", flat=True))

    assert seen("supervisor") == [str(ana.pk)]
    assert seen("cleared_supervisor") == sorted([str(ana.pk), str(rosa.pk)])


# --- the API ------------------------------------------------------------------------------


def test_the_api_answers_typed_results_in_rank_order(world: World) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.users["supervisor"])
    response = api.get("/api/v1/search", {"q": "ana@example.com", "limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["q"], body["truncated"]) == ("ana@example.com", True)
    person, request = body["results"]
    assert (person["kind"], person["tier"], person["request"], person["case"]) == (
        "person",
        1,
        None,
        None,
    )
    assert person["person"] == {
        "id": world.ana.requester_id,
        "name": "Ana Pérez",
        "email": "ana@example.com",
        "phone": "+18025550142",
        "language": "en",
    }
    assert (request["kind"], request["request"]["reference"]) == (
        "request",
        world.ana_again.reference,
    )
    assert request["request"]["office"] == "ESC"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "required"),
        ({"q": "x", "limit": 0}, 400, "min_value"),
        ({"q": "x", "other": "1"}, 400, "unknown_parameter"),
    ],
)
def test_the_api_refuses_bad_queries_with_a_stable_code(
    world: World, params: dict[str, object], status: int, code: str
) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.users["supervisor"])
    before = AuditEvent.objects.count()
    response = api.get("/api/v1/search", params)
    assert response.status_code == status
    assert code in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_the_api_is_refused_to_roles_without_case_data(world: World) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.users["analyst"])
    assert api.get("/api/v1/search", {"q": "passport"}).status_code == 403


def test_the_search_page_reads_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    """However many results: one query per source, the session, the user and the audit."""
    client = _client(world.users["supervisor"])
    client.get("/staff/search/", {"q": "passport"})  # warm: the session and the user's offices
    with django_assert_num_queries(QUERIES_FOR_WORDS):
        client.get("/staff/search/", {"q": "passport"})
