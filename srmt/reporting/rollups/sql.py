"""The SQL that fills the rollups from the base tables (ADR 0048). Database plumbing only.

One statement fills `DailyRollup` and one fills `DurationBucket` for a range of UTC days (or
for all days): a UNION ALL of every event family (requests created, status moves on both
offices' sides, responses, first responses, escalations, QA evaluations, surveys sent and
answered), each event placed at the office that held its request at the event's time, then
joined once to the request's cell (form, type, channel, language) and grouped. The same
event families serve the full rebuild (every event), the recompute of a range of days, and
the refresh's upsert of the new events (`Delta`), so all give the same rows. Portable:
PostgreSQL and SQLite differ only in the day of a timestamp and in whole seconds between two
(`Dialect`); on PostgreSQL the full build has its own statements (`pg_work_tables`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper

from srmt.service_requests.choices import ResponseKind, Status
from srmt.service_requests.lifecycle import OPEN_STATUSES

# The additive measures of DailyRollup, in the order of the INSERT.
MEASURES: tuple[str, ...] = (
    "opened",
    "repeats",
    "reopened",
    "closed",
    "redirected",
    "withdrawn",
    "merged",
    "transferred_in",
    "transferred_out",
    "escalated",
    "open_delta",
    "responses_initial",
    "responses_follow_up",
    "responses_final",
    "first_responses",
    "first_on_time",
    "final_responses",
    "final_on_time",
    "qa_evaluated",
    "qa_passed",
    "surveys_sent",
    "surveys_answered",
    "surveys_satisfied",
    "rating_total",
)
# The grouped events' sums of every measure, and the test keeping a cell (one not all zero).
_SUMS = ", ".join(f"SUM(e.{m}) AS {m}" for m in MEASURES)
_NONZERO = " OR ".join(f"SUM(e.{m}) <> 0" for m in MEASURES)
CELL = ("day", "office_id", "form", "type_id", "channel", "language")
MAX_DAYS = 366  # DurationBucket.MAX_DAYS (kept here so this module imports no model)
SATISFIED_FROM = 4  # a rating of 4 or 5
PASSING_RESULTS = ("pass",)  # qa.models.Result.PASS


def table(label: str) -> str:
    """The table of a model ("app.Model"), by the app registry (no import of its app)."""
    return str(apps.get_model(label)._meta.db_table)


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in sorted(values)) + ")"


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


@dataclass(frozen=True)
class Dialect:
    vendor: str

    def day(self, column: str) -> str:
        """The UTC day of a timestamp column, as a date."""
        if self.vendor == "postgresql":
            return f"CAST(({column}) AT TIME ZONE 'UTC' AS date)"
        return f"date({column})"

    def epoch(self, column: str) -> str:
        """Whole seconds since 1970 (fractions dropped), an integer."""
        if self.vendor == "postgresql":
            # date_part gives a double (EXTRACT a numeric, twice the cost): exact here, as
            # doubles near 2 x 10^9 seconds are 2^-22 s apart, finer than a microsecond
            return f"CAST(FLOOR(date_part('epoch', {column})) AS bigint)"
        return f"CAST(strftime('%%s', {column}) AS INTEGER)"

    def whole_days(self, end: str, start: str) -> str:
        """Whole days from start to end (floor of seconds / 86400), 0 to MAX_DAYS."""
        seconds = f"({self.epoch(end)} - {self.epoch(start)})"
        if self.vendor == "postgresql":
            return f"LEAST(GREATEST({seconds}, 0) / 86400, {MAX_DAYS})"
        return f"MIN(MAX({seconds}, 0) / 86400, {MAX_DAYS})"


def dialect_of(connection: BaseDatabaseWrapper) -> Dialect:
    return Dialect(connection.vendor)


@dataclass(frozen=True)
class Tables:
    request: str
    change: str
    response: str
    escalation: str
    survey: str
    evaluation: str
    assignment: str
    item: str
    person: str
    case: str
    form: str
    rollup: str
    bucket: str


def tables() -> Tables:
    return Tables(
        request=table("service_requests.ServiceRequest"),
        change=table("service_requests.StatusChange"),
        response=table("service_requests.Response"),
        escalation=table("service_requests.Escalation"),
        survey=table("surveys.Survey"),
        evaluation=table("qa.Evaluation"),
        assignment=table("qa.Assignment"),
        item=table("qa.SampleItem"),
        person=table("cases.Person"),
        case=table("cases.Case"),
        form=table("offices.FormType"),
        rollup=table("reporting.DailyRollup"),
        bucket=table("reporting.DurationBucket"),
    )


def _office_before_history(t: Tables, request: str) -> str:
    """Where a request was before its first move: that move's origin, else (no history) the
    office it is in."""
    return (
        f"(SELECT h2.from_office_id FROM {t.change} h2 WHERE h2.service_request_id = {request} "
        "AND h2.from_office_id IS NOT NULL ORDER BY h2.created_at, h2.id LIMIT 1), "
        f"(SELECT r0.office_id FROM {t.request} r0 WHERE r0.id = {request})"
    )


def office_at(t: Tables, request: str, moment: str) -> str:
    """The office holding `request` at `moment`: the office the last move up to then left it
    in (ties on the time: the larger id); before any move, `_office_before_history`. A
    correlated subquery: for a range of days, where few events are placed."""
    return (
        "COALESCE("
        f"(SELECT h1.to_office_id FROM {t.change} h1 WHERE h1.service_request_id = {request} "
        f"AND h1.to_office_id IS NOT NULL AND h1.created_at <= {moment} "
        "ORDER BY h1.created_at DESC, h1.id DESC LIMIT 1), "
        f"{_office_before_history(t, request)})"
    )


def first_office(t: Tables, request: str) -> str:
    """The office a request was created in: its first move's (the intake's) `to_office`, or
    the origin of its first move when intake wrote none; else its office. Not "the office at
    the creation time": a move recorded at the same instant would win that tie."""
    return (
        "COALESCE("
        f"(SELECT {_FIRST_OFFICE.format(h='h0')} FROM {t.change} h0 "
        f"WHERE h0.service_request_id = {request} ORDER BY h0.created_at, h0.id LIMIT 1), "
        f"(SELECT r1.office_id FROM {t.request} r1 WHERE r1.id = {request}))"
    )


_FIRST_OFFICE = "CASE WHEN {h}.from_status = '' THEN {h}.to_office_id ELSE {h}.from_office_id END"


# The full rebuild's working tables (temporary: this connection only), made once and read by
# both statements.
SPANS = "rollup_office_spans"
FIRSTS = "rollup_first_offices"
CELL_KEYS = "rollup_cell_keys"
REQUEST_CELLS = "rollup_request_cells"
WORK_TABLES = (SPANS, FIRSTS, CELL_KEYS, REQUEST_CELLS)


def _request_cells_from(t: Tables) -> str:
    return (
        f"FROM {t.request} q JOIN {t.person} p ON p.id = q.requester_id "
        f"LEFT JOIN {t.case} k ON k.id = q.case_id "
        f"LEFT JOIN {t.form} f ON f.id = k.form_type_id"
    )


def work_tables(t: Tables) -> list[tuple[str, str]]:
    """(name, SELECT) of the full rebuild's working tables, which both statements read:

    - SPANS: each move's office, held from the move until the request's next move;
    - FIRSTS: each request's first office (its first move's, see `first_office`);
    - CELL_KEYS: a small number for each cell (form, type, channel, language) in use;
    - REQUEST_CELLS: each request's cell number.

    Events are placed by a join to SPANS (not a correlated subquery per event), grouped by
    day, office and cell number (one narrow join instead of four wide ones), and the cell
    numbers turned back into their fields on the grouped rows. SQLite makes them temporary
    tables; PostgreSQL has its own (`pg_work_tables`)."""
    cell = "COALESCE(f.code, '') AS form, q.type_id, q.channel, p.language"
    return [
        (
            SPANS,
            "SELECT h.service_request_id AS rid, h.to_office_id AS office_id, "
            "h.created_at AS since, LEAD(h.created_at) OVER (PARTITION BY "
            "h.service_request_id ORDER BY h.created_at, h.id) AS until "
            f"FROM {t.change} h WHERE h.to_office_id IS NOT NULL",
        ),
        (
            FIRSTS,
            f"SELECT m.rid, {_FIRST_OFFICE.format(h='m')} AS office_id "
            "FROM (SELECT h.service_request_id AS rid, h.from_status, h.from_office_id, "
            "h.to_office_id, ROW_NUMBER() OVER (PARTITION BY h.service_request_id "
            f"ORDER BY h.created_at, h.id) AS n FROM {t.change} h) m WHERE m.n = 1",
        ),
        (
            CELL_KEYS,
            "SELECT ROW_NUMBER() OVER (ORDER BY d.form, d.type_id, d.channel, d.language) "
            "AS cell, d.form, d.type_id, d.channel, d.language "
            f"FROM (SELECT DISTINCT {cell} {_request_cells_from(t)}) d",
        ),
        (
            REQUEST_CELLS,
            f"SELECT q.id AS rid, c.cell {_request_cells_from(t)} JOIN {CELL_KEYS} c "
            "ON c.form = COALESCE(f.code, '') AND c.type_id = q.type_id "
            "AND c.channel = q.channel AND c.language = p.language",
        ),
    ]


# The PostgreSQL full build's working tables (ADR 0048, revision 3): UNLOGGED (parallel workers
# cannot read temporary tables), made and dropped in the build's transaction.
PG_MOVES = "rollup_w_moves"
PG_REQUESTS = "rollup_w_requests"
PG_SPANS = "rollup_w_spans"
PG_WORK_TABLES = (PG_MOVES, CELL_KEYS, PG_REQUESTS, PG_SPANS)
# The request's columns the families read (`_families`, `_bucket_families`), copied into
# PG_REQUESTS under their own names: the families then read PG_REQUESTS in place of the
# request table, and a status change is joined to one table (its request's row there: cell,
# office, due dates), not to the request table and then to PG_REQUESTS.
REQUEST_COLUMNS = (
    "office_id",
    "created_at",
    "due_at",
    "repeat_of_id",
    "first_responded_at",
    "first_response_due_at",
)


def pg_work_tables() -> list[tuple[str, str]]:
    """PostgreSQL: (name, SELECT) of the full build's working tables, in order. Each is made by
    `CREATE UNLOGGED TABLE ... AS SELECT`, which PostgreSQL runs with parallel workers (an
    INSERT ... SELECT or a data-modifying CTE runs on one core):

    - PG_MOVES: every status change in its request's order (one sort, one window pass): the
      office it leaves the request in (`office_id`), from `since` until the request's next
      move with an office (`until`); its rank `n`; the office a first move gives
      (`first_office`, see `first_office`), whether it is the first move with an origin
      (`first_from`, see `_office_before_history`), and its request's lowest and highest
      office (`lo`, `hi`);
    - CELL_KEYS: each cell (form, type, channel, language) in use, its number and its key;
    - PG_REQUESTS: each request's cell number, the office it was created in and the office
      holding it before its history (both as the correlated subqueries give them), whether
      it stayed in that one office (`sole`, see `_SOLE`), and the request's columns the
      families read (REQUEST_COLUMNS);
    - PG_SPANS: the office spans of the requests that did not stay in one office, which
      place their events (the others' are at `before`).

    The rollup tables' new rows are then grouped from them (`pg_finals`).
    """
    t = tables()

    # the cells in use, numbered (a parallel DISTINCT over the requests, then a few thousand
    # rows ranked), and each request's cell number by a hash join to them on one key: not by
    # ranking the requests (a window function: one process sorting every request). The key
    # is one to one: type, channel and language (choices, no '|') before the form's code.
    def key(form: str, type_id: str, channel: str, language: str) -> str:
        return f"{type_id} || '|' || {channel} || '|' || {language} || '|' || {form}"

    cells = (
        "SELECT ROW_NUMBER() OVER (ORDER BY d.form, d.type_id, d.channel, d.language) AS cell, "
        f"{key('d.form', 'd.type_id', 'd.channel', 'd.language')} AS key, d.form, d.type_id, "
        "d.channel, d.language FROM (SELECT DISTINCT COALESCE(f.code, '') AS form, q.type_id, "
        f"q.channel, p.language {_request_cells_from(t)}) d"
    )
    request_key = key("COALESCE(f.code, '')", "q.type_id", "q.channel", "p.language")
    requests = (
        f"SELECT q.id, c.cell, {', '.join(f'q.{c}' for c in REQUEST_COLUMNS)}, "
        "COALESCE(m1.first_office, q.office_id) AS created_in, "
        f"COALESCE(m2.from_office_id, q.office_id) AS before, {_SOLE} AS sole "
        f"{_request_cells_from(t)} "
        f"JOIN {CELL_KEYS} c ON c.key = {request_key} "
        f"LEFT JOIN {PG_MOVES} m1 ON m1.rid = q.id AND m1.n = 1 "
        f"LEFT JOIN {PG_MOVES} m2 ON m2.rid = q.id AND m2.first_from"
    )
    spans = (
        f"SELECT m.rid, m.office_id, m.since, m.until FROM {PG_MOVES} m JOIN {PG_REQUESTS} r "
        "ON r.id = m.rid AND NOT r.sole WHERE m.office_id IS NOT NULL"
    )
    return [
        (PG_MOVES, pg_moves()),
        (CELL_KEYS, cells),
        (PG_REQUESTS, requests),
        (PG_SPANS, spans),
    ]


def pg_moves(low: int | None = None, high: int | None = None) -> str:
    """PostgreSQL: the SELECT of PG_MOVES (`pg_work_tables`), or of its part holding the
    requests with an id from `low` to `high` (both included): the full build may make the
    parts at once, each on its own connection (`build._moves_in_parts`), since no parallel
    plan runs a window function in more than one process."""
    t = tables()
    # two frames over one order (one sort): from the start to the row, after the row; the
    # request's lowest and highest office (`lo`, `hi`) over both (a third frame, the whole
    # request, would be a third pass over every row: 25 s more at 10 million)
    lowest = "LEAST(h.to_office_id, h.from_office_id)"
    highest = "GREATEST(h.to_office_id, h.from_office_id)"
    order = "PARTITION BY h.service_request_id ORDER BY h.created_at, h.id"
    where = ""
    if low is not None and high is not None:
        where = f"WHERE h.service_request_id BETWEEN {int(low)} AND {int(high)} "
    return (
        "SELECT h.service_request_id AS rid, h.to_office_id AS office_id, "
        "h.created_at AS since, MIN(h.created_at) FILTER (WHERE h.to_office_id IS NOT NULL) "
        "OVER later AS until, ROW_NUMBER() OVER upto AS n, "
        f"{_FIRST_OFFICE.format(h='h')} AS first_office, h.from_office_id, "
        "h.from_office_id IS NOT NULL AND COUNT(h.from_office_id) OVER upto = 1 AS first_from, "
        f"LEAST(MIN({lowest}) OVER upto, MIN({lowest}) OVER later) AS lo, "
        f"GREATEST(MAX({highest}) OVER upto, MAX({highest}) OVER later) AS hi "
        f"FROM {t.change} h {where}WINDOW upto AS ({order} ROWS UNBOUNDED PRECEDING), "
        f"later AS ({order} ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)"
    )


# Whether a request is in one office all its life (PG_REQUESTS.sole): no move, no office on
# its moves, or one office on every move (origins and destinations) and before them (an
# origin written, or the request's office). Its events are at its office before history
# (`before`), with no search of its moves' spans: nine requests in ten at 10 million.
_SOLE = (
    "(m1.lo IS NULL OR (m1.lo = m1.hi AND (m2.rid IS NOT NULL "
    "OR q.office_id IS NOT DISTINCT FROM m1.lo)))"
)


def _pg_events(
    t: Tables, d: Dialect, families: list[Family], columns: list[str], *, counted: bool = False
) -> str:
    """PostgreSQL full build: every event of `families` with its day, office and cell number,
    and `columns`. Each family is joined to the requests (its cell; the office it was created
    in; a family of the requests' working table has them at hand); the events held by their
    request's office are appended first and placed together by one join to the spans (the
    span holding the event's time; before any, or for a request that stayed in one office,
    the office before history). All three grouping columns come from this one UNION ALL, so
    the planner estimates the groups from it (a tenth of its rows, not one per event) and
    groups in each parallel worker first. With `counted` (the columns are counts), an event
    that counts nothing (every measure 0) is left out before it is placed and grouped: two
    moves in three at 10 million requests (an open request moving on within one office)."""
    parts, held, held_own = [], [], []
    for family in families:
        values = ", ".join(f"{family.measures.get(m, '0')} AS {m}" for m in columns)
        conditions = [family.where] if family.where else []
        counts = [family.measures[m] for m in columns if m in family.measures]
        if counted and "1" not in counts:
            conditions.append("(" + " OR ".join(f"{count} <> 0" for count in counts) + ")")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        # a family reading PG_REQUESTS (as `s`) has its request's cell at hand: no join
        own = f"{PG_REQUESTS} s" in family.source
        if family.office == HELD:
            event = f"SELECT {family.request} AS rid, {family.moment} AS at, "
            event += f"{d.day(family.moment)} AS day, "
            if own:
                held_own.append(f"{event}s.before, s.cell, {values} FROM {family.source}{where}")
            else:
                held.append(f"{event}{values} FROM {family.source}{where}")
            continue
        source, alias = family.source, "s"
        if not own:
            source, alias = f"{source} JOIN {PG_REQUESTS} r ON r.id = {family.request}", "r"
        office = f"{alias}.created_in" if family.office == CREATED else family.office
        parts.append(
            f"SELECT {d.day(family.moment)} AS day, {office} AS office_id, {alias}.cell, "
            f"{values} FROM {source}{where}"
        )
    if held:
        held_own.insert(
            0,
            "SELECT a.rid, a.at, a.day, r.before, r.cell, "
            f"{', '.join(f'a.{m}' for m in columns)} FROM ({' UNION ALL '.join(held)}) a "
            f"JOIN {PG_REQUESTS} r ON r.id = a.rid",
        )
    if held_own:
        parts.append(
            "SELECT a.day, COALESCE(w.office_id, a.before) AS office_id, a.cell, "
            f"{', '.join(f'a.{m}' for m in columns)} FROM ({' UNION ALL '.join(held_own)}) a "
            f"LEFT JOIN {PG_SPANS} w ON w.rid = a.rid "
            "AND w.since <= a.at AND (w.until IS NULL OR a.at < w.until)"
        )
    return " UNION ALL ".join(parts)


def pg_finals(connection: BaseDatabaseWrapper) -> list[tuple[str, str]]:
    """PostgreSQL full build: (rollup table, SELECT of its new rows) of both rollup tables,
    read from the working tables (`pg_work_tables`): the events grouped by day, office and
    cell number (each parallel worker groups its share, the leader merges the groups), the
    cell numbers turned back into the cell's fields, and each row numbered (`id`). The new
    table is made from it by `CREATE TABLE ... AS` (build._build_and_swap)."""
    t, d = tables(), dialect_of(connection)
    # the families read the requests' columns from PG_REQUESTS (one join for each event)
    r = replace(t, request=PG_REQUESTS)
    events = _pg_events(t, d, _families(r, d), list(MEASURES), counted=True)
    rollup = (
        f"SELECT e.day, e.office_id, e.cell, {_SUMS} FROM ({events}) e "
        f"GROUP BY e.day, e.office_id, e.cell HAVING {_NONZERO}"
    )
    events = _pg_events(t, d, _bucket_families(r, d), ["measure", "days"])
    bucket = (
        "SELECT e.day, e.office_id, e.cell, e.measure, e.days, COUNT(*) AS count "
        f"FROM ({events}) e GROUP BY e.day, e.office_id, e.cell, e.measure, e.days"
    )
    cells = (
        "ROW_NUMBER() OVER () AS id, g.day, g.office_id, c.form, c.type_id, c.channel, c.language"
    )
    return [
        (
            t.rollup,
            f"SELECT {cells}, {', '.join(f'g.{m}' for m in MEASURES)} FROM ({rollup}) g "
            f"JOIN {CELL_KEYS} c ON c.cell = g.cell",
        ),
        (
            t.bucket,
            f"SELECT {cells}, g.measure, g.days, g.count FROM ({bucket}) g "
            f"JOIN {CELL_KEYS} c ON c.cell = g.cell",
        ),
    ]


def _placed(
    t: Tables, request: str, moment: str, *, placement: str, spans: bool
) -> tuple[str, str]:
    """(a join to add to the source, the office expression) placing an event (HELD or
    CREATED): by the working tables (full rebuild) or by correlated subqueries (a range of
    days, new rows). Both give the same."""
    if placement == CREATED:
        if not spans:
            return "", first_office(t, request)
        office = f"(SELECT r1.office_id FROM {t.request} r1 WHERE r1.id = {request})"
        return (
            f" LEFT JOIN {FIRSTS} w ON w.rid = {request}",
            f"COALESCE(w.office_id, {office})",
        )
    if not spans:
        return "", office_at(t, request, moment)
    join = (
        f" LEFT JOIN {SPANS} w ON w.rid = {request} AND w.since <= {moment} "
        f"AND (w.until IS NULL OR {moment} < w.until)"
    )
    return join, f"COALESCE(w.office_id, {_office_before_history(t, request)})"


# Family.office, besides a column expression: the office holding the request at the event's
# time, or (its creation) the office it was created in.
HELD = "<held>"
CREATED = "<created>"


@dataclass(frozen=True)
class Family:
    """One kind of event: where it comes from, its time, its request, its office, and the
    measures it adds (the others are 0)."""

    source: str
    moment: str
    request: str
    office: str
    measures: dict[str, str]
    where: str = ""
    # Which rows are new since the last refresh (`Delta`): ids above a watermark of table
    # `key` (the id column `ident`), or, for FIRST_RESPONDED and ANSWERED, times above one.
    key: str = ""
    ident: str = ""


def _families(t: Tables, d: Dialect) -> list[Family]:
    open_in = _in([str(s) for s in OPEN_STATUSES])
    moved = (
        "c.from_office_id IS NOT NULL AND c.to_office_id IS NOT NULL "
        "AND c.from_office_id <> c.to_office_id"
    )
    change_source = f"{t.change} c JOIN {t.request} s ON s.id = c.service_request_id"
    # The office a move leaves the request in, and whether the office it leaves (its origin;
    # none written: the same) is another one (compared null-safely: a request may have none).
    into = "COALESCE(c.to_office_id, s.office_id)"
    leaves_another = (
        f"c.from_office_id IS NOT NULL AND ({into} IS NULL OR c.from_office_id <> {into})"
    )
    return [
        Family(
            source=f"{t.request} s",
            moment="s.created_at",
            request="s.id",
            office=CREATED,
            key="request",
            ident="s.id",
            measures={
                "opened": "1",
                "repeats": _flag("s.repeat_of_id IS NOT NULL"),
                "open_delta": "1",
            },
        ),
        # A move, on the side of the office it leaves the request in (`into`): the status it
        # reaches; and, when the office it leaves is that same office (no origin written, or
        # the same), the status it leaves too: one event, not two in one cell.
        Family(
            source=change_source,
            moment="c.created_at",
            request="c.service_request_id",
            office=into,
            where="c.from_status <> ''",
            key="status_change",
            ident="c.id",
            measures={
                "reopened": _flag(f"c.to_status = '{Status.REOPENED}'"),
                "closed": _flag(f"c.to_status = '{Status.CLOSED}'"),
                "redirected": _flag(f"c.to_status = '{Status.REDIRECTED}'"),
                "withdrawn": _flag(f"c.to_status = '{Status.WITHDRAWN}'"),
                "merged": _flag(f"c.to_status = '{Status.MERGED}'"),
                "transferred_in": _flag(moved),
                "open_delta": f"{_flag(f'c.to_status IN {open_in}')} - "
                + _flag(f"c.from_status IN {open_in} AND NOT ({leaves_another})"),
                "final_responses": _flag(f"c.to_status = '{Status.CLOSED}'"),
                "final_on_time": _flag(
                    f"c.to_status = '{Status.CLOSED}' AND c.created_at <= s.due_at"
                ),
            },
        ),
        # The same move, on the side of another office it leaves: the status it leaves.
        Family(
            source=change_source,
            moment="c.created_at",
            request="c.service_request_id",
            office="c.from_office_id",
            # (the origin differs from the destination written, if any, before the join)
            where=f"c.from_status <> '' AND (c.from_status IN {open_in} OR ({moved})) "
            "AND (c.to_office_id IS NULL OR c.from_office_id <> c.to_office_id) "
            f"AND {leaves_another}",
            key="status_change",
            ident="c.id",
            measures={
                "transferred_out": _flag(moved),
                "open_delta": f"-{_flag(f'c.from_status IN {open_in}')}",
            },
        ),
        Family(
            source=f"{t.response} r",
            moment="r.created_at",
            request="r.service_request_id",
            office=HELD,
            key="response",
            ident="r.id",
            measures={
                "responses_initial": _flag(f"r.kind = '{ResponseKind.INITIAL}'"),
                "responses_follow_up": _flag(f"r.kind = '{ResponseKind.FOLLOW_UP}'"),
                "responses_final": _flag(f"r.kind = '{ResponseKind.FINAL}'"),
            },
        ),
        Family(
            source=f"{t.request} s",
            moment="s.first_responded_at",
            request="s.id",
            office=HELD,
            where="s.first_responded_at IS NOT NULL",
            key=FIRST_RESPONDED,
            ident="s.id",
            measures={
                "first_responses": "1",
                "first_on_time": _flag("s.first_responded_at <= s.first_response_due_at"),
            },
        ),
        Family(
            source=f"{t.escalation} e",
            moment="e.escalated_at",
            request="e.service_request_id",
            office=HELD,
            key="escalation",
            ident="e.id",
            measures={"escalated": "1"},
        ),
        Family(
            source=(
                f"{t.evaluation} v JOIN {t.assignment} a ON a.id = v.assignment_id "
                f"JOIN {t.item} i ON i.id = a.item_id"
            ),
            moment="v.submitted_at",
            request="i.service_request_id",
            office=HELD,
            key="evaluation",
            ident="v.id",
            measures={
                "qa_evaluated": "1",
                "qa_passed": _flag(f"v.result IN {_in(PASSING_RESULTS)}"),
            },
        ),
        Family(
            source=f"{t.survey} u",
            moment="u.sent_at",
            request="u.service_request_id",
            office=HELD,
            key="survey",
            ident="u.id",
            measures={"surveys_sent": "1"},
        ),
        Family(
            source=f"{t.survey} u",
            moment="u.answered_at",
            request="u.service_request_id",
            office=HELD,
            where="u.answered_at IS NOT NULL",
            key=ANSWERED,
            ident="u.id",
            measures={
                "surveys_answered": "1",
                "surveys_satisfied": _flag(f"u.rating >= {SATISFIED_FROM}"),
                "rating_total": "COALESCE(u.rating, 0)",
            },
        ),
    ]


@dataclass(frozen=True)
class Delta:
    """What a refresh adds (ADR 0048, revision 2): the rows of each event table with an id in
    (low, high], and the first responses and survey answers with a time in (since, until]
    (both are written into rows that exist already). `since` is None before the first such
    time; `until` is None while there is none."""

    ids: dict[str, tuple[int, int]]
    times: dict[str, tuple[dt.datetime | None, dt.datetime | None]]

    def is_empty(self) -> bool:
        return all(high <= low for low, high in self.ids.values()) and all(
            until is None or (since is not None and until <= since)
            for since, until in self.times.values()
        )

    def new(self, connection: BaseDatabaseWrapper, family: Family) -> tuple[str, list[Any]]:
        """The condition keeping a family's new events (with its parameters)."""
        if family.key not in self.times:
            low, high = self.ids[family.key]
            if high <= low:
                return "1 = 0", []
            return f"{family.ident} > %s AND {family.ident} <= %s", [low, high]
        since, until = self.times[family.key]
        adapt = connection.ops.adapt_datetimefield_value
        if until is None:
            return "1 = 0", []
        if since is None:
            return f"{family.moment} <= %s", [adapt(until)]
        later = f"{family.moment} > %s"
        params: list[Any] = [adapt(until), adapt(since)]
        if family.key == FIRST_RESPONDED:
            # a request new since the last refresh: its first response too, even when its
            # time is below the watermark (rows loaded with past times)
            low, high = self.ids["request"]
            if high > low:
                later = f"({later} OR ({family.ident} > %s AND {family.ident} <= %s))"
                params.extend([low, high])
            elif until <= since:
                return "1 = 0", []
        elif until <= since:
            return "1 = 0", []
        return f"{family.moment} <= %s AND {later}", params


# Delta.times keys: the fields set once in rows that exist already.
FIRST_RESPONDED = "first_responded_at"
ANSWERED = "survey_answered_at"

# A scope of a statement: every day (None), a range of days ([start, end) midnights UTC), or
# the new rows of a refresh (Delta).
Scope = tuple[dt.datetime, dt.datetime] | Delta | None


def _condition(
    connection: BaseDatabaseWrapper, family: Family, scope: Scope
) -> tuple[str, list[Any]]:
    """The WHERE clause (with its parameters) keeping a family's events in `scope`."""
    conditions = [family.where] if family.where else []
    params: list[Any] = []
    if isinstance(scope, Delta):
        new, new_params = scope.new(connection, family)
        conditions.append(new)
        params.extend(new_params)
    elif scope is not None:
        conditions.append(f"{family.moment} >= %s AND {family.moment} < %s")
        params.extend(_adapt(connection, scope))
    return (f" WHERE {' AND '.join(conditions)}" if conditions else ""), params


def _cells_join(t: Tables) -> str:
    return (
        f"JOIN {t.request} q ON q.id = e.request_id "
        f"JOIN {t.person} p ON p.id = q.requester_id "
        f"LEFT JOIN {t.case} k ON k.id = q.case_id "
        f"LEFT JOIN {t.form} f ON f.id = k.form_type_id"
    )


_CELL_SELECT = "e.day, e.office_id, COALESCE(f.code, ''), q.type_id, q.channel, p.language"
_CELL_GROUP = "e.day, e.office_id, COALESCE(f.code, ''), q.type_id, q.channel, p.language"


def _events(
    connection: BaseDatabaseWrapper, families: list[Family], scope: Scope, columns: list[str]
) -> tuple[str, list[Any]]:
    """A UNION ALL of the families' events in `scope`: day, office_id, request_id and
    `columns` (a family's measure expressions, 0 for the others)."""
    t, d = tables(), dialect_of(connection)
    spans = scope is None
    parts: list[str] = []
    params: list[Any] = []
    for family in families:
        values = ", ".join(f"{family.measures.get(m, '0')} AS {m}" for m in columns)
        join, office = "", family.office
        if office in (HELD, CREATED):
            join, office = _placed(t, family.request, family.moment, placement=office, spans=spans)
        where, where_params = _condition(connection, family, scope)
        parts.append(
            f"SELECT {d.day(family.moment)} AS day, {office} AS office_id, "
            f"{family.request} AS request_id, {values} FROM {family.source}{join}{where}"
        )
        params.extend(where_params)
    return " UNION ALL ".join(parts), params


def rollup_select(connection: BaseDatabaseWrapper, scope: Scope) -> tuple[str, list[Any]]:
    """The DailyRollup rows (cell, then MEASURES) of the events in `scope`, grouped. Every
    day (scope None) reads the working tables (`work_tables`)."""
    t, d = tables(), dialect_of(connection)
    events, params = _events(connection, _families(t, d), scope, list(MEASURES))
    if scope is None:
        return (
            f"SELECT g.day, g.office_id, c.form, c.type_id, c.channel, c.language, "
            f"{', '.join(f'g.{m}' for m in MEASURES)} FROM (SELECT e.day, e.office_id, "
            f"rc.cell, {_SUMS} FROM ({events}) e JOIN {REQUEST_CELLS} rc "
            f"ON rc.rid = e.request_id GROUP BY e.day, e.office_id, rc.cell "
            f"HAVING {_NONZERO}) g JOIN {CELL_KEYS} c ON c.cell = g.cell"
        ), params
    sql = (
        f"SELECT {_CELL_SELECT}, {_SUMS} FROM ({events}) e "
        f"{_cells_join(t)} GROUP BY {_CELL_GROUP} HAVING {_NONZERO}"
    )
    return sql, params


def _bucket_families(t: Tables, d: Dialect) -> list[Family]:
    return [
        Family(
            source=f"{t.request} s",
            moment="s.first_responded_at",
            request="s.id",
            office=HELD,
            where="s.first_responded_at IS NOT NULL",
            measures={
                "measure": "'first'",
                "days": d.whole_days("s.first_responded_at", "s.created_at"),
            },
            key=FIRST_RESPONDED,
            ident="s.id",
        ),
        Family(
            source=f"{t.change} c JOIN {t.request} s ON s.id = c.service_request_id",
            moment="c.created_at",
            request="c.service_request_id",
            office="COALESCE(c.to_office_id, s.office_id)",
            where=f"c.to_status = '{Status.CLOSED}'",
            measures={
                "measure": "'final'",
                "days": d.whole_days("c.created_at", "s.created_at"),
            },
            key="status_change",
            ident="c.id",
        ),
    ]


def bucket_select(connection: BaseDatabaseWrapper, scope: Scope) -> tuple[str, list[Any]]:
    """The DurationBucket rows (cell, measure, days, count) of the events in `scope`: first
    responses on their day, closures on theirs."""
    t, d = tables(), dialect_of(connection)
    events, params = _events(connection, _bucket_families(t, d), scope, ["measure", "days"])
    if scope is None:
        return (
            "SELECT g.day, g.office_id, c.form, c.type_id, c.channel, c.language, g.measure, "
            "g.days, g.n FROM (SELECT e.day, e.office_id, rc.cell, e.measure, e.days, "
            f"COUNT(*) AS n FROM ({events}) e JOIN {REQUEST_CELLS} rc "
            "ON rc.rid = e.request_id GROUP BY e.day, e.office_id, rc.cell, e.measure, e.days) g "
            f"JOIN {CELL_KEYS} c ON c.cell = g.cell"
        ), params
    sql = (
        f"SELECT {_CELL_SELECT}, e.measure, e.days, COUNT(*) "
        f"FROM ({events}) e {_cells_join(t)} "
        f"GROUP BY {_CELL_GROUP}, e.measure, e.days"
    )
    return sql, params


def rollup_insert(
    connection: BaseDatabaseWrapper, bounds: tuple[dt.datetime, dt.datetime] | None
) -> tuple[str, list[Any]]:
    """INSERT ... SELECT of the DailyRollup rows of the days in `bounds` ([start, end),
    midnights UTC), or of every day (None)."""
    select, params = rollup_select(connection, bounds)
    return f"INSERT INTO {tables().rollup} ({', '.join(CELL)}, {', '.join(MEASURES)}) {select}", (
        params
    )


def bucket_insert(
    connection: BaseDatabaseWrapper, bounds: tuple[dt.datetime, dt.datetime] | None
) -> tuple[str, list[Any]]:
    """INSERT ... SELECT of the DurationBucket rows of the days in `bounds` (or all days)."""
    select, params = bucket_select(connection, bounds)
    return f"INSERT INTO {tables().bucket} ({', '.join(CELL)}, measure, days, count) {select}", (
        params
    )


def rollup_upsert(connection: BaseDatabaseWrapper, delta: Delta) -> tuple[str, list[Any]]:
    """Add the new events' counts to their cells: INSERT ... ON CONFLICT DO UPDATE (on both
    databases), returning each written row's day."""
    t = tables()
    select, params = rollup_select(connection, delta)
    added = ", ".join(f"{m} = {t.rollup}.{m} + excluded.{m}" for m in MEASURES)
    columns = f"{', '.join(CELL)}, {', '.join(MEASURES)}"
    # "WHERE true": SQLite's parser needs it between a SELECT and ON CONFLICT
    sql = (
        f"INSERT INTO {t.rollup} ({columns}) SELECT * FROM ({select}) n WHERE true "
        f"ON CONFLICT ({', '.join(CELL)}) DO UPDATE SET {added} RETURNING day"
    )
    return sql, params


def bucket_upsert(connection: BaseDatabaseWrapper, delta: Delta) -> tuple[str, list[Any]]:
    t = tables()
    select, params = bucket_select(connection, delta)
    key = f"{', '.join(CELL)}, measure, days"
    sql = (
        f"INSERT INTO {t.bucket} ({key}, count) SELECT * FROM ({select}) n WHERE true "
        f"ON CONFLICT ({key}) DO UPDATE SET count = {t.bucket}.count + excluded.count "
        "RETURNING day"
    )
    return sql, params


def _adapt(connection: BaseDatabaseWrapper, bounds: tuple[dt.datetime, dt.datetime]) -> list[Any]:
    return [connection.ops.adapt_datetimefield_value(moment) for moment in bounds]


# --- What changed since the watermarks ------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """An event table the refresh watches by id (Delta.ids[key])."""

    key: str
    table: str


def sources(t: Tables) -> list[Source]:
    return [
        Source("request", t.request),
        Source("status_change", t.change),
        Source("response", t.response),
        Source("escalation", t.escalation),
        Source("evaluation", t.evaluation),
        Source("survey", t.survey),
    ]


def _old_events(t: Tables, delta: Delta) -> list[tuple[str, str, str, str, list[Any]]]:
    """(source, request column, time column, condition, parameters) of the events of a
    request that earlier refreshes counted: rows below the watermarks."""
    ids = delta.ids
    events: list[tuple[str, str, str, str, list[Any]]] = [
        (f"{t.request} x", "x.id", "x.created_at", "1 = 1", []),
        (
            f"{t.change} x",
            "x.service_request_id",
            "x.created_at",
            "x.id <= %s",
            [ids["status_change"][0]],
        ),
        (
            f"{t.response} x",
            "x.service_request_id",
            "x.created_at",
            "x.id <= %s",
            [ids["response"][0]],
        ),
        (
            f"{t.escalation} x",
            "x.service_request_id",
            "x.escalated_at",
            "x.id <= %s",
            [ids["escalation"][0]],
        ),
        (f"{t.survey} x", "x.service_request_id", "x.sent_at", "x.id <= %s", [ids["survey"][0]]),
        (
            f"{t.evaluation} x JOIN {t.assignment} xa ON xa.id = x.assignment_id "
            f"JOIN {t.item} xi ON xi.id = xa.item_id",
            "xi.service_request_id",
            "x.submitted_at",
            "x.id <= %s",
            [ids["evaluation"][0]],
        ),
    ]
    for key, source, request, moment in (
        (ANSWERED, f"{t.survey} x", "x.service_request_id", "x.answered_at"),
        (FIRST_RESPONDED, f"{t.request} x", "x.id", "x.first_responded_at"),
    ):
        since = delta.times[key][0]
        if since is not None:
            events.append((source, request, moment, f"{moment} <= %s", [since]))
    return events


def replaced_days(connection: BaseDatabaseWrapper, delta: Delta) -> list[tuple[str, list[Any]]]:
    """SELECTs of the UTC days whose counted events the new rows change in place rather than
    add to (each returns days; their union is what a refresh recomputes whole):

    - a new move of a request rolled up before, dated before some of its counted events (a
      back-dated transfer): those events may now count at another office. Without a counted
      move at or before it, every counted event of the request (its first office may change);
    - a new move that can change the request's due dates (a transfer that restarted the
      clock, a return from awaiting the customer): its counted closures and first response,
      whose on-time flags read the current due dates.
    """
    t, d = tables(), dialect_of(connection)
    adapt = connection.ops.adapt_datetimefield_value
    low, high = delta.ids["status_change"]
    old_requests = delta.ids["request"][0]
    if high <= low or old_requests == 0:
        return []
    moved = (
        "(SELECT m.rid, CASE WHEN EXISTS (SELECT 1 FROM "
        f"{t.change} o WHERE o.service_request_id = m.rid AND o.id <= %s "
        "AND o.created_at <= m.since) THEN m.since END AS since FROM "
        f"(SELECT service_request_id AS rid, MIN(created_at) AS since FROM {t.change} "
        "WHERE id > %s AND id <= %s AND service_request_id <= %s "
        "GROUP BY service_request_id) m) g"
    )
    moved_params = [low, low, high, old_requests]
    statements: list[tuple[str, list[Any]]] = []
    for source, request, moment, old, params in _old_events(t, delta):
        values = [adapt(v) if isinstance(v, dt.datetime) else v for v in params]
        statements.append(
            (
                f"SELECT DISTINCT {d.day(moment)} FROM {source} JOIN {moved} "
                f"ON g.rid = {request} WHERE {old} AND {moment} IS NOT NULL "
                f"AND (g.since IS NULL OR {moment} >= g.since)",
                [*moved_params, *values],
            )
        )
    due = (
        f"(SELECT DISTINCT service_request_id AS rid FROM {t.change} "
        "WHERE id > %s AND id <= %s AND service_request_id <= %s AND ("
        f"(to_status = '{Status.TRANSFERRED}' AND (restarted_clock IS NULL "
        "OR restarted_clock = %s)) "
        f"OR from_status = '{Status.AWAITING_CUSTOMER}')) g"
    )
    due_params: list[Any] = [low, high, old_requests, True]
    statements.append(
        (
            f"SELECT DISTINCT {d.day('x.created_at')} FROM {t.change} x JOIN {due} "
            f"ON g.rid = x.service_request_id WHERE x.id <= %s "
            f"AND x.to_status = '{Status.CLOSED}'",
            [*due_params, low],
        )
    )
    since = delta.times[FIRST_RESPONDED][0]
    if since is not None:
        statements.append(
            (
                f"SELECT DISTINCT {d.day('x.first_responded_at')} FROM {t.request} x "
                f"JOIN {due} ON g.rid = x.id WHERE x.first_responded_at <= %s",
                [*due_params, adapt(since)],
            )
        )
    return statements
