"""Closed requests, reviewers and evaluations for the QA tests."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.offices.models import Office
from srmt.qa import services
from srmt.qa.models import Assignment, Evaluation
from srmt.qa.services import ScoreInput
from srmt.service_requests.models import ServiceRequest, ServiceRequestType
from srmt.service_requests.services import add_response
from srmt.testing.factories import make_case, make_service_request, make_user

TZ = zoneinfo.ZoneInfo("America/New_York")
IN_W48 = dt.datetime(2026, 11, 25, 12, 0, tzinfo=TZ)  # Wednesday of 2026-W48
AFTER_W48 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=TZ)  # the Monday after

ALL_MET = {
    "accuracy": 2,
    "completeness": 2,
    "new_information": 2,
    "plain_language": 4,
    "courtesy": 4,
    "timeliness": 2,
    "correct_routing": 2,
}


def closed_request(
    *,
    office: str = "NBC",
    type: str = "general_case_inquiry",
    closed_at: dt.datetime = IN_W48,
    responder: User | None = None,
    protected: bool = False,
) -> ServiceRequest:
    """A request answered with a final response by `responder` (an office staff member of
    `office`), then placed in `office` and `type`, closed at `closed_at`."""
    receipt = make_case(office="ESC", is_protected=protected).receipt_number
    sr = make_service_request(receipt_number=receipt)
    place = Office.objects.get(code=office)
    ServiceRequest.objects.filter(pk=sr.pk).update(office=place)
    sr.refresh_from_db()
    author = responder or make_user(
        role=Role.OFFICE_STAFF, offices=[office], is_1367_cleared=protected
    )
    add_response(sr, actor=author, kind="final", body="Your interview is set for 3 December.")
    ServiceRequest.objects.filter(pk=sr.pk).update(
        closed_at=closed_at, type=ServiceRequestType.objects.get(code=type)
    )
    sr.refresh_from_db()
    return sr


def reviewer(
    username: str, *, offices: tuple[str, ...] = ("HQ-SCOPS",), cleared: bool = False
) -> User:
    return make_user(
        username, role=Role.QA_REVIEWER, offices=list(offices), is_1367_cleared=cleared
    )


def evaluate(assignment: Assignment, values: dict[str, int] | None = None) -> Evaluation:
    scores = {code: ScoreInput(v) for code, v in (values or ALL_MET).items()}
    return services.submit_evaluation(assignment, actor=assignment.reviewer, scores=scores)
