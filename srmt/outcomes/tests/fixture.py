"""A hand-computed world for the outcome metrics (docs/metrics.md, "Outcome metrics").

Requests of March 2026 (the period), as of 2026-06-30 00:00 UTC:

| | office | type | chan. | lang | made | responses | 1st due | due | status |
|---|---|---|---|---|---|---|---|---|---|
| A | ESC | general | phone | es | 03-02 | final 03-03 | 03-05 | 03-17 | closed |
| B | ESC | gen. | phone | en | 03-02 | first 03-04 (1), final 03-10 (2) | 03-05 | 03-17 | closed |
| C | ESC | general | phone | en | 03-02 | final 03-20, reopened 03-25 | 03-05 | 03-17 | reopened|
| E | NSC | general | online | es | 03-30 | none; C's receipt (3) | 04-02 | 04-14 | received |
| F | ESC-VAWA | notice | online | en | 03-15 | none | 07-10 | 07-20 | received |
| G | ESC | general | phone | en | 03-05 | merged: left out | | | merged |
| H | ESC | general | phone | en | 02-20 | before the period | | | closed |
| D | ESC | general | phone | en | 04-25 | none; B's receipt (4) | 04-28 | 05-10 | received |

(1) a form letter sent with a reason; (2) a form letter without one; (3) a repeat of C 10
days after its final response; (4) a repeat of B 46 days after its final response (April:
outside the period, but it counts as B's repeat).

Surveys: A answered 5, B not answered, C answered 2.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from srmt.accounts.choices import Role
from srmt.offices.models import Office
from srmt.service_requests.models import Response, ServiceRequest, StatusChange
from srmt.service_requests.requesters import RequesterData
from srmt.surveys.models import Survey
from srmt.testing.factories import make_case, make_service_request, make_user

AS_OF = dt.datetime(2026, 6, 30, tzinfo=dt.UTC)
DAY = 86_400


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2026, month, day, tzinfo=dt.UTC)


@dataclass
class World:
    requests: dict[str, ServiceRequest]


def _request(
    office: str,
    type: str,
    channel: str,
    language: str,
    created: dt.datetime,
    first_due: dt.datetime,
    due: dt.datetime,
    status: str,
    receipt: str,
) -> ServiceRequest:
    sr = make_service_request(
        type=type,
        channel=channel,
        receipt_number=receipt,
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language=language),
    )
    ServiceRequest.objects.filter(pk=sr.pk).update(
        office=Office.objects.get(code=office),
        created_at=created,
        first_response_due_at=first_due,
        due_at=due,
        status=status,
        first_responded_at=None,
        closed_at=None,
    )
    StatusChange.objects.filter(service_request=sr).delete()
    Response.objects.filter(service_request=sr).delete()
    return ServiceRequest.objects.get(pk=sr.pk)


def build() -> World:
    author = make_user("metrics_writer", role=Role.ADMINISTRATOR)
    receipts = {name: make_case().receipt_number for name in "ABCFGH"}
    gci, nnr = "general_case_inquiry", "notice_not_received"
    phone, online = "phone_tier1", "online"
    srs = {
        "A": _request(
            "ESC", gci, phone, "es", at(3, 2), at(3, 5), at(3, 17), "closed", receipts["A"]
        ),
        "B": _request(
            "ESC", gci, phone, "en", at(3, 2), at(3, 5), at(3, 17), "closed", receipts["B"]
        ),
        "C": _request(
            "ESC", gci, phone, "en", at(3, 2), at(3, 5), at(3, 17), "reopened", receipts["C"]
        ),
        "E": _request(
            "NSC", gci, online, "es", at(3, 30), at(4, 2), at(4, 14), "received", receipts["C"]
        ),
        "F": _request(
            "ESC-VAWA",
            nnr,
            online,
            "en",
            at(3, 15),
            at(7, 10),
            at(7, 20),
            "received",
            receipts["F"],
        ),
        "G": _request(
            "ESC", gci, phone, "en", at(3, 5), at(3, 8), at(3, 20), "merged", receipts["G"]
        ),
        "H": _request(
            "ESC", gci, phone, "en", at(2, 20), at(2, 23), at(3, 7), "closed", receipts["H"]
        ),
        "D": _request(
            "ESC", gci, phone, "en", at(4, 25), at(4, 28), at(5, 10), "received", receipts["B"]
        ),
    }

    def respond(
        name: str, kind: str, when: dt.datetime, *, form_letter: bool = False, reason: str = ""
    ) -> None:
        Response.objects.create(
            service_request=srs[name],
            kind=kind,
            author=author,
            body="Text.",
            delivery_channel="email",
            form_letter=form_letter,
            form_letter_override_reason=reason,
            created_at=when,
        )

    def move(name: str, to: str, when: dt.datetime) -> None:
        StatusChange.objects.create(service_request=srs[name], to_status=to, created_at=when)

    def first(name: str, when: dt.datetime) -> None:
        ServiceRequest.objects.filter(pk=srs[name].pk).update(first_responded_at=when)

    respond("A", "final", at(3, 3))
    first("A", at(3, 3))
    move("A", "closed", at(3, 3))
    respond("B", "initial", at(3, 4), form_letter=True, reason="The customer asked for the steps.")
    first("B", at(3, 4))
    move("B", "responded", at(3, 4))
    respond("B", "final", at(3, 10), form_letter=True)
    move("B", "closed", at(3, 10))
    respond("C", "final", at(3, 20))
    first("C", at(3, 20))
    move("C", "closed", at(3, 20))
    move("C", "reopened", at(3, 25))
    respond("H", "final", at(2, 21))
    first("H", at(2, 21))
    move("H", "closed", at(2, 21))
    for name, rating in (("A", 5), ("B", None), ("C", 2)):
        Survey.objects.create(
            service_request=srs[name],
            language="en",
            sent_at=AS_OF - dt.timedelta(days=100),
            expires_at=AS_OF - dt.timedelta(days=70),
            answered_at=None if rating is None else AS_OF - dt.timedelta(days=99),
            rating=rating,
        )
    return World(srs)
