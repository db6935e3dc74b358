"""The overall result of an evaluation, by one documented rule (ADR 36, docs/metrics.md).

share = Σ (value − lowest) / Σ (highest − lowest) over the scorecard's criteria.
- fail: a critical criterion is at its lowest level, or share < improvement threshold;
- pass: share ≥ pass threshold (0.80 in version 1);
- needs improvement: otherwise (0.60 ≤ share < 0.80 in version 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from srmt.qa.models import Criterion, Result, Scorecard


def score_share(criteria: list[Criterion], values: Mapping[str, int]) -> float:
    earned = possible = 0
    for criterion in criteria:
        low, high = min(criterion.values), max(criterion.values)
        earned += values[criterion.code] - low
        possible += high - low
    return earned / possible if possible else 1.0


def overall(scorecard: Scorecard, criteria: list[Criterion], values: Mapping[str, int]) -> Result:
    share = Decimal(str(round(score_share(criteria, values), 6)))
    if any(c.is_critical and values[c.code] == min(c.values) for c in criteria):
        return Result.FAIL
    if share >= scorecard.pass_threshold:
        return Result.PASS
    if share >= scorecard.improvement_threshold:
        return Result.NEEDS_IMPROVEMENT
    return Result.FAIL
