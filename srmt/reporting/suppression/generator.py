"""Realistic releases for tests and the benchmark (ADR 47): a month of requests counted by
office x form x request type (with every margin), and the same month by office x week.
Sizes follow long tails (Zipf-like weights for offices, forms and types, over-dispersed
noise), so many cells are small, as in the agency's own tables."""

from __future__ import annotations

import math
import random

from .model import Release


def _weights(n: int, exponent: float) -> list[float]:
    return [1.0 / (i + 1) ** exponent for i in range(n)]


def _negbin(rng: random.Random, mean: float, dispersion: float = 4.0) -> int:
    """A negative binomial draw (gamma-Poisson mixture) with the given mean."""
    if mean <= 0:
        return 0
    lam = rng.gammavariate(dispersion, mean / dispersion)
    # Poisson by inversion for small means, normal approximation for large ones.
    if lam > 60:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    threshold, k, prod = math.exp(-lam), 0, rng.random()
    while prod > threshold:
        k += 1
        prod *= rng.random()
    return k


def realistic_release(
    seed: int = 0,
    offices: int = 12,
    forms: int = 10,
    types: int = 5,
    weeks: int = 4,
    monthly_requests: int = 60_000,
) -> Release:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    office_names = [f"O{i:02d}" for i in range(offices)]
    form_names = [f"F{i:02d}" for i in range(forms)]
    type_names = [f"T{i}" for i in range(types)]
    ow, fw, tw = _weights(offices, 1.0), _weights(forms, 1.3), _weights(types, 1.1)
    total_w = sum(ow) * sum(fw) * sum(tw)
    cube: dict[tuple[str, ...], int] = {}
    for o, wo in zip(office_names, ow, strict=True):
        for f, wf in zip(form_names, fw, strict=True):
            for t, wt in zip(type_names, tw, strict=True):
                mean = monthly_requests * wo * wf * wt / total_w
                cube[(o, f, t)] = _negbin(rng, mean)
    release = Release()
    release.add_cube(
        ["office", "form", "type"],
        cube,
        {"office": office_names, "form": form_names, "type": type_names},
    )
    # The month's weeks, per office: split each office's month total across the weeks.
    by_week: dict[tuple[str, ...], int] = {}
    week_names = [f"W{i + 1}" for i in range(weeks)]
    for o in office_names:
        total = sum(v for (oo, _, _), v in cube.items() if oo == o)
        shares = [rng.gammavariate(8.0, 1.0) for _ in week_names]
        left = total
        for i, w in enumerate(week_names):
            n = left if i == weeks - 1 else min(left, round(total * shares[i] / sum(shares)))
            by_week[(o, w)] = n
            left -= n
    release.add_cube(["office", "week"], by_week, {"office": office_names, "week": week_names})
    return release
