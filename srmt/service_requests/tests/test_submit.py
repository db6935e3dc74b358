"""submit_request: validation, routing, deadlines, history, audit and idempotency."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
import time_machine

from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.core.errors import DomainError
from srmt.service_requests import services
from srmt.service_requests.models import ServiceRequest, StatusChange
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.tests.conftest import NOW, counts
from srmt.sla.models import DeadlinePolicy
from srmt.testing.factories import make_case

pytestmark = pytest.mark.usefixtures("clock")

ANA = RequesterData(name="Ana Pérez", email="ana@example.com", language="es")


def _submission(**overrides: object) -> services.Submission:
    fields: dict[str, object] = {
        "type": "general_case_inquiry",
        "channel": "phone_tier1",
        "description": "Caller asks when the interview will be scheduled.",
        "requester": ANA,
        "receipt_number": "",
    }
    fields.update(overrides)
    return services.Submission(**fields)  # type: ignore[arg-type]


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


# --- routing ------------------------------------------------------------------------------


def test_the_case_office_wins_over_the_receipt_prefix(officer: User) -> None:
    # given an EAC case (prefix says ESC) whose file is at the California Service Center
    make_case("EAC2190012345", office="CSC")
    # when
    sr, created = services.submit_request(
        _submission(receipt_number="EAC2190012345"), actor=officer
    )
    # then
    assert created is True
    assert sr.office.code == "CSC"
    assert sr.case.receipt_number == "EAC2190012345"
    assert sr.routing_reason == "The case record places the file at CSC."


@pytest.mark.parametrize(
    ("prefix", "office"),
    [
        ("EAC", "ESC"),
        ("WAC", "CSC"),
        ("LIN", "NSC"),
        ("SRC", "SSC"),
        ("MSC", "NBC"),
        ("YSC", "YSC"),
    ],
)
def test_without_a_case_record_the_prefix_names_the_service_center(
    officer: User, prefix: str, office: str
) -> None:
    # when
    sr, _ = services.submit_request(
        _submission(receipt_number=f"{prefix}2190099999"), actor=officer
    )
    # then
    assert sr.office.code == office
    assert sr.case is None
    assert sr.receipt_number == f"{prefix}2190099999"
    assert sr.routing_reason == f"Receipt prefix {prefix} belongs to {office}; no case record."
    assert AuditEvent.objects.get(object_id=sr.reference).changes["routing_rule"] == (
        f"prefix_{prefix.lower()}"
    )


def test_an_unknown_prefix_goes_to_tier_2(officer: User) -> None:
    sr, _ = services.submit_request(_submission(receipt_number="ABC2190012345"), actor=officer)
    assert sr.office.code == "CC-T2"
    assert sr.routing_reason == "Receipt prefix ABC names no service center; Tier 2 triages it."


def test_no_receipt_number_goes_to_tier_2(officer: User) -> None:
    sr, _ = services.submit_request(_submission(type="change_of_address"), actor=officer)
    assert sr.office.code == "CC-T2"
    assert sr.receipt_number == ""
    assert sr.routing_reason == "No receipt number; Tier 2 triages it."


@pytest.mark.parametrize(
    "raw", ["eac-219-001-2345", " EAC 2190012345 ", "eac2190012345", "EAC-2190012345"]
)
def test_receipt_numbers_are_normalised(officer: User, raw: str) -> None:
    sr, _ = services.submit_request(_submission(receipt_number=raw), actor=officer)
    assert sr.receipt_number == "EAC2190012345"
    assert sr.office.code == "ESC"


# --- refusals: nothing is created ---------------------------------------------------------


REFUSALS = [
    (
        "malformed receipt",
        {"receipt_number": "EAC21900"},
        "invalid_receipt_number",
        "receipt_number",
    ),
    ("receipt with letters", {"receipt_number": "EAC2190O12345"}, "invalid_receipt_number", None),
    ("unknown type", {"type": "visa_status"}, "unknown_type", "type"),
    ("unknown channel", {"channel": "carrier_pigeon"}, "unknown_channel", "channel"),
    ("empty description", {"description": ""}, "invalid_description", "description"),
    ("blank description", {"description": " \n\t "}, "invalid_description", "description"),
    ("description too long", {"description": "x" * 10_001}, "invalid_description", "description"),
    ("bad urgency", {"urgency": "panic"}, "invalid_urgency", "urgency"),
    ("receipt required", {"receipt_number": ""}, "receipt_number_required", "receipt_number"),
    ("no name", {"requester": replace(ANA, name="  ")}, "invalid_requester", "requester.name"),
    ("long name", {"requester": replace(ANA, name="A" * 201)}, "invalid_requester", None),
    ("bad email", {"requester": replace(ANA, email="ana@")}, "invalid_requester", None),
    ("bad phone", {"requester": replace(ANA, phone="12345")}, "invalid_requester", None),
    ("phone text", {"requester": replace(ANA, phone="call me")}, "invalid_requester", None),
    ("language", {"requester": replace(ANA, language="fr")}, "invalid_requester", None),
    (
        "email longer than 254",
        {"requester": replace(ANA, email="a" * 64 + "@" + ("b" * 62 + ".") * 3 + "example.com")},
        "invalid_requester",
        "requester.email",
    ),
    (
        "ZIP code too long",
        {"requester": replace(ANA, zip_code="05478-123456")},
        "invalid_requester",
        "requester.zip_code",
    ),
]


@pytest.mark.parametrize(
    ("_case", "overrides", "code", "field"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_invalid_submissions_are_refused_and_nothing_is_created(
    officer: User, _case: str, overrides: dict[str, object], code: str, field: str | None
) -> None:
    # given
    overrides = {"receipt_number": "EAC2190012345", **overrides}
    before = counts()
    # when
    with pytest.raises(DomainError) as excinfo:
        services.submit_request(_submission(**overrides), actor=officer)
    # then
    assert excinfo.value.code == code
    if field is not None:
        assert excinfo.value.field == field
    assert counts() == before


def test_requester_fields_are_checked_field_by_field(officer: User) -> None:
    cases = {
        "long name": (replace(ANA, name="A" * 201), "requester.name"),
        "bad email": (replace(ANA, email="ana@"), "requester.email"),
        "bad phone": (replace(ANA, phone="12345"), "requester.phone"),
        "language": (replace(ANA, language="fr"), "requester.language"),
    }
    fields = {}
    for name, (requester, _field) in cases.items():
        with pytest.raises(DomainError) as excinfo:
            services.submit_request(
                _submission(receipt_number="EAC2190012345", requester=requester), actor=officer
            )
        fields[name] = excinfo.value.field
    assert fields == {name: field for name, (_r, field) in cases.items()}


def test_a_description_of_exactly_10000_characters_is_accepted(officer: User) -> None:
    sr, _ = services.submit_request(
        _submission(receipt_number="EAC2190012345", description=" " + "x" * 10_000 + " "),
        actor=officer,
    )
    assert sr.description == "x" * 10_000


@pytest.mark.parametrize(
    ("requester", "expected"),
    [
        (
            RequesterData(name="  Ana Pérez ", email=" Ana@Example.COM ", language=" ES "),
            ("Ana Pérez", "ana@example.com", "", "es"),
        ),
        (
            RequesterData(name="Bo Li", phone="(802) 527-4000"),
            ("Bo Li", "", "+18025274000", "en"),
        ),
        (
            RequesterData(name="Lupe Ruiz", phone="+52 55 1234 5678", language=""),
            ("Lupe Ruiz", "", "+525512345678", "en"),
        ),
    ],
)
def test_requester_details_are_cleaned(
    officer: User, requester: RequesterData, expected: tuple[str, str, str, str]
) -> None:
    sr, _ = services.submit_request(
        _submission(receipt_number="EAC2190012345", requester=requester), actor=officer
    )
    person = sr.requester
    assert (person.name, person.email, person.phone, person.language) == expected


# --- deadlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "overrides", "office", "first_due", "due"),
    [
        (
            "general inquiry: 15 calendar days",
            {"receipt_number": "EAC2190012345"},
            "ESC",
            _utc(2026, 11, 17, 15, 0),
            _utc(2026, 11, 17, 15, 0),
        ),
        (
            "change of address: 7 calendar days",
            {"type": "change_of_address"},
            "CC-T2",
            _utc(2026, 11, 9, 15, 0),
            _utc(2026, 11, 9, 15, 0),
        ),
        (
            "urgent Tier 2 callback: 72 hours",
            {"type": "tier2_callback", "urgency": "urgent"},
            "CC-T2",
            _utc(2026, 11, 5, 15, 0),
            _utc(2026, 11, 5, 15, 0),
        ),
        (
            "normal Tier 2 callback: 7 and 30 business days, skipping Veterans Day",
            {"type": "tier2_callback"},
            "CC-T2",
            _utc(2026, 11, 12, 15, 0),
            _utc(2026, 12, 16, 15, 0),
        ),
    ],
)
def test_deadlines_come_from_the_policy_in_force(
    officer: User,
    _case: str,
    overrides: dict[str, object],
    office: str,
    first_due: dt.datetime,
    due: dt.datetime,
) -> None:
    # when
    sr, _ = services.submit_request(_submission(**overrides), actor=officer)
    # then
    sr.refresh_from_db()
    assert sr.office.code == office
    assert sr.created_at == NOW
    assert sr.first_response_due_at == first_due
    assert sr.due_at == due
    policy_key = (str(overrides.get("type", "")), str(overrides.get("urgency", "")))
    if policy_key == ("tier2_callback", ""):
        policy_key = ("tier2_callback", "normal")
    if policy_key == ("general_case_inquiry", ""):
        policy_key = ("", "")
    expected_policy = DeadlinePolicy.objects.get(request_type=policy_key[0], urgency=policy_key[1])
    assert sr.deadline_policy_id == expected_policy.pk


@pytest.mark.parametrize(
    ("receipt", "office", "first_due"),
    [
        # Tue 24 Nov 21:00 PST: 7 business days skip Thanksgiving -> Fri 4 Dec 21:00 PST
        ("WAC2190012345", "CSC", _utc(2026, 12, 5, 5, 0)),
        # Wed 25 Nov 00:00 EST: 7 business days skip Thanksgiving -> Mon 7 Dec 00:00 EST
        ("EAC2190012345", "ESC", _utc(2026, 12, 7, 5, 0)),
    ],
)
def test_business_days_are_counted_in_the_office_time_zone(
    officer: User, receipt: str, office: str, first_due: dt.datetime
) -> None:
    # given the same instant, a different local date on each coast
    with time_machine.travel(_utc(2026, 11, 25, 5, 0), tick=False):
        # when
        sr, _ = services.submit_request(
            _submission(type="tier2_callback", receipt_number=receipt), actor=officer
        )
    # then
    assert sr.office.code == office
    assert sr.first_response_due_at == first_due


# --- history and audit --------------------------------------------------------------------


def test_submission_writes_its_status_change_and_audit_event(officer: User) -> None:
    # when
    sr, _ = services.submit_request(_submission(receipt_number="eac 2190012345"), actor=officer)
    # then
    sr.refresh_from_db()
    assert (sr.status, sr.version, sr.channel, sr.urgency) == (
        "received",
        1,
        "phone_tier1",
        "normal",
    )
    assert sr.created_by == officer
    assert sr.assignee is None
    assert sr.reference.startswith("SR-")
    change = StatusChange.objects.get(service_request=sr)
    assert (change.from_status, change.to_status, change.actor, change.created_at) == (
        "",
        "received",
        officer,
        NOW,
    )
    assert (change.from_office, change.to_office.code) == (None, "ESC")
    assert change.reason == "Receipt prefix EAC belongs to ESC; no case record."
    event = AuditEvent.objects.get(object_type="service_request", object_id=sr.reference)
    assert (event.action, event.actor, event.actor_username, event.request_id) == (
        "service_request.created",
        officer,
        "esc_officer",
        "",
    )
    assert event.occurred_at == NOW
    assert event.changes == {
        "type": "general_case_inquiry",
        "channel": "phone_tier1",
        "receipt_number": "EAC2190012345",
        "office": "ESC",
        "routing_rule": "prefix_eac",
        "routing_facts": {"receipt_prefix": "EAC"},
        "due_at": "2026-11-17T15:00:00+00:00",
    }


# --- idempotency --------------------------------------------------------------------------


def test_the_same_key_and_body_return_the_same_request(officer: User) -> None:
    # given
    data = _submission(receipt_number="EAC2190012345")
    first, created = services.submit_request(
        data, actor=officer, idempotency_key="k-1", body_hash="h1"
    )
    before = counts()
    # when
    again, created_again = services.submit_request(
        data, actor=officer, idempotency_key="k-1", body_hash="h1"
    )
    # then
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert counts() == before


def test_the_same_key_with_another_body_is_refused(officer: User) -> None:
    # given
    services.submit_request(
        _submission(receipt_number="EAC2190012345"),
        actor=officer,
        idempotency_key="k-1",
        body_hash="h1",
    )
    before = counts()
    # when
    with pytest.raises(DomainError) as excinfo:
        services.submit_request(
            _submission(receipt_number="EAC2190012345", description="Another question."),
            actor=officer,
            idempotency_key="k-1",
            body_hash="h2",
        )
    # then
    assert (excinfo.value.code, excinfo.value.http_status) == ("idempotency_key_reused", 422)
    assert counts() == before
    assert ServiceRequest.objects.filter(description="Another question.").count() == 0


def test_a_refused_submission_does_not_burn_its_key(officer: User) -> None:
    # given a first attempt that fails validation
    with pytest.raises(DomainError):
        services.submit_request(
            _submission(receipt_number="bad"), actor=officer, idempotency_key="k-2", body_hash="h"
        )
    # when the corrected body is sent with the same key
    sr, created = services.submit_request(
        _submission(receipt_number="EAC2190012345"),
        actor=officer,
        idempotency_key="k-2",
        body_hash="h-fixed",
    )
    # then
    assert created is True
    assert sr.receipt_number == "EAC2190012345"


def test_keys_belong_to_their_user(officer: User, supervisor: User) -> None:
    data = _submission(receipt_number="EAC2190012345")
    first, _ = services.submit_request(data, actor=officer, idempotency_key="k", body_hash="h")
    second, created = services.submit_request(
        data, actor=supervisor, idempotency_key="k", body_hash="h"
    )
    assert created is True
    assert second.pk != first.pk
