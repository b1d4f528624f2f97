"""A floating-point Method of Equal Shares whose every decision is certified exact.

The exact engine (:mod:`budget_participatif.counting.mes`) computes with growing integers; this
one runs the same rounds with numpy ``float64`` budgets per distinct ballot, and keeps beside each
budget a rigorous bound on its distance to the exact budget.  A run only answers when every
decision that shapes the outcome is proven to be the one exact arithmetic would take:

* *affordability* of a project: ``sum of its supporters' budgets >= cost``, decided only when the
  float sum is farther from the cost than the error bound;
* *the price* ``rho`` of a project is enclosed in an interval ``(lo, hi]``.  With
  ``F(r) = sum of w_i * min(budget_i, r * u_i)`` (exact budgets), Newton's method gives a float
  ``rho`` and ``value`` = F(rho) computed in floats.  Supporters whose budget minus its error
  bound is at least ``top * u`` (``top`` slightly above ``rho``) are *far*: they pay ``r * u``
  exactly for every ``r <= top``, so ``F`` is a linear part of slope ``far`` (their utility)
  plus non-decreasing terms of the *near* voters, and ``|F(rho) - value| <= margin`` (the near
  voters' error bounds and the rounding).  Hence ``F(lo) <= F(rho) - far * (rho - lo) < cost``
  and ``F(hi) >= F(rho) + far * (hi - rho) >= cost`` for ``lo``, ``hi`` chosen from
  ``(value - cost) / far`` and ``margin / far``; ``F`` is non-decreasing, so the exact ``rho``
  (the smallest ``r`` with ``F(r) = cost``) lies in ``(lo, hi]``;
* *the winner* of a round: a project ``p`` wins when every other affordable project ``q`` has
  ``lo_q >= hi_p``, hence ``rho_q > rho_p`` strictly, whatever the ids.  When two intervals
  overlap, both prices are computed exactly if they have the structural form that makes exact
  ties (every supporter holding money can pay its full share at ``cost / U``, ``U`` the utility
  of those supporters: with ``cost`` utilities, two projects with as many such supporters) and
  compared as fractions, ties going to the smaller id; otherwise the run refuses.  Lower bounds
  stay valid from round to round because exact prices only grow (budgets only shrink): projects
  wait in a heap keyed by their last ``lo`` and only the top is re-evaluated;
* *the charges*: every supporter pays ``min(budget, rho * u)``, a 1-Lipschitz function of the
  budget and of ``rho``, so the new error bound is the old one plus ``u * |rho - float rho|``
  plus the rounding of the subtraction; supporters proven poor (``budget + error <= lo * u``)
  are left with exactly 0 and no error.

Only voters near the payment threshold carry their error into ``F`` (a voter proven rich pays
``r * u`` with no error at all), which keeps the bounds tiny on real elections (at the end of a
Warsaw 2026 run, about 1e-10 of the share).  Whenever a decision cannot be certified (an exact tie between two projects, a
project whose supporters hold almost exactly its cost), the run raises :class:`Ambiguous` and
the caller falls back to the exact engine, so the outcome is always the exact one.

Rounding: a sum of ``n`` products computed in any order is within ``(n + 1) * 2**-53`` of the
sum of absolute values of the exact sum, and each product or difference within ``2**-53`` of its
value; the bounds below use ``2**-52`` (twice that) throughout.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from budget_participatif.counting.mes import MesData

__all__ = ["Ambiguous", "FastData", "FloatRun", "build_fast"]

_ULP = 2.0**-52
_EXACT_LIMIT = 2**53  # integers below this are exact in float64
_NEWTON_STEPS = 16
_EXPAND_LIMIT = 1.25  # expand the ballots of a project when voters <= 1.25 x distinct ballots
_WINDOW = 1e-6  # relative half-width of the window in which the error of F is measured


# numpy's C einsum without its Python wrapper (a third of the cost of a call on small arrays).
_einsum = getattr(getattr(np, "_core", None), "multiarray", None)
_einsum = getattr(_einsum, "c_einsum", np.einsum)


def _dot(a: np.ndarray, b: np.ndarray) -> np.floating:
    """``sum(a * b)`` without BLAS (whose threads cost more than they save on these sizes)."""
    return _einsum("i,i->", a, b)


def _dot3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.floating:
    return _einsum("i,i,i->", a, b, c)


def _wsum(weights: np.ndarray | None, values: np.ndarray) -> float:
    """``sum(weights * values)``; ``weights`` None means every weight is 1."""
    return float(values.sum() if weights is None else _einsum("i,i->", weights, values))


def _wcount(weights: np.ndarray | None, mask: np.ndarray) -> float:
    return float(np.count_nonzero(mask) if weights is None else _einsum("i,i->", weights, mask))


def _wsum2(weights: np.ndarray | None, values: np.ndarray, mask: np.ndarray) -> float:
    if weights is None:
        return float(_einsum("i,i->", values, mask))
    return float(_einsum("i,i,i->", weights, values, mask))


class Ambiguous(Exception):
    """A decision could not be certified in floating point: use the exact engine."""


@dataclass
class FastData:
    """Per project (same order as ``MesData.ids``): supporter groups and their numbers as floats."""

    money: int  # costs and shares are multiplied by this to make the costs integral
    costs: list[float]
    indices: list[np.ndarray]
    weights: list[np.ndarray | None]  # None: one entry per voter (ballots repeated), weight 1
    utilities: list[np.ndarray | None]  # None when every supporter has the same utility
    uniform: list[float]
    utility_max: list[float]
    utility_totals: list[float]  # sum of weight * utility over the supporters
    weight_totals: list[float]  # number of supporters (sum of weights)
    rounding: list[float]  # (supporter count + 4) * 2**-52, the relative rounding of a sum


def build_fast(data: MesData) -> FastData | None:
    """Float copies of the profile, or None when some number is not exact in ``float64``."""
    money = data.cost_denominator
    costs = [int(cost * money) for cost in data.costs]
    if any(cost >= _EXACT_LIMIT for cost in costs) or data.num_voters >= _EXACT_LIMIT:
        return None
    biggest = max((max(utils) if utils else data.uniform[q] for q, utils in enumerate(data.supporter_utils)), default=0)
    if biggest >= _EXACT_LIMIT or max(data.util_totals, default=0) >= _EXACT_LIMIT:
        return None
    all_weights = np.asarray(data.weights, dtype=np.float64)
    fast = FastData(money, [float(c) for c in costs], [], [], [], [], [], [], [], [])
    for q, groups in enumerate(data.supporters):
        ready = data.supporter_arrays[q] if q < len(data.supporter_arrays) else None
        index = ready if ready is not None else np.asarray(groups, dtype=np.intp)
        utils = data.supporter_utils[q]
        group_weights = all_weights[index]
        if data.supporter_totals[q] <= _EXPAND_LIMIT * len(groups):
            # Few repeated ballots: one entry per voter makes every sum a plain (faster) sum.
            repeats = group_weights.astype(np.intp)
            index = np.repeat(index, repeats)
            if utils:
                utils = np.repeat(np.asarray(utils, dtype=np.float64), repeats)
            group_weights = None
        fast.indices.append(index)
        fast.weights.append(group_weights)
        if data.uniform[q]:
            fast.utilities.append(None)
            fast.uniform.append(float(data.uniform[q]))
            fast.utility_max.append(float(data.uniform[q]))
        else:
            fast.utilities.append(np.asarray(utils, dtype=np.float64))
            fast.uniform.append(0.0)
            fast.utility_max.append(float(np.max(utils)))
        fast.utility_totals.append(float(data.util_totals[q]))
        fast.weight_totals.append(float(data.supporter_totals[q]))
        fast.rounding.append((len(index) + 4) * _ULP)
    return fast


class _Evaluation:
    __slots__ = ("budgets", "errors", "exact", "hi", "lo", "rho")

    def __init__(
        self,
        budgets: np.ndarray,
        errors: np.ndarray,
        rho: float,
        lo: float,
        hi: float,
        exact: Fraction | None = None,
    ) -> None:
        self.budgets = budgets
        self.errors = errors
        self.rho = rho
        self.lo = lo
        self.hi = hi
        self.exact = exact  # the exact price, when it is known


class FloatRun:
    """One MES run in floats with certified decisions (same interface as ``mes._Run``).

    ``winner()`` returns ``(q, hi)`` where ``hi`` is an upper bound of the exact ``rho`` of ``q``.
    Methods raise :class:`Ambiguous` when exact arithmetic would be needed.
    """

    def __init__(self, data: MesData, per_voter: Fraction) -> None:
        fast = data.fast
        assert fast is not None
        self.data = data
        self.fast = fast
        share = float(per_voter * fast.money)
        self.budgets = np.full(data.num_groups, share)
        self.errors = np.full(data.num_groups, share * _ULP)
        self.max_error = share * _ULP
        self.round = 0
        self.current: dict[int, _Evaluation] = {}
        self.done: set[int] = set()
        # rho >= cost / (total utility): a lower bound of every project's first price.
        self.heap = [
            (fast.costs[q] / fast.utility_totals[q] * (1 - 4 * _ULP), data.ids[q], q, -1, 0.0)
            for q in range(len(data.ids))
        ]
        heapq.heapify(self.heap)

    def _paid(self, q: int, budgets: np.ndarray, weights: np.ndarray | None, rho: float) -> float:
        """``sum of w * min(budget, rho * u)`` over the supporters of ``q`` (float)."""
        utils = self.fast.utilities[q]
        pay = rho * self.fast.uniform[q] if utils is None else rho * utils
        return _wsum(weights, np.minimum(budgets, pay))

    def evaluate(self, q: int, below: float = 0.0) -> _Evaluation | None:
        """The certified price interval of ``q``, or None when ``q`` is certainly unaffordable.

        ``below`` is a known lower bound of the exact price (the start of Newton's method).
        """
        fast = self.fast
        index = fast.indices[q]
        weights = fast.weights[q]
        utils = fast.utilities[q]
        uniform = fast.uniform[q]
        cost = fast.costs[q]
        rounding = fast.rounding[q]
        budgets = self.budgets.take(index)
        errors = self.errors.take(index)
        total = _wsum(weights, budgets)
        # Affordability: the exact total is within sum(w * error) of ``total`` (bounded first
        # by the largest error of any voter, which is free).
        slack = fast.weight_totals[q] * self.max_error + rounding * total
        if abs(total - cost) <= slack:
            slack = _wsum(weights, errors) * (1 + rounding) + rounding * total
            if abs(total - cost) <= slack:
                raise Ambiguous(f"affordability of {self.data.ids[q]}")
        if total < cost:
            return None
        utility_total = fast.utility_totals[q]
        # Newton's method from below on the concave, piecewise linear F: converges in a few steps.
        rho = max(cost / utility_total, below)
        for _ in range(_NEWTON_STEPS):
            if utils is None:
                pay = rho * uniform
                value = _wsum(weights, np.minimum(budgets, pay))
                if value >= cost:
                    break
                rich = _wcount(weights, budgets > pay) * uniform
            else:
                pays = rho * utils
                value = _wsum(weights, np.minimum(budgets, pays))
                if value >= cost:
                    break
                rich = _wsum2(weights, utils, budgets > pays)
            if rich <= 0:
                raise Ambiguous(f"price of {self.data.ids[q]}")
            step = (cost - value) / rich
            if step <= rho * _ULP:
                break
            rho += step
        else:
            rho = self._sorted_rho(q, budgets, weights, cost)
            value = self._paid(q, budgets, weights, rho)
        # ``value`` is F(rho) computed in floats from the float budgets.  On the window
        # [0, top], the voters proven "far" (budget >= top * u) pay exactly r * u: F is the sum
        # of a linear part of slope ``far`` and of non-decreasing near terms, and only near
        # voters carry their budget error into F.
        top = rho * (1 + _WINDOW)
        threshold = top * (1 + 4 * _ULP)
        if utils is None:
            near = (budgets - errors) < threshold * uniform
            near_utility = _wcount(weights, near) * uniform
        else:
            near = (budgets - errors) < threshold * utils
            near_utility = _wsum2(weights, utils, near)
        near_error = _wsum2(weights, errors, near) * (1 + rounding)
        far = (utility_total - near_utility * (1 + rounding)) * (1 - 4 * _ULP)
        if far <= 0:
            raise Ambiguous(f"price of {self.data.ids[q]}")
        # |F(rho) - value| <= margin, F(lo) <= F(rho) - far * (rho - lo) < cost and
        # F(hi) >= F(rho) + far * (hi - rho) >= cost: the exact price is in (lo, hi].
        margin = near_error + rounding * (total + top * utility_total)
        down = max(value + margin - cost, 0.0) / far
        up = max(cost - value + margin, 0.0) / far
        lo = rho - 2 * down - 4 * _ULP * rho
        hi = rho + 2 * up + 4 * _ULP * rho
        if lo < 0 or hi > top:
            raise Ambiguous(f"price of {self.data.ids[q]}")
        return _Evaluation(budgets, errors, rho, lo, hi)

    def _sorted_rho(self, q: int, budgets: np.ndarray, weights: np.ndarray | None, cost: float) -> float:
        """``rho`` by sorting the supporters by ``budget / utility`` (when Newton is slow)."""
        utils = self.fast.utilities[q]
        uniform = self.fast.uniform[q]
        if weights is None:
            weights = np.ones_like(budgets)
        weighted_utils = weights * (uniform if utils is None else utils)
        levels = budgets / (uniform if utils is None else utils)
        order = np.argsort(levels, kind="stable")
        levels = levels[order]
        poor = np.concatenate(([0.0], np.cumsum((weights * budgets)[order])[:-1]))
        rich = np.cumsum(weighted_utils[order][::-1])[::-1]
        at_level = poor + levels * rich
        k = int(np.searchsorted(at_level, cost, side="left"))
        if k >= len(levels):
            raise Ambiguous(f"price of {self.data.ids[q]}")
        return float((cost - poor[k]) / rich[k])

    def exact_price(self, q: int) -> Fraction | None:
        """The exact price of ``q`` (evaluated this round) in the frequent structural case, else None.

        When every supporter holding money can pay its full share at ``cost / U`` (``U``: the
        total utility of the supporters holding money), the price is exactly ``cost / U``: that
        is how exact ties arise (two projects with as many supporters able to pay, under ``cost``).
        A budget is known to be exactly 0 when its float is 0 with a zero error bound.
        """
        evaluation = self.current[q]
        if evaluation.exact is None:
            fast = self.fast
            utils = fast.utilities[q]
            utility = fast.uniform[q] if utils is None else utils
            budgets, errors = evaluation.budgets, evaluation.errors
            holding = (budgets > 0) | (errors > 0)
            total = _wsum2(fast.weights[q], np.broadcast_to(utility, budgets.shape), holding)
            if not 0 < total < _EXACT_LIMIT:  # a sum of integers below 2**53 is exact
                return None
            top = fast.costs[q] / total * (1 + 4 * _ULP)
            if not bool(((budgets - errors >= top * utility) | ~holding).all()):
                return None
            evaluation.exact = Fraction(int(fast.costs[q]), int(total))
        return evaluation.exact

    def fresh(self, q: int, below: float = 0.0) -> _Evaluation | None:
        if q in self.current:
            return self.current[q]
        result = self.evaluate(q, below)
        if result is not None:
            self.current[q] = result
        return result

    def _refresh_top(self) -> bool:
        """Re-evaluate the stale top of the heap; False if the top is current (or heap empty)."""
        below, project_id, q, computed_in, _ = self.heap[0]
        if q in self.done:
            heapq.heappop(self.heap)
            return True
        if computed_in == self.round:
            return False
        heapq.heappop(self.heap)
        result = self.fresh(q, below)
        if result is not None:
            heapq.heappush(self.heap, (result.lo, project_id, q, self.round, result.hi))
        return True

    def winner(self) -> tuple[int, float] | None:
        heap = self.heap
        while heap and self._refresh_top():
            pass
        if not heap:
            return None
        candidate = heapq.heappop(heap)
        # Every other project must be certainly dearer: its lower bound at least ``hi``, or an
        # exact price above (or equal, with a larger id).
        deferred = []
        while heap and heap[0][0] < candidate[4]:
            if self._refresh_top():
                continue
            other = heapq.heappop(heap)
            exact = self.exact_price(candidate[2])
            other_exact = self.exact_price(other[2])
            if exact is None or other_exact is None:
                raise Ambiguous(f"tie between {candidate[1]} and {other[1]}")
            if (other_exact, other[1]) < (exact, candidate[1]):
                candidate, other = other, candidate
            deferred.append(other)
        for entry in deferred:
            heapq.heappush(heap, entry)
        q, hi = candidate[2], candidate[4]
        return q, hi

    def violations_below(self, limit: float, limit_id: str, skip: int) -> bool:
        """False only if every project other than ``skip`` certainly has ``rho > limit``."""
        heap = self.heap
        while heap and heap[0][0] < limit:
            _, _, q, computed_in, _ = heap[0]
            if q in self.done or q == skip:
                heapq.heappop(heap)
                continue
            if computed_in == self.round:
                return True
            self._refresh_top()
        return False

    def any_affordable(self) -> bool:
        """False only if every remaining project is certainly unaffordable."""
        return any(q not in self.done and self.fresh(q) is not None for _, _, q, _, _ in self.heap)

    def select(self, q: int) -> None:
        evaluation = self.current[q]
        index = self.fast.indices[q]
        utils = self.fast.utilities[q]
        utility = self.fast.uniform[q] if utils is None else utils
        budgets, errors = evaluation.budgets, evaluation.errors
        charge = evaluation.rho * utility
        left = budgets - charge
        spread = max(evaluation.hi - evaluation.rho, evaluation.rho - evaluation.lo)
        new_errors = (errors + spread * utility + _ULP * (budgets + charge)) * (1 + 4 * _ULP)
        rich = budgets + errors > evaluation.lo * (1 - 4 * _ULP) * utility
        np.maximum(left, 0.0, out=left)
        left *= rich  # the voters proven poor keep exactly 0, with no error
        new_errors *= rich
        self.budgets[index] = left
        self.errors[index] = new_errors
        self.max_error = max(self.max_error, float(new_errors.max()) * (1 + 4 * _ULP))
        self.done.add(q)
        self.current.clear()
        self.round += 1

    def solve(self) -> list[int]:
        selected = []
        while (best := self.winner()) is not None:
            selected.append(best[0])
            self.select(best[0])
        return selected
