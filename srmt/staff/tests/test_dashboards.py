"""The managers' dashboards (docs/adr/0051): who sees which, exact counts per bucket, the
drill-down links, the folding of the confidential unit, the weekly trend and detections.

Customers and representatives are nobody on these URLs (test_outside_accounts walks every
URL), and an anonymous visitor is sent to sign in (test_url_auth)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.audit.models import AuditEvent
from srmt.offices.models import Office
from srmt.reporting import dashboards
from srmt.reporting.models import (
    DailyRollup,
    DashboardSnapshot,
    Detection,
    OpenStockCell,
    SeriesLevel,
)
from srmt.reviews.choices import ReviewStatus
from srmt.reviews.defaults import load_default_rules
from srmt.reviews.models import ResponseReview, ReviewRule
from srmt.service_requests.deadline_states import filter_state
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import (
    Escalation,
    EscalationStep,
    Response,
    ServiceRequest,
    new_reference,
)
from srmt.staff.tests.conftest import client_for
from srmt.testing.factories import make_service_request, make_user

pytestmark = pytest.mark.django_db

NATIONAL = "/staff/dashboards/"
ESC = "/staff/dashboards/ESC/"
NSC = "/staff/dashboards/NSC/"
UNIT = "/staff/dashboards/ESC-VAWA/"

# role -> (national, ESC, NSC, the confidential unit) for a member of ESC, not cleared:
# written out, not derived from accounts.roles.
EXPECTED = {
    Role.TIER1: (403, 403, 403, 403),
    Role.TIER2: (403, 403, 403, 403),
    Role.OFFICE_STAFF: (302, 200, 404, 404),
    Role.SUPERVISOR: (200, 200, 200, 404),
    Role.QA_REVIEWER: (200, 200, 200, 404),
    Role.ANALYST: (200, 200, 200, 404),
    Role.ADMINISTRATOR: (200, 200, 200, 404),
    Role.CASE_SYSTEM: (403, 403, 403, 403),
}


def test_the_matrix_covers_every_role():
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_permission_matrix(reference, role):
    user = make_user(f"u_{role}", role=role, offices=["ESC"])
    client = client_for(user)
    events = AuditEvent.objects.count()
    codes = tuple(client.get(url).status_code for url in (NATIONAL, ESC, NSC, UNIT))
    assert codes == EXPECTED[role]
    assert AuditEvent.objects.count() == events  # reading (or being refused) writes nothing


def test_office_staff_are_sent_to_their_office_and_pick_only_their_offices(reference):
    user = make_user("olga", role=Role.OFFICE_STAFF, offices=["ESC", "NSC"])
    client = client_for(user)
    assert client.get(NATIONAL)["Location"] == ESC
    assert client.get(NATIONAL + "?office=NSC")["Location"] == NSC
    assert client.get(NATIONAL + "?office=CSC").status_code == 404
    assert [o.code for o in dashboards.dashboard_offices(user)] == ["ESC", "NSC"]


def test_the_confidential_unit_is_for_cleared_users_only(reference):
    cleared = make_user("cleo", role=Role.SUPERVISOR, is_1367_cleared=True)
    assert client_for(cleared).get(UNIT).status_code == 200
    uncleared = make_user("uma", role=Role.SUPERVISOR)
    assert client_for(uncleared).get(NATIONAL + "?office=ESC-VAWA").status_code == 404


def test_the_nav_offers_dashboards_to_those_who_may_see_one(reference):
    link = 'href="/staff/dashboards/"'
    assert link in client_for(make_user("sup", role=Role.SUPERVISOR)).get("/staff/").text
    office = make_user("o", role=Role.OFFICE_STAFF, offices=["ESC"])
    assert link in client_for(office).get("/staff/").text
    assert link not in client_for(make_user("t2", role=Role.TIER2)).get("/staff/").text


# --- exact counts --------------------------------------------------------------------------


def _request(office: str, *, age_days: float, due_in_days: float, **changes) -> ServiceRequest:
    sr = make_service_request()
    now = timezone.now()
    ServiceRequest.objects.filter(pk=sr.pk).update(
        office=Office.objects.get(code=office),
        created_at=now - dt.timedelta(days=age_days),
        due_at=now + dt.timedelta(days=due_in_days),
        **changes,
    )
    sr.refresh_from_db()
    return sr


@pytest.fixture
def world(reference):
    """Open requests at ESC of ages 0, 7, 8, 20, 45 and 90 days (and an hour), one closed,
    one at NSC and one in ESC's confidential unit; two assigned to Wanda, one to Walt;
    two escalated (one to level 2)."""
    wanda = make_user("wanda", role=Role.OFFICE_STAFF, offices=["ESC"], first_name="Wanda")
    walt = make_user("walt", role=Role.OFFICE_STAFF, offices=["ESC"], last_name="Walters")
    hour = 1 / 24
    made = {
        "fresh": _request("ESC", age_days=hour, due_in_days=30),  # on track
        "week": _request("ESC", age_days=7 + hour, due_in_days=20, assignee=wanda),
        "eight": _request("ESC", age_days=8 + hour, due_in_days=1, assignee=wanda),  # at risk
        "twenty": _request("ESC", age_days=20 + hour, due_in_days=-1, assignee=walt),  # overdue
        "month": _request("ESC", age_days=45 + hour, due_in_days=-10),  # overdue
        "old": _request("ESC", age_days=90 + hour, due_in_days=-50),  # overdue
        "closed": _request("ESC", age_days=3, due_in_days=10, status="closed"),
        "nsc": _request("NSC", age_days=2, due_in_days=10),
        "unit": _request("ESC-VAWA", age_days=2, due_in_days=10),
    }
    steps = {s.order: s for s in EscalationStep.objects.all()}
    esc = Office.objects.get(code="ESC")
    for name, levels in (("old", [1, 2]), ("month", [1])):
        for level in levels:
            Escalation.objects.create(
                service_request=made[name],
                step=steps[level],
                level=level,
                office=esc,
                escalated_at=timezone.now(),
            )
    _review(made["week"], "ESC", days_pending=3)
    _review(made["eight"], "ESC", days_pending=1)
    _review(made["nsc"], "NSC", days_pending=5)
    _review(made["fresh"], "ESC", days_pending=9, status=ReviewStatus.APPROVED)
    return made


def _review(sr: ServiceRequest, office: str, *, days_pending: int, **extra) -> None:
    """A response of `sr` held for supervisory review `days_pending` days ago."""
    load_default_rules()
    response = Response.objects.create(
        service_request=sr,
        kind="initial",
        author=User.objects.get(username="factory_tier1"),
        body="We are looking into it.",
        delivery_channel="email",
    )
    since = timezone.now() - dt.timedelta(days=days_pending)
    status = extra.pop("status", ReviewStatus.PENDING)
    ResponseReview.objects.create(
        response=response,
        rule=ReviewRule.objects.order_by("pk").first(),
        office=Office.objects.get(code=office),
        status=status,
        submitted_at=since,
        pending_since=since,
        decided_at=None if status == ReviewStatus.PENDING else timezone.now(),
    )


def test_exact_counts_per_bucket_for_an_office(world):
    supervisor = make_user("sup", role=Role.SUPERVISOR, offices=["ESC"])
    board = dashboards.dashboard(supervisor, Office.objects.get(code="ESC"), now=timezone.now())
    # The unit's request is folded into ESC for an uncleared reader.
    assert board.open == 7
    assert board.ages == {"0-7": 3, "8-15": 1, "16-30": 1, "31-60": 1, "61+": 1}
    assert (board.on_track, board.at_risk, board.overdue) == (3, 1, 3)
    assert board.unassigned == 4
    assert board.escalations == [(1, 2), (2, 1)]
    assert board.reviews_pending == 2
    assert (board.now - board.reviews_oldest).days == 3
    assert [(a.name, a.open) for a in board.workload] == [("Wanda", 2), ("Walters", 1)]


def test_a_cleared_reader_sees_the_unit_apart(world):
    cleared = make_user("cleo", role=Role.SUPERVISOR, is_1367_cleared=True)
    esc = dashboards.dashboard(cleared, Office.objects.get(code="ESC"), now=timezone.now())
    unit = dashboards.dashboard(cleared, Office.objects.get(code="ESC-VAWA"), now=timezone.now())
    assert (esc.open, unit.open) == (6, 1)
    assert esc.ages == {"0-7": 2, "8-15": 1, "16-30": 1, "31-60": 1, "61+": 1}


def test_national_counts_and_offices(world):
    analyst = make_user("ann", role=Role.ANALYST)
    board = dashboards.dashboard(analyst, None, now=timezone.now())
    assert board.open == 8
    assert board.ages == {"0-7": 4, "8-15": 1, "16-30": 1, "31-60": 1, "61+": 1}
    assert [(r.code, r.open, r.overdue) for r in board.by_office] == [("ESC", 7, 3), ("NSC", 1, 0)]
    assert board.reviews_pending == 3


def test_the_page_drills_down_to_the_queue(world):
    supervisor = make_user("sup", role=Role.SUPERVISOR, offices=["ESC"])
    page = client_for(supervisor).get(ESC).text
    assert '<a class="usa-link" href="/staff/queues/ESC/?age=8-15">1</a>' in page
    assert '<a class="usa-link" href="/staff/queues/ESC/?overdue=on">3</a>' in page
    assert '<a class="usa-link" href="/staff/queues/ESC/?at_risk=on">1</a>' in page
    assert '<a class="usa-link" href="/staff/queues/ESC/?assigned=unassigned">4</a>' in page
    assert '<a class="usa-link" href="/staff/queues/ESC/?escalated=on">2</a>' in page
    assert '<a class="usa-link" href="/staff/reviews/">2</a>' in page
    assert "Wanda" in page
    # The queue behind an age bucket lists exactly that bucket.
    queue = client_for(supervisor).get("/staff/queues/ESC/?age=31-60")
    assert [sr.reference for sr in queue.context["page"]] == [world["month"].reference]


def test_analysts_see_counts_without_links_or_names(world):
    page = client_for(make_user("ann", role=Role.ANALYST)).get(ESC).text
    assert "/staff/queues/" not in page
    assert "Wanda" not in page
    assert 'id="workload"' not in page


def test_weekly_trend_from_the_rollups(reference):
    supervisor = make_user("sup", role=Role.SUPERVISOR)
    now = timezone.now()
    first, end = dashboards.trend_start(now.date())
    esc, nsc = Office.objects.get(code="ESC"), Office.objects.get(code="NSC")
    kind = ServiceRequest._meta.get_field("type").related_model.objects.get(
        code="general_case_inquiry"
    )
    cells = [
        (esc, first, 5, 1),
        (esc, first + dt.timedelta(days=6), 2, 2),  # the same week
        (esc, end - dt.timedelta(days=1), 7, 3),  # the last complete week
        (esc, end, 100, 100),  # this week: not complete, not shown
        (nsc, first, 11, 0),
    ]
    for office, day, opened, closed in cells:
        DailyRollup.objects.create(
            day=day,
            office=office,
            type=kind,
            channel="online",
            language="en",
            opened=opened,
            closed=closed,
        )
    board = dashboards.dashboard(supervisor, esc, now=now)
    assert len(board.weeks) == 26
    assert (board.weeks[0].start, board.weeks[0].opened, board.weeks[0].closed) == (first, 7, 3)
    assert (board.weeks[-1].opened, board.weeks[-1].closed) == (7, 3)
    assert sum(w.opened for w in board.weeks) == 14
    national = dashboards.dashboard(supervisor, None, now=now)
    assert national.weeks[0].opened == 18


def _detection(series: str, level: str, *, office: str | None, contributors=(), text="") -> None:
    today = timezone.now().date()
    Detection.objects.create(
        series=series,
        level=level,
        office=Office.objects.get(code=office) if office else None,
        kind="spike",
        direction="up",
        start=today - dt.timedelta(days=2),
        end=today - dt.timedelta(days=2),
        expected=10.0,
        observed=40,
        p_value=1e-8,
        contributors=list(contributors),
        explanation_en=text,
        explanation_es=f"ES {text}",
        detected_at=timezone.now(),
        updated_at=timezone.now(),
    )


def test_detections_shown_where_they_belong(reference):
    office_part = [{"dimension": "office", "value": "ESC", "observed": 30, "expected": 5.0}]
    _detection("national", SeriesLevel.NATIONAL, office=None, contributors=office_part, text="N")
    _detection("office=ESC|type=x", SeriesLevel.OFFICE_TYPE, office="ESC", text="E")
    _detection("office=NSC|type=x", SeriesLevel.OFFICE_TYPE, office="NSC", text="S")
    _detection("office=ESC-VAWA|type=x", SeriesLevel.OFFICE_TYPE, office="ESC-VAWA", text="V")
    now = timezone.now()
    uncleared = make_user("sup", role=Role.SUPERVISOR)
    cleared = make_user("cleo", role=Role.SUPERVISOR, is_1367_cleared=True)
    esc, unit = Office.objects.get(code="ESC"), Office.objects.get(code="ESC-VAWA")

    def texts(user, office):
        board = dashboards.dashboard(user, office, now=now)
        return sorted(d.explanation_en for d in board.detections)

    assert texts(uncleared, None) == ["N"]
    assert texts(uncleared, esc) == ["E", "N"]
    assert texts(cleared, unit) == ["V"]
    page = client_for(uncleared).get(ESC, HTTP_ACCEPT_LANGUAGE="es")
    assert '<ul class="usa-list" id="detections">' in page.text


@pytest.mark.parametrize(("url", "queries"), [(NATIONAL, 12), (ESC, 13)])
def test_query_count_is_pinned_and_does_not_grow_with_rows(world, url, queries):
    """Session and user, the offices offered, the snapshot, one read per block, the nav's
    checks."""
    client = client_for(make_user("sup", role=Role.SUPERVISOR, offices=["ESC"]))
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for age in (1, 10, 40):
        _request("ESC", age_days=age, due_in_days=5)
        _request("NSC", age_days=age, due_in_days=5)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert (len(before), len(after)) == (queries, queries)


# --- the snapshot (ADR 0051, Revision of 2026-12-04) -----------------------------------------


def _live(user: User, office: Office | None, now: dt.datetime) -> dict[str, object]:
    """The dashboard's figures counted live from the requests, with the queue's own filters
    (the drill-down's rows), independently of the snapshot's code."""
    requests = ServiceRequest.objects.all()
    if office is not None:
        ids = [office.pk]
        if not user.is_1367_cleared:
            ids += [o.pk for o in Office.objects.filter(parent=office, is_confidential=True)]
        requests = requests.filter(office_id__in=ids)
    open_requests = requests.filter(status__in=OPEN_STATUSES)
    levels = (
        Escalation.objects.filter(service_request__in=open_requests)
        .values("level")
        .annotate(n=Count("service_request", distinct=True))
        .order_by("level")
    )
    return {
        "open": open_requests.count(),
        "ages": {
            key: open_requests.filter(dashboards.age_q(key, now=now)).count()
            for key, _f, _l in dashboards.AGE_BUCKETS
        },
        "states": tuple(
            filter_state(open_requests, state, at=now).count()
            for state in ("on_track", "at_risk", "overdue")
        ),
        "unassigned": open_requests.filter(assignee__isnull=True).count(),
        "escalations": [(r["level"], r["n"]) for r in levels],
    }


def _shown(board: dashboards.Dashboard) -> dict[str, object]:
    return {
        "open": board.open,
        "ages": board.ages,
        "states": (board.on_track, board.at_risk, board.overdue),
        "unassigned": board.unassigned,
        "escalations": board.escalations,
    }


def test_the_snapshot_is_shown_until_the_next_and_the_page_says_when(world, settings):
    settings.SRMT_ROLLUP_SECONDS = 900
    supervisor = make_user("sup", role=Role.SUPERVISOR, offices=["ESC"])
    esc = Office.objects.get(code="ESC")
    taken = timezone.now()
    snapshot = dashboards.refresh_snapshot(taken)
    # a request opened after the snapshot is not in it (the queue has it at once)...
    _request("ESC", age_days=1, due_in_days=10)
    later = taken + dt.timedelta(minutes=20)
    board = dashboards.dashboard(supervisor, esc, now=later)
    assert (board.as_of, board.open) == (taken, 7)
    assert _live(supervisor, esc, later)["open"] == 8
    # ...the next snapshot has it, and only the two newest snapshots are kept
    dashboards.refresh_snapshot(later)
    newest = dashboards.refresh_snapshot(later + dt.timedelta(seconds=1))
    board = dashboards.dashboard(supervisor, esc, now=later + dt.timedelta(seconds=2))
    assert (board.as_of, board.open) == (newest.taken_at, 8)
    assert DashboardSnapshot.objects.count() == 2
    assert not OpenStockCell.objects.filter(snapshot_id=snapshot.pk).exists()
    # a snapshot two intervals old (no worker takes them) is replaced when a page is read
    stale = newest.taken_at + dt.timedelta(seconds=1801)
    assert dashboards.dashboard(supervisor, esc, now=stale).as_of == stale
    page = client_for(supervisor).get(ESC, HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["board"].as_of == DashboardSnapshot.objects.latest("pk").taken_at
    assert 'id="as-of"' in page.text


def test_the_rollup_refresh_takes_the_snapshot(reference, world):
    from srmt.reporting.rollups.tasks import refresh_rollups

    before = DashboardSnapshot.objects.count()
    result = refresh_rollups.call()
    taken = DashboardSnapshot.objects.latest("pk")
    assert DashboardSnapshot.objects.count() == before + 1
    assert result["dashboard_snapshot"] == taken.taken_at.isoformat()
    assert OpenStockCell.objects.filter(snapshot=taken).aggregate(n=Sum("requests"))["n"] == 8


OFFICE_CODES = ("ESC", "ESC-VAWA", "NSC")
# One request: office, status, age in hours, hours to its due date (negative: past), paused
# for how many hours before now (None: running), assigned, escalation levels reached.
requests_strategy = st.lists(
    st.tuples(
        st.sampled_from(OFFICE_CODES),
        st.sampled_from(["received", "in_progress", "awaiting_customer", "closed"]),
        st.integers(min_value=0, max_value=24 * 90),
        st.integers(min_value=-24 * 60, max_value=24 * 30),
        st.one_of(st.none(), st.integers(min_value=0, max_value=24 * 20)),
        st.booleans(),
        st.sets(st.integers(min_value=1, max_value=2)),
    ),
    max_size=12,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=requests_strategy)
def test_the_snapshot_equals_the_live_queues_at_its_time(reference, rows):
    """Whatever the requests, every figure of every dashboard read from a snapshot equals
    the count of the queue's rows behind it at the snapshot's time, for cleared and
    uncleared readers, nationally and per office (the confidential unit folded or apart)."""
    with transaction.atomic():
        now = timezone.now().replace(microsecond=0)
        model = make_service_request()
        ServiceRequest.objects.filter(pk=model.pk).update(status="closed")
        staff = make_user("prop_staff", role=Role.OFFICE_STAFF, offices=list(OFFICE_CODES))
        steps = {s.order: s for s in EscalationStep.objects.all()}
        offices = {o.code: o for o in Office.objects.filter(code__in=OFFICE_CODES)}
        for office, status, age, due_in, paused, assigned, levels in rows:
            sr = ServiceRequest.objects.get(pk=model.pk)
            sr.pk = None
            sr.reference = new_reference()
            sr.office = offices[office]
            sr.status = status
            sr.assignee = staff if assigned else None
            sr.save()
            created = now - dt.timedelta(hours=age)
            ServiceRequest.objects.filter(pk=sr.pk).update(
                created_at=created,
                due_at=created + dt.timedelta(hours=age + due_in),
                paused_at=None if paused is None else now - dt.timedelta(hours=paused),
            )
            for level in sorted(levels):
                Escalation.objects.create(
                    service_request=sr,
                    step=steps[level],
                    level=level,
                    office=offices[office],
                    escalated_at=now,
                )
        dashboards.refresh_snapshot(now)
        readers = [
            make_user("prop_sup", role=Role.SUPERVISOR),
            make_user("prop_cleo", role=Role.SUPERVISOR, is_1367_cleared=True),
        ]
        later = now + dt.timedelta(minutes=5)  # read within the interval: the snapshot's time
        for reader in readers:
            for office in [
                None,
                *dashboards.dashboard_offices(reader).filter(code__in=OFFICE_CODES),
            ]:
                board = dashboards.dashboard(reader, office, now=later)
                assert board.as_of == now
                assert _shown(board) == _live(reader, office, now), (reader, office)
        transaction.set_rollback(True)
