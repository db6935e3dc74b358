"""The transition table: every allowed move works (through the services), every other is refused."""

from __future__ import annotations

import itertools

import pytest

from srmt.accounts.models import User
from srmt.service_requests import lifecycle, redirects, services
from srmt.service_requests.choices import Status
from srmt.service_requests.models import ServiceRequest, StatusChange
from srmt.service_requests.tests.conftest import snapshot
from srmt.testing.factories import make_service_request

S = Status
_ACTIVE = "assigned in_progress awaiting_customer awaiting_office responded closed transferred"
_FROM_NEW = {*_ACTIVE.split(), "redirected", "withdrawn", "merged"}
_FROM_WAITING = {"in_progress", "responded", "closed", "transferred", "withdrawn"}

# Written out independently of lifecycle.ALLOWED, so that a wrong table is caught.
EXPECTED: dict[str, set[str]] = {
    "received": _FROM_NEW,
    "transferred": _FROM_NEW,
    "reopened": _FROM_NEW,
    "assigned": _FROM_NEW,
    "in_progress": _FROM_NEW - {"in_progress"},
    "awaiting_customer": _FROM_WAITING,
    "awaiting_office": _FROM_WAITING,
    "responded": {
        "in_progress",
        "awaiting_customer",
        "awaiting_office",
        "responded",
        "closed",
        "transferred",
        "withdrawn",
    },
    "closed": {"reopened"},
    "redirected": set(),
    "withdrawn": set(),
    "merged": set(),
}
ALL_PAIRS = list(itertools.product(Status, Status))
ALLOWED_PAIRS = [(a, b) for a, b in ALL_PAIRS if b.value in EXPECTED[a.value]]
REFUSED_PAIRS = [(a, b) for a, b in ALL_PAIRS if b.value not in EXPECTED[a.value]]


def _id(pair: tuple[Status, Status]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


def test_the_expected_table_covers_every_status() -> None:
    assert set(EXPECTED) == set(Status.values)
    assert len(ALLOWED_PAIRS) + len(REFUSED_PAIRS) == 144
    assert len(ALLOWED_PAIRS) == 67


def test_allowed_matches_the_expected_table() -> None:
    actual = {k.value: {t.value for t in v} for k, v in lifecycle.ALLOWED.items()}
    assert actual == EXPECTED


@pytest.mark.parametrize("pair", ALLOWED_PAIRS, ids=[_id(p) for p in ALLOWED_PAIRS])
def test_allowed_moves_pass_require(pair: tuple[Status, Status]) -> None:
    current, target = pair
    assert lifecycle.can_move(current, target) is True
    lifecycle.require(current.value, target.value)


@pytest.mark.parametrize("pair", REFUSED_PAIRS, ids=[_id(p) for p in REFUSED_PAIRS])
def test_disallowed_moves_are_refused(pair: tuple[Status, Status]) -> None:
    current, target = pair
    assert lifecycle.can_move(current, target) is False
    with pytest.raises(lifecycle.InvalidTransition) as excinfo:
        lifecycle.require(current, target)
    assert excinfo.value.code == "invalid_transition"
    assert excinfo.value.field == "to"
    assert excinfo.value.extra == {"current": str(current), "target": str(target)}
    assert excinfo.value.message == (
        f"A request that is {current.label} cannot be moved to {target.label}."
    )


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("target", [S.RESPONDED, S.CLOSED])
def test_require_manual_refuses_responded_and_closed(current: Status, target: Status) -> None:
    with pytest.raises(lifecycle.ResponseRequired) as excinfo:
        lifecycle.require_manual(current, target)
    assert excinfo.value.code == "response_required"
    assert excinfo.value.field == "to"
    assert excinfo.value.http_status == 409


def test_require_manual_passes_other_allowed_moves_and_refuses_the_rest() -> None:
    lifecycle.require_manual(S.RECEIVED, S.IN_PROGRESS)
    with pytest.raises(lifecycle.InvalidTransition):
        lifecycle.require_manual(S.CLOSED, S.IN_PROGRESS)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (
            S.RECEIVED,
            [
                S.ASSIGNED,
                S.IN_PROGRESS,
                S.AWAITING_CUSTOMER,
                S.AWAITING_OFFICE,
                S.TRANSFERRED,
                S.REDIRECTED,
                S.WITHDRAWN,
                S.MERGED,
            ],
        ),
        (
            S.IN_PROGRESS,
            [
                S.ASSIGNED,
                S.AWAITING_CUSTOMER,
                S.AWAITING_OFFICE,
                S.TRANSFERRED,
                S.REDIRECTED,
                S.WITHDRAWN,
                S.MERGED,
            ],
        ),
        (S.AWAITING_CUSTOMER, [S.IN_PROGRESS, S.TRANSFERRED, S.WITHDRAWN]),
        (
            S.RESPONDED,
            [S.IN_PROGRESS, S.AWAITING_CUSTOMER, S.AWAITING_OFFICE, S.TRANSFERRED, S.WITHDRAWN],
        ),
        (S.CLOSED, [S.REOPENED]),
        (S.MERGED, []),
        (S.WITHDRAWN, []),
        (S.REDIRECTED, []),
    ],
)
def test_manual_targets(current: Status, expected: list[Status]) -> None:
    assert lifecycle.manual_targets(current) == expected


def test_terminal_and_open_statuses() -> None:
    assert {S.CLOSED, S.REDIRECTED, S.WITHDRAWN, S.MERGED} == lifecycle.TERMINAL
    assert set(Status) - lifecycle.TERMINAL == lifecycle.OPEN_STATUSES


# --- every allowed move, through the services -------------------------------------------


def _put_in(sr: ServiceRequest, status: Status) -> None:
    # Test set-up only: place the request in `status` without a history.
    closed_at = sr.created_at if status in lifecycle.TERMINAL else None
    ServiceRequest.objects.filter(pk=sr.pk).update(status=status, closed_at=closed_at)


def _perform(sr: ServiceRequest, target: Status, actor: User) -> None:
    if target in {S.RESPONDED, S.CLOSED}:
        kind = "final" if target == S.CLOSED else "initial"
        services.add_response(sr, actor=actor, kind=kind, body="Your case is with an officer.")
        return
    extra: dict[str, str] = {"reason": "Moved in a test."}
    if target == S.TRANSFERRED:
        extra["office_code"] = "CSC"
    if target == S.MERGED:
        extra["duplicate_of"] = make_service_request(actor=actor).reference
    if target == S.REDIRECTED:  # redirecting names the agency (service_requests.redirects)
        redirects.redirect_request(sr, actor=actor, topic_code="visas", reason=extra["reason"])
        return
    services.transition_request(sr, actor=actor, to=target, **extra)


@pytest.mark.parametrize("pair", ALLOWED_PAIRS, ids=[_id(p) for p in ALLOWED_PAIRS])
def test_every_allowed_move_is_possible_through_the_services(
    supervisor: User, pair: tuple[Status, Status]
) -> None:
    # given
    current, target = pair
    sr = make_service_request(actor=supervisor)
    _put_in(sr, current)
    # when
    _perform(sr, target, supervisor)
    # then
    sr.refresh_from_db()
    assert sr.status == target
    assert sr.version == 2
    last = StatusChange.objects.filter(service_request=sr).last()
    assert (last.from_status, last.to_status, last.actor) == (current, target, supervisor)
    assert (sr.closed_at is not None) is (target in lifecycle.TERMINAL)


MANUAL_REFUSED = [(a, b) for a, b in REFUSED_PAIRS if b not in {S.RESPONDED, S.CLOSED, S.RECEIVED}]


@pytest.mark.parametrize("pair", MANUAL_REFUSED, ids=[_id(p) for p in MANUAL_REFUSED])
def test_every_refused_manual_move_changes_nothing(
    supervisor: User, pair: tuple[Status, Status]
) -> None:
    # given
    current, target = pair
    sr = make_service_request(actor=supervisor)
    _put_in(sr, current)
    before = snapshot(sr)
    # when
    with pytest.raises(lifecycle.InvalidTransition):
        _perform(sr, target, supervisor)
    # then
    after = snapshot(sr)
    if target == S.MERGED:  # the original made for the merge is the only new request
        after["requests"] -= 1
        after["status_changes"] -= 1
        after["audit_events"] -= 1
        after["notifications"] -= 1  # and its acknowledgement to the requester
    assert after == before
