"""Entry points: :func:`count` an election with a rule, :func:`count_file` a ``.pb`` file.

Rules (``rule`` argument; ``_`` and ``-`` are interchangeable):

``greedy``
    by approvals (approval, choose-1, ordinal ballots) or total points (cumulative, scoring),
    skipping projects that no longer fit.  Options ``min_score`` and ``no_skip`` give the
    ``greedy-threshold`` and ``greedy-no-skip`` variants used by some cities.
``mes``
    Method of Equal Shares without completion (utility = cost for approval ballots, points for
    cumulative ones).
``mes-add1``
    MES whose per-voter budget is raised step by step (one currency unit, or ``increment`` units,
    or ``increment_percent`` percent of the initial share) until the outcome is exhaustive or the
    next step would overspend, then completed greedily.  ``stop_on_exhaustive=False`` only stops
    on overspending; ``completion=False`` skips the greedy completion.

Every rule accepts ``sat`` (``cost``, ``cardinality``, ``points``, ``borda``), see
:mod:`budget_participatif.counting.instance`.  Ties are always broken in favour of the smallest
project id compared as a string, as pabutools' default ``lexico_tie_breaking``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from budget_participatif.counting.add1 import add1
from budget_participatif.counting.greedy import greedy
from budget_participatif.counting.instance import (
    SATISFACTIONS,
    Instance,
    Profile,
    default_sat,
)
from budget_participatif.counting.mes import equal_shares, prepare
from budget_participatif.pabulib import Election, Number, format_number, parse_file

__all__ = ["RULES", "Outcome", "count", "count_file"]

RULES = ("greedy", "mes", "mes-add1")


@dataclass
class Outcome:
    """The result of a count.

    ``selected`` lists the winning project ids in the order the rule selected them; ``cost`` is
    their total cost; ``details`` holds rule-specific information (JSON-serialisable).
    """

    rule: str
    selected: list[str]
    cost: Number
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """``{"selected": [ids sorted as strings], "cost": total}``; ``cost`` is an integer when
        integral, otherwise an exact decimal string."""
        cost: int | str = self.cost if isinstance(self.cost, int) else format_number(self.cost)
        return {"selected": sorted(self.selected), "cost": cost}


def _normalise_rule(rule: str) -> str:
    name = rule.strip().lower().replace("_", "-")
    if name not in RULES:
        raise ValueError(f"unknown rule {rule!r}; expected one of {', '.join(RULES)}")
    return name


def _exact(value: Number) -> Number:
    value = Fraction(value)
    return value.numerator if value.denominator == 1 else value


def count(
    election: Election | Instance,
    rule: str,
    *,
    sat: str | None = None,
    increment: Number = 1,
    increment_percent: Number | None = None,
    stop_on_exhaustive: bool = True,
    max_steps: int | None = None,
    completion: bool | None = None,
    completion_sat: str | None = None,
    min_score: Number | None = None,
    no_skip: bool = False,
    explain: bool = False,
) -> Outcome:
    """Count ``election`` (a parsed file or an :class:`Instance`) with ``rule``.

    ``sat``: satisfaction model (default ``points`` for cumulative/scoring ballots, ``cost``
    otherwise).  ``increment`` / ``increment_percent``: the add1 step, in currency units or in
    percent of the initial per-voter share; ``max_steps`` bounds the number of add1 steps (a
    ``RuntimeError`` is raised beyond it).  ``completion``: complete the MES outcome greedily
    (default: yes for ``mes-add1``, no for ``mes``), with ``completion_sat`` (default ``sat``).
    ``min_score`` / ``no_skip``: greedy variants (also used by the completion).
    ``explain``: add ``details["explanation"]``, why each project won or lost
    (:func:`~budget_participatif.counting.explain.explain`).
    """
    name = _normalise_rule(rule)
    instance = election if isinstance(election, Instance) else Instance.from_election(election)
    sat = sat or default_sat(instance.vote_type)
    if sat not in SATISFACTIONS:
        raise ValueError(f"unknown satisfaction {sat!r}; expected one of {', '.join(SATISFACTIONS)}")
    profile = Profile.build(instance, sat)
    details: dict[str, Any] = {"sat": sat}

    share: Fraction | None = None
    mes_selected: list[str] | None = None
    completion_profile: Profile | None = None
    if name == "greedy":
        selected = greedy(instance, profile, min_score=min_score, no_skip=no_skip)
    else:
        data = prepare(instance, profile)
        if name == "mes":
            share = Fraction(instance.budget) / max(profile.num_voters, 1)
            selected = equal_shares(data, share)
        else:
            if increment_percent is not None:
                if profile.num_voters == 0:
                    raise ValueError("no voters: a percentage increment is undefined")
                share = Fraction(instance.budget) / profile.num_voters
                step = share * Fraction(increment_percent) / 100
                details["increment_percent"] = str(increment_percent)
            else:
                step = Fraction(increment)
            result = add1(
                data,
                instance.budget,
                instance.costs,
                step,
                stop_on_exhaustive=stop_on_exhaustive,
                max_steps=max_steps,
            )
            selected = result.selected
            share = result.per_voter_budget
            details.update(
                increment=str(_exact(step)),
                per_voter_budget=str(_exact(result.per_voter_budget)),
                steps=result.steps,
                stop_reason=result.stop_reason,
                mes_runs=result.mes_runs,
                stop_on_exhaustive=stop_on_exhaustive,
                mes_selected=list(selected),
            )
        if completion is None:
            completion = name == "mes-add1"
        mes_selected = list(selected)
        if completion:
            completion_sat = completion_sat or sat
            completion_profile = profile if completion_sat == sat else Profile.build(instance, completion_sat)
            selected = greedy(instance, completion_profile, selected, min_score=min_score, no_skip=no_skip)
            details["completion_sat"] = completion_sat
    if explain:
        from budget_participatif.counting.explain import explain as explain_outcome

        details["explanation"] = explain_outcome(
            instance,
            profile,
            name,
            selected,
            share=share,
            mes_selected=mes_selected,
            completion_profile=completion_profile,
        )
    cost = _exact(sum((Fraction(instance.costs[p]) for p in selected), Fraction(0)))
    return Outcome(name, selected, cost, details)


def count_file(path: str | Path, rule: str, **options: Any) -> Outcome:
    """Parse the Pabulib file at ``path`` and :func:`count` it."""
    return count(parse_file(path), rule, **options)
