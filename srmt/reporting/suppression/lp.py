"""A thin, typed wrapper around HiGHS (``highspy``) for the programs of ADR 47: one model
built once, then re-solved many times with other costs and bounds (HiGHS starts again from
the last basis instead of building the problem again)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version

import highspy
import numpy as np

SOLVER = f"HiGHS (highspy {version('highspy')})"

INF = math.inf


@dataclass(frozen=True)
class Solution:
    status: str  # "optimal" | "unbounded" | "infeasible"
    objective: float
    x: tuple[float, ...]


class LinearModel:
    """``lower <= x <= upper``, ``row_lower <= A x <= row_upper`` (A given row by row)."""

    def __init__(
        self,
        n: int,
        rows: Sequence[dict[int, float]],
        row_lower: Sequence[float],
        row_upper: Sequence[float],
        lower: Sequence[float],
        upper: Sequence[float],
    ) -> None:
        self.n = n
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")
        self._inf = float(highspy.kHighsInf)
        h.addCols(
            n,
            np.zeros(n),
            np.array([self._b(v) for v in lower], dtype=np.float64),
            np.array([self._b(v) for v in upper], dtype=np.float64),
            0,
            np.array([], dtype=np.int32),
            np.array([], dtype=np.int32),
            np.array([], dtype=np.float64),
        )
        if rows:
            starts, index, value = csr(rows)
            h.addRows(
                len(rows),
                np.array([self._b(v) for v in row_lower], dtype=np.float64),
                np.array([self._b(v) for v in row_upper], dtype=np.float64),
                len(index),
                starts,
                index,
                value,
            )
        self._h = h
        self._costs: dict[int, float] = {}

    def _b(self, v: float) -> float:
        if v == INF:
            return self._inf
        if v == -INF:
            return -self._inf
        return float(v)

    def set_bounds(self, col: int, lower: float, upper: float) -> None:
        self._h.changeColBounds(col, self._b(lower), self._b(upper))

    def set_costs(self, costs: dict[int, float]) -> None:
        """Set these costs; every other column's cost becomes 0."""
        for c in self._costs:
            if c not in costs:
                self._h.changeColCost(c, 0.0)
        for c, v in costs.items():
            if self._costs.get(c) != v:
                self._h.changeColCost(c, float(v))
        self._costs = {c: v for c, v in costs.items() if v != 0.0}

    def solve(self, maximize: bool = False) -> Solution:
        h = self._h
        h.changeObjectiveSense(
            highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize
        )
        h.run()
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kUnknown:
            # A warm start can end without a verdict; solve again from scratch.
            h.clearSolver()
            h.run()
            status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            x = tuple(float(v) for v in h.getSolution().col_value)
            return Solution("optimal", float(h.getInfo().objective_function_value), x)
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return Solution("unbounded", INF if maximize else -INF, ())
        if status == highspy.HighsModelStatus.kInfeasible:
            return Solution("infeasible", math.nan, ())
        raise RuntimeError(f"HiGHS stopped: {h.modelStatusToString(status)}")


def csr(rows: Sequence[dict[int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sparse rows (column -> coefficient) in compressed-row form, as HiGHS takes them:
    each row's start in `index`, then the columns (in order) and their coefficients."""
    starts: list[int] = []
    index: list[int] = []
    value: list[float] = []
    for row in rows:
        starts.append(len(index))
        for c, v in sorted(row.items()):
            index.append(c)
            value.append(v)
    return (
        np.array(starts, dtype=np.int32),
        np.array(index, dtype=np.int32),
        np.array(value, dtype=np.float64),
    )


def cheapest_binary(
    n: int,
    rows: Sequence[dict[int, float]],
    row_lower: Sequence[float],
    costs: Sequence[float],
    ones: Sequence[int],
    max_nodes: int,
) -> tuple[list[int] | None, float]:
    """The columns set to 1 by ``min costs . x`` over binary ``x`` with ``A x >= row_lower``
    and ``x_j = 1`` for ``j`` in ``ones``: the best solution HiGHS finds within
    ``max_nodes`` branch-and-bound nodes (a node limit, not a time limit, so the answer does
    not depend on the machine's load), or None when it finds none; and a lower bound on the
    optimal cost (HiGHS's dual bound: the optimum itself when the search finished)."""
    starts, index, value = csr(rows)
    return cheapest_binary_csr(
        n,
        starts,
        index,
        value,
        costs,
        ones,
        max_nodes,
        np.array(row_lower, dtype=np.float64),
    )


def cheapest_binary_csr(
    n: int,
    starts: np.ndarray,
    index: np.ndarray,
    value: np.ndarray,
    costs: Sequence[float],
    ones: Sequence[int],
    max_nodes: int,
    row_lower: np.ndarray | None = None,
) -> tuple[list[int] | None, float]:
    """``cheapest_binary`` with the rows of A given as compressed sparse rows (row ``i``
    holds ``index[starts[i]:starts[i + 1]]``, no column twice) and ``A x >= 0`` unless
    ``row_lower`` is given."""
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_max_nodes", max_nodes)
    h.setOptionValue("threads", 1)
    lower = np.zeros(n)
    lower[list(ones)] = 1.0
    h.addCols(
        n,
        np.array(costs, dtype=np.float64),
        lower,
        np.ones(n),
        0,
        np.array([], dtype=np.int32),
        np.array([], dtype=np.int32),
        np.array([], dtype=np.float64),
    )
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
    )
    m = len(starts)
    inf = float(highspy.kHighsInf)
    h.addRows(
        m,
        np.zeros(m) if row_lower is None else row_lower,
        np.full(m, inf),
        len(index),
        starts,
        index,
        value,
    )
    h.run()
    info = h.getInfo()
    bound = float(info.mip_dual_bound)
    if info.primal_solution_status != 2:  # 2: a feasible solution
        return None, bound
    return [j for j, v in enumerate(h.getSolution().col_value) if v > 0.5], bound
