"""``mes-add1``: MES with per-voter budgets raised step by step (pabutools' ``voter_budget_increment``).

See :func:`add1`; certified brackets of steps (:func:`_bracket`) skip steps without changing the
result (the lemma and the certificate are in docs/counting.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from budget_participatif.counting.fastmes import Ambiguous, FloatRun
from budget_participatif.counting.mes import MesData, _Run, equal_shares
from budget_participatif.pabulib import Number

__all__ = ["Add1Result", "add1"]


def _bracket(data: MesData, low: Fraction, high: Fraction) -> tuple[list[str], bool]:
    """MES at ``low``, and whether the same selection sequence is certified for every per-voter
    budget in ``[low, high]``.

    The run at ``high`` is forced to follow the selections made at ``low``.  Along a fixed
    sequence of selections every budget is non-decreasing and every price ``rho`` non-increasing
    in the per-voter budget (see docs/counting.md), so when the winner's price at ``low`` is not
    above any other project's price at ``high`` (strictly below when the other id is smaller),
    the winner is the same for every budget in between; and when nothing is affordable at
    ``high`` at the end, nothing is in between either.
    """
    if data.fast is not None:
        try:
            return _lockstep(data, FloatRun(data, low), FloatRun(data, high))
        except Ambiguous:
            pass  # a near tie at ``low``: decide it exactly
    return _lockstep(data, _Run(data, low), _Run(data, high))


def _lockstep(data: MesData, low_run: _Run | FloatRun, high_run: _Run | FloatRun) -> tuple[list[str], bool]:
    """Run ``low_run`` to the end, forcing ``high_run`` along while the certificate holds.

    ``low_run.winner()`` gives an upper bound of the winner's exact price (the price itself for
    the exact engine); a float ``high_run`` that cannot certify something only loses the
    certificate, never the exact outcome at ``low``.
    """
    selected: list[int] = []
    certified = True
    while (best := low_run.winner()) is not None:
        q, rho = best
        selected.append(q)
        if certified:
            try:
                certified = high_run.fresh(q) is not None and not high_run.violations_below(rho, data.ids[q], q)
                if certified:
                    high_run.select(q)
            except Ambiguous:
                certified = False
        low_run.select(q)
    if certified:
        try:
            certified = not high_run.any_affordable()
        except Ambiguous:
            certified = False
    return data.preselected + [data.ids[q] for q in selected], certified


@dataclass
class Add1Result:
    selected: list[str]
    per_voter_budget: Fraction
    steps: int
    stop_reason: str
    mes_runs: int


def add1(
    data: MesData,
    budget: Number,
    costs: dict[str, Number],
    increment: Number,
    *,
    stop_on_exhaustive: bool = True,
    max_steps: int | None = None,
) -> Add1Result:
    """Iterated MES ("add1"): raise every voter's budget by ``increment`` until the outcome is
    exhaustive or the next step would overspend (pabutools' ``voter_budget_increment``).

    Conceptually runs MES at ``b_k = budget / n + k * increment`` for ``k = 0, 1, ...`` and
    returns, at the first ``k`` where one of these holds:

    * the outcome at ``b_k`` costs more than ``budget``: the outcome at ``b_(k-1)``
      (``stop_reason = "overspend"``; at ``k = 0`` the zero-cost preselection);
    * no supported project outside the outcome at ``b_k`` fits in the remaining budget: that
      outcome (``"exhaustive"``, only when ``stop_on_exhaustive``);
    * the outcome at ``b_k`` holds every supported project: that outcome (``"all-selected"``;
      larger budgets cannot change it, this ends the loop when ``stop_on_exhaustive`` is False).

    Steps are skipped only when certified: a bracket ``[b_k, b_(k+w)]`` whose selection sequence
    is proven constant (:func:`_bracket`) has one outcome, so its steps after ``k`` cannot stop
    the process earlier than ``k``.  Bracket widths double after a success and halve after a
    failure; when brackets of one or two steps fail, plain runs are made with exponential
    back-off (1, 3, 7, ... 63 runs; a certified bracket of one step does not end the back-off,
    it saves less than it costs).  The result is identical to running every step.
    """
    if increment <= 0:
        raise ValueError("the increment must be positive")
    if data.num_voters == 0:
        return Add1Result([], Fraction(0), 0, "no-voters", 0)
    start = Fraction(budget) / data.num_voters
    step = Fraction(increment)
    eligible = [(project_id, costs[project_id]) for project_id in data.ids]
    previous: list[str] = list(data.preselected)
    k = 0
    width = 1  # bracket width in steps
    failures = 0  # consecutive failed brackets of width 1
    plain_left = 0  # plain runs to do before trying a bracket again
    runs = 0
    while True:
        if max_steps is not None and k > max_steps:
            raise RuntimeError(f"add1 did not stop within {max_steps} steps")
        per_voter = start + k * step
        bracketed = not plain_left
        if bracketed:
            outcome, certified = _bracket(data, per_voter, per_voter + width * step)
            runs += 2
        else:
            outcome, certified = equal_shares(data, per_voter), False
            plain_left -= 1
            runs += 1
        spent = sum((costs[p] for p in outcome), 0)
        if spent > budget:
            return Add1Result(previous, per_voter - step, k, "overspend", runs)
        chosen = set(outcome)
        left = [cost for project_id, cost in eligible if project_id not in chosen]
        if not left:
            return Add1Result(outcome, per_voter, k, "all-selected", runs)
        if stop_on_exhaustive and all(spent + cost > budget for cost in left):
            return Add1Result(outcome, per_voter, k, "exhaustive", runs)
        previous = outcome
        if certified:
            k += width + 1
            if width > 1:
                failures = 0  # a bracket of one step saves less than it costs: keep backing off
            width *= 2
        else:
            k += 1
            if bracketed:
                if width > 2:
                    width //= 2
                else:
                    width = 1
                    # Brackets keep failing here: back off exponentially (at most 63 plain runs).
                    failures = min(failures + 1, 6)
                    plain_left = (1 << failures) - 1
