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


Trace = list[tuple[int, Fraction | float]]
"""The winners of a run, in order, with (an upper bound of) each one's price."""


def _bracket(
    data: MesData, low: Fraction, high: Fraction, trace: Trace | None = None
) -> tuple[list[str], bool, Trace | None]:
    """MES at ``low``, whether the same selection sequence is certified for every per-voter
    budget in ``[low, high]``, and the run's trace (to try another ``high`` for the same ``low``
    at the cost of one run: give it back as ``trace``).

    The run at ``high`` is forced to follow the selections made at ``low``.  Along a fixed
    sequence of selections every budget is non-decreasing and every price ``rho`` non-increasing
    in the per-voter budget (see docs/counting.md), so when the winner's price at ``low`` is not
    above any other project's price at ``high`` (strictly below when the other id is smaller),
    the winner is the same for every budget in between; and when nothing is affordable at
    ``high`` at the end, nothing is in between either.
    """
    if trace is not None:
        return _forced(data, trace, high)
    if data.fast is not None:
        try:
            return _lockstep(data, FloatRun(data, low), FloatRun(data, high))
        except Ambiguous:
            pass  # a near tie at ``low``: decide it exactly
    return _lockstep(data, _Run(data, low), _Run(data, high))


def _forced(data: MesData, trace: Trace, high: Fraction) -> tuple[list[str], bool, Trace]:
    """Certify ``trace`` (the run at some ``low``) up to ``high``: one run, forced along it.

    The trace returned is the run at ``high`` when certified (the same winners, with their prices
    at ``high``: the next bracket can start there), otherwise ``trace`` itself.
    """
    selected = data.preselected + [data.ids[q] for q, _rho in trace]
    if data.fast is not None:
        try:
            at_high = _certify(data, trace, FloatRun(data, high))
        except Ambiguous:
            at_high = None
    else:
        at_high = _certify(data, trace, _Run(data, high))
    return selected, at_high is not None, at_high if at_high is not None else trace


def _certify(data: MesData, trace: Trace, high_run: _Run | FloatRun) -> Trace | None:
    """The run at ``high`` (its trace) if it certainly follows ``trace``, else None."""
    at_high: Trace = []
    exact = isinstance(high_run, _Run)
    for q, rho in trace:
        evaluation = high_run.fresh(q)
        if evaluation is None or high_run.violations_below(rho, data.ids[q], q):
            return None
        # An upper bound of q's price at ``high`` (exact for the exact engine).
        at_high.append((q, high_run.rho(evaluation) if exact else evaluation.hi))  # type: ignore[union-attr,arg-type]
        high_run.select(q)
    return None if high_run.any_affordable() else at_high


def _lockstep(
    data: MesData, low_run: _Run | FloatRun, high_run: _Run | FloatRun
) -> tuple[list[str], bool, Trace | None]:
    """Run ``low_run`` to the end, forcing ``high_run`` along while the certificate holds.

    ``low_run.winner()`` gives an upper bound of the winner's exact price (the price itself for
    the exact engine); a float ``high_run`` that cannot certify something only loses the
    certificate, never the exact outcome at ``low``.
    """
    trace: Trace = []
    at_high: Trace = []
    exact = isinstance(high_run, _Run)
    certified = True
    while (best := low_run.winner()) is not None:
        q, rho = best
        trace.append((q, rho))
        if certified:
            try:
                evaluation = high_run.fresh(q)
                certified = evaluation is not None and not high_run.violations_below(rho, data.ids[q], q)
                if certified:
                    at_high.append((q, high_run.rho(evaluation) if exact else evaluation.hi))  # type: ignore[union-attr,arg-type]
                    high_run.select(q)
            except Ambiguous:
                certified = False
        low_run.select(q)
    if certified:
        try:
            certified = not high_run.any_affordable()
        except Ambiguous:
            certified = False
    # Certified: the run at ``high`` follows the same winners, and its trace starts the next bracket.
    return data.preselected + [data.ids[q] for q, _rho in trace], certified, at_high if certified else trace


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
    the process earlier than ``k``.  A certified bracket's top run is itself a proven MES run, so
    the next bracket starts there at the cost of one run; a bracket that fails is retried at half
    the width from the same step, reusing that step's run (one run each).  The width doubles
    after two certified brackets in a row; when brackets of one or two steps fail, plain runs
    are made with exponential back-off (1, 3, 7, ... 63 runs; a certified bracket of one step
    does not end the back-off, it saves less than it costs).  The result is identical to
    running every step.
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
    retry: Trace | None = None  # the run at step k, to try a narrower bracket from the same step
    retried = False
    streak = 0  # certified brackets in a row at this width: the width doubles after two
    while True:
        if max_steps is not None and k > max_steps:
            raise RuntimeError(f"add1 did not stop within {max_steps} steps")
        per_voter = start + k * step
        bracketed = not plain_left
        if bracketed:
            outcome, certified, trace = _bracket(data, per_voter, per_voter + width * step, retry)
            runs += 1 if retry is not None else 2
            retry = None
        else:
            outcome, certified = equal_shares(data, per_voter), False
            plain_left -= 1
            runs += 1
        if retried:
            # The outcome at this step was checked when the trace was made: only the bracket is new.
            retried = False
            if certified:
                # The run at the bracket's top is certified: the next bracket starts there.
                k += width
                if width > 1:
                    failures = 0
                width, streak = (width * 2, 0) if streak else (width, 1)
                retry, retried = trace, True
                continue
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
        if certified and bracketed:
            # The run at the bracket's top is certified (``trace``): the next bracket starts there.
            k += width
            if width > 1:
                failures = 0  # a bracket of one step saves less than it costs: keep backing off
            width, streak = (width * 2, 0) if streak else (width, 1)
            retry, retried = trace, True
        else:
            streak = 0
            if bracketed and width > 2 and trace is not None:
                # Try half the bracket from the same step, reusing its run (one run, not two).
                width //= 2
                retry, retried = trace, True
                continue
            k += 1
            if bracketed:
                if width > 2:
                    width //= 2
                else:
                    width = 1
                    # Brackets keep failing here: back off exponentially (at most 63 plain runs).
                    failures = min(failures + 1, 6)
                    plain_left = (1 << failures) - 1
