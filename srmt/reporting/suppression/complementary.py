"""Primary and complementary suppression of a release (ADR 47).

1. Primary: every count from 1 to the threshold is suppressed (``D``).
2. Protection: for each suppressed cell whose attacker interval (``attacker.py``) is
   narrower than the protection level ``p``, solve one linear program over *deviations* of
   the whole release: find another non-negative table that satisfies every constraint, in
   which the cell is at least ``lower + p``, changing as few published cells (weighted by a
   cost) as possible. Every published cell that had to change is suppressed (``H``): the
   attacker can no longer rule that other table out, so the cell's interval is at least
   ``p`` wide. Suppressing more cells only widens intervals, so a cell once protected stays
   protected; new ``H`` cells are checked in turn.
3. Pruning: each ``H`` cell (costliest first) is published again if every suppressed cell
   it was linked to keeps its protection without it.

Costs per unit of deviation: a cell already suppressed is free; an interior cell costs 1,
a total costs 2 (totals link tables, and readers need them most); ties go to larger values
(a large cell can cover several small ones: fewer H cells, ADR 47).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np

from .attacker import TOLERANCE, Attacker, Interval, constraint_rows
from .lp import INF, LinearModel, cheapest_binary_csr
from .model import CellKey, Constraint, Release, describe
from .rules import Policy, Status


@dataclass
class Publication:
    """A release after suppression: what each cell shows."""

    release: Release
    policy: Policy
    status: dict[CellKey, Status] = field(default_factory=dict)
    bounds: dict[CellKey, Interval] | None = None
    """The attacker's interval of every suppressed cell, set once an audit passed
    (``audit.audit``); lets a publication that contains this one audit only what differs."""

    def published_value(self, key: CellKey) -> int | None:
        return self.release.values[key] if self.status[key] is Status.PUBLISHED else None

    def display(self, key: CellKey) -> str:
        """The text of a cell in a table or a file: the count, ``D`` or ``H``."""
        value = self.published_value(key)
        return self.status[key].marker if value is None else str(value)

    def published_values(self) -> dict[CellKey, int | None]:
        return {k: self.published_value(k) for k in self.release.values}

    def cells(self, status: Status) -> list[CellKey]:
        return sorted(k for k, s in self.status.items() if s is status)

    @property
    def primary_count(self) -> int:
        return len(self.cells(Status.PRIMARY))

    @property
    def complementary_count(self) -> int:
        return len(self.cells(Status.COMPLEMENTARY))

    @property
    def complementary_ratio(self) -> float:
        """Complementary cells per primary cell (0 when nothing is suppressed)."""
        p = self.primary_count
        return self.complementary_count / p if p else 0.0


class _DeviationLP:
    """The linear programs of step 2, one per independent part of the release (cells that
    no chain of constraints links cannot help each other), each built once (only costs and
    bounds vary): columns ``up_j`` and ``down_j`` per cell, the other table being
    ``value + up - down``."""

    def __init__(self, release: Release, keep: Collection[CellKey] = ()) -> None:
        totals = {c.total for c in release.constraints}
        self._cost = {
            k: (2.0 if k in totals else 1.0) - 1e-3 * math.log1p(v)
            for k, v in release.values.items()
        }
        self._cost.update(dict.fromkeys(keep, KEEP_COST))
        parent = {k: k for k in release.values}

        def find(k: CellKey) -> CellKey:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        for con in release.constraints:
            root = find(con.total)
            for part in con.parts:
                other = find(part)
                if other != root:
                    parent[other] = root
        self._release = release
        self._component = {k: find(k) for k in release.values}
        self._models: dict[CellKey, _ComponentLP] = {}

    def cost(self, key: CellKey) -> float:
        return self._cost[key]

    def witnesses(self, target: CellKey, at_least: float, suppressed: set[CellKey]) -> set[CellKey]:
        """The published cells to suppress so that ``target`` may be ``at_least``."""
        root = self._component[target]
        model = self._models.get(root)
        if model is None:
            cells = sorted(k for k, r in self._component.items() if r == root)
            constraints = [c for c in self._release.constraints if self._component[c.total] == root]
            model = self._models[root] = _ComponentLP(self._release, cells, constraints, self._cost)
        return model.witnesses(target, at_least, suppressed)


class _ComponentLP:
    def __init__(
        self,
        release: Release,
        cells: list[CellKey],
        constraints: list[Constraint],
        cost: dict[CellKey, float],
    ) -> None:
        self.cells = cells
        self.index = {k: i for i, k in enumerate(self.cells)}
        self.values = [float(release.values[k]) for k in self.cells]
        n = len(self.cells)
        self.n = n
        rows = []
        for row in constraint_rows(self.cells, constraints):
            full = dict(row)
            full.update({n + c: -v for c, v in row.items()})
            rows.append(full)
        zeros = [0.0] * len(rows)
        self.model = LinearModel(
            2 * n, rows, zeros, zeros, [0.0] * (2 * n), [INF] * n + self.values
        )
        self.base_cost = [cost[k] for k in self.cells]

    def witnesses(self, target: CellKey, at_least: float, suppressed: set[CellKey]) -> set[CellKey]:
        n = self.n
        costs: dict[int, float] = {}
        for i, k in enumerate(self.cells):
            c = 1e-6 if k in suppressed else self.base_cost[i]
            costs[i] = c
            costs[n + i] = c
        self.model.set_costs(costs)
        t = self.index[target]
        self.model.set_bounds(t, at_least - self.values[t], INF)
        self.model.set_bounds(n + t, 0.0, 0.0)
        try:
            res = self.model.solve()
        finally:
            self.model.set_bounds(t, 0.0, INF)
            self.model.set_bounds(n + t, 0.0, self.values[t])
        if res.status != "optimal":
            raise RuntimeError(f"no way to protect {describe(target)}: {res.status}")
        return {
            k
            for i, k in enumerate(self.cells)
            if abs(res.x[i] - res.x[n + i]) > TOLERANCE and k not in suppressed
        }


def suppress(
    release: Release,
    policy: Policy | None = None,
    *,
    keep: Collection[CellKey] = (),
    hidden: Collection[CellKey] = (),
) -> Publication:
    """Apply primary and complementary suppression; the values themselves never change.

    For a release read together with another one that shares cells (a filtered public
    release and the unfiltered one): ``hidden`` are cells the other one hides (hidden here
    from the start, never published again by pruning), ``keep`` cells it publishes (hidden
    here only if nothing else can protect a cell: ``KEEP_COST`` per unit)."""
    policy = policy or Policy()
    p = policy.protection_level
    values = release.values
    primary = {k for k, v in values.items() if policy.is_primary(v)}
    suppressed = primary | (set(hidden) & set(values))
    if primary:
        lp = _DeviationLP(release, keep=set(keep) - suppressed)
        suppressed |= _partners(release, suppressed, lp.cost, p)[0]
        attacker = Attacker(dict(values), release.constraints, suppressed)
        _protect(release, lp, attacker, sorted(suppressed, key=lambda k: (values[k], k)), p)
        _prune(release, lp, attacker, primary | set(hidden), p)
        suppressed = set(attacker.suppressed)
    status = {
        k: Status.PRIMARY
        if k in primary
        else Status.COMPLEMENTARY
        if k in suppressed
        else Status.PUBLISHED
        for k in values
    }
    return Publication(release, policy, status)


KEEP_COST = 1000.0
"""The cost per unit of changing a cell that another release publishes (``suppress``)."""


PARTNER_NODES = 2000
"""Branch-and-bound nodes HiGHS may explore for the partners' program (``_partners``)."""


def _partners(
    release: Release, primary: set[CellKey], cost: Callable[[CellKey], float], p: float
) -> tuple[set[CellKey], float]:
    """The cheapest cells (by ``cost``) to hide with the primary ones so that, in every
    constraint, (a) no hidden cell is alone: a cell alone in a sum is given away by it;
    (b) a hidden part whose total is published shares the sum with hidden parts worth at
    least ``p`` together (itself included): they add up to a known amount, which bounds each
    of them. Both are necessary for protection, not enough (step 2 sees to the rest). One
    binary program over the release; empty when HiGHS finds no solution within
    ``PARTNER_NODES`` nodes. Also a lower bound on the cost of any cells that meet (a) and
    (b), so of any complementary suppression that protects the release."""
    # Parts of the release that no chain of constraints links to a primary cell need no
    # partner (all their cells at 0 meets (a) and (b) at no cost): left out. Parts that no
    # chain links to each other share no row: one program each (the same optimum, found
    # in smaller searches; the node limit applies to each).
    chosen: set[CellKey] = set()
    bound = 0.0
    for cells, constraints in _components(release, primary):
        if not constraints:  # cells in no sum need no partner
            continue
        index = {k: i for i, k in enumerate(cells)}
        room = np.array([min(float(release.values[k]), p) for k in cells])
        starts: list[np.ndarray] = []
        columns: list[np.ndarray] = []
        coefficients: list[np.ndarray] = []
        width = 0
        for con in constraints:
            parts = np.array([index[k] for k in con.parts], dtype=np.int32)
            members = np.concatenate(([index[con.total]], parts)).astype(np.int32)
            m, q = len(members), len(parts)
            if len(set(members.tolist())) < m:  # a cell on both sides (a sum of one cell)
                for row in _rows_of(members.tolist(), parts.tolist(), room, p):
                    starts.append(np.array([width]))
                    columns.append(np.array(list(row), dtype=np.int32))
                    coefficients.append(np.array(list(row.values())))
                    width += len(row)
                continue
            # (a) for each member c: the other members' sum - c >= 0
            block = np.ones((m, m)) - 2.0 * np.eye(m)
            # (b) for each part c: room of the parts - p * c + p * total >= 0
            partial = np.tile(room[parts], (q, 1)) - p * np.eye(q)
            starts.append(width + m * np.arange(m))
            columns.append(np.tile(members, m))
            coefficients.append(block.ravel())
            width += m * m
            starts.append(width + m * np.arange(q))
            columns.append(np.tile(members, q))
            coefficients.append(np.column_stack((np.full(q, p), partial)).ravel())
            width += m * q
        found, part_bound = cheapest_binary_csr(
            len(cells),
            np.concatenate(starts).astype(np.int32),
            np.concatenate(columns).astype(np.int32),
            np.concatenate(coefficients),
            [0.0 if k in primary else cost(k) for k in cells],
            [index[k] for k in primary if k in index],
            PARTNER_NODES,
        )
        chosen |= {cells[j] for j in found or ()}
        bound += part_bound
    return chosen - primary, bound


def _rows_of(
    members: list[int], parts: list[int], room: np.ndarray, p: float
) -> list[dict[int, float]]:
    """The rows (a) and (b) of one constraint (``members``: its total, then its parts), one
    dict each, a cell listed twice written once."""
    rows = [{j: (-1.0 if j == c else 1.0) for j in members} for c in members]
    for c in parts:
        row = {j: float(room[j]) for j in parts}
        row[c] -= p
        row[members[0]] = p
        rows.append(row)
    return rows


def _components(
    release: Release, cells: Collection[CellKey]
) -> list[tuple[list[CellKey], list[Constraint]]]:
    """The parts of the release (cells and constraints) that chains of constraints join to
    one of ``cells``, each part apart: no constraint holds cells of two parts."""
    linked = _linked_to(release, cells)
    parent = {k: k for k in linked}

    def find(k: CellKey) -> CellKey:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    # a sum of one cell that is its own total (x = x: a filtered release's margin over the
    # one category it keeps) says nothing; its rows would forbid hiding the cell
    inside = [c for c in release.constraints if c.total in linked and c.parts != (c.total,)]
    for con in inside:
        root = find(con.total)
        for part in con.parts:
            other = find(part)
            if other != root:
                parent[other] = root
    members: dict[CellKey, list[CellKey]] = {}
    for k in sorted(linked):
        members.setdefault(find(k), []).append(k)
    constraints: dict[CellKey, list[Constraint]] = {}
    for con in inside:
        constraints.setdefault(find(con.total), []).append(con)
    return [(members[root], constraints.get(root, [])) for root in sorted(members)]


def _linked_to(release: Release, cells: Collection[CellKey]) -> set[CellKey]:
    """The cells that a chain of constraints joins to one of ``cells`` (those included)."""
    touching: dict[CellKey, list[Constraint]] = {}
    for con in release.constraints:
        for k in (con.total, *con.parts):
            touching.setdefault(k, []).append(con)
    seen = set(cells)
    todo = list(seen)
    while todo:
        for con in touching.get(todo.pop(), ()):
            for k in (con.total, *con.parts):
                if k not in seen:
                    seen.add(k)
                    todo.append(k)
    return seen


def complementary_lower_bound(release: Release, policy: Policy | None = None) -> int:
    """At least this many complementary cells are needed to protect ``release`` (every
    protecting pattern meets the necessary conditions of ``_partners``; the bound is the
    binary program's at unit costs, 0 when nothing is primary)."""
    policy = policy or Policy()
    primary = {k for k, v in release.values.items() if policy.is_primary(v)}
    if not primary:
        return 0
    _, bound = _partners(release, primary, lambda _key: 1.0, policy.protection_level)
    return max(0, math.ceil(bound - 1e-6))


def _protect(
    release: Release, lp: _DeviationLP, attacker: Attacker, queue: list[CellKey], p: float
) -> None:
    pending = list(queue)
    while pending:
        key = pending.pop(0)
        if attacker.protected(key, p):
            continue
        interval = attacker.interval(key)
        added = lp.witnesses(key, interval.lower + p, attacker.suppressed)
        if not added:
            raise RuntimeError(f"cannot protect {describe(key)}")
        for k in added:
            attacker.suppress(k)
        pending.extend(sorted(added, key=lambda k: (release.values[k], k)))
        pending.append(key)  # check again: the program's answer is exact, but be sure


def _prune(
    release: Release, lp: _DeviationLP, attacker: Attacker, fixed: set[CellKey], p: float
) -> None:
    extra = sorted(attacker.suppressed - fixed, key=lambda k: (-lp.cost(k), k))
    for key in extra:
        # the cells that shared a sum with ``key`` first: when publishing it exposes one,
        # that is where (the answer is the same in any order, found sooner)
        near = attacker.neighbours(key)
        linked = sorted(attacker.group(key) - {key}, key=lambda k: (k not in near, k))
        attacker.publish(key)
        if attacker.gives_away(key, p) or not all(attacker.protected(k, p) for k in linked):
            attacker.suppress(key)
