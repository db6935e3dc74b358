"""The daily rollups (ADR 0048): events counted on their UTC day at the office holding the
request; the open stock as a running sum of open_delta; incremental refreshes that give
exactly the rows of a full rebuild."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, transaction

from srmt.accounts.choices import Role
from srmt.accounts.models import User
from srmt.offices.models import Office
from srmt.qa import services as qa
from srmt.qa.models import Assignment, Sample, SampleItem
from srmt.qa.tests.helpers import ALL_MET
from srmt.reporting.models import DailyRollup, DurationBucket, RollupState
from srmt.reporting.rollups import build, read, sql
from srmt.service_requests import core, services
from srmt.service_requests.lifecycle import OPEN_STATUSES
from srmt.service_requests.models import ServiceRequest, ServiceRequestType, StatusChange
from srmt.service_requests.requesters import RequesterData
from srmt.surveys import services as surveys
from srmt.surveys.models import Survey
from srmt.testing.factories import make_service_request, make_user
from srmt.testing.race import run_at_once

D0 = dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC)  # a Monday, 14:00 UTC


def on(n: int, hours: int = 0) -> dt.datetime:
    """n days after D0, plus `hours`."""
    return D0 + dt.timedelta(days=n, hours=hours)


def date(n: int) -> dt.date:
    return (D0 + dt.timedelta(days=n)).date()


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    with time_machine.travel(moment, tick=False):
        yield


Row = tuple[Any, ...]


def snapshot() -> tuple[list[Row], list[Row]]:
    cell = ("day", "office__code", "form", "type__code", "channel", "language")
    rollups = list(DailyRollup.objects.order_by(*cell).values_list(*cell, *sql.MEASURES))
    buckets = list(
        DurationBucket.objects.order_by(*cell, "measure", "days").values_list(
            *cell, "measure", "days", "count"
        )
    )
    return rollups, buckets


def measures(day: dt.date, office: str) -> dict[str, int]:
    """The non-zero measures of one office's rows of a day, summed."""
    totals: Counter[str] = Counter()
    for row in DailyRollup.objects.filter(day=day, office__code=office).values(*sql.MEASURES):
        totals.update(row)
    return {name: value for name, value in totals.items() if value}


def actually_open(end_of: dt.date) -> Counter[str]:
    """The oracle: open requests by office at the end of a UTC day, from the status history
    alone (the last move before midnight: its status and the office it left the request in)."""
    midnight = dt.datetime.combine(end_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    counts: Counter[str] = Counter()
    for sr in ServiceRequest.objects.filter(created_at__lt=midnight):
        last = (
            StatusChange.objects.filter(service_request=sr, created_at__lt=midnight)
            .select_related("to_office")
            .order_by("-created_at", "-id")
            .first()
        )
        assert last is not None
        assert last.to_office is not None
        if last.to_status in OPEN_STATUSES:
            counts[last.to_office.code] += 1
    return counts


def stock(end_of: dt.date) -> Counter[str]:
    """Open requests by office at the end of a day, read from the rollups."""
    codes = set(DailyRollup.objects.values_list("office__code", flat=True))
    counts = {code: read.open_at_end(end_of, office__code=code) for code in codes}
    return Counter({code: n for code, n in counts.items() if n})


@pytest.fixture
def admin(reference: None) -> User:
    return make_user("rollup_admin", role=Role.ADMINISTRATOR)


def request(admin: User, language: str = "es") -> ServiceRequest:
    return make_service_request(
        actor=admin,
        requester=RequesterData(name="Ana Pérez", email="ana@example.com", language=language),
    )


def transfer(sr: ServiceRequest, admin: User, office: str) -> None:
    services.transition_request(
        sr, actor=admin, to="transferred", reason="Theirs.", office_code=office
    )


def close(sr: ServiceRequest, admin: User) -> None:
    services.add_response(sr, actor=admin, kind="final", body="Your card was mailed today.")


def reopen(sr: ServiceRequest, admin: User) -> None:
    services.transition_request(sr, actor=admin, to="reopened", reason="It did not arrive.")


def merge(sr: ServiceRequest, admin: User, into: ServiceRequest) -> None:
    services.transition_request(
        sr, actor=admin, to="merged", reason="Same question.", duplicate_of=into.reference
    )


def history(admin: User) -> Iterator[dt.date]:
    """A short history with the real services, yielding after each day: A is transferred,
    answered, reopened and answered again; B is merged into A; C gets an initial response,
    is withdrawn... (every step of the lifecycle the rollups count)."""
    with at(on(0)):
        a = request(admin)
        b = request(admin, language="en")
    yield date(0)
    with at(on(1)):
        transfer(a, admin, "CSC")
        c = request(admin)
    yield date(1)
    with at(on(2)):
        close(a, admin)
        merge(b, admin, a)
        services.add_response(c, actor=admin, kind="initial", body="We are looking into it.")
    yield date(2)
    with at(on(3)):
        reopen(a, admin)
        transfer(c, admin, "NBC")
    yield date(3)
    with at(on(20)):  # after its due date
        close(a, admin)
        services.transition_request(c, actor=admin, to="withdrawn", reason="Customer asked.")
    yield date(20)


def test_each_event_counts_on_its_day_at_the_office_holding_the_request(admin: User) -> None:
    for _day in history(admin):
        pass
    build.rebuild()
    # day 0: two requests opened at ESC (routing of an I-130 receipt)
    assert measures(date(0), "ESC") == {"opened": 2, "open_delta": 2}
    # day 1: A leaves ESC for CSC; C opens at ESC
    assert measures(date(1), "ESC") == {"opened": 1, "transferred_out": 1}  # open_delta 0
    assert measures(date(1), "CSC") == {"transferred_in": 1, "open_delta": 1}
    # day 2: A answered and closed at CSC (first and final response on time, survey sent),
    # B merged at ESC, C answered at ESC (its first response)
    assert measures(date(2), "CSC") == {
        "closed": 1,
        "open_delta": -1,
        "responses_final": 1,
        "first_responses": 1,
        "first_on_time": 1,
        "final_responses": 1,
        "final_on_time": 1,
        "surveys_sent": 1,
    }
    assert measures(date(2), "ESC") == {
        "merged": 1,
        "open_delta": -1,
        "responses_initial": 1,
        "first_responses": 1,
        "first_on_time": 1,
    }
    # day 3: A reopened at CSC; C leaves ESC for NBC
    assert measures(date(3), "CSC") == {"reopened": 1, "open_delta": 1}
    assert measures(date(3), "ESC") == {"transferred_out": 1, "open_delta": -1}
    assert measures(date(3), "NBC") == {"transferred_in": 1, "open_delta": 1}
    # day 20: A closed again at CSC, late; C withdrawn at NBC
    assert measures(date(20), "CSC") == {
        "closed": 1,
        "open_delta": -1,
        "responses_final": 1,
        "final_responses": 1,
        "surveys_sent": 1,
    }
    assert measures(date(20), "NBC") == {"withdrawn": 1, "open_delta": -1}
    # the cells: form of the case, type, channel, the requester's language
    assert set(DailyRollup.objects.values_list("form", "type__code", "channel", "language")) == {
        ("I-130", "general_case_inquiry", "phone_tier1", "es"),
        ("I-130", "general_case_inquiry", "phone_tier1", "en"),
    }
    # the histograms: whole days from creation, on the day of the response / closure
    assert sorted(snapshot()[1]) == [
        (date(2), "CSC", "I-130", "general_case_inquiry", "phone_tier1", "es", "final", 2, 1),
        (date(2), "CSC", "I-130", "general_case_inquiry", "phone_tier1", "es", "first", 2, 1),
        (date(2), "ESC", "I-130", "general_case_inquiry", "phone_tier1", "es", "first", 1, 1),
        (date(20), "CSC", "I-130", "general_case_inquiry", "phone_tier1", "es", "final", 20, 1),
    ]


def test_refreshing_after_each_day_equals_a_rebuild_and_the_open_stock_is_exact(
    admin: User,
) -> None:
    days = []
    for day in history(admin):
        result = build.refresh()
        days.append(day)
        # the running sum of open_delta is the number of requests really open, by office
        for earlier in days:
            assert stock(earlier) == actually_open(earlier), earlier
        assert result.days >= 1
    incremental = snapshot()
    rebuilt = build.rebuild()
    assert snapshot() == incremental
    assert (rebuilt.full, rebuilt.days) == (True, 5)
    assert [stock(d) for d in days] == [
        Counter({"ESC": 2}),
        Counter({"ESC": 2, "CSC": 1}),
        Counter({"ESC": 1}),
        Counter({"CSC": 1, "NBC": 1}),
        Counter(),
    ]


def test_a_refresh_recomputes_only_the_days_touched(admin: User) -> None:
    with at(on(0)):
        a = request(admin)
    with at(on(1)):
        request(admin)
    first = build.refresh()  # the first refresh is a full rebuild
    assert (first.full, first.days) == (True, 2)
    before = snapshot()
    # nothing new: nothing recomputed, nothing written, nothing changed
    again = build.refresh()
    assert (again.full, again.days, again.rows) == (False, 0, 0)
    assert snapshot() == before
    # a response on day 5 touches day 5 only; earlier days keep their rows
    with at(on(5)):
        services.add_response(a, actor=admin, kind="initial", body="Still working on it.")
    touched = build.refresh()
    assert (touched.days, touched.rows) == (1, 2)  # its rollup row and its first-response bucket
    assert snapshot()[0][:2] == before[0]
    assert measures(date(5), "ESC") == {
        "responses_initial": 1,
        "first_responses": 1,
        "first_on_time": 1,
    }
    state = RollupState.objects.get()
    assert state.watermarks["response"] == a.responses.get().pk


def test_a_survey_answer_touches_its_day(admin: User) -> None:
    with at(on(0)):
        a = request(admin)
    with at(on(1)):
        close(a, admin)
    build.refresh()
    survey = Survey.objects.get(service_request=a)
    with at(on(2)):
        surveys.answer(surveys.token_for(survey), rating=4)
    result = build.refresh()
    assert result.days == 1
    assert measures(date(2), "ESC") == {
        "surveys_answered": 1,
        "surveys_satisfied": 1,
        "rating_total": 4,
    }
    assert RollupState.objects.get().watermarks[build.ANSWERED] == on(2).isoformat()


def test_qa_evaluations_count_on_their_day(admin: User) -> None:
    with at(on(0)):
        a = request(admin)
    with at(on(1)):
        close(a, admin)
    build.refresh()
    reviewer = make_user("rollup_qa", role=Role.QA_REVIEWER, offices=["HQ-SCOPS"])
    sample = Sample.objects.create(week="2026-W10", seed=1, frame=[], created_at=on(1))
    item = SampleItem.objects.create(
        sample=sample,
        service_request=a,
        office=a.office,
        type=a.type,
        response=a.responses.get(),
    )
    assignment = Assignment.objects.create(item=item, reviewer=reviewer, created_at=on(1))
    with at(on(3)):
        scores = {code: qa.ScoreInput(value) for code, value in ALL_MET.items()}
        qa.submit_evaluation(assignment, actor=reviewer, scores=scores)
    assert build.refresh().days == 1
    assert measures(date(3), "ESC") == {"qa_evaluated": 1, "qa_passed": 1}


def test_a_back_dated_transfer_moves_the_later_events_of_its_request(admin: User) -> None:
    # given a request of day 0 with a survey sent on day 2 (an event that moves nothing)
    with at(on(0)):
        a = request(admin)
    surveys.send(a, actor=admin, at=on(2))
    build.refresh()
    assert measures(date(2), "ESC") == {"surveys_sent": 1}
    # when a transfer to CSC is recorded on day 3 but dated day 1 (core.move's `at`)
    with at(on(3)):
        sr = core.lock(a)
        sr.office = Office.objects.get(code="CSC")
        core.move(
            sr,
            "transferred",
            actor=admin,
            reason="Late entry.",
            from_office=Office.objects.get(code="ESC"),
            at=on(1),
        )
    result = build.refresh()
    # then the refresh recomputes day 1 and the request's later day 2: the survey is CSC's
    assert result.days == 2
    assert measures(date(2), "CSC") == {"surveys_sent": 1}
    assert measures(date(2), "ESC") == {}
    incremental = snapshot()
    build.rebuild()
    assert snapshot() == incremental


@pytest.mark.parametrize(
    ("seconds", "days"),
    [(0, 0), (86_399, 0), (86_400, 1), (15 * 86_400 + 5, 15), (400 * 86_400, 366)],
)
def test_durations_are_whole_days_capped(admin: User, seconds: int, days: int) -> None:
    with at(on(0)):
        a = request(admin)
    with at(on(0) + dt.timedelta(seconds=seconds)):
        services.add_response(a, actor=admin, kind="initial", body="We are on it.")
    build.rebuild()
    assert list(DurationBucket.objects.values_list("measure", "days", "count")) == [
        ("first", days, 1)
    ]


def test_the_command_prints_a_summary(admin: User) -> None:
    with at(on(0)):
        request(admin)
    out = StringIO()
    call_command("rollup", "--full", stdout=out)
    assert out.getvalue().startswith("Rollup full rebuild: 1 day(s) recomputed, 1 row(s) written")
    out = StringIO()
    call_command("rollup", stdout=out)
    assert out.getvalue().startswith("Rollup refresh: 0 day(s) recomputed, 0 row(s) written")


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_serialize(reference: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    admin = make_user("rollup_admin_race", role=Role.ADMINISTRATOR)
    with at(on(0)):
        request(admin)
    build.rebuild()
    with at(on(1)):
        request(admin)
        request(admin)
    results = run_at_once(lambda _ready: build.refresh())
    # one recomputed the new day; the other waited for the lock and found nothing new
    assert sorted((r.days, r.rows) for r in results) == [(0, 0), (1, 1)]
    incremental = snapshot()
    build.rebuild()
    assert snapshot() == incremental
    assert read.open_at_end(date(1)) == 3


def schema(table: str) -> tuple[list[Row], list[Row], str, list[Row]]:
    """A table's indexes and constraints (names and definitions), its id sequence and its
    columns (in order: name, type, NOT NULL, identity, default)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table]
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass ORDER BY 1",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "a.attidentity, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY a.attnum",
            [table],
        )
        return indexes, constraints, sequence, cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_two_rebuilds_at_once_swap_in_whole_tables_with_the_same_schema(reference: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the tables are swapped on PostgreSQL only")
    admin = make_user("rollup_admin_swap", role=Role.ADMINISTRATOR)
    with at(on(0)):
        a = request(admin)
        request(admin, language="en")
    with at(on(1)):
        close(a, admin)
    tables = (DailyRollup._meta.db_table, DurationBucket._meta.db_table)
    before = [schema(name) for name in tables]
    assert len(before[0][0]) == 4
    assert len(before[0][1]) == 27  # 23 checks, 2 foreign keys, unique, primary key
    assert before[0][3][:2] == [("id", "bigint", True, "d", None), ("day", "date", True, "", None)]
    assert len(before[0][3]) == 31
    assert all(column[2] for column in before[0][3])  # every column NOT NULL
    build.rebuild()
    first = snapshot()
    results = run_at_once(lambda _ready: build.rebuild())
    # both ran whole, one after the other (the state row's lock), and left the same rows
    rows = DailyRollup.objects.count() + DurationBucket.objects.count()
    assert rows == 5
    assert [(r.full, r.days, r.rows) for r in results] == [(True, 2, rows)] * 2
    assert snapshot() == first
    assert [schema(name) for name in tables] == before
    # no working or new table is left behind
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname LIKE 'rollup%%' AND relkind = 'r' "
            "OR relname LIKE 'reporting_%%_next%%'"
        )
        assert cursor.fetchall() == []
    with at(on(2)):
        request(admin)
    assert build.refresh().rows == 1  # the refresh writes into the swapped-in table


def leftovers() -> list[str]:
    """The working tables, parts, views and new tables of a build still in the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind IN ('r', 'v') AND (relname LIKE "
            "'rollup%%' OR relname LIKE '%%\\_next') ORDER BY relname"
        )
        return [name for (name,) in cursor.fetchall()]


def history_in_three_offices(admin: User) -> None:
    with at(on(0)):
        made_at = [request(admin) for _ in range(6)]
    with at(on(1)):
        transfer(made_at[0], admin, "CSC")
        transfer(made_at[3], admin, "NSC")
        close(made_at[1], admin)
    with at(on(2)):
        transfer(made_at[3], admin, "CSC")
        close(made_at[0], admin)
        services.add_response(made_at[3], actor=admin, kind="initial", body="We are on it.")


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_in_its_own_transaction_makes_its_tables_apart_with_the_same_rows(
    reference: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the tables are made apart on PostgreSQL only")
    made: list[int] = []
    in_parts = build._moves_in_parts

    def spy(cursor: Any) -> int:
        made.append(in_parts(cursor))
        return made[-1]

    monkeypatch.setattr(build, "_moves_in_parts", spy)
    history_in_three_offices(make_user("rollup_admin_parts", role=Role.ADMINISTRATOR))
    build.rebuild()  # outside any transaction: the tables made on other connections
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        processes = int(cursor.fetchone()[0]) + 1
    assert made == [processes]
    apart = snapshot()
    assert measures(date(1), "CSC") == {"transferred_in": 1, "open_delta": 1}
    assert measures(date(2), "CSC") == {
        "transferred_in": 1,
        "closed": 1,
        "final_responses": 1,
        "final_on_time": 1,
        "responses_final": 1,
        "responses_initial": 1,
        "first_responses": 2,  # the closure's final response was the first to one of them
        "first_on_time": 2,
        "surveys_sent": 1,
    }
    assert leftovers() == []
    with transaction.atomic():  # inside a caller's transaction: on this connection alone
        build.rebuild()
    assert len(made) == 1
    assert snapshot() == apart
    assert leftovers() == []


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_apart_that_fails_changes_nothing_and_leaves_no_table(
    reference: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the tables are made apart on PostgreSQL only")
    history_in_three_offices(make_user("rollup_admin_fails", role=Role.ADMINISTRATOR))
    build.rebuild()
    before = snapshot()
    state = RollupState.objects.values_list("watermarks", "refreshed_at").get()
    assert before[0] != []
    finals = sql.pg_finals

    def failing(connection: Any) -> list[tuple[str, str]]:
        (rollup, select), (bucket, rows) = finals(connection)
        # the second one fails once it reads its rows
        return [(rollup, select), (bucket, f"SELECT * FROM ({rows}) b WHERE 1 / (b.id - b.id) = 0")]

    monkeypatch.setattr(sql, "pg_finals", failing)
    with pytest.raises(Exception, match="division by zero"):
        build.rebuild()
    assert snapshot() == before
    assert RollupState.objects.values_list("watermarks", "refreshed_at").get() == state
    assert leftovers() == []


def grants(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT grantee, privilege_type FROM information_schema.role_table_grants "
            "WHERE table_name = %s AND grantee <> current_user ORDER BY 1, 2",
            [table],
        )
        return cursor.fetchall()


def test_a_move_recorded_without_its_destination_counts_the_same_built_or_refreshed(
    admin: User,
) -> None:
    """A move with an origin and no destination written (history kept before offices were
    recorded on every move) leaves the request in its office: it opens there and leaves the
    origin. The full build leaves out the events that count nothing (ADR 0048, revision 7);
    this one counts -1 at its origin and nothing else, and must stay."""
    with at(on(0)):
        sr = request(admin)
    build.rebuild()
    origin = Office.objects.exclude(pk=sr.office_id).order_by("code").first()
    assert origin is not None
    with at(on(1)):
        StatusChange.objects.create(
            service_request=sr,
            from_status="received",
            to_status="assigned",
            actor=admin,
            from_office=origin,
            to_office=None,
            created_at=on(1),
        )
    build.refresh()  # the new move's counts added by the incremental path
    refreshed = snapshot()
    assert measures(date(1), origin.code) == {"open_delta": -1}
    assert measures(date(1), sr.office.code) == {"open_delta": 1}
    build.rebuild()
    assert snapshot() == refreshed


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_keeps_the_privileges_other_roles_hold_on_the_rollups(
    reference: None,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the tables are swapped on PostgreSQL only")
    table = DailyRollup._meta.db_table
    role = "srmt_test_rollup_reader"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {role}")
        cursor.execute(f"CREATE ROLE {role}")
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"GRANT SELECT ON {table} TO {role}")
            cursor.execute(f"GRANT INSERT ON {table} TO {role} WITH GRANT OPTION")
        before = grants(table)
        assert before == [(role, "INSERT"), (role, "SELECT")]
        build.rebuild()
        assert grants(table) == before
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT is_grantable FROM information_schema.role_table_grants "
                "WHERE table_name = %s AND grantee = %s AND privilege_type = 'INSERT'",
                [table, role],
            )
            assert cursor.fetchall() == [("YES",)]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"REVOKE ALL ON {table} FROM {role}")
            cursor.execute(f"DROP ROLE {role}")


def test_a_request_moved_the_instant_it_was_made_opens_where_it_was_made(admin: User) -> None:
    # found by the property test: creation and a transfer recorded at the same instant
    assert build.refresh().full  # nothing yet: the next refresh is incremental
    with at(on(0)):
        a = request(admin)
        transfer(a, admin, "CSC")
    assert not build.refresh().full
    assert measures(date(0), "ESC") == {"opened": 1, "transferred_out": 1}
    assert measures(date(0), "CSC") == {"transferred_in": 1, "open_delta": 1}
    assert stock(date(0)) == actually_open(date(0)) == Counter({"CSC": 1})
    with at(on(1)):
        close(a, admin)
    build.refresh()
    incremental = snapshot()  # the rebuild places the creation the same way
    build.rebuild()
    assert snapshot() == incremental


def test_the_command_repeats_with_every(admin: User, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a loop stopped (like Ctrl-C) at its second pause, and a request made meanwhile
    with at(on(0)):
        request(admin)
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 1:
            with at(on(1)):
                request(admin)
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr("srmt.reporting.management.commands.rollup.time.sleep", sleep)
    out = StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("rollup", "--full", every=60, stdout=out)
    # then it rebuilt once, then refreshed the one new day
    assert pauses == [60, 60]
    assert [line.split(":")[0] for line in out.getvalue().splitlines()] == [
        "Rollup full rebuild",
        "Rollup refresh",
    ]
    assert "1 day(s) recomputed, 1 row(s) written" in out.getvalue().splitlines()[1]


def test_a_new_event_is_added_to_the_cell_already_rolled_up(admin: User) -> None:
    with at(on(0)):
        request(admin)
        request(admin)
    build.refresh()
    row = DailyRollup.objects.get()
    assert (row.opened, row.open_delta) == (2, 2)
    # when a third request of the same cell is recorded later on the same day
    with at(on(0, hours=3)):
        request(admin)
    result = build.refresh()
    # then its counts are added to the row that was there (no day is recomputed)
    assert (result.days, result.rows) == (1, 1)
    again = DailyRollup.objects.get()
    assert (again.pk, again.opened, again.open_delta) == (row.pk, 3, 3)
    incremental = snapshot()
    build.rebuild()
    assert snapshot() == incremental


def _awaiting_customer(sr: ServiceRequest, admin: User, days: int) -> None:
    """Wait for the customer from now for `days` days (the due dates are pushed back)."""
    services.transition_request(sr, actor=admin, to="awaiting_customer", reason="Need a copy.")
    sr.refresh_from_db()
    with at(timezone_now() + dt.timedelta(days=days)):
        services.transition_request(sr, actor=admin, to="in_progress", reason="It arrived.")


def timezone_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.mark.parametrize(
    ("how", "now_on_time", "days"),
    [
        # a restarted clock counts both due dates again; the transfer counts on day 102
        ("transfer restarting the clock", {"first_on_time": 1, "final_on_time": 1}, 2),
        # a pause pushes the final due date (the first response's was met: it stays); moves
        # between two open statuses in one office count nothing on their days
        ("return from the customer", {"final_on_time": 1}, 1),
    ],
)
def test_a_move_that_changes_the_due_dates_recounts_the_earlier_on_time_flags(
    admin: User, how: str, now_on_time: dict[str, int], days: int
) -> None:
    # given a request answered and closed late on day 100 (first and final response), then
    # reopened on day 101
    ServiceRequestType.objects.filter(code="general_case_inquiry").update(
        restarts_clock_on_transfer=True
    )
    with at(on(0)):
        a = request(admin)
    with at(on(100)):
        close(a, admin)
    with at(on(101)):
        reopen(a, admin)
    build.refresh()
    late = {
        "closed": 1,
        "final_responses": 1,
        "first_responses": 1,
        "open_delta": -1,
        "responses_final": 1,
        "surveys_sent": 1,
    }
    assert measures(date(100), "ESC") == late
    # when a move on day 102 pushes both due dates past day 100
    with at(on(102)):
        if how.startswith("transfer"):
            transfer(a, admin, "CSC")
        else:
            _awaiting_customer(a, admin, days=200)
    result = build.refresh()
    # then day 100 is recomputed with the new due dates
    assert measures(date(100), "ESC") == {**late, **now_on_time}
    assert result.days == days
    incremental = snapshot()
    build.rebuild()
    assert snapshot() == incremental


@pytest.mark.parametrize(
    ("table", "server", "expected"),
    [
        # the buckets' events hardly group in a worker: one process, and no JIT (one count)
        ("bucket", 2, {"max_parallel_workers_per_gather": "0", "jit": "off"}),
        ("bucket", 8, {"max_parallel_workers_per_gather": "0", "jit": "off"}),
        # the server's workers but the buckets' process; JIT as the build has it (on)
        ("rollup", 2, {"max_parallel_workers_per_gather": "1"}),
        ("rollup", 4, {"max_parallel_workers_per_gather": "3"}),
        ("rollup", 1, {"max_parallel_workers_per_gather": "1"}),  # one while the server allows any
        ("rollup", 0, {"max_parallel_workers_per_gather": "0"}),  # none when it allows none
    ],
)
def test_the_two_new_tables_made_at_once_share_the_processes(
    table: str, server: int, expected: dict[str, str]
) -> None:
    live = getattr(sql.tables(), table)
    assert dict(build._final_settings(live, server)) == expected
