"""Fill the daily rollups: `refresh` (incremental) and `rebuild` (full). ADR 0048.

`refresh` reads what is new in the event tables since the watermarks kept in the
`RollupState` row (the largest id rolled up of each, and the last first-response and survey
answer times), aggregates only those new events and adds their counts to the existing cells
(an upsert), at a cost in proportion to the new rows; the rare days whose counted events the
new rows changed in place (a back-dated move, new due dates) are recomputed whole from the
base tables (`sql.replaced_days`). `rebuild` recomputes every day, no loop over days: on
PostgreSQL into new tables (working tables made with parallel workers; when it runs in its
own transaction, all made on other connections, so that independent steps run side by side)
swapped in for the live ones in its transaction. Both run in one transaction holding the
state row locked (`select_for_update`), so two refreshes at once serialize and the second
finds nothing new.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils import timezone

from srmt.reporting.models import RollupState
from srmt.reporting.rollups import sql

STATE_NAME = "daily"
ANSWERED = sql.ANSWERED
FIRST_RESPONDED = sql.FIRST_RESPONDED
T = TypeVar("T")


@dataclass(frozen=True)
class RefreshResult:
    days: int  # UTC days recomputed
    rows: int  # DailyRollup and DurationBucket rows written
    seconds: float
    full: bool = False

    def summary(self) -> str:
        kind = "full rebuild" if self.full else "refresh"
        return (
            f"Rollup {kind}: {self.days} day(s) recomputed, {self.rows} row(s) written "
            f"in {self.seconds:.2f} s."
        )


def refresh(now: dt.datetime | None = None) -> RefreshResult:
    """Add the events recorded since the last refresh to their cells, and recompute whole the
    rare days whose counted events new rows changed in place (the first refresh, or one
    after watermarks of an older layout, rebuilds everything)."""
    started = time.monotonic()
    apart = _apart_allowed()
    with transaction.atomic():
        state = _lock()
        if not _complete(state.watermarks):
            return _rebuild(state, now, started, apart=apart)
        marks = _current_marks()
        delta = delta_between(state.watermarks, marks)
        days: set[dt.date] = set()
        rows = 0
        if not delta.is_empty():
            with _by_index():
                days, rows = _add(delta)
                again = replaced_days(delta)
            for start, end in runs(again):
                rows += _recompute((_midnight(start), _midnight(end)))
            days |= again
        _save(state, marks, now)
    return RefreshResult(days=len(days), rows=rows, seconds=time.monotonic() - started)


def rebuild(now: dt.datetime | None = None) -> RefreshResult:
    """Recompute every day from the base tables."""
    started = time.monotonic()
    apart = _apart_allowed()
    with transaction.atomic():
        return _rebuild(_lock(), now, started, apart=apart)


def _apart_allowed() -> bool:
    """Whether the full build may make its working tables and new tables on other
    connections (`_build_apart`): only when it runs in its own transaction, so that every row
    it reads is committed and those connections see the same rows (a caller's transaction,
    such as a test's, may hold rows they cannot see)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _rebuild(
    state: RollupState, now: dt.datetime | None, started: float, *, apart: bool = False
) -> RefreshResult:
    marks = _current_marks()  # read first: a row added meanwhile is seen again next time
    rows = _recompute(None, apart=apart)
    t = sql.tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT day FROM {t.rollup} UNION SELECT day FROM {t.bucket}) d"
        )
        days = int(cursor.fetchone()[0])
    _save(state, marks, now)
    return RefreshResult(days=days, rows=rows, seconds=time.monotonic() - started, full=True)


def _lock() -> RollupState:
    RollupState.objects.get_or_create(name=STATE_NAME)
    return RollupState.objects.select_for_update().get(name=STATE_NAME)


def _save(state: RollupState, marks: dict[str, Any], now: dt.datetime | None) -> None:
    state.watermarks = marks
    state.refreshed_at = now or timezone.now()
    state.save(update_fields=["watermarks", "refreshed_at"])


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


# The refresh's, for the sort of a day's new events (27 MB spilled at 40,000 requests).
REFRESH_WORK_MEM = "64MB"
# Plans whose cost grows with the tables, not the new rows: off while the refresh adds.
SIZE_BOUND_PLANS = ("enable_seqscan", "enable_hashjoin", "enable_mergejoin")


def _recompute(bounds: tuple[dt.datetime, dt.datetime] | None, *, apart: bool = False) -> int:
    """Delete the rows of the days in `bounds` (all days: None) and insert them again; on
    PostgreSQL, all days are built into new tables swapped in (`_build_and_swap`; `apart`:
    see `_apart_allowed`)."""
    t = sql.tables()
    rows = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Compiling these wide aggregates costs more than it saves (measured: 20 s -> 16 s
            # for the full rebuild's main statement); for this transaction only.
            cursor.execute("SET LOCAL jit = off")
            if bounds is None:
                return _build_and_swap(cursor, apart=apart)
        for name in (t.rollup, t.bucket):
            if bounds is None:
                cursor.execute(f"DELETE FROM {name}")
            else:
                days = [connection.ops.adapt_datefield_value(m.date()) for m in bounds]
                cursor.execute(f"DELETE FROM {name} WHERE day >= %s AND day < %s", days)
        if bounds is None:
            _make_work_tables(cursor)
        for statement, params in (
            sql.rollup_insert(connection, bounds),
            sql.bucket_insert(connection, bounds),
        ):
            cursor.execute(statement, params)
            rows += max(cursor.rowcount, 0)
        if bounds is None:
            for name in sql.WORK_TABLES:
                cursor.execute(f"DROP TABLE {name}")
    return rows


# The PostgreSQL full build's settings, for its transaction only.
REBUILD_SETTINGS = (
    # its joins and groupings in memory (each of the 3 processes: leader and 2 workers)
    ("work_mem", "256MB"),
    # the index builds of the new tables, with parallel workers
    ("maintenance_work_mem", "256MB"),
    # The planner cannot tell how many cells the events fall in (it guesses one per event)
    # and would group them by an external sort; a hash aggregate spills if it must. The
    # window pass over the status changes still sorts: it has no other way.
    ("enable_sort", "off"),
    # Every join of the build is by hash; the statements list their joins in the order to run
    # them (the planner otherwise joined a million requests to the cells before the
    # requesters, hashing twice the rows, in each worker).
    ("enable_mergejoin", "off"),
    ("join_collapse_limit", "1"),
)


# The settings of the connections `_build_apart` opens (the moves' parts too): JIT compilation
# on there, where the statements are long (ADR 0048, revision 8; off for the buckets' new
# table: `_final_settings`).
APART_SETTINGS = (*REBUILD_SETTINGS, ("jit", "on"))


def _build_and_swap(cursor: Any, *, apart: bool = False) -> int:
    """PostgreSQL: the full build into new tables swapped in for the rollup tables (ADR 0048,
    revision 3). The working tables are made by `CREATE UNLOGGED TABLE ... AS SELECT`, which
    runs with parallel workers; each rollup table's rows are then inserted into a new table
    without indexes or foreign keys (`LIKE` the live one: columns, defaults, identity, checks),
    its indexes are built once over all rows and its foreign keys checked by one query each
    (`ADD CONSTRAINT`), and in this same transaction the live table is dropped and the new
    one takes its name and its indexes' and constraints' names. Readers see the old rows
    until the commit (then the new ones); the drop waits for readers of the old table and
    holds new ones for the few catalog changes of the swap. With `apart`, the working tables
    and the new tables are made on other connections (`_build_apart`), and only swapped in
    here. Returns the rows written."""
    for setting, value in REBUILD_SETTINGS:
        cursor.execute(f"SET LOCAL {setting} = '{value}'")
    finals = sql.pg_finals(connection)
    if apart:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        made, rows = _build_apart(finals, int(cursor.fetchone()[0]))
    else:
        made, rows = _build_here(cursor, finals)
    for live, new, statements in made:
        _swap(cursor, live, new, statements)
    return rows


Made = list[tuple[str, str, list[str]]]  # (live table, new table, its renames) of each final


def _build_here(cursor: Any, finals: list[tuple[str, str]]) -> tuple[Made, int]:
    """PostgreSQL: the working tables and the new tables made on this connection, in its
    transaction (`_build_and_swap`); the working tables dropped after."""
    for name in sql.PG_WORK_TABLES:  # none unless a build failed earlier in this transaction
        _drop(cursor, name)
    for name, select in sql.pg_work_tables():
        cursor.execute(f"CREATE UNLOGGED TABLE {name} AS {select}")
        cursor.execute(f"ANALYZE {name}")
    rows = 0
    made: Made = []
    for live, select in finals:
        new = f"{live}_next"
        cursor.execute(f"DROP TABLE IF EXISTS {new}")
        rows += _create_like(cursor, live, new, select)
        made.append((live, new, _copy_indexes_and_keys(cursor, live, new)))
    for name in sql.PG_WORK_TABLES:
        _drop(cursor, name)
    return made, rows


def _build_apart(finals: list[tuple[str, str]], workers: int) -> tuple[Made, int]:
    """PostgreSQL, when the build runs in its own transaction (`_apart_allowed`): the working
    tables and the new tables made on other connections, which commit them, so that the steps
    that can run at once do: the moves' parts (`_moves_in_parts`), then the other working
    tables one after the other, then both new tables at once, each on its own connection
    (with its indexes and foreign keys). Each of those statements has parallel workers, but
    part of it runs in one process (the final grouping and the writing of the rows, a window
    pass, an index's merge): at once, the two use both cores. The working tables are dropped
    after; the new ones, if a step failed (else the caller swaps them in). A build that died
    leaves its tables to the next one, which drops them first. While both new tables are
    made, the buckets' statement runs in one process (`_final_settings`) and the rollup's
    with `workers` parallel workers but one; JIT compilation is on for all but the buckets'
    statement."""
    params = connection.get_connection_params()
    settings = APART_SETTINGS
    news = [f"{live}_next" for live, _select in finals]

    def work_tables(cursor: Any) -> None:
        _dropping([*sql.PG_WORK_TABLES, *news])(cursor)
        for name, select in sql.pg_work_tables():
            if name == sql.PG_MOVES:
                _moves_in_parts(cursor)
                continue
            cursor.execute(f"CREATE UNLOGGED TABLE {name} AS {select}")
            cursor.execute(f"ANALYZE {name}")

    def final(live: str, select: str) -> Callable[[Any], tuple[str, str, list[str], int]]:
        def run(cursor: Any) -> tuple[str, str, list[str], int]:
            for setting, value in _final_settings(live, workers):
                cursor.execute(f"SET {setting} = '{value}'")
            new = f"{live}_next"
            rows = _create_like(cursor, live, new, select)
            return live, new, _copy_indexes_and_keys(cursor, live, new), rows

        return run

    try:
        _on_side(params, settings, work_tables)
        made = _at_once(params, settings, [final(live, select) for live, select in finals])
    except BaseException:
        _on_side(params, settings, _dropping([*sql.PG_WORK_TABLES, *news]))
        raise
    _on_side(params, settings, _dropping(sql.PG_WORK_TABLES))
    return [(live, new, renames) for live, new, renames, _rows in made], sum(
        rows for *_made, rows in made
    )


def _final_settings(live: str, workers: int) -> list[tuple[str, str]]:
    """The settings of the statement making `live`'s new table while the other is made at
    once (`_build_apart`; the server gives a statement `workers` parallel workers):

    - its parallel workers: the buckets' events hardly group in a worker (17 million events
      gave 10.7 million partial groups for 8.6 million rows: each grouped twice), so that
      statement runs in one process, and the rollup's has the other processes but that
      one's: measured at 10 million requests on two cores, both tables done in 153.4 s,
      against 171.0 s with two workers each;
    - JIT compilation: on for the rollup's (24 sums for each of 60 million events: 106.6 s ->
      92.9 s alone at 10 million), off for the buckets' (one count: 48.1 s -> 51.3 s with
      it). The working tables are made with it too (ADR 0048, revision 8)."""
    if live == sql.tables().bucket:
        return [("max_parallel_workers_per_gather", "0"), ("jit", "off")]
    return [("max_parallel_workers_per_gather", str(max(workers - 1, 1) if workers else 0))]


def _on_side(
    params: dict[str, Any], settings: Iterable[tuple[str, str]], work: Callable[[Any], T]
) -> T:
    """Run `work(cursor)` on a new connection with `params` (autocommit) and `settings`."""
    import psycopg  # the driver of Django's PostgreSQL connections

    with closing(psycopg.connect(**params)) as side:
        side.autocommit = True
        with side.cursor() as cursor:
            for setting, value in settings:
                cursor.execute(f"SET {setting} = '{value}'")
            return work(cursor)


def _at_once(
    params: dict[str, Any],
    settings: Iterable[tuple[str, str]],
    works: list[Callable[[Any], T]],
) -> list[T]:
    """Run every work of `works` at once, each on its own connection (`_on_side`); their
    results in order. All run to their end; the first error is raised after."""
    settings = tuple(settings)
    with ThreadPoolExecutor(max_workers=len(works)) as pool:
        futures = [pool.submit(_on_side, params, settings, work) for work in works]
        return [future.result() for future in futures]


def _drop(cursor: Any, name: str) -> None:
    """PostgreSQL: drop the table or view `name`, if there is one (a view: the moves' parts
    as ADR 0048 revision 6 made them, left by a build of that code that died)."""
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [name])
    found = cursor.fetchone()
    if found is not None:
        cursor.execute(f"DROP {'VIEW' if found[0] == 'v' else 'TABLE'} {name}")


def _dropping(names: Iterable[str]) -> Callable[[Any], None]:
    """A work for `_on_side`: drop each table or view of `names` there is, in order."""

    def run(cursor: Any) -> None:
        for name in names:
            _drop(cursor, name)

    return run


def _moves_in_parts(cursor: Any) -> int:
    """PostgreSQL: make the moves' working table (`sql.PG_MOVES`, by `cursor`, empty) and fill
    it in parts, each the moves of a range of request ids, inserted at once from their own
    connections (as many as the processes a parallel statement of the build has: its workers
    and the leader); returns the number of parts. No plan runs a window function in more than
    one process, and this one is a long step (59.5 s at 10 million requests; 35.1 s in two
    parts). One table, not a view of one table per part: the planner gives the joins to a
    view of a `UNION ALL` no parallel workers (the requests' working table took 61.7 s, not
    35.5 s). The table is committed (those connections commit their rows): dropped by the
    build that made it, or, when it failed, by the next one."""
    cursor.execute(f"SELECT MIN(id), MAX(id) FROM {sql.tables().request}")
    low, high = cursor.fetchone()
    cursor.execute("SHOW max_parallel_workers_per_gather")
    count = int(cursor.fetchone()[0]) + 1
    low, high = int(low or 0), int(high or 0)
    step = max((high - low) // count + 1, 1)
    cursor.execute(f"CREATE UNLOGGED TABLE {sql.PG_MOVES} AS {sql.pg_moves()} WITH NO DATA")
    params = connection.get_connection_params()
    settings = (*APART_SETTINGS, ("max_parallel_workers_per_gather", "0"))

    def part(number: int) -> Callable[[Any], None]:
        def run(side: Any) -> None:
            select = sql.pg_moves(low + number * step, low + (number + 1) * step - 1)
            side.execute(f"INSERT INTO {sql.PG_MOVES} {select}")

        return run

    _at_once(params, settings, [part(number) for number in range(count)])
    cursor.execute(f"ANALYZE {sql.PG_MOVES}")
    return count


def _create_like(cursor: Any, live: str, new: str, select: str) -> int:
    """PostgreSQL: make `new` with the rows of `select` (which names every column of `live`)
    by `CREATE TABLE ... AS`, whose SELECT runs with parallel workers and whose rows are
    written in bulk (an INSERT ... SELECT into a table `LIKE` the live one runs on one core,
    a sequence call and the checks for each row); then give it what `LIKE ... INCLUDING
    DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS` would: the live table's column order
    and types, NOT NULL, defaults and check constraints (one scan of the table for all), and
    its identity column, its sequence set past the rows' ids. Returns the rows written."""
    cursor.execute(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, "
        "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d "
        "ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = %s::regclass "
        "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
        [live],
    )
    columns = cursor.fetchall()
    cast = ", ".join(f'CAST(x."{name}" AS {kind}) AS "{name}"' for name, kind, *_ in columns)
    cursor.execute(f"CREATE TABLE {new} AS SELECT {cast} FROM ({select}) x")
    rows = int(max(cursor.rowcount, 0))
    changes = [
        f'ALTER COLUMN "{name}" SET NOT NULL' for name, _k, notnull, *_ in columns if notnull
    ]
    changes += [
        f'ALTER COLUMN "{name}" SET DEFAULT {default}'
        for name, _k, _n, _i, default in columns
        if default is not None
    ]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'c' ORDER BY conname",
        [live],
    )
    changes += [f'ADD CONSTRAINT "{name}" {check}' for name, check in cursor.fetchall()]
    if changes:
        cursor.execute(f"ALTER TABLE {new} {', '.join(changes)}")
    for name, _k, _n, identity, _d in columns:
        if identity:
            how = "ALWAYS" if identity == "a" else "BY DEFAULT"
            cursor.execute(
                f'ALTER TABLE {new} ALTER COLUMN "{name}" ADD GENERATED {how} AS IDENTITY'
            )
            cursor.execute(
                f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{name}"), 0) + 1, '
                f"false) FROM {new}",
                [new, name],
            )
    return rows


def _swap(cursor: Any, live: str, new: str, statements: list[str]) -> None:
    """PostgreSQL: drop `live` and give `new` its name, its sequence's, indexes' and
    constraints' (`statements`), in the build's transaction."""
    sequences = []
    for table in (live, new):
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequences.append(cursor.fetchone()[0])
    # the deferred checks of rows this transaction wrote into the live table (a refresh
    # earlier in it) run now: a table with pending checks cannot be dropped
    cursor.execute(
        "SELECT conname, condeferred FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype = 'f' AND condeferrable ORDER BY conname",
        [live],
    )
    keys = cursor.fetchall()
    if keys:
        cursor.execute(f"SET CONSTRAINTS {', '.join(k for k, _ in keys)} IMMEDIATE")
    _copy_grants(cursor, live, new)
    cursor.execute(f"DROP TABLE {live}")
    cursor.execute(f"ALTER TABLE {new} RENAME TO {live}")
    if all(sequences):
        old_name = sequences[0].rsplit(".", 1)[-1]
        cursor.execute(f"ALTER SEQUENCE {sequences[1]} RENAME TO {old_name}")
    for statement in statements:
        cursor.execute(statement.format(table=live))
    deferred = [k for k, initially_deferred in keys if initially_deferred]
    if deferred:  # as they were: later rows of this transaction checked at its commit
        cursor.execute(f"SET CONSTRAINTS {', '.join(deferred)} DEFERRED")
    cursor.execute(f"ANALYZE {live}")


def _copy_grants(cursor: Any, live: str, new: str) -> None:
    """PostgreSQL: give `new` the privileges other roles hold on `live` (`LIKE` copies no
    grants): a read-only reporting role keeps reading the rollups after a full build."""
    cursor.execute(
        "SELECT a.privilege_type, a.grantee, a.is_grantable FROM pg_class c, "
        "aclexplode(c.relacl) a0, LATERAL (SELECT a0.privilege_type, "
        "CASE WHEN a0.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a0.grantee)) "
        "END AS grantee, a0.is_grantable) a WHERE c.oid = %s::regclass "
        "AND a0.grantee <> c.relowner ORDER BY 2, 1",
        [live],
    )
    for privilege, grantee, grantable in cursor.fetchall():
        option = " WITH GRANT OPTION" if grantable else ""
        cursor.execute(f"GRANT {privilege} ON {new} TO {grantee}{option}")


def _copy_indexes_and_keys(cursor: Any, live: str, new: str) -> list[str]:
    """PostgreSQL: build on `new` the indexes, primary key, unique constraints and foreign
    keys of `live` under temporary names; returns the statements (with `{table}` for the
    table's final name) that give them the live names once `live` is dropped. A foreign key
    added to a filled table is checked by one query over it, not row by row."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid), k.conname, k.contype, k.condeferrable, "
        "k.condeferred FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "LEFT JOIN pg_constraint k ON k.conindid = x.indexrelid AND k.conrelid = x.indrelid "
        "AND k.contype IN ('p', 'u') WHERE x.indrelid = %s::regclass ORDER BY i.relname",
        [live],
    )
    renames = []
    for number, (index, definition, constraint, kind, deferrable, deferred) in enumerate(
        cursor.fetchall()
    ):
        temporary = f"{new}_{number}"
        unique = "UNIQUE " if definition.startswith("CREATE UNIQUE") else ""
        how = definition.split(" USING ", 1)[1]
        cursor.execute(f"CREATE {unique}INDEX {temporary} ON {new} USING {how}")
        if constraint is None:
            renames.append(f"ALTER INDEX {temporary} RENAME TO {index}")
            continue
        kind_sql = "PRIMARY KEY" if kind == "p" else "UNIQUE"
        timing = " DEFERRABLE" if deferrable else ""
        timing += " INITIALLY DEFERRED" if deferred else ""
        cursor.execute(
            f"ALTER TABLE {new} ADD CONSTRAINT {temporary} {kind_sql} USING INDEX "
            f"{temporary}{timing}"
        )
        renames.append(f"ALTER TABLE {{table}} RENAME CONSTRAINT {temporary} TO {constraint}")
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [live],
    )
    for number, (constraint, definition) in enumerate(cursor.fetchall()):
        temporary = f"{new}_fk{number}"
        cursor.execute(f"ALTER TABLE {new} ADD CONSTRAINT {temporary} {definition}")
        renames.append(f"ALTER TABLE {{table}} RENAME CONSTRAINT {temporary} TO {constraint}")
    return renames


def _make_work_tables(cursor: Any) -> None:
    """SQLite: the full rebuild's working tables as temporary tables (this connection)."""
    for name in sql.WORK_TABLES:  # left by a rebuild that failed in this connection
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
    for name, select in sql.work_tables(sql.tables()):
        cursor.execute(f"CREATE TEMP TABLE {name} AS {select}")


def _add(delta: sql.Delta) -> tuple[set[dt.date], int]:
    """Upsert the new events' counts into their cells; returns the days and rows written.
    No cell becomes all zero: every new event adds to a count, except a move between two
    open statuses in one office, whose +1 and -1 open_delta fall in the same cell."""
    days: set[object] = set()
    rows = 0
    with connection.cursor() as cursor:
        for statement, params in (
            sql.rollup_upsert(connection, delta),
            sql.bucket_upsert(connection, delta),
        ):
            cursor.execute(statement, params)
            written = [row[0] for row in cursor.fetchall()]
            rows += len(written)
            days.update(written)
    return {_as_date(day) for day in days}, rows


@contextmanager
def _by_index() -> Iterator[None]:
    """PostgreSQL: plan the refresh's statements on the new rows by index only. The planner
    would join the new events to their requests by hashing the whole request table (1 million
    rows: 0.9 to 2.3 s of a 4 s statement, ten times that at 10 million); by index lookups
    (nested loops) the cost follows the new rows. Restores the session's values after."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for plan in SIZE_BOUND_PLANS:
            cursor.execute(f"SET LOCAL {plan} = off")
        cursor.execute(f"SET LOCAL work_mem = '{REFRESH_WORK_MEM}'")
    yield
    with connection.cursor() as cursor:
        for setting in (*SIZE_BOUND_PLANS, "work_mem"):
            cursor.execute(f"SET LOCAL {setting} = DEFAULT")


def runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days as [start, end) ranges: {1, 2, 3, 7} -> [(1, 4), (7, 8)]."""
    ranges: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if ranges and ranges[-1][1] == day:
            ranges[-1] = (ranges[-1][0], day + dt.timedelta(days=1))
        else:
            ranges.append((day, day + dt.timedelta(days=1)))
    return ranges


# --- Watermarks ---------------------------------------------------------------------------


def _current_marks() -> dict[str, Any]:
    t = sql.tables()
    marks: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for source in sql.sources(t):
            cursor.execute(f"SELECT MAX(id) FROM {source.table}")
            marks[source.key] = int(cursor.fetchone()[0] or 0)
        for key, column, table in (
            (ANSWERED, "answered_at", t.survey),
            (FIRST_RESPONDED, "first_responded_at", t.request),
        ):
            cursor.execute(f"SELECT MAX({column}) FROM {table}")
            moment = _as_datetime(cursor.fetchone()[0])
            marks[key] = moment.isoformat() if moment is not None else ""
    return marks


def _complete(marks: dict[str, Any]) -> bool:
    """Whether the watermarks have every key this layout reads (not a first refresh)."""
    keys = [source.key for source in sql.sources(sql.tables())] + [ANSWERED, FIRST_RESPONDED]
    return all(key in marks for key in keys)


def _as_datetime(value: object) -> dt.datetime | None:
    """A timestamp as the driver returns it (a datetime; on SQLite's MAX(), text)."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def delta_between(old: dict[str, Any], new: dict[str, Any]) -> sql.Delta:
    """The new rows between two sets of watermarks."""
    ids = {
        source.key: (int(old.get(source.key, 0)), int(new[source.key]))
        for source in sql.sources(sql.tables())
    }
    times = {
        key: (_as_datetime(old.get(key) or None), _as_datetime(new.get(key) or None))
        for key in (ANSWERED, FIRST_RESPONDED)
    }
    return sql.Delta(ids=ids, times=times)


def replaced_days(delta: sql.Delta) -> set[dt.date]:
    """The days a refresh recomputes whole (`sql.replaced_days`): usually none."""
    days: set[object] = set()
    with connection.cursor() as cursor:
        for statement, params in sql.replaced_days(connection, delta):
            cursor.execute(statement, params)
            days.update(row[0] for row in cursor.fetchall())
    return {_as_date(day) for day in days if day is not None}


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
