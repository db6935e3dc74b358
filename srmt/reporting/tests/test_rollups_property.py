"""For any sequence of events and refreshes, the incremental rollups equal a full rebuild, and
the running sum of open_delta is the number of requests really open, by office and day.

The steps include what the additive refresh must treat apart (ADR 0048, revision 2):
transfers that restart the clock and returns from awaiting the customer (new due dates for
counted closures and first responses), and transfers recorded late with an earlier time
(counted events placed at another office)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.offices.models import Office
from srmt.reporting.rollups import build
from srmt.reporting.tests.test_rollups import actually_open, request, snapshot, stock
from srmt.service_requests import core, services
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import ServiceRequest, ServiceRequestType
from srmt.testing.factories import make_user

START = dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC)
OFFICES = ("ESC", "CSC", "NBC")

# One step: which request (by position among those made), what happens, hours after the
# previous step, and whether a refresh follows.
steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),
        st.sampled_from(
            [
                "new",
                "transfer",
                "respond",
                "close",
                "reopen",
                "withdraw",
                "await",
                "resume",
                "late transfer",
            ]
        ),
        st.sampled_from(OFFICES),
        # hours; a month now and then, for replies after their due dates
        st.one_of(st.integers(min_value=0, max_value=40), st.just(30 * 24)),
        st.booleans(),
    ),
    min_size=1,
    max_size=10,
)


def apply(sr: ServiceRequest, action: str, office: str, admin: User, moment: dt.datetime) -> bool:
    """Do `action` to `sr` if its status allows; True for a transfer recorded late."""
    sr.refresh_from_db()
    is_open = sr.status in OPEN_STATUSES
    if action == "late transfer" and is_open and sr.office.code != office:
        # recorded now, dated halfway between the request's last move and now
        last = sr.status_changes.order_by("-created_at", "-id").values_list(
            "created_at", flat=True
        )[0]
        sr = core.lock(sr)
        origin = sr.office
        sr.office = Office.objects.get(code=office)
        core.move(
            sr,
            "transferred",
            actor=admin,
            reason="Late entry.",
            from_office=origin,
            at=last + (moment - last) / 2,
        )
        return True
    if action == "await" and sr.status in {"received", "in_progress", "reopened", "assigned"}:
        services.transition_request(sr, actor=admin, to="awaiting_customer", reason="A copy.")
    elif action == "resume" and sr.status == "awaiting_customer":
        services.transition_request(sr, actor=admin, to="in_progress", reason="It came.")
    elif action == "transfer" and is_open and sr.office.code != office:
        services.transition_request(
            sr, actor=admin, to="transferred", reason="Theirs.", office_code=office
        )
    elif action == "respond" and is_open:
        kind = "follow_up" if sr.responses.exists() else "initial"
        services.add_response(sr, actor=admin, kind=kind, body="We are working on it.")
    elif action == "close" and is_open:
        services.add_response(sr, actor=admin, kind="final", body="Your card was mailed.")
    elif action == "reopen" and sr.status == "closed":
        services.transition_request(sr, actor=admin, to="reopened", reason="Not received.")
    elif action == "withdraw" and is_open:
        services.transition_request(sr, actor=admin, to="withdrawn", reason="Asked to.")
    return False


@pytest.mark.django_db
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
# closed late and reopened, then new due dates: a transfer restarting the clock, a pause
@example(
    steps=[
        (0, "new", "ESC", 0, False),
        (0, "close", "ESC", 30 * 24, True),
        (0, "reopen", "ESC", 1, True),
        (0, "transfer", "CSC", 1, False),
    ]
)
@example(
    steps=[
        (0, "new", "ESC", 0, False),
        (0, "close", "ESC", 30 * 24, True),
        (0, "reopen", "ESC", 1, True),
        (0, "await", "ESC", 1, False),
        (0, "resume", "ESC", 30 * 24, False),
    ]
)
# a response counted, then a transfer dated before it
@example(
    steps=[
        (0, "new", "ESC", 0, False),
        (0, "respond", "ESC", 10, True),
        (0, "late transfer", "CSC", 10, False),
    ]
)
def test_incremental_equals_rebuild_for_any_history(
    reference: None, steps: list[tuple[int, str, str, int, bool]]
) -> None:
    with transaction.atomic():
        admin = make_user("rollup_prop", role=Role.ADMINISTRATOR)
        # transfers restart the clock: new due dates for counted closures and first responses
        ServiceRequestType.objects.filter(code="general_case_inquiry").update(
            restarts_clock_on_transfer=True
        )
        made: list[ServiceRequest] = []
        moment = START
        late = False
        for index, action, office, hours, refresh in steps:
            moment += dt.timedelta(hours=hours)
            with time_machine.travel(moment, tick=False):
                if action == "new" or not made:
                    made.append(request(admin))
                else:
                    late |= apply(made[index % len(made)], action, office, admin, moment)
            if refresh:
                build.refresh()
        build.refresh()
        incremental = snapshot()
        build.rebuild()
        assert snapshot() == incremental
        day, last = START.date(), moment.date()
        # a move dated before others breaks the status history's chain (its from_status is the
        # status when it was recorded), so the oracle of open requests does not apply then
        while day <= last and not late:
            assert stock(day) == actually_open(day), day
            day += dt.timedelta(days=1)
        transaction.set_rollback(True)
