"""8 U.S.C. 1367 on every surface: to anyone without clearance, a protected case is answered
exactly as a receipt number that has no case record.

Two worlds are built from the same reference data, at the same frozen instant:

- world P: receipt number RN is a protected (VAWA/T/U) case at the VAWA/T/U unit, with a
  person on it, a request on it that cleared staff answered, noted, escalated to the unit
  and then to HQ-SCOPS (digests sent to cleared supervisors) and listed (audit rows);
- world U: RN has no case record and nothing refers to it.

Every actor kind without clearance then asks every surface about RN and about the protected
request's reference: the API (reads, writes, intake, routing), the staff pages (intake
lookup, preview, submission, request pages, queues), the admin's record views (lists,
searches, details), and the messages sent to staff. The answers, normalized only for what
differs by nature (new references, request ids, CSRF tokens), must be equal byte for byte,
and no refused write may change anything.

Aggregates are checked apart (test_statistics_fold_the_unit_into_its_parent): national
totals count protected requests, never broken out by the unit.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from rest_framework.test import APIClient

from srmt.accounts.actors import SYSTEM
from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.cases import links
from srmt.cases.models import Case, CaseParty, Person
from srmt.notifications.models import Notification
from srmt.service_requests import escalations, services
from srmt.service_requests.models import InternalNote, Response, ServiceRequest, StatusChange
from srmt.service_requests.requesters import RequesterData
from srmt.staff import selectors, submissions
from srmt.testing.factories import (
    make_case,
    make_customer,
    make_g28,
    make_representative,
    make_user,
)

RN = "EAC2190055555"
# What world P holds about the protected case and nothing in world U could show.
SECRETS = ("Rosa Díaz", "rosa@example.com", "safe number", "We are on it", "Rosa asks")
NOW = dt.datetime(2026, 6, 1, 15, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class ActorKind:
    name: str
    role: str
    offices: tuple[str, ...] = ()
    is_superuser: bool = False


# Every kind of actor, none cleared. Office staff sit at the VAWA/T/U unit itself, or at
# HQ-SCOPS, where the protected request is escalated (office staff see what is escalated to
# their office: ADR 23).
ACTOR_KINDS = (
    ActorKind("tier1", Role.TIER1, ("CC-T1",)),
    ActorKind("tier2", Role.TIER2, ("CC-T2",)),
    ActorKind("office_staff_at_the_unit", Role.OFFICE_STAFF, ("ESC", "ESC-VAWA")),
    ActorKind("office_staff_at_headquarters", Role.OFFICE_STAFF, ("HQ-SCOPS",)),
    ActorKind("supervisor", Role.SUPERVISOR),
    ActorKind("qa_reviewer", Role.QA_REVIEWER),
    ActorKind("analyst", Role.ANALYST),
    ActorKind("administrator_superuser", Role.ADMINISTRATOR, is_superuser=True),
    ActorKind("case_system", Role.CASE_SYSTEM),
)


# --- the two worlds -----------------------------------------------------------------------


def build_protected_world() -> str:
    """World P; returns the protected request's reference."""
    case = make_case(RN, office="ESC-VAWA", is_protected=True, form="I-360")
    rosa = Person.objects.create(name="Rosa Díaz", email="rosa@example.com", external_id="P-7")
    CaseParty.objects.create(case=case, person=rosa, role="applicant")
    officer = make_user(
        "vawa_officer", role=Role.OFFICE_STAFF, offices=["ESC-VAWA"], is_1367_cleared=True
    )
    make_user(
        "cleared_supervisor", role=Role.SUPERVISOR, email="c@srmt.example", is_1367_cleared=True
    )
    sr, _created = services.submit_request(
        services.Submission(
            type="general_case_inquiry",
            channel="phone_tier2",
            description="Rosa asks about her interview.",
            receipt_number=RN,
            requester=RequesterData(name="Rosa Díaz", email="rosa@example.com"),
        ),
        actor=officer,
    )
    services.add_note(sr, actor=officer, body="Called back; safe number confirmed.")
    # Rosa's online account and her attorney's G-28 (ADR 27); the accounts exist in both worlds.
    links.link_customer(
        User.objects.get(username="rosa_online"), rosa, method="access_code", actor=SYSTEM
    )
    g28 = make_g28(User.objects.get(username="rosas_attorney"), case, accepted_on=NOW.date())
    sr = services.add_response(
        sr, actor=officer, kind="initial", body="We are on it."
    ).service_request
    escalations.escalate_due(NOW + dt.timedelta(days=20))  # digests: cleared supervisors only
    escalations.escalate_due(NOW + dt.timedelta(days=40))  # level 2: HQ-SCOPS
    client = APIClient()
    client.force_authenticate(officer)
    client.get(f"/api/v1/service-requests/?receipt_number={RN}")  # a list row in the audit log
    WORLD_IDS.update(
        case=case.pk,
        person=rosa.pk,
        request=sr.pk,
        escalation=sr.escalations.get(level=1).pk,
        notification=Notification.objects.get(
            related_reference=sr.reference, to_address=rosa.email, kind="response_initial"
        ).pk,
        event=AuditEvent.objects.filter(object_id=sr.reference).latest("id").pk,
        g28=g28.pk,
    )
    return sr.reference


@pytest.fixture
def world_base(reference: None) -> None:
    """What both worlds share: staff who receive digests (uncleared), other requests."""
    make_user("uncleared_supervisor", role=Role.SUPERVISOR, email="u@srmt.example")
    make_case("EAC2190011111", office="ESC")
    make_customer("rosa_online")
    make_representative("rosas_attorney")


# --- normalizing answers ------------------------------------------------------------------

_REFERENCE = re.compile(r"\b(SR|RF)-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
_CSRF = re.compile(
    r'(name="(?:csrfmiddlewaretoken|submission_token)" value=")[^"]+(")|(csrftoken=)[^;]+'
)
_REQUEST_ID = re.compile(r'("request_id": ?")[0-9a-f]{32}(")')
# Database ids come from sequences shared by every record: they differ between the worlds by
# nature (world P made more users and events) and name nothing about the case.
_ADMIN_ID = re.compile(r"(/admin/\w+/\w+/)\d+/|(field-object_id\">)\d+(<)")
HEADERS = ("Content-Type", "Location", "ETag", "Allow", "Idempotent-Replayed", "Vary")


def normalized(response: Any, protected_reference: str) -> str:
    """What the caller is told, with what differs by nature replaced by placeholders: the
    references minted during the probe, request ids and CSRF tokens."""
    headers = [f"{h}: {response[h]}" for h in HEADERS if h in response]
    body = response.content.decode("utf-8", "replace")
    text = "\n".join([str(response.status_code), *headers, body])
    text = text.replace(protected_reference, "<PROBED>")
    text = _REFERENCE.sub(r"\1-<NEW>", text)
    text = _REQUEST_ID.sub(r"\1<ID>\2", text)
    text = _ADMIN_ID.sub(lambda m: f"{m[1]}<ID>/" if m[1] else f"{m[2]}<ID>{m[3]}", text)
    return _CSRF.sub("<CSRF>", text)


# --- the probes ---------------------------------------------------------------------------

Probe = Callable[[APIClient, Client, str], Any]


def _submission(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "general_case_inquiry",
        "channel": "phone_tier1",
        "receipt_number": RN,
        "description": "Caller asks about the case.",
        "requester": {"name": "A caller", "email": "caller@example.com"},
    }
    body.update(overrides)
    return body


def _intake_form(**overrides: str) -> dict[str, str]:
    form = {
        "receipt_number": RN,
        "type": "general_case_inquiry",
        "channel": "phone_tier1",
        "urgency": "normal",
        "description": "Caller asks about the case.",
        "requester_name": "A caller",
        "requester_email": "caller@example.com",
        "requester_language": "en",
    }
    form.update(overrides)
    return form


def _read(response: Any) -> Any:
    """A streamed answer (a CSV export) as a plain one, to compare it whole."""
    if not getattr(response, "streaming", False):
        return response
    plain = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
    for header in HEADERS:
        if header in response:
            plain[header] = response[header]
    return plain


# The primary keys of world P's records; world U asks for the same numbers, which there name
# no record (set by build_protected_world, which every test runs before world U).
WORLD_IDS: dict[str, int] = {}


def _admin(path: str) -> Probe:
    return lambda api, web, ref: web.get(path.format(ref=ref, **WORLD_IDS), follow=True)


# Reads, refused writes, then intake (each probe is rolled back: see probe_all).
PROBES: dict[str, Probe] = {
    "admin audit log, searched by receipt number": _admin(f"/admin/audit/auditevent/?q={RN}"),
    "admin audit log, searched by reference": _admin("/admin/audit/auditevent/?q={ref}"),
    "admin audit log, all": _admin("/admin/audit/auditevent/"),
    "admin cases, searched": _admin(f"/admin/cases/case/?q={RN}"),
    "admin people, searched": _admin("/admin/cases/person/?q=Rosa"),
    "admin requests, searched": _admin(f"/admin/service_requests/servicerequest/?q={RN}"),
    "admin escalations": _admin("/admin/service_requests/escalation/"),
    "admin outbox": _admin("/admin/notifications/notification/"),
    "admin outbox, searched": _admin("/admin/notifications/notification/?q={ref}"),
    "admin case detail": _admin("/admin/cases/case/{case}/change/"),
    "admin G-28s, searched": _admin(f"/admin/cases/representation/?q={RN}"),
    "admin G-28s": _admin("/admin/cases/representation/"),
    "admin G-28 detail": _admin("/admin/cases/representation/{g28}/change/"),
    "admin person detail": _admin("/admin/cases/person/{person}/change/"),
    "admin request detail": _admin("/admin/service_requests/servicerequest/{request}/change/"),
    "admin escalation detail": _admin("/admin/service_requests/escalation/{escalation}/change/"),
    "admin outbox detail": _admin("/admin/notifications/notification/{notification}/change/"),
    "admin audit event detail": _admin("/admin/audit/auditevent/{event}/change/"),
    "admin case history": _admin("/admin/cases/case/{case}/history/"),
    "api case": lambda api, web, ref: api.get(f"/api/v1/cases/{RN}/"),
    "api list by receipt number": lambda api, web, ref: api.get(
        f"/api/v1/service-requests/?receipt_number={RN}"
    ),
    "api request": lambda api, web, ref: api.get(f"/api/v1/service-requests/{ref}/"),
    "api expedite": lambda api, web, ref: api.get(f"/api/v1/service-requests/{ref}/expedite/"),
    "api attachments": lambda api, web, ref: api.get(
        f"/api/v1/service-requests/{ref}/attachments/"
    ),
    "api routing explain": lambda api, web, ref: api.get(
        f"/api/v1/routing/explain?receipt_number={RN}&type=general_case_inquiry"
    ),
    "staff intake lookup": lambda api, web, ref: web.get(f"/staff/intake/?receipt_number={RN}"),
    "staff request page": lambda api, web, ref: web.get(f"/staff/requests/{ref}/"),
    "staff request page poll": lambda api, web, ref: web.get(
        f"/staff/requests/{ref}/changes/?seen_version=1"
    ),
    "staff unit queue": lambda api, web, ref: web.get("/staff/queues/ESC-VAWA/?status=all"),
    "staff unit queue, escalated": lambda api, web, ref: web.get(
        "/staff/queues/ESC-VAWA/?status=all&escalated=on"
    ),
    "staff headquarters queue, escalated": lambda api, web, ref: web.get(
        "/staff/queues/HQ-SCOPS/?status=all&escalated=on"
    ),
    # the workspace (ADR 31): home page, notifications, exports
    "staff home": lambda api, web, ref: web.get("/staff/"),
    "staff notifications": lambda api, web, ref: web.get("/staff/notifications/"),
    "staff unit queue export": lambda api, web, ref: _read(
        web.get("/staff/queues/ESC-VAWA/export.csv?status=all")
    ),
    "staff headquarters export, escalated": lambda api, web, ref: _read(
        web.get("/staff/queues/HQ-SCOPS/export.csv?status=all&escalated=on")
    ),
    "staff unit queue, sorted by assignee": lambda api, web, ref: web.get(
        "/staff/queues/ESC-VAWA/?status=all&sort=-assignee"
    ),
    "staff search, by receipt number": lambda api, web, ref: web.get(f"/staff/search/?q={RN}"),
    "staff search, by reference": lambda api, web, ref: web.get(f"/staff/search/?q={ref}"),
    # The page repeats what was typed: typed here in other letter case than SECRETS.
    "staff search, by name": lambda api, web, ref: web.get("/staff/search/?q=rosa%20d%C3%ADaz"),
    "staff search, by email": lambda api, web, ref: web.get("/staff/search/?q=ROSA@example.com"),
    "staff search, by description words": lambda api, web, ref: web.get(
        "/staff/search/?q=asks%20interview"
    ),
    "api search, by receipt number": lambda api, web, ref: api.get(f"/api/v1/search?q={RN}"),
    "api search, by reference": lambda api, web, ref: api.get(f"/api/v1/search?q={ref}"),
    "api search, by email": lambda api, web, ref: api.get("/api/v1/search?q=ROSA@example.com"),
    "api search, by words": lambda api, web, ref: api.get("/api/v1/search?q=asks%20interview"),
    "staff person page": lambda api, web, ref: web.get(
        "/staff/people/{person}/".format(**WORLD_IDS)
    ),
    "staff intake preview": lambda api, web, ref: web.post(
        "/staff/intake/new/", {**_intake_form(), "preview": "1"}
    ),
    # response templates (ADR 33): filled from the request, its case and its customer
    "api template filled for the request": lambda api, web, ref: api.get(
        f"/api/v1/service-requests/{ref}/templates/general-inquiry-final"
    ),
    "staff template preview with the request": lambda api, web, ref: web.get(
        f"/staff/templates/general-inquiry-final/?reference={ref}"
    ),
    "staff respond form filled from a template": lambda api, web, ref: web.get(
        f"/staff/requests/{ref}/respond/template/?template=general-inquiry-final",
        HTTP_HX_REQUEST="true",
    ),
    # refused writes
    "api case write": lambda api, web, ref: api.put(
        f"/api/v1/cases/{RN}/",
        {"form_type": "I-130", "office": "ESC", "received_on": "2026-01-05"},
        format="json",
    ),
    "api note": lambda api, web, ref: api.post(
        f"/api/v1/service-requests/{ref}/notes/", {"body": "A note."}, format="json"
    ),
    "api response": lambda api, web, ref: api.post(
        f"/api/v1/service-requests/{ref}/responses/",
        {"kind": "follow_up", "body": "More."},
        format="json",
    ),
    "api transition": lambda api, web, ref: api.post(
        f"/api/v1/service-requests/{ref}/transitions/", {"to": "in_progress"}, format="json"
    ),
    "api edit": lambda api, web, ref: api.patch(
        f"/api/v1/service-requests/{ref}/", {"description": "Edited."}, format="json"
    ),
    "api redirect": lambda api, web, ref: api.post(
        f"/api/v1/service-requests/{ref}/redirect/",
        {"topic": "visa_status", "reason": "Visa question."},
        format="json",
    ),
    "api expedite decision": lambda api, web, ref: api.post(
        f"/api/v1/service-requests/{ref}/expedite/decision/",
        {"approved": True},
        format="json",
    ),
    "staff note": lambda api, web, ref: web.post(
        f"/staff/requests/{ref}/note/", {"body": "A note."}
    ),
    "staff bulk status change": lambda api, web, ref: web.post(
        "/staff/queues/ESC-VAWA/bulk/",
        {"reference": [ref], "action": "status", "to": "in_progress"},
    ),
    "staff bulk assign from headquarters": lambda api, web, ref: web.post(
        "/staff/queues/HQ-SCOPS/bulk/", {"reference": [ref], "action": "assign", "assignee": "-"}
    ),
    "staff status": lambda api, web, ref: web.post(
        f"/staff/requests/{ref}/status/", {"to": "in_progress"}
    ),
    "api intake, expedite": lambda api, web, ref: api.post(
        "/api/v1/service-requests/",
        _submission(
            type="expedite_request",
            expedite={"criterion": "severe_financial_loss", "justification": "A job."},
        ),
        format="json",
    ),
    # intake: these record requests (in world P at the VAWA/T/U unit, unseen)
    "api intake": lambda api, web, ref: api.post(
        "/api/v1/service-requests/", _submission(), format="json"
    ),
    "api intake, asking about repeats": lambda api, web, ref: api.post(
        "/api/v1/service-requests/", _submission(repeat_check="ask"), format="json"
    ),
    "api intake, customer abroad": lambda api, web, ref: api.post(
        "/api/v1/service-requests/",
        _submission(requester={"name": "A caller", "country": "MX"}),
        format="json",
    ),
    "staff intake": lambda api, web, ref: web.post(
        "/staff/intake/new/", _intake_form(), follow=True
    ),
    # issue 9: the protected person's email with other details (never matched, never shown),
    # a customer abroad (the referral to confirm, then confirmed), a country by its name
    "staff intake, the protected person's email": lambda api, web, ref: web.post(
        "/staff/intake/new/",
        _intake_form(requester_email="rosa@example.com", requester_phone="802-555-0199"),
        follow=True,
    ),
    "staff intake, customer abroad": lambda api, web, ref: web.post(
        "/staff/intake/new/", _intake_form(type="complaint", requester_country="MX")
    ),
    "staff intake, referral confirmed": lambda api, web, ref: web.post(
        "/staff/intake/new/",
        _intake_form(type="complaint", requester_country="MX", confirm_referral="MEX"),
    ),
    "api intake, country by name": lambda api, web, ref: api.post(
        "/api/v1/service-requests/",
        _submission(requester={"name": "A caller", "country": "México"}),
        format="json",
    ),
}


class FormClient(Client):
    """A signed-in browser whose POSTs carry the one-time submission token the staff forms
    render (ADR 18)."""

    def __init__(self, user: User) -> None:
        super().__init__()
        self.staff_user = user
        self.force_login(user)

    def post(self, path: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        data = {**(data or {}), submissions.TOKEN_FIELD: submissions.mint(self.staff_user)}
        return super().post(path, data, *args, **kwargs)


def counted() -> dict[str, int]:
    models = (ServiceRequest, Response, InternalNote, StatusChange, Notification, Case, Person)
    return {m.__name__: m.objects.count() for m in models}


def probe_all(kind: ActorKind, protected_reference: str) -> Iterator[tuple[str, str, bool]]:
    """(probe, normalized answer, whether a refused answer left the data as it was)."""
    user = make_user(
        f"probe_{kind.name}",
        role=kind.role,
        offices=kind.offices,
        is_staff=kind.is_superuser,
        is_superuser=kind.is_superuser,
    )
    api = APIClient()
    api.force_authenticate(user)
    web = FormClient(user)
    for name, probe in PROBES.items():
        # Each probe asks the world as it was built, and what it writes is rolled back: an
        # actor's own records on a protected case are the one thing they can tell apart
        # (ADR 16, "what the actor recorded themselves"), and this test is about the rest.
        with transaction.atomic():
            before = counted()
            response = probe(api, web, protected_reference)
            unchanged = response.status_code < 400 or counted() == before
            transaction.set_rollback(True)
        yield name, normalized(response, protected_reference), unchanged


def staff_messages() -> list[tuple[str, str, str]]:
    """Every message in the outbox for staff who are not cleared: (to, subject, body)."""
    uncleared = User.objects.filter(is_1367_cleared=False).exclude(email="")
    return sorted(
        Notification.objects.filter(to_address__in=uncleared.values("email")).values_list(
            "to_address", "subject", "body"
        )
    )


def answers_in_world(kind: ActorKind, *, protected: bool) -> tuple[dict[str, str], list]:
    """Build one world in a savepoint, probe it as `kind`, roll it back."""
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        # World U asks about the same reference, which there names nothing at all.
        reference = build_protected_world() if protected else PROTECTED_REFERENCE_PLACEHOLDER
        answers = {}
        refused_changed = []
        for name, answer, unchanged in probe_all(kind, reference):
            answers[name] = answer
            if not unchanged:
                refused_changed.append(name)
        messages = staff_messages()
        transaction.set_rollback(True)
    return answers, [refused_changed, messages]


# World U probes the same reference string as world P (where it names the protected
# request); build_protected_world mints a random one, so both worlds use this fixed one.
PROTECTED_REFERENCE_PLACEHOLDER = "SR-PRTC-0001"


@pytest.fixture(autouse=True)
def _fixed_protected_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    """The protected request gets a known reference, so world U can ask about it too."""
    from srmt.service_requests.services import intake

    minted = iter([PROTECTED_REFERENCE_PLACEHOLDER])
    original = intake.new_reference

    def first_fixed() -> str:
        return next(minted, None) or original()

    monkeypatch.setattr(intake, "new_reference", first_fixed)


@pytest.mark.usefixtures("world_base")
@pytest.mark.parametrize("kind", ACTOR_KINDS, ids=[k.name for k in ACTOR_KINDS])
def test_a_protected_case_is_answered_as_an_unknown_one(kind: ActorKind) -> None:
    in_p, (changed_p, messages_p) = answers_in_world(kind, protected=True)
    in_u, (changed_u, messages_u) = answers_in_world(kind, protected=False)

    assert set(in_p) == set(PROBES)
    different = [name for name in PROBES if in_p[name] != in_u[name]]
    assert different == [], "\n".join(_diff(name, in_p[name], in_u[name]) for name in different)
    assert (changed_p, changed_u) == ([], [])
    assert messages_p == messages_u
    leaks = {
        name: secret for name, answer in in_p.items() for secret in SECRETS if secret in answer
    }
    assert leaks == {}


def _diff(name: str, protected: str, unknown: str) -> str:
    lines = difflib.unified_diff(
        unknown.splitlines(), protected.splitlines(), "unknown", "protected", lineterm="", n=1
    )
    return f"--- {name}\n" + "\n".join(list(lines)[:40])


def test_the_probes_reach_the_protected_data_for_a_cleared_administrator(
    world_base: None,
) -> None:
    """The same probes, by a cleared administrator, do see world P: the comparison above
    would catch a surface that leaked, not pass because nothing was there to see."""
    probes = (
        "api case",
        "api request",
        "api template filled for the request",
        "staff template preview with the request",
        "staff respond form filled from a template",
        "admin cases, searched",
        "admin people, searched",
        "admin requests, searched",
        "admin audit log, searched by reference",
        "admin outbox, searched",
        "admin escalations",
        "admin case detail",
        "admin person detail",
        "admin G-28s, searched",
    )
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        reference = build_protected_world()
        user = make_user(
            "cleared_admin",
            role=Role.ADMINISTRATOR,
            is_staff=True,
            is_superuser=True,
            is_1367_cleared=True,
        )
        api = APIClient()
        api.force_authenticate(user)
        web = Client()
        web.force_login(user)
        seen = {name: normalized(PROBES[name](api, web, reference), reference) for name in probes}
        transaction.set_rollback(True)
    found = {
        name: "Rosa Díaz" in text
        or '"<PROBED>"' in text
        or "<PROBED></a>" in text
        or f"{RN}</a>" in text
        or f"receipt number {RN}." in text  # a template filled from the case (ADR 33)
        for name, text in seen.items()
    }
    assert found == dict.fromkeys(probes, True)


def test_the_headquarters_probe_reaches_the_protected_request_for_cleared_staff_there(
    world_base: None,
) -> None:
    """Cleared office staff at HQ-SCOPS see world P's request in their escalated queue: the
    probe of that queue would catch a leak to the uncleared ones."""
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        reference = build_protected_world()
        user = make_user(
            "cleared_hq", role=Role.OFFICE_STAFF, offices=["HQ-SCOPS"], is_1367_cleared=True
        )
        web = Client()
        web.force_login(user)
        probe = PROBES["staff headquarters queue, escalated"]
        seen = normalized(probe(APIClient(), web, reference), reference)
        transaction.set_rollback(True)
    assert "<PROBED></a>" in seen


def test_statistics_fold_the_unit_into_its_parent(world_base: None) -> None:
    with time_machine.travel(NOW, tick=False):
        build_protected_world()
        uncleared = make_user("analyst_u", role=Role.ANALYST)
        cleared = make_user("analyst_c", role=Role.ANALYST, is_1367_cleared=True)
        folded = selectors.statistics(uncleared, now=NOW)
        unfolded = selectors.statistics(cleared, now=NOW)
    assert [row for row in folded.by_office if row[0] == "ESC-VAWA"] == []
    esc = next(row for row in folded.by_office if row[0] == "ESC")
    assert esc == ("ESC", "Vermont Service Center", 1)
    assert [(code, n) for code, _name, n in unfolded.by_office] == [("ESC-VAWA", 1)]
    page = _analyst_page(uncleared)
    for secret in SECRETS:
        assert secret not in page


def _analyst_page(user: User) -> str:
    web = Client()
    web.force_login(user)
    response = web.get("/staff/statistics/")
    assert response.status_code == 200
    return response.content.decode()


def test_digests_reach_only_cleared_supervisors(world_base: None) -> None:
    with time_machine.travel(NOW, tick=False):
        reference = build_protected_world()
    digests = list(
        Notification.objects.filter(to_address__endswith="@srmt.example")
        .values_list("to_address", "subject", "is_confidential", "related_reference")
        .order_by("subject")
    )
    assert digests == [
        ("c@srmt.example", "1 service request escalated to ESC-VAWA", True, reference),
        ("c@srmt.example", "1 service request escalated to HQ-SCOPS", True, reference),
    ]


def test_audit_list_rows_never_name_a_protected_request(world_base: None) -> None:
    with time_machine.travel(NOW, tick=False):
        reference = build_protected_world()
    listed = AuditEvent.objects.filter(action="service_request.listed")
    assert [(e.object_id, e.changes) for e in listed] == [(reference, {})]
