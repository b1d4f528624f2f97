"""Exact Method of Equal Shares (MES), fast enough for city-size elections.

Each run first goes through the certified float engine (:mod:`.fastmes`), which answers with
the exact outcome or refuses when a decision needs exact arithmetic; the integer engine below
then decides.  Both give the same outcome by construction (see ``fastmes``).

Definitions (as in pabutools 1.2.3, ``method_of_equal_shares`` without completion):

* every voter starts with the same budget ``b`` (``budget / number of voters`` for plain MES);
* a project ``p`` of cost ``c`` is *affordable* if its supporters (voters with utility ``u > 0``)
  hold at least ``c`` together; its price per unit of utility ``rho`` is the smallest number such
  that ``sum over supporters of min(budget_i, rho * u_i) = c``;
* each round selects the affordable project with the smallest ``rho`` (ties: the smallest project
  id as a string), every supporter pays ``min(budget_i, rho * u_i)``; stop when nothing is
  affordable.  Projects of cost 0 with supporters are selected up front; projects nobody
  supports are never selected.

Implementation notes (the outcome is exact, there is no floating point anywhere):

* Identical ballots are merged.  A voter's whole state is its remaining budget, and after any
  number of rounds it equals ``max(0, b - sum of rho_p * u_ip over the selected p it supports)``,
  so voters are kept in *budget classes* (voters whose remaining budgets are equal); a class
  splits only when some of its members support the selected project.
* Money is stored as Python integers in a unit of ``1 / (M * scale)`` currency: ``M`` makes ``b``
  and every cost integral, and ``scale`` is multiplied by the denominator of each round's price.
  A class remembers the round its value was written in and is brought to the current unit by one
  multiplication when read.  All comparisons are integer cross-multiplications; prices are exact
  ``Fraction`` objects.
* ``rho`` only grows from one round to the next (budgets only shrink), so projects wait in a heap
  keyed by their last computed ``rho`` (a lower bound); the top of the heap is recomputed until
  the top entry is current, which is then the exact minimum with the string tie-break.
"""

from __future__ import annotations

import heapq
from collections import Counter, deque
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain, repeat
from math import gcd, lcm
from operator import mul, setitem

import numpy as np

from budget_participatif.counting.fastmes import Ambiguous, FastData, FloatRun, build_fast
from budget_participatif.counting.instance import Instance, Profile
from budget_participatif.pabulib import Number

__all__ = ["MesData", "equal_shares", "prepare"]

# Counting the classes of a project's supporters goes through ``collections.Counter`` on a list
# holding each distinct ballot as many times as it was cast (C speed); when ballots repeat a lot
# a weighted Python loop over distinct ballots is faster.
_EXPAND_LIMIT = 4


@dataclass
class MesData:
    """Everything about an election that does not depend on the voters' budget."""

    ids: list[str]
    costs: list[Fraction]
    cost_denominator: int
    preselected: list[str]
    num_groups: int
    num_voters: int
    weights: list[int]
    supporters: list[list[int]]
    supporter_utils: list[list[int]]  # per supporter group; empty when the utility is uniform
    uniform: list[int]  # the utility shared by every supporter, or 0 when utilities vary
    expanded: list[list[int] | None]
    expanded_utils: list[list[int] | None]
    supporter_totals: list[int]
    util_totals: list[int]
    util_lcms: list[int]
    supporter_arrays: list = field(default_factory=list)  # numpy copies of ``supporters`` (or None)
    fast: FastData | None = None  # float copies for the certified float engine (None: exact only)


def _as_int(value: Number, scale: int) -> int:
    return value * scale if type(value) is int else int(Fraction(value) * scale)


def prepare(instance: Instance, profile: Profile) -> MesData:
    """Index the profile by project; utilities are scaled to integers by a common factor."""
    costs = instance.costs
    per_project: dict[str, tuple[list[int], list[Number] | None]] = {}
    arrays: dict[str, np.ndarray] = {}
    counted: dict[str, int] = {}
    if profile.utilities is None:
        # Index in bulk: every (ballot, project) pair as two integer arrays, sorted by project
        # (stably, so each project's supporters stay in ballot order).
        groups = profile.groups
        project_ids = list(costs)
        position = {project_id: index for index, project_id in enumerate(project_ids)}
        lengths = np.fromiter(map(len, groups), dtype=np.intp, count=len(groups))
        flat = np.fromiter(
            map(position.__getitem__, chain.from_iterable(groups)), dtype=np.intp, count=int(lengths.sum())
        )
        # (16-bit keys: numpy's stable sort is then a radix sort, linear in the number of pairs)
        keys = flat.astype(np.uint16) if len(project_ids) < 1 << 16 else flat
        owners = np.repeat(np.arange(len(groups), dtype=np.intp), lengths)[np.argsort(keys, kind="stable")]
        bounds = np.cumsum(np.bincount(flat, minlength=len(project_ids)))
        # Voters per project (float64 sums of integers below 2**53 are exact).
        voter_totals = np.bincount(flat, weights=np.repeat(np.asarray(profile.weights, dtype=np.float64), lengths))
        for index, project_id in enumerate(project_ids):
            supporters = owners[bounds[index - 1] if index else 0 : bounds[index]]
            arrays[project_id] = supporters
            counted[project_id] = int(voter_totals[index]) if index < len(voter_totals) else 0
            per_project[project_id] = (supporters.tolist(), None)
        denominators = {Fraction(profile.project_utility(instance, p)).denominator for p in per_project}
    else:
        for index, (group, utilities) in enumerate(zip(profile.groups, profile.utilities, strict=True)):
            for project_id, utility in zip(group, utilities, strict=True):
                if utility > 0:
                    groups, utils = per_project.setdefault(project_id, ([], []))
                    groups.append(index)
                    utils.append(utility)  # type: ignore[union-attr]
        denominators = {
            Fraction(u).denominator for _, utils in per_project.values() for u in utils or () if type(u) is not int
        }
    util_scale = lcm(*denominators) if denominators else 1
    weights = profile.weights
    data = MesData(
        ids=[],
        costs=[],
        cost_denominator=1,
        preselected=[],
        num_groups=len(profile.groups),
        num_voters=profile.num_voters,
        weights=weights,
        supporters=[],
        supporter_utils=[],
        uniform=[],
        expanded=[],
        expanded_utils=[],
        supporter_totals=[],
        util_totals=[],
        util_lcms=[],
    )
    for project_id in sorted(per_project):
        cost = Fraction(costs[project_id])
        groups, raw_utils = per_project[project_id]
        if not groups:
            continue
        if raw_utils is None:
            uniform = _as_int(profile.project_utility(instance, project_id), util_scale)
            if uniform == 0:
                continue  # a zero-cost project under ``cost``: nobody gains anything from it
            utils: list[int] = []
            distinct = {uniform}
        else:
            utils = [_as_int(u, util_scale) for u in raw_utils]
            distinct = set(utils)
            uniform = utils[0] if len(distinct) == 1 else 0
        if cost == 0:
            data.preselected.append(project_id)
            continue
        if project_id in counted and profile.num_voters < 1 << 53:
            voters = counted[project_id]
        else:
            group_weights = list(map(weights.__getitem__, groups))
            voters = sum(group_weights)
        data.ids.append(project_id)
        data.costs.append(cost)
        data.supporters.append(groups)
        data.supporter_utils.append(utils)
        data.uniform.append(uniform)
        data.supporter_totals.append(voters)
        data.util_totals.append(voters * uniform if uniform else sum(map(mul, group_weights, utils)))
        data.util_lcms.append(lcm(*distinct))
        data.supporter_arrays.append(arrays.get(project_id))
    data.cost_denominator = lcm(*(c.denominator for c in data.costs)) if data.costs else 1
    data.fast = build_fast(data)
    if data.fast is None:
        _expand(data)
    return data


def _expand(data: MesData) -> None:
    """The per-voter supporter lists of the exact engine (built when it is first needed)."""
    if data.expanded:
        return
    weights = data.weights
    for groups, utils, voters in zip(data.supporters, data.supporter_utils, data.supporter_totals, strict=True):
        if voters == len(groups):
            data.expanded.append(groups)
            data.expanded_utils.append(utils)
        elif voters <= _EXPAND_LIMIT * len(groups):
            group_weights = list(map(weights.__getitem__, groups))
            data.expanded.append(list(chain.from_iterable(map(repeat, groups, group_weights))))
            data.expanded_utils.append(list(chain.from_iterable(map(repeat, utils, group_weights))))
        else:
            data.expanded.append(None)
            data.expanded_utils.append(None)


_Evaluation = tuple[int, int, int, Counter]
"""``(rem, pay_den, rho_den, counts)``, see :meth:`_Run.evaluate`."""


class _Run:
    """One MES run at a given per-voter budget, driven round by round.

    Class ``c`` holds ``values[c] = (v, e)``: its members' budget is ``v * ratio[e]`` in the
    current money unit ``1 / (money * scale)``; ``ratio[e]`` is how much ``scale`` grew since
    round ``e``, so that rescaling after a round touches one number per round, not every class.
    """

    def __init__(self, data: MesData, per_voter: Fraction) -> None:
        _expand(data)
        self.data = data
        self.money = lcm(per_voter.denominator, data.cost_denominator)
        self.costs = [int(c * self.money) for c in data.costs]
        self.scale = 1
        self.scales = [1]  # scale at the start of each round
        self.ratio = [1]
        self.cls = [1] * data.num_groups
        self.values: dict[int, tuple[int, int]] = {0: (0, 0), 1: (int(per_voter * self.money), 0)}
        self.next_class = 2
        self.round = 0
        self.current: dict[int, _Evaluation] = {}
        self.done: set[int] = set()
        self.heap = [
            (Fraction(self.costs[q], data.util_totals[q] * self.money), data.ids[q], q, -1)
            for q in range(len(data.ids))
        ]
        heapq.heapify(self.heap)

    def class_counts(self, q: int) -> Counter:
        """Voters supporting ``q`` per budget class (per ``(class, utility)`` if utilities vary)."""
        data, cls = self.data, self.cls
        expanded = data.expanded[q]
        uniform = data.uniform[q]
        if expanded is not None:
            if uniform:
                return Counter(map(cls.__getitem__, expanded))
            return Counter(zip(map(cls.__getitem__, expanded), data.expanded_utils[q], strict=True))
        counts: Counter = Counter()
        weights = data.weights
        if uniform:
            for g in data.supporters[q]:
                counts[cls[g]] += weights[g]
        else:
            for g, u in zip(data.supporters[q], data.supporter_utils[q], strict=True):
                counts[cls[g], u] += weights[g]
        return counts

    def evaluate(self, q: int) -> _Evaluation | None:
        """``(rem, pay_den, rho_den, counts)`` or None if ``q`` is no longer affordable.

        Rich supporters pay ``rem * u / pay_den`` (``u = 1`` for uniform utilities) in the current
        money unit; ``rho = rem / (rho_den * scale * money)`` currency per unit of utility.
        """
        data, values, ratio = self.data, self.values, self.ratio
        counts = self.class_counts(q)
        remaining = self.costs[q] * self.scale
        uniform = data.uniform[q]
        if uniform:
            voters = data.supporter_totals[q]
            budgets = [(values[c][0] * ratio[values[c][1]], n) for c, n in counts.items()]
            budgets.sort()
            for value, n in budgets:
                if remaining <= value * voters:
                    return remaining, voters, voters * uniform, counts
                remaining -= value * n
                voters -= n
            return None
        total = data.util_totals[q]
        top = data.util_lcms[q]
        keyed = []
        for (c, u), n in counts.items():
            v, e = values[c]
            value = v * ratio[e]
            keyed.append((value * (top // u), value, u, n))
        keyed.sort()
        for _, value, u, n in keyed:
            if remaining * u <= value * total:
                return remaining, total, total, counts
            remaining -= value * n
            total -= u * n
        return None

    def rho(self, evaluation: _Evaluation) -> Fraction:
        return Fraction(evaluation[0], evaluation[2] * self.scale * self.money)

    def fresh(self, q: int) -> _Evaluation | None:
        """Exact evaluation of ``q`` in the current round (cached)."""
        if q in self.current:
            return self.current[q]
        result = self.evaluate(q)
        if result is not None:
            self.current[q] = result
        return result

    def winner(self) -> tuple[int, Fraction] | None:
        """The affordable project with the smallest ``(rho, id)``, or None (removed from the heap)."""
        heap = self.heap
        while heap:
            _, project_id, q, computed_in = heapq.heappop(heap)
            if q in self.done:
                continue
            if computed_in == self.round:
                return q, self.rho(self.current[q])
            result = self.fresh(q)
            if result is not None:
                heapq.heappush(heap, (self.rho(result), project_id, q, self.round))
        return None

    def violations_below(self, limit: Fraction, limit_id: str, skip: int) -> bool:
        """True if some affordable project ``q != skip`` has ``(rho_q, id_q) < (limit, limit_id)``."""
        heap = self.heap
        while heap and (heap[0][0], heap[0][1]) < (limit, limit_id):
            _, project_id, q, computed_in = heapq.heappop(heap)
            if q in self.done or q == skip:
                continue
            if computed_in == self.round:
                heapq.heappush(heap, (self.rho(self.current[q]), project_id, q, self.round))
                return True
            result = self.fresh(q)
            if result is not None:
                heapq.heappush(heap, (self.rho(result), project_id, q, self.round))
        return False

    def any_affordable(self) -> bool:
        return any(q not in self.done and self.fresh(q) is not None for _, _, q, _ in self.heap)

    def select(self, q: int) -> None:
        """Charge the supporters of ``q`` (which must have a fresh evaluation) and end the round."""
        remaining, pay_den, _, counts = self.current[q]
        data = self.data
        common = gcd(remaining, pay_den)
        factor = pay_den // common
        unit = remaining // common
        self.scale *= factor
        self.round += 1
        self.scales.append(self.scale)
        now = self.round
        scale = self.scale
        self.ratio = ratio = [scale // old for old in self.scales]
        values = self.values
        remap: dict = {}
        next_class = self.next_class
        if data.uniform[q]:
            for old in counts:
                v, e = values[old]
                left = v * ratio[e] - unit
                if left > 0:
                    values[next_class] = (left, now)
                    remap[old] = next_class
                    next_class += 1
                else:
                    remap[old] = 0
        else:
            for key in counts:
                v, e = values[key[0]]
                left = v * ratio[e] - unit * key[1]
                if left > 0:
                    values[next_class] = (left, now)
                    remap[key] = next_class
                    next_class += 1
                else:
                    remap[key] = 0
        self.next_class = next_class
        cls = self.cls
        supporters = data.supporters[q]
        if data.uniform[q]:
            new_classes = map(remap.__getitem__, map(cls.__getitem__, supporters))
        else:
            utils = data.supporter_utils[q]
            new_classes = map(remap.__getitem__, zip(map(cls.__getitem__, supporters), utils, strict=True))
        # cls[g] = new class, for every supporter g, iterated at C speed (each g occurs once).
        deque(map(setitem, repeat(cls), supporters, new_classes), maxlen=0)
        self.done.add(q)
        self.current.clear()

    def solve(self) -> list[int]:
        selected = []
        while (best := self.winner()) is not None:
            selected.append(best[0])
            self.select(best[0])
        return selected


def equal_shares(data: MesData, per_voter: Number) -> list[str]:
    """MES at the given per-voter budget: preselected zero-cost projects, then selection order."""
    if data.num_voters == 0:
        return []
    per_voter = Fraction(per_voter)
    if data.fast is not None:
        try:
            return data.preselected + [data.ids[q] for q in FloatRun(data, per_voter).solve()]
        except Ambiguous:
            pass  # a near tie: decide it exactly
    return data.preselected + [data.ids[q] for q in _Run(data, per_voter).solve()]
