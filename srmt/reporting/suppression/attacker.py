"""The attacker's linear programs (ADR 47).

Given what a release publishes (every value but the suppressed ones, and every additive
constraint), the tightest bounds anyone can derive for a suppressed cell ``k`` are

    min / max  y_k  subject to  y >= 0, every constraint, and y_j = published value of j.

One model holds every cell of the release: a published cell is a column fixed at its
value, a suppressed cell a free non-negative column, so changing what is suppressed only
changes bounds and HiGHS re-solves from its last basis.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from .lp import INF, SOLVER, LinearModel
from .model import CellKey, Constraint

__all__ = ["SOLVER", "TOLERANCE", "Attacker", "Interval", "constraint_rows", "linked_groups"]

TOLERANCE = 1e-6


@dataclass(frozen=True)
class Interval:
    lower: float
    upper: float  # math.inf when nothing bounds the cell from above

    @property
    def width(self) -> float:
        return self.upper - self.lower


def constraint_rows(
    cells: Sequence[CellKey], constraints: Sequence[Constraint]
) -> list[dict[int, float]]:
    index = {k: i for i, k in enumerate(cells)}
    rows: list[dict[int, float]] = []
    for con in constraints:
        row: dict[int, float] = {index[con.total]: 1.0}
        for p in con.parts:
            row[index[p]] = row.get(index[p], 0.0) - 1.0
        rows.append(row)
    return rows


class Attacker:
    """Everything an attacker knows about one publication; ``suppress``/``publish`` change
    what is known, ``interval`` answers the two programs for one suppressed cell."""

    def __init__(
        self,
        values: Mapping[CellKey, int | None],
        constraints: Sequence[Constraint],
        suppressed: Collection[CellKey],
    ) -> None:
        self.cells = sorted(values)
        self.index = {k: i for i, k in enumerate(self.cells)}
        self._values = values
        self.suppressed = set(suppressed)
        rows = constraint_rows(self.cells, constraints)
        lower: list[float] = []
        upper: list[float] = []
        for k in self.cells:
            if k in self.suppressed:
                lower.append(0.0)
                upper.append(INF)
            else:
                v = values[k]
                if v is None:
                    raise ValueError("a published cell has no value")
                lower.append(float(v))
                upper.append(float(v))
        zeros = [0.0] * len(rows)
        self._model = LinearModel(len(self.cells), rows, zeros, zeros, lower, upper)
        # interval and the two tables that attain its ends (the programs' solutions)
        self._cache: dict[CellKey, tuple[Interval, tuple[float, ...], tuple[float, ...]]] = {}

    def suppress(self, key: CellKey) -> None:
        if key not in self.suppressed:
            self.suppressed.add(key)
            self._model.set_bounds(self.index[key], 0.0, INF)
            self._cache.clear()

    def publish(self, key: CellKey) -> None:
        if key in self.suppressed:
            v = self._values[key]
            if v is None:
                raise ValueError("a published cell has no value")
            self.suppressed.discard(key)
            self._model.set_bounds(self.index[key], float(v), float(v))
            # An interval stays exact if both tables attaining it already had the value
            # now published: they remain feasible, and the bounds cannot widen.
            i = self.index[key]
            self._cache = {
                k: entry
                for k, entry in self._cache.items()
                if k != key
                and len(entry[1]) > i
                and len(entry[2]) > i
                and abs(entry[1][i] - v) <= TOLERANCE
                and abs(entry[2][i] - v) <= TOLERANCE
            }

    def interval(self, key: CellKey) -> Interval:
        if key not in self.suppressed:
            raise KeyError(key)
        if key not in self._cache:
            self._model.set_costs({self.index[key]: 1.0})
            low = self._model.solve(maximize=False)
            high = self._model.solve(maximize=True)
            if low.status == "infeasible" or high.status == "infeasible":
                raise RuntimeError("the published values contradict the constraints")
            lower = max(0.0, low.objective)
            upper = high.objective if high.status == "optimal" else math.inf
            self._cache[key] = (Interval(lower, upper), low.x, high.x)
        return self._cache[key][0]


def linked_groups(
    constraints: Sequence[Constraint], suppressed: Collection[CellKey]
) -> dict[CellKey, frozenset[CellKey]]:
    """For each suppressed cell, the suppressed cells whose bounds can depend on it: those
    joined to it through constraints that hold two or more suppressed cells."""
    supp = set(suppressed)
    parent: dict[CellKey, CellKey] = {k: k for k in supp}

    def find(k: CellKey) -> CellKey:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for con in constraints:
        inside = [k for k in (con.total, *con.parts) if k in supp]
        for other in inside[1:]:
            a, b = find(inside[0]), find(other)
            if a != b:
                parent[a] = b
    members: dict[CellKey, set[CellKey]] = {}
    for k in supp:
        members.setdefault(find(k), set()).add(k)
    return {k: frozenset(members[find(k)]) for k in supp}
