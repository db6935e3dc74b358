"""policy_for: the most specific policy in force wins; deadlines_for applies it."""

from __future__ import annotations

import datetime as dt

import pytest

from srmt.sla.models import DeadlinePolicy
from srmt.sla.services import NoDeadlinePolicy, deadlines_for, policy_for

pytestmark = pytest.mark.django_db


def _policy(
    request_type: str,
    urgency: str,
    effective_from: dt.date,
    effective_until: dt.date | None = None,
    *,
    first: tuple[int, str] = (15, "calendar_days"),
    final: tuple[int, str] = (15, "calendar_days"),
) -> DeadlinePolicy:
    return DeadlinePolicy.objects.create(
        request_type=request_type,
        urgency=urgency,
        effective_from=effective_from,
        effective_until=effective_until,
        first_response_value=first[0],
        first_response_unit=first[1],
        final_response_value=final[0],
        final_response_unit=final[1],
        source="test",
    )


@pytest.fixture(autouse=True)
def _own_policy_table(db: None) -> None:
    """These tests build their own policy table: the reference policies go (rolled back)."""
    DeadlinePolicy.objects.all().delete()


@pytest.fixture
def policies() -> dict[str, DeadlinePolicy]:
    start = dt.date(2020, 1, 1)
    return {
        "default": _policy("", "", start),
        "urgent": _policy("", "urgent", start),
        "type": _policy("tier2_callback", "", start),
        "type_urgent": _policy("tier2_callback", "urgent", start),
        "type_urgent_old": _policy("tier2_callback", "urgent", dt.date(2010, 1, 1)),
        "coa_old": _policy("change_of_address", "", start, dt.date(2026, 1, 1)),
        "coa_new": _policy("change_of_address", "", dt.date(2026, 1, 1)),
    }


@pytest.mark.parametrize(
    ("request_type", "urgency", "on", "expected"),
    [
        ("tier2_callback", "urgent", dt.date(2026, 6, 1), "type_urgent"),
        ("tier2_callback", "normal", dt.date(2026, 6, 1), "type"),
        ("complaint", "urgent", dt.date(2026, 6, 1), "urgent"),
        ("complaint", "normal", dt.date(2026, 6, 1), "default"),
        ("tier2_callback", "urgent", dt.date(2015, 6, 1), "type_urgent_old"),
        ("change_of_address", "normal", dt.date(2025, 12, 31), "coa_old"),
        ("change_of_address", "normal", dt.date(2026, 1, 1), "coa_new"),  # until is exclusive
        ("change_of_address", "urgent", dt.date(2026, 1, 1), "coa_new"),  # type beats urgency
    ],
)
def test_policy_for_picks_the_most_specific_policy_in_force(
    policies: dict[str, DeadlinePolicy], request_type: str, urgency: str, on: dt.date, expected: str
) -> None:
    # when
    chosen = policy_for(request_type, urgency, on=on)
    # then
    assert chosen.pk == policies[expected].pk


def test_policy_for_refuses_when_nothing_is_in_force(policies: dict[str, DeadlinePolicy]) -> None:
    with pytest.raises(NoDeadlinePolicy) as excinfo:
        policy_for("complaint", "normal", on=dt.date(2019, 12, 31))
    assert str(excinfo.value) == "No deadline policy in force for complaint on 2019-12-31."


def test_deadlines_for_applies_both_targets_in_the_office_time_zone() -> None:
    # given
    policy = _policy(
        "tier2_callback",
        "normal",
        dt.date(2000, 1, 1),
        first=(7, "business_days"),
        final=(30, "business_days"),
    )
    start = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)  # Fri 10:00 EST
    # when
    deadlines = deadlines_for("tier2_callback", "normal", start=start, time_zone="America/New_York")
    # then: 7 business days skip 21-22 Nov and Thanksgiving; 30 skip Christmas and New Year
    assert deadlines.first_response_due_at == dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
    assert deadlines.due_at == dt.datetime(2027, 1, 6, 15, 0, tzinfo=dt.UTC)
    assert deadlines.policy_id == policy.pk


@pytest.mark.parametrize(
    ("time_zone", "expected"),
    [("Pacific/Guam", "new"), ("America/New_York", "old"), ("America/Los_Angeles", "old")],
)
def test_the_policy_in_force_is_read_on_the_office_local_date(
    time_zone: str, expected: str
) -> None:
    # given a policy change on 26 November 2026
    chosen = {
        "old": _policy("", "", dt.date(2020, 1, 1), dt.date(2026, 11, 26)),
        "new": _policy("", "", dt.date(2026, 11, 26), first=(7, "calendar_days")),
    }
    # when: 20:00 UTC on the 25th is already 06:00 on the 26th in Guam
    start = dt.datetime(2026, 11, 25, 20, 0, tzinfo=dt.UTC)
    deadlines = deadlines_for("complaint", "normal", start=start, time_zone=time_zone)
    # then
    assert deadlines.policy_id == chosen[expected].pk
