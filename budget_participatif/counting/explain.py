"""Why each project won or lost: the explanation shown to voters next to the results.

:func:`explain` replays a count whose outcome is already known (the exact engines decided it) and
records, per project, what a voter needs to understand it:

Equal Shares (``mes``, and the MES part of ``mes-add1``), each voter holding ``share``:

* a selected project: the round it was bought in and how its cost was shared among its
  supporters (``shares``: ``[number of voters, amount each]``, largest amount first; supporters
  with too little left pay all they have, the others the same amount);
* a project not selected: the round after which its supporters no longer held its cost together
  (``round`` 0: not even at the start), the project bought in that round (``by``), the number of
  supporters, the money they still held (``left``), what was missing (``missing``) and how many
  more supporters holding a full share that would have taken (``more_supporters``).

Greedy (and the completion of ``mes-add1``): for each project the budget left when the rule
reached it (``left``), whether it was taken or did not fit.

The replay runs in floating point: it only describes, it decides nothing (every amount is
rounded to the cent, every comparison allows for rounding).  Entries are JSON-serialisable.
"""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction
from typing import Any

from budget_participatif.counting.greedy import scores
from budget_participatif.counting.instance import Instance, Profile
from budget_participatif.pabulib import Number

__all__ = ["explain"]

_EPSILON = 1e-9


def _cents(value: float) -> float:
    return round(value + 0.0, 2) if abs(value) > 0.004 else 0.0


def _supporters_by_project(instance: Instance, profile: Profile) -> dict[str, list[tuple[int, float]]]:
    """Per project, the ``(group, utility)`` pairs of the ballots that give it a positive utility."""
    by_project: dict[str, list[tuple[int, float]]] = {p: [] for p in instance.costs}
    if profile.utilities is None:
        utility = {p: float(profile.project_utility(instance, p)) for p in instance.costs}
        for g, group in enumerate(profile.groups):
            for p in group:
                if utility[p] > 0:
                    by_project[p].append((g, utility[p]))
    else:
        for g, (group, utilities) in enumerate(zip(profile.groups, profile.utilities, strict=True)):
            for p, u in zip(group, utilities, strict=True):
                if u > 0:
                    by_project[p].append((g, float(u)))
    return by_project


def _mes(instance: Instance, profile: Profile, rounds: list[str], share: Number) -> dict[str, dict[str, Any]]:
    """Replay Equal Shares with ``share`` per voter, buying ``rounds`` in that order."""
    b = float(share)
    weights = profile.weights
    budgets = [b] * len(weights)
    by_project = _supporters_by_project(instance, profile)
    supporters = {p: sum(weights[g] for g, _u in pairs) for p, pairs in by_project.items()}
    money = {p: b * n for p, n in supporters.items()}
    costs = {p: float(c) for p, c in instance.costs.items()}
    chosen = set(rounds)
    entries: dict[str, dict[str, Any]] = {}
    waiting = [p for p in instance.costs if p not in chosen]

    def drop_out(round_number: int, by: str | None) -> None:
        still = []
        for p in waiting:
            if money[p] < costs[p] * (1 - _EPSILON) - _EPSILON:
                missing = costs[p] - money[p]
                entries[p] = {
                    "status": "rejected",
                    "stage": "mes",
                    "round": round_number,
                    "by": by,
                    "supporters": supporters[p],
                    "left": _cents(money[p]),
                    "missing": _cents(missing),
                    "more_supporters": math.ceil(missing / b - _EPSILON) if b > 0 else None,
                }
            else:
                still.append(p)
        waiting[:] = still

    drop_out(0, None)
    for number, p in enumerate(rounds, start=1):
        pairs = by_project[p]
        remaining = costs[p]
        # Price per unit of utility: the supporters who cannot pay rho * u pay all they have.
        order = sorted(pairs, key=lambda pair: budgets[pair[0]] / pair[1])
        weight_left = sum(weights[g] * u for g, u in order)
        rho = 0.0
        for g, u in order:
            if weight_left <= 0:
                break
            candidate = remaining / weight_left
            if budgets[g] / u >= candidate:
                rho = candidate
                break
            remaining -= weights[g] * budgets[g]
            weight_left -= weights[g] * u
        shares: Counter[float] = Counter()
        for g, u in pairs:
            pay = min(budgets[g], rho * u) if costs[p] > 0 else 0.0
            shares[_cents(pay)] += weights[g]
            if pay:
                budgets[g] -= pay
                total = weights[g] * pay
                for q in profile.groups[g]:
                    money[q] -= total
        entries[p] = {
            "status": "selected",
            "stage": "mes",
            "round": number,
            "supporters": supporters[p],
            "shares": [[n, amount] for amount, n in sorted(shares.items(), reverse=True)],
        }
        drop_out(number, p)
    for p in waiting:  # affordable to the end by rounding only: report the last state
        entries[p] = {
            "status": "rejected",
            "stage": "mes",
            "round": len(rounds),
            "by": rounds[-1] if rounds else None,
            "supporters": supporters[p],
            "left": _cents(money[p]),
            "missing": _cents(max(costs[p] - money[p], 0.0)),
            "more_supporters": 0,
        }
    return entries


def _greedy(instance: Instance, profile: Profile, already: list[str], selected: list[str]) -> dict[str, dict]:
    """The budget left when greedy reached each project not in ``already``."""
    left = Fraction(instance.budget) - sum((Fraction(instance.costs[p]) for p in already), Fraction(0))
    ranking = scores(instance, profile)
    taken = set(already)
    chosen = set(selected)
    order = sorted((p for p in instance.costs if p not in taken), key=lambda p: (-ranking[p][0], -ranking[p][1], p))
    entries: dict[str, dict] = {}
    for p in order:
        entry = {"stage": "greedy", "left": _cents(float(left)), "cost": _cents(float(instance.costs[p]))}
        if p in chosen:
            entry["status"] = "selected"
            left -= instance.costs[p]
        else:
            entry["status"] = "rejected"
        entries[p] = entry
    return entries


def explain(
    instance: Instance,
    profile: Profile,
    rule: str,
    selected: list[str],
    *,
    share: Number | None = None,
    mes_selected: list[str] | None = None,
    completion_profile: Profile | None = None,
) -> dict[str, Any]:
    """The explanation of an outcome (see the module docstring).

    ``selected``: the projects in selection order.  For ``mes`` and ``mes-add1``, ``share`` is the
    per-voter budget the MES part ran with and ``mes_selected`` what MES itself bought (the rest of
    ``selected`` came from the greedy completion, read with ``completion_profile``).
    """
    result: dict[str, Any] = {"rule": rule, "budget": _cents(float(instance.budget))}
    if rule == "greedy":
        result["projects"] = _greedy(instance, profile, [], selected)
        return result
    rounds = list(mes_selected if mes_selected is not None else selected)
    assert share is not None
    result["share"] = _cents(float(share))
    result["initial_share"] = _cents(float(instance.budget) / profile.num_voters) if profile.num_voters else 0.0
    result["rounds"] = rounds
    projects = _mes(instance, profile, rounds, share)
    if len(selected) > len(rounds) or rule == "mes-add1":
        completion = _greedy(instance, completion_profile or profile, rounds, selected)
        for p, entry in completion.items():
            if entry["status"] == "selected":
                projects[p] = entry
            else:
                projects[p]["completion_left"] = entry["left"]
    result["projects"] = projects
    return result
