"""QA dashboards (docs/metrics.md, "National QA review"): evaluations grouped by office,
request type, responder or month, with the month-by-month trend of each group.

Every figure counts submitted evaluations, after disputes (a changed score changes the
result it counts under). The month is the month (agency time) the request closed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import QuerySet
from django.utils import timezone

from srmt.qa.models import Evaluation, Result

Dimension = Literal["office", "type", "responder", "month"]
DIMENSIONS: tuple[Dimension, ...] = ("office", "type", "responder", "month")


@dataclass
class Row:
    key: str
    label: str
    evaluations: int = 0
    passed: int = 0
    needs_improvement: int = 0
    failed: int = 0
    share_total: float = 0.0
    trend: dict[str, float | None] = field(default_factory=dict)  # month → pass rate

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.evaluations if self.evaluations else None

    @property
    def mean_score(self) -> float | None:
        return self.share_total / self.evaluations if self.evaluations else None


def _month(at: dt.datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m")


def _key(evaluation: Evaluation, by: Dimension) -> tuple[str, str]:
    item = evaluation.assignment.item
    if by == "office":
        return item.office.code, item.office.name
    if by == "type":
        return item.type.code, item.type.name
    if by == "responder":
        if item.responder is None:
            return "", "—"
        return (
            item.responder.get_username(),
            item.responder.get_full_name() or item.responder.get_username(),
        )
    month = _month(item.service_request.closed_at or evaluation.submitted_at)
    return month, month


def dashboard(
    evaluations: QuerySet[Evaluation],
    *,
    by: Dimension,
    since: str = "",
    until: str = "",
) -> tuple[list[Row], list[str]]:
    """The rows of `by` (with their trend over the months shown) and the months, ascending.
    `since` and `until` ("YYYY-MM", inclusive; blank: open) keep the requests closed in
    that range of months."""
    rows: dict[str, Row] = {}
    monthly: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    all_months: set[str] = set()
    qs = evaluations.select_related(
        "assignment__item__office",
        "assignment__item__type",
        "assignment__item__responder",
        "assignment__item__service_request",
    ).order_by("pk")
    for evaluation in qs:
        item = evaluation.assignment.item
        month = _month(item.service_request.closed_at or evaluation.submitted_at)
        if (since and month < since) or (until and month > until):
            continue
        key, label = _key(evaluation, by)
        row = rows.setdefault(key, Row(key=key, label=label))
        row.evaluations += 1
        row.share_total += evaluation.score_share
        if evaluation.result == Result.PASS:
            row.passed += 1
        elif evaluation.result == Result.NEEDS_IMPROVEMENT:
            row.needs_improvement += 1
        else:
            row.failed += 1
        counts = monthly[(key, month)]
        counts[0] += 1
        counts[1] += evaluation.result == Result.PASS
        all_months.add(month)
    ordered_months = sorted(all_months)
    for row in rows.values():
        for month in ordered_months:
            total, passed = monthly.get((row.key, month), [0, 0])
            row.trend[month] = passed / total if total else None
    return sorted(rows.values(), key=lambda r: r.key), ordered_months


CSV_HEADER = [
    "group",
    "key",
    "label",
    "evaluations",
    "pass",
    "needs_improvement",
    "fail",
    "pass_rate",
    "mean_score",
]


def csv_rows(rows: list[Row], months: list[str], *, by: Dimension) -> list[list[str]]:
    """The dashboard as CSV: a header, then one line per group with its monthly pass rate."""

    def fmt(value: float | None) -> str:
        return "" if value is None else f"{value:.4f}"

    out = [[*CSV_HEADER, *(f"pass_rate_{m}" for m in months)]]
    for row in rows:
        out.append(
            [
                by,
                row.key,
                row.label,
                str(row.evaluations),
                str(row.passed),
                str(row.needs_improvement),
                str(row.failed),
                fmt(row.pass_rate),
                fmt(row.mean_score),
                *(fmt(row.trend[m]) for m in months),
            ]
        )
    return out
