"""The attacker's linear programs (ADR 47).

Given what a release publishes (every value but the suppressed ones, and every additive
constraint), the tightest bounds anyone can derive for a suppressed cell ``k`` are

    min / max  y_k  subject to  y >= 0, every constraint, and y_j = published value of j.

With the published cells fixed, only the constraints holding a suppressed cell matter, and
they split the suppressed cells into independent linked groups: each group is one small
model (its cells as columns, the published values on the right-hand side), re-solved for
each of its cells from the last basis.
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
    what is known, ``interval`` answers the two programs for one suppressed cell.

    The programs of a cell only involve its *linked group*: the suppressed cells reachable
    from it through constraints (a constraint's published cells are constants). So each
    group gets a small model of its own (its suppressed cells as columns, every constraint
    touching them as a row, the published cells moved to the right-hand side), solved for
    every cell of the group, and answers are kept for as long as the group is unchanged."""

    def __init__(
        self,
        values: Mapping[CellKey, int | None],
        constraints: Sequence[Constraint],
        suppressed: Collection[CellKey],
    ) -> None:
        self._values = values
        self._cells_of = [(con.total, *con.parts) for con in constraints]
        self.suppressed = set(suppressed)
        self._touching: dict[CellKey, list[int]] = {}
        for i, cells in enumerate(self._cells_of):
            for k in cells:
                self._touching.setdefault(k, []).append(i)
        for k in self.suppressed:
            self._check(k)
        # per group: its model and the intervals solved so far (with the tables attaining
        # them); the group of each cell while nothing changes; intervals carried over to the
        # groups a publication split off (see ``publish``)
        self._groups: dict[frozenset[CellKey], _Group] = {}
        self._group_of: dict[CellKey, frozenset[CellKey]] = {}
        self._carried: dict[frozenset[CellKey], dict[CellKey, _Solved]] = {}
        self._carried_points: dict[frozenset[CellKey], list[dict[CellKey, float]]] = {}

    def _check(self, key: CellKey) -> None:
        if key not in self._values:
            raise KeyError(key)

    def suppress(self, key: CellKey) -> None:
        self._check(key)
        if key not in self.suppressed:
            self.suppressed.add(key)
            self._group_of.clear()
            self._carried.clear()
            self._carried_points.clear()

    def publish(self, key: CellKey) -> None:
        if key not in self.suppressed:
            return
        v = self._values[key]
        if v is None:
            raise ValueError("a published cell has no value")
        before = self._groups.get(self.group(key))
        self.suppressed.discard(key)
        self._group_of.clear()
        self._carried.clear()
        self._carried_points.clear()
        if before is not None:
            self._carry(before, key, v)

    def _carry(self, before: _Group, key: CellKey, v: float) -> None:
        """What stays known of ``before``, the group of ``key``, once ``key`` shows ``v``:
        the tables the attacker could not rule out that had that value (restricted to the
        groups ``before`` splits into), and the intervals both of whose tables had it."""
        for point in before.points:
            if abs(point[key] - v) <= TOLERANCE:
                split: dict[frozenset[CellKey], dict[CellKey, float]] = {}
                for k, y in point.items():
                    if k != key:
                        split.setdefault(self.group(k), {})[k] = y
                for members, restricted in split.items():
                    self._carried_points.setdefault(members, []).append(restricted)
        # Such tables stay feasible, and fixing a cell cannot widen the bounds: an interval
        # attained by two of them stays exact.
        for k, (interval, low, high) in before.solved.items():
            if (
                k != key
                and high is not None
                and abs(low[key] - v) <= TOLERANCE
                and abs(high[key] - v) <= TOLERANCE
            ):
                members = self.group(k)
                self._carried.setdefault(members, {})[k] = (
                    interval,
                    {m: low[m] for m in members},
                    {m: high[m] for m in members},
                )

    def group(self, key: CellKey) -> frozenset[CellKey]:
        """The suppressed cells linked to ``key`` (itself included)."""
        known = self._group_of.get(key)
        if known is not None:
            return known
        seen = {key}
        todo = [key]
        suppressed = self.suppressed
        while todo:
            k = todo.pop()
            for i in self._touching.get(k, ()):
                for other in self._cells_of[i]:
                    if other in suppressed and other not in seen:
                        seen.add(other)
                        todo.append(other)
        members = frozenset(seen)
        if key in suppressed:
            for k in members:
                self._group_of[k] = members
        return members

    def _group_model(self, key: CellKey) -> _Group:
        if key not in self.suppressed:
            raise KeyError(key)
        members = self.group(key)
        group = self._groups.get(members)
        if group is None:
            if len(self._groups) > 512:
                self._groups.clear()
            points = self._carried_points.pop(members, [])
            if all(self._values[k] is not None for k in members):
                points.append({k: float(self._values[k] or 0) for k in members})
            carried = self._carried.pop(members, {})
            group = self._groups[members] = _Group(self, members, carried, points)
        return group

    def interval(self, key: CellKey) -> Interval:
        return self._group_model(key).interval(key)

    def protected(self, key: CellKey, width: float) -> bool:
        """Whether the interval of ``key`` is at least ``width`` wide. Two tables the
        attacker cannot rule out (the true one, when known, and those attaining earlier
        programs' ends) that already differ that much in ``key`` answer without a program."""
        if width > TOLERANCE and self.alone(key):
            return False
        group = self._group_model(key)
        if key not in group.solved and group.points:
            values = [point[key] for point in group.points]
            if max(values) - min(values) >= width - TOLERANCE:
                return True
        return group.interval(key).width >= width - TOLERANCE

    def alone(self, key: CellKey) -> bool:
        """Whether ``key`` is the only suppressed cell of some constraint: the constraint
        then gives its value (an interval of width 0), no program needed."""
        suppressed = self.suppressed
        return any(
            sum(1 for k in self._cells_of[i] if k in suppressed) == 1
            for i in self._touching.get(key, ())
        )

    def gives_away(self, key: CellKey, width: float) -> bool:
        """Whether a constraint holding ``key`` (a published cell) now gives a suppressed
        cell away with certainty, by the necessary conditions of protection: it holds one
        suppressed cell only (that cell is the rest of the sum), or its total is published
        and its suppressed parts add up to less than ``width`` (each lies between 0 and
        their sum, which is known). Needs the true values (the suppressing side's
        attacker, not the audit's). False says nothing: the programs decide."""
        suppressed = self.suppressed
        for i in self._touching.get(key, ()):
            cells = self._cells_of[i]
            hidden = [k for k in cells if k in suppressed]
            if len(hidden) == 1:
                return True
            if hidden and cells[0] not in suppressed:
                values = [self._values[k] for k in hidden]
                if all(v is not None for v in values) and sum(v or 0 for v in values) < (
                    width - TOLERANCE
                ):
                    return True
        return False

    def touching(self, key: CellKey) -> Sequence[int]:
        """The positions (in the constraints given) of the constraints holding ``key``."""
        return self._touching.get(key, ())

    def cells_of(self, position: int) -> tuple[CellKey, ...]:
        """The cells of the constraint at ``position``: its total, then its parts."""
        return self._cells_of[position]

    def neighbours(self, key: CellKey) -> set[CellKey]:
        """The suppressed cells sharing a constraint with ``key`` (itself left out)."""
        return {
            k
            for i in self._touching.get(key, ())
            for k in self._cells_of[i]
            if k in self.suppressed and k != key
        }

    def _rows(
        self, members: frozenset[CellKey], index: Mapping[CellKey, int]
    ) -> tuple[list[dict[int, float]], list[float]]:
        rows: list[dict[int, float]] = []
        rhs: list[float] = []
        for i in sorted({i for k in members for i in self._touching.get(k, ())}):
            cells = self._cells_of[i]
            row: dict[int, float] = {}
            constant = 0.0
            for j, k in enumerate(cells):
                coefficient = 1.0 if j == 0 else -1.0
                if k in members:
                    row[index[k]] = row.get(index[k], 0.0) + coefficient
                else:
                    v = self._values[k]
                    if v is None:  # pragma: no cover (a suppressed cell is in its group)
                        raise ValueError("a published cell has no value")
                    constant += coefficient * float(v)
            rows.append(row)
            rhs.append(-constant)
        return rows, rhs


_Solved = tuple[Interval, dict[CellKey, float], dict[CellKey, float] | None]
"""An interval and the two tables attaining its ends (None: no upper end)."""


class _Group:
    """The attacker's model of one linked group."""

    MAX_POINTS = 256

    def __init__(
        self,
        attacker: Attacker,
        members: frozenset[CellKey],
        solved: dict[CellKey, _Solved],
        points: list[dict[CellKey, float]],
    ) -> None:
        self.cells = sorted(members)
        self.index = {k: i for i, k in enumerate(self.cells)}
        self._attacker = attacker
        self._model: LinearModel | None = None
        self.solved = dict(solved)
        # tables satisfying everything the attacker knows (for ``Attacker.protected``)
        self.points = points[-self.MAX_POINTS :]
        for _, low, high in self.solved.values():
            self._add(low)
            if high is not None:
                self._add(high)

    def _add(self, point: dict[CellKey, float]) -> None:
        self.points.append(point)
        if len(self.points) > self.MAX_POINTS:
            del self.points[0]

    def interval(self, key: CellKey) -> Interval:
        if key not in self.solved:
            if self._model is None:
                rows, rhs = self._attacker._rows(frozenset(self.cells), self.index)
                n = len(self.cells)
                self._model = LinearModel(n, rows, rhs, rhs, [0.0] * n, [INF] * n)
            model = self._model
            model.set_costs({self.index[key]: 1.0})
            low = model.solve(maximize=False)
            high = model.solve(maximize=True)
            if low.status == "infeasible" or high.status == "infeasible":
                raise RuntimeError("the published values contradict the constraints")
            lower = max(0.0, low.objective)
            upper = high.objective if high.status == "optimal" else math.inf
            low_point = dict(zip(self.cells, low.x, strict=True))
            high_point = dict(zip(self.cells, high.x, strict=True)) if high.x else None
            self.solved[key] = (Interval(lower, upper), low_point, high_point)
            self._add(low_point)
            if high_point is not None:
                self._add(high_point)
        return self.solved[key][0]


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
