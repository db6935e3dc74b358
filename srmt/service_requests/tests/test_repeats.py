"""Repeat requests: candidates at intake, linking, merging, and the repeat counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.service_requests import queries, repeats, services
from srmt.service_requests.errors import InvalidRepeat, PossibleRepeat
from srmt.service_requests.models import ServiceRequest
from srmt.service_requests.repeats import RepeatChoice
from srmt.service_requests.requesters import RequesterData
from srmt.service_requests.tests.conftest import NOW, counts
from srmt.testing.factories import make_case, make_user

RECEIPT = "EAC2190012345"


@pytest.fixture
def tier1(reference: None) -> User:
    return make_user("tier1", role=Role.TIER1)


ASK = RepeatChoice()


def submit(actor: User, choice: RepeatChoice | None = ASK, **overrides: Any) -> ServiceRequest:
    data = {
        "type": "general_case_inquiry",
        "channel": "phone_tier1",
        "description": "Caller asks again about the interview.",
        "receipt_number": RECEIPT,
        "requester": RequesterData(name="Ana Pérez", email="ana@example.com", language="es"),
        "repeat": choice,
        **overrides,
    }
    sr, _created = services.submit_request(services.Submission(**data), actor=actor)
    return sr


@pytest.fixture
def original(tier1: User, clock: Any) -> ServiceRequest:
    make_case(RECEIPT)
    return submit(tier1, None)


def test_internal_callers_without_a_choice_are_not_checked(
    tier1: User, original: ServiceRequest
) -> None:
    assert submit(tier1, None).repeat_of is None


def test_a_new_request_with_candidates_is_refused_until_the_caller_decides(
    tier1: User, original: ServiceRequest
) -> None:
    before = counts()
    with pytest.raises(PossibleRepeat) as excinfo:
        submit(tier1)
    assert counts() == before
    assert [sr.reference for sr in excinfo.value.candidates] == [original.reference]
    assert excinfo.value.extensions["candidates"][0]["reference"] == original.reference


def test_other_types_and_cases_are_not_candidates(tier1: User, original: ServiceRequest) -> None:
    other_type = submit(tier1, type="typographic_error")
    assert other_type.repeat_of is None
    other_case = make_case("EAC2190054321")
    assert submit(tier1, receipt_number=other_case.receipt_number).repeat_count == 0


def test_ignore_records_a_new_request(tier1: User, original: ServiceRequest) -> None:
    sr = submit(tier1, RepeatChoice(check="ignore"))
    assert (sr.repeat_of, sr.repeat_count, sr.status) == (None, 0, "received")


def test_link_as_repeat_counts_on_every_request_of_the_thread(
    tier1: User, original: ServiceRequest
) -> None:
    first = submit(tier1, RepeatChoice(repeat_of=original.reference.lower()))
    # Linking to a repeat joins the same thread.
    second = submit(tier1, RepeatChoice(repeat_of=first.reference))
    original.refresh_from_db()
    first.refresh_from_db()
    assert (first.repeat_of, second.repeat_of) == (original, original)
    assert [original.repeat_count, first.repeat_count, second.repeat_count] == [2, 2, 2]
    assert (original.version, first.version, second.version) == (3, 2, 1)
    assert repeats.case_repeat_count(tier1, RECEIPT) == 2
    event = AuditEvent.objects.filter(action="service_request.repeat_recorded").last()
    assert event.changes == {
        "repeat_of": original.reference,
        "merged_into": None,
        "repeat_count": 2,
    }


def test_merge_keeps_the_contact_as_a_merged_duplicate(
    tier1: User, original: ServiceRequest
) -> None:
    merged = submit(tier1, RepeatChoice(merge_into=original.reference))
    original.refresh_from_db()
    assert (merged.status, merged.duplicate_of, merged.repeat_of) == ("merged", original, original)
    assert merged.description == "Caller asks again about the interview."
    assert [s.to_status for s in merged.status_changes.all()] == ["received", "merged"]
    assert (original.repeat_count, merged.repeat_count, original.status) == (1, 1, "received")
    # A merged request is not itself a candidate: the original is.
    with pytest.raises(PossibleRepeat) as excinfo:
        submit(tier1)
    assert [sr.reference for sr in excinfo.value.candidates] == [original.reference]


@pytest.mark.parametrize(
    ("_case", "choice", "field"),
    [
        ("both", RepeatChoice(repeat_of="X", merge_into="Y"), "merge_into"),
        ("unknown reference", RepeatChoice(repeat_of="SR-0000-0000"), "repeat_of"),
        ("bad check", RepeatChoice(check="maybe"), "repeat_check"),
    ],
)
def test_invalid_choices_change_nothing(
    tier1: User, original: ServiceRequest, _case: str, choice: RepeatChoice, field: str
) -> None:
    before = counts()
    with pytest.raises(InvalidRepeat) as excinfo:
        submit(tier1, choice)
    assert excinfo.value.field == field
    assert counts() == before


def test_closed_requests_are_candidates_within_the_window(
    tier1: User, officer: User, original: ServiceRequest, settings: Any
) -> None:
    settings.SRMT_REPEAT_WINDOW_DAYS = 30
    services.add_response(original, actor=officer, kind="final", body="Your interview is set.")
    before = counts()
    with pytest.raises(InvalidRepeat):  # closed: link, don't merge
        submit(tier1, RepeatChoice(merge_into=original.reference))
    assert counts() == before
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        linked = submit(tier1, RepeatChoice(repeat_of=original.reference))
    assert linked.repeat_of_id == original.pk
    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False):
        assert repeats.candidates(
            tier1, receipt_number=RECEIPT, type_code="general_case_inquiry"
        ) == [linked]


def test_filter_on_repeat_count(tier1: User, original: ServiceRequest) -> None:
    repeat = submit(tier1, RepeatChoice(repeat_of=original.reference))
    fresh = submit(tier1, RepeatChoice(check="ignore"), type="typographic_error")
    qs = ServiceRequest.objects.all()
    assert set(queries.filter_requests(qs, repeat_count_min=1)) == {original, repeat}
    assert set(queries.filter_requests(qs, repeat_count_min=2)) == set()
    assert fresh in queries.filter_requests(qs, repeat_count_min=0)
