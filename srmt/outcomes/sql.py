"""Two SQL expressions the outcome metrics need that Django has no portable form of:
seconds between two instants, and an interpolated percentile (PostgreSQL's percentile_cont;
on SQLite, the same formula as an aggregate function registered on each connection)."""

from __future__ import annotations

import math
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql.compiler import SQLCompiler

SQLITE_PERCENTILE = "srmt_percentile_cont"


class Seconds(models.Func):
    """Whole seconds from `start` to `end` (NULL when either is NULL)."""

    output_field = models.FloatField()

    def __init__(self, end: Any, start: Any) -> None:
        super().__init__(end, start)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        template = "EXTRACT(EPOCH FROM (date_trunc('second', %(expressions)s)))::double precision"
        return self.as_sql(
            compiler,
            connection,
            template=template,
            arg_joiner=") - date_trunc('second', ",
            **extra,
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        # '%%%%s' becomes '%%s' in the statement, which the SQLite backend reads as '%s'.
        template = "CAST(strftime('%%%%s', %(expressions)s) AS REAL)"
        return self.as_sql(
            compiler,
            connection,
            template=template,
            arg_joiner=") - strftime('%%s', ",
            **extra,
        )


class PercentileCont(models.Aggregate):
    """The `fraction` percentile of the values, interpolated linearly between the two
    nearest ranks (PostgreSQL's percentile_cont); NULLs are left out; no values: NULL."""

    function = "percentile_cont"
    output_field = models.FloatField()
    allow_distinct = False

    def __init__(self, expression: Any, fraction: float, **extra: Any) -> None:
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile's fraction is between 0 and 1.")
        self.fraction = float(fraction)
        super().__init__(expression, **extra)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        template = f"percentile_cont({self.fraction!r}) WITHIN GROUP (ORDER BY %(expressions)s)"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        template = f"{SQLITE_PERCENTILE}(%(expressions)s, {self.fraction!r})"
        return super().as_sql(compiler, connection, template=template, **extra)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """percentile_cont in Python: the definition both databases answer with."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class _SqlitePercentile:
    """The SQLite aggregate behind PercentileCont."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value: float | None, fraction: float) -> None:
        self.fraction = fraction
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        return percentile_cont(self.values, self.fraction)


def register_sqlite_functions(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Add the percentile aggregate to each new SQLite connection (a connection_created
    receiver: database plumbing, no domain behaviour)."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(SQLITE_PERCENTILE, 2, _SqlitePercentile)
