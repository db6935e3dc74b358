"""Calibration: how far reviewers agree when they score the same requests.

Per criterion, Krippendorff's alpha (the `krippendorff` package) at the ordinal level of
measurement, over the sample's items that two or more reviewers scored on the same scorecard
version: 1 is perfect agreement, 0 what chance would give, below 0 systematic disagreement.
Alpha is undefined (None) when fewer than two items have two scores, or when every score
is the same value (no variation to agree about)."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import krippendorff
import numpy as np

from srmt.qa.models import Criterion, Sample, Score


@dataclass(frozen=True)
class Disagreement:
    item_id: int
    reference: str
    values: dict[str, int]  # reviewer username → value


@dataclass(frozen=True)
class CriterionAgreement:
    criterion: Criterion
    alpha: float | None
    items: int
    ratings: int
    disagreements: list[Disagreement] = field(default_factory=list)


def alpha(matrix: list[list[float]], values: list[int]) -> float | None:
    """Ordinal alpha of a reviewers × items matrix (nan: not scored), or None if undefined."""
    data = np.array(matrix, dtype=float)
    if data.size == 0:
        return None
    pairable = [col[~np.isnan(col)] for col in data.T]
    pairable = [col for col in pairable if col.size >= 2]
    if len(pairable) < 2 or len({float(v) for col in pairable for v in col}) < 2:
        return None
    result = float(
        krippendorff.alpha(
            reliability_data=data, level_of_measurement="ordinal", value_domain=values
        )
    )
    return None if math.isnan(result) else result


def calibration(sample: Sample) -> list[CriterionAgreement]:
    """Agreement per criterion over the sample's items scored by two or more reviewers."""
    scores = list(
        Score.objects.filter(evaluation__assignment__item__sample=sample)
        .select_related(
            "criterion__scorecard",
            "evaluation__assignment__reviewer",
            "evaluation__assignment__item__service_request",
        )
        .order_by("criterion__scorecard__version", "criterion__order", "id")
    )
    by_criterion: dict[int, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    criteria: dict[int, Criterion] = {}
    references: dict[int, str] = {}
    for score in scores:
        assignment = score.evaluation.assignment
        criteria[score.criterion_id] = score.criterion
        references[assignment.item_id] = assignment.item.service_request.reference
        by_criterion[score.criterion_id][assignment.item_id][assignment.reviewer.get_username()] = (
            score.value
        )
    result = []
    for criterion_id, items in by_criterion.items():
        shared = {item: v for item, v in sorted(items.items()) if len(v) >= 2}
        if not shared:
            continue
        reviewers = sorted({name for v in shared.values() for name in v})
        matrix = [[float(shared[i].get(r, math.nan)) for i in shared] for r in reviewers]
        criterion = criteria[criterion_id]
        result.append(
            CriterionAgreement(
                criterion=criterion,
                alpha=alpha(matrix, criterion.values),
                items=len(shared),
                ratings=sum(len(v) for v in shared.values()),
                disagreements=[
                    Disagreement(item, references[item], dict(sorted(v.items())))
                    for item, v in shared.items()
                    if len(set(v.values())) > 1
                ],
            )
        )
    result.sort(key=lambda a: (a.criterion.scorecard.version, a.criterion.order))
    return result
