"""For any sequence of events and refreshes, the incremental rollups equal a full rebuild, and
the running sum of open_delta is the number of requests really open, by office and day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srmt.accounts.choices import Role
from srmt.reporting.rollups import build
from srmt.reporting.tests.test_rollups import actually_open, request, snapshot, stock
from srmt.service_requests import services
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import ServiceRequest
from srmt.testing.factories import make_user

START = dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC)
OFFICES = ("ESC", "CSC", "NBC")

# One step: which request (by position among those made), what happens, hours after the
# previous step, and whether a refresh follows.
steps = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),
        st.sampled_from(["new", "transfer", "respond", "close", "reopen", "withdraw"]),
        st.sampled_from(OFFICES),
        st.integers(min_value=0, max_value=40),
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


def apply(sr: ServiceRequest, action: str, office: str, admin: object) -> None:
    sr.refresh_from_db()
    is_open = sr.status in OPEN_STATUSES
    if action == "transfer" and is_open and sr.office.code != office:
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


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_incremental_equals_rebuild_for_any_history(reference: None, steps: list) -> None:
    with transaction.atomic():
        admin = make_user("rollup_prop", role=Role.ADMINISTRATOR)
        made: list[ServiceRequest] = []
        moment = START
        for index, action, office, hours, refresh in steps:
            moment += dt.timedelta(hours=hours)
            with time_machine.travel(moment, tick=False):
                if action == "new" or not made:
                    made.append(request(admin))
                else:
                    apply(made[index % len(made)], action, office, admin)
            if refresh:
                build.refresh()
        build.refresh()
        incremental = snapshot()
        build.rebuild()
        assert snapshot() == incremental
        day, last = START.date(), moment.date()
        while day <= last:
            assert stock(day) == actually_open(day), day
            day += dt.timedelta(days=1)
        transaction.set_rollback(True)
