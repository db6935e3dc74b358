"""The measures of supervisory review (docs/metrics.md, "Supervisory review"), computed in
one place for the review queue's summary and later reports.

Each decision (ReviewDecision) is one observation: its turnaround is the time from the
revision's submission (`pending_since`) to the decision; its verdict is approved, approved
with edits or returned. A response returned and resubmitted counts twice, once per
decision. Percentiles use the nearest-rank method on whole seconds.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from srmt.reviews.choices import Verdict
from srmt.reviews.models import ReviewDecision


def nearest_rank(sorted_values: Sequence[int], share: float) -> int | None:
    """The nearest-rank percentile (share 0.5: the median) of values sorted ascending;
    None for no values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass(frozen=True)
class Shares:
    """How a group's decisions went: counts and shares (0..1) of each verdict."""

    decisions: int
    approved: int
    approved_with_edits: int
    returned: int

    def share(self, verdict: str) -> float:
        count = {
            Verdict.APPROVED: self.approved,
            Verdict.APPROVED_WITH_EDITS: self.approved_with_edits,
            Verdict.RETURNED: self.returned,
        }[Verdict(verdict)]
        return count / self.decisions if self.decisions else 0.0

    @property
    def approved_share(self) -> float:
        return self.share(Verdict.APPROVED)

    @property
    def edited_share(self) -> float:
        return self.share(Verdict.APPROVED_WITH_EDITS)

    @property
    def returned_share(self) -> float:
        return self.share(Verdict.RETURNED)


@dataclass(frozen=True)
class ReviewMeasures:
    decisions: int
    turnaround_median_seconds: int | None
    turnaround_p80_seconds: int | None
    overall: Shares
    by_rule: dict[str, Shares] = field(default_factory=dict)  # rule code -> shares
    by_office: dict[str, Shares] = field(default_factory=dict)  # office code -> shares


def _shares(verdicts: Iterable[str]) -> Shares:
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for verdict in verdicts:
        counts[verdict] += 1
        total += 1
    return Shares(
        decisions=total,
        approved=counts[Verdict.APPROVED],
        approved_with_edits=counts[Verdict.APPROVED_WITH_EDITS],
        returned=counts[Verdict.RETURNED],
    )


def measure(decisions: Iterable[tuple[str, str, str, dt.datetime, dt.datetime]]) -> ReviewMeasures:
    """The measures over (verdict, rule code, office code, pending since, decided at)."""
    rows = list(decisions)
    seconds = sorted(max(0, int((decided - since).total_seconds())) for *_x, since, decided in rows)
    by_rule: dict[str, list[str]] = defaultdict(list)
    by_office: dict[str, list[str]] = defaultdict(list)
    for verdict, rule, office, _since, _decided in rows:
        by_rule[rule].append(verdict)
        by_office[office].append(verdict)
    return ReviewMeasures(
        decisions=len(rows),
        turnaround_median_seconds=nearest_rank(seconds, 0.5),
        turnaround_p80_seconds=nearest_rank(seconds, 0.8),
        overall=_shares(verdict for verdict, *_rest in rows),
        by_rule={code: _shares(v) for code, v in sorted(by_rule.items())},
        by_office={code: _shares(v) for code, v in sorted(by_office.items())},
    )


def decisions_between(
    start: dt.datetime, end: dt.datetime, *, offices: Iterable[int] | None = None
) -> QuerySet[ReviewDecision]:
    """Decisions made in [start, end), of the given offices (all when None)."""
    qs = ReviewDecision.objects.filter(decided_at__gte=start, decided_at__lt=end)
    if offices is not None:
        qs = qs.filter(office__in=list(offices))
    return qs


def review_measures(
    start: dt.datetime, end: dt.datetime, *, offices: Iterable[int] | None = None
) -> ReviewMeasures:
    """The measures of the decisions made in [start, end) (docs/metrics.md)."""
    rows = decisions_between(start, end, offices=offices).values_list(
        "verdict", "rule__code", "office__code", "pending_since", "decided_at"
    )
    return measure(rows)
