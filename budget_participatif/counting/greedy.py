"""Greedy selection ("greedy utilitarian welfare" in pabutools, the usual city rule).

Projects are ranked by a score, ties broken by the project id compared as a string, and taken in
that order while they fit in what is left of the budget; a project that no longer fits is skipped
and the next ones are still considered (unless ``no_skip``).  Scores by satisfaction model:

``cost``         number of voters who list the project (pabutools ``Cost_Sat``: welfare per unit
                 of cost = approvals); 0 for a project of cost 0.
``cardinality``  approvals per unit of cost (``Cardinality_Sat``); infinite for a supported project
                 of cost 0.
``points``       total points (a satisfaction of points x cost per unit of cost); 0 for a project
                 of cost 0.  Also ``borda`` with Borda points.

Projects nobody supports have score 0 and are still taken at the end if they fit, as pabutools
does; a ``min_score`` (e.g. the ``min_project_score_threshold`` of a city) excludes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from budget_participatif.counting.instance import Instance, Profile
from budget_participatif.pabulib import Number

__all__ = ["greedy", "scores"]


def _totals(instance: Instance, profile: Profile) -> tuple[dict[str, int], dict[str, Fraction]]:
    """Per project: number of voters listing it, and total utility over them."""
    supporters: dict[str, int] = dict.fromkeys(instance.costs, 0)
    for group, weight in zip(profile.groups, profile.weights, strict=True):
        for project_id in group:
            supporters[project_id] += weight
    if profile.utilities is None:
        totals = {p: Fraction(n) * Fraction(profile.project_utility(instance, p)) for p, n in supporters.items()}
        return supporters, totals
    totals = {p: Fraction(0) for p in instance.costs}
    for group, utilities, weight in zip(profile.groups, profile.utilities, profile.weights, strict=True):
        for project_id, utility in zip(group, utilities, strict=True):
            totals[project_id] += weight * utility
    return supporters, totals


def scores(instance: Instance, profile: Profile) -> dict[str, tuple[int, Fraction]]:
    """Sort key material per project: ``(1 if infinite else 0, value)``; higher ranks first."""
    supporters, totals = _totals(instance, profile)
    result: dict[str, tuple[int, Fraction]] = {}
    for project_id, cost in instance.costs.items():
        count = supporters[project_id]
        if profile.sat == "cost":
            value = (0, Fraction(count)) if cost > 0 and count > 0 else (0, Fraction(0))
        elif profile.sat == "cardinality":
            if count == 0:
                value = (0, Fraction(0))
            elif cost == 0:
                value = (1, Fraction(0))
            else:
                value = (0, Fraction(count) / Fraction(cost))
        else:
            total = totals[project_id]
            value = (0, total) if cost > 0 and total > 0 else (0, Fraction(0))
        result[project_id] = value
    return result


def raw_scores(instance: Instance, profile: Profile) -> dict[str, Fraction]:
    """Approvals (``cost``/``cardinality``) or total points (``points``/``borda``) per project."""
    supporters, totals = _totals(instance, profile)
    if profile.utilities is None:
        return {p: Fraction(n) for p, n in supporters.items()}
    return totals


def greedy(
    instance: Instance,
    profile: Profile,
    initial: Iterable[str] = (),
    *,
    min_score: Number | None = None,
    no_skip: bool = False,
) -> list[str]:
    """Greedy selection, starting from the already selected projects ``initial``.

    ``min_score``: projects whose approvals (or total points) are below it are not selected.
    ``no_skip``: stop at the first project that does not fit instead of skipping it.
    """
    selected = list(initial)
    taken = set(selected)
    remaining = Fraction(instance.budget) - sum((Fraction(instance.costs[p]) for p in selected), Fraction(0))
    ranking = scores(instance, profile)
    raw = raw_scores(instance, profile) if min_score is not None else {}
    order = sorted(
        (p for p in instance.costs if p not in taken),
        key=lambda p: (-ranking[p][0], -ranking[p][1], p),
    )
    for project_id in order:
        if min_score is not None and raw[project_id] < min_score:
            continue
        cost = instance.costs[project_id]
        if cost <= remaining:
            selected.append(project_id)
            remaining -= cost
        elif no_skip:
            break
    return selected
