"""Tests of the counting rules (pure Python, no database).

* every shared Pabulib file against pabutools 1.2.3's outcomes recorded in ``expected.json``;
* the official results recorded in the files (``selected`` column) for the rules the cities used;
* seeded random elections against pabutools run live (skipped when pabutools is not installed);
* the add1 shortcut (certified brackets) against a plain step-by-step loop.
"""

from __future__ import annotations

import json
import os
import random
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from budget_participatif.counting import Instance, Outcome, Profile, count, count_file
from budget_participatif.counting.add1 import add1
from budget_participatif.counting.mes import equal_shares, prepare
from budget_participatif.pabulib import Election, parse, parse_file

#: The shared Pabulib files (beside the repository; PABULIB_DATA points elsewhere, e.g. from a worktree).
DATA = Path(os.environ.get("PABULIB_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data" / "pabulib")
EXPECTED: dict[str, dict[str, Any]] = (
    json.loads((DATA / "expected.json").read_text(encoding="utf-8")) if (DATA / "expected.json").is_file() else {}
)
needs_data = pytest.mark.skipif(not EXPECTED, reason="shared Pabulib files are not available")

# expected.json key -> (rule, options)
RULE_OF_KEY: dict[str, tuple[str, dict[str, Any]]] = {
    "greedy_cost_sat": ("greedy", {"sat": "cost"}),
    "greedy_cardinality_sat": ("greedy", {"sat": "cardinality"}),
    "greedy_points": ("greedy", {"sat": "points"}),
    "mes_cost_sat": ("mes", {"sat": "cost"}),
    "mes_cardinality_sat": ("mes", {"sat": "cardinality"}),
    "mes_additive_cardinal_sat": ("mes", {"sat": "points"}),
    "mes_cost_sat_add1": ("mes-add1", {"sat": "cost", "completion": False}),
    "mes_cost_sat_add1_greedy": ("mes-add1", {"sat": "cost"}),
    "mes_additive_cardinal_sat_add1": ("mes-add1", {"sat": "points", "completion": False}),
    "mes_additive_cardinal_sat_add1_greedy_points": ("mes-add1", {"sat": "points"}),
    "mes_cost_sat_add1_no_exhaustive_stop": (
        "mes-add1",
        {"sat": "cost", "completion": False, "stop_on_exhaustive": False},
    ),
    "mes_cost_sat_add1_fastpath": ("mes-add1", {"sat": "cost", "completion": False}),
    "mes_cost_sat_add1_greedy_fastpath": ("mes-add1", {"sat": "cost"}),
}

CASES = [
    (name, key)
    for name, results in sorted(EXPECTED.items())
    for key, value in sorted(results.items())
    if key != "seconds" and value is not None
]


@lru_cache(maxsize=4)
def election_of(name: str) -> Election:
    return parse_file(DATA / name)


@lru_cache(maxsize=64)
def outcome_of(name: str, rule: str, options: str) -> Outcome:
    return count(election_of(name), rule, **json.loads(options))


@needs_data
@pytest.mark.parametrize(("name", "key"), CASES, ids=[f"{n.removesuffix('.pb')}-{k}" for n, k in CASES])
def test_expected_outcomes(name: str, key: str) -> None:
    rule, options = RULE_OF_KEY[key]
    # The "_fastpath" keys hold the same rule as mes_cost_sat_add1[_greedy], computed differently.
    if options.get("completion") is False and options.get("stop_on_exhaustive", True):
        # add1 without completion: read it off the completed run (one add1 run for both keys).
        completed = {k: v for k, v in options.items() if k != "completion"}
        outcome = outcome_of(name, rule, json.dumps(completed, sort_keys=True))
        assert sorted(outcome.details["mes_selected"]) == EXPECTED[name][key]
        return
    outcome = outcome_of(name, rule, json.dumps(options, sort_keys=True))
    assert outcome.as_json()["selected"] == EXPECTED[name][key]


def test_every_expected_key_is_known() -> None:
    keys = {key for results in EXPECTED.values() for key in results if key != "seconds"}
    assert keys <= set(RULE_OF_KEY)


OFFICIAL = [
    ("Netherlands_Assen_2024.pb", "mes-add1", {"completion": False}),
    ("Poland_Swiecie_2023.pb", "mes-add1", {}),
    ("Poland_Wieliczka_2023_Green_Budget.pb", "mes-add1", {"completion": False, "stop_on_exhaustive": False}),
    ("Poland_Czestochowa_2024.pb", "greedy", {}),
    ("Poland_Gdynia_2023_Green_Budget.pb", "greedy", {"no_skip": True, "min_score": 1000}),
    ("Poland_Katowice_2023.pb", "greedy", {"min_score": 200}),
    ("Poland_Katowice_2023_Ligota_-_Panewniki.pb", "greedy", {"min_score": 50}),
    ("Poland_Lodz_2022.pb", "greedy", {"min_score": 100}),
    ("Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb", "greedy", {}),
    ("Poland_Warszawa_2018_Pole_Mokotowskie.pb", "greedy", {"min_score": 1}),
    ("Poland_Warszawa_2023_Wola.pb", "greedy", {}),
    ("Poland_Warszawa_2025_Mokotow.pb", "greedy", {}),
    ("Poland_Warszawa_2026.pb", "greedy", {"min_score": 3000}),
    ("Poland_Wroclaw_2017.pb", "greedy", {"no_skip": True}),
    ("Poland_Wroclaw_2024.pb", "greedy", {"no_skip": True}),
]


@needs_data
@pytest.mark.parametrize(("name", "rule", "options"), OFFICIAL, ids=[case[0].removesuffix(".pb") for case in OFFICIAL])
def test_official_results(name: str, rule: str, options: dict[str, Any]) -> None:
    election = election_of(name)
    official = sorted(pid for pid, project in election.projects.items() if project.fields.get("selected") == "1")
    outcome = outcome_of(name, rule, json.dumps(options, sort_keys=True))
    assert sorted(outcome.selected) == official


@needs_data
def test_count_file_and_as_json() -> None:
    outcome = count_file(DATA / "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb", "greedy")
    data = outcome.as_json()
    assert set(data) == {"selected", "cost"}
    assert data["selected"] == sorted(data["selected"])
    assert isinstance(data["cost"], int)
    election = election_of("Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb")
    assert data["cost"] == sum(election.projects[p].cost for p in data["selected"])


# ----------------------------------------------------------------------------------------------
# Small hand-made elections
# ----------------------------------------------------------------------------------------------


def approval(budget: int, costs: dict[str, int], ballots: list[str]) -> Instance:
    return Instance(budget, costs, [(tuple(b.split(",")) if b else (), None) for b in ballots])


def test_greedy_skips_what_no_longer_fits() -> None:
    instance = approval(10, {"a": 6, "b": 5, "c": 4}, ["a", "a,b", "a,b,c", "b"])
    # approvals: a 3, b 3, c 1 -> a (tie with b broken by id), b does not fit, c fits
    assert count(instance, "greedy").selected == ["a", "c"]
    assert count(instance, "greedy", no_skip=True).selected == ["a"]
    assert count(instance, "greedy", min_score=2).selected == ["a"]


def test_ties_compare_ids_as_strings() -> None:
    instance = approval(10, {"2": 10, "10": 10}, ["2", "10"])
    assert count(instance, "greedy").selected == ["10"]
    assert count(instance, "mes").selected == []  # each costs 10, supporters hold 5 each
    instance = approval(20, {"2": 10, "10": 10}, ["2", "10"])
    assert count(instance, "mes").selected == ["10", "2"]


def test_mes_small_example() -> None:
    # 4 voters holding 100 each.  rho (price per unit of utility = cost): A 300/900, B 150/300,
    # C 100/100.  A first: voters 1-3 pay 100 each; B then has 100 left among its supporters.
    instance = approval(400, {"A": 300, "B": 150, "C": 100}, ["A", "A", "A,B", "B,C"])
    outcome = count(instance, "mes")
    assert outcome.selected == ["A", "C"]
    assert outcome.cost == 400


def test_add1_raises_the_share_until_exhaustive() -> None:
    # 25 per voter: only b (rho 1/2); a needs 60 from two voters holding 25 each.
    # At 30 per voter a and b tie at rho 1/2 ("a" first) and both are funded.
    instance = approval(100, {"a": 60, "b": 40}, ["a", "a", "b", "b"])
    assert count(instance, "mes").selected == ["b"]
    by_unit = count(instance, "mes-add1", completion=False)
    assert by_unit.selected == ["a", "b"]
    assert by_unit.details["per_voter_budget"] == "30"
    assert by_unit.details["steps"] == 5
    assert by_unit.details["stop_reason"] == "all-selected"
    by_percent = count(instance, "mes-add1", completion=False, increment_percent=1)
    assert by_percent.details["increment"] == "1/4"  # 1 % of the initial 25 per voter
    assert by_percent.details["per_voter_budget"] == "30"
    assert by_percent.details["steps"] == 20
    assert by_percent.selected == by_unit.selected
    with pytest.raises(RuntimeError, match="3 steps"):
        count(instance, "mes-add1", max_steps=3)


def test_cumulative_defaults_to_points() -> None:
    ballots = [(("x", "y"), (1, 9)), (("y", "z"), (2, 8)), (("z",), (10,))]
    instance = Instance(10, {"x": 5, "y": 5, "z": 5}, ballots, vote_type="cumulative")
    assert count(instance, "greedy").details["sat"] == "points"
    assert count(instance, "greedy").selected == ["z", "y"]  # z 18 points, y 11, x 1
    assert count(instance, "greedy", sat="cost").selected == ["y", "z"]  # 2 approvals each, tie by id


def test_zero_cost_projects() -> None:
    instance = approval(10, {"free": 0, "a": 10, "nobody": 0}, ["free,a", "a"])
    assert sorted(count(instance, "greedy").selected) == ["a", "free", "nobody"]
    # under Cost_Sat a free project brings no satisfaction: MES ignores it
    assert count(instance, "mes").selected == ["a"]
    # under Cardinality_Sat it is selected up front
    assert count(instance, "mes", sat="cardinality").selected == ["free", "a"]


def test_ordinal_and_choose_one() -> None:
    text = (
        "META\nkey;value\nbudget;10\nvote_type;ordinal\nmax_length;2\n"
        "PROJECTS\nproject_id;cost\na;5\nb;5\nc;5\n"
        "VOTES\nvoter_id;vote\n1;a,b\n2;b,a\n3;c,a\n"
    )
    election = parse(text)
    assert count(election, "greedy").selected == ["a", "b"]  # approvals: a 3, b 2, c 1
    assert count(election, "greedy", sat="borda").selected == ["a", "b"]  # a 2+1+1, b 1+2, c 2
    with pytest.raises(ValueError, match="ordinal"):
        count(parse(text.replace("ordinal", "approval")), "greedy", sat="borda")
    choose1 = parse(text.replace("ordinal", "choose-1").replace("a,b", "a").replace("b,a", "b").replace("c,a", "c"))
    assert count(choose1, "mes").details["sat"] == "cost"


def test_fractional_costs_are_exact() -> None:
    instance = Instance(Fraction(21, 2), {"a": Fraction(7, 2), "b": Fraction(7, 2), "c": Fraction(7, 2)}, [])
    instance = Instance(instance.budget, instance.costs, [(("a", "b"), None), (("b", "c"), None), (("a", "c"), None)])
    outcome = count(instance, "mes")
    assert sorted(outcome.selected) == ["a", "b", "c"]
    assert outcome.cost == Fraction(21, 2)
    assert outcome.as_json()["cost"] == "10.5"


def test_multiplicities_equal_repeated_ballots() -> None:
    repeated = approval(12, {"a": 6, "b": 6, "c": 3}, ["a", "a", "a", "b,c", "c"])
    grouped = Instance(
        12, {"a": 6, "b": 6, "c": 3}, [(("a",), None), (("b", "c"), None), (("c",), None)], multiplicities=[3, 1, 1]
    )
    for rule in ("greedy", "mes", "mes-add1"):
        assert count(repeated, rule).selected == count(grouped, rule).selected


def test_unknown_rule_and_sat() -> None:
    instance = approval(10, {"a": 5}, ["a"])
    with pytest.raises(ValueError, match="unknown rule"):
        count(instance, "phragmen")
    with pytest.raises(ValueError, match="satisfaction"):
        count(instance, "mes", sat="joy")
    assert count(instance, "MES_ADD1").rule == "mes-add1"


def test_no_voters() -> None:
    instance = approval(10, {"a": 5}, [])
    assert count(instance, "mes").selected == []
    assert count(instance, "mes-add1", completion=False).selected == []
    assert count(instance, "greedy").selected == ["a"]  # pabutools also takes unsupported projects


# ----------------------------------------------------------------------------------------------
# Random elections
# ----------------------------------------------------------------------------------------------

ID_POOL = ["1", "2", "3", "10", "11", "20", "a", "B", "b"]


def random_instance(rng: random.Random, cumulative: bool) -> Instance:
    ids = rng.sample(ID_POOL, rng.randint(2, 7))
    fractional = rng.random() < 0.15
    costs: dict[str, int | Fraction] = {}
    for project_id in ids:
        cost: int | Fraction = rng.choice([5, 10, 10, 15, 20, 25, 30, 40])
        if fractional:
            cost = Fraction(rng.randint(10, 80), 2)
        costs[project_id] = cost
    if rng.random() < 0.1:
        costs[ids[0]] = 0
    budget = rng.randint(20, 80)
    ballots = []
    for _ in range(rng.randint(1, 12)):
        chosen = tuple(rng.sample(ids, rng.randint(0, len(ids))))
        points = tuple(rng.randint(1, 5) for _ in chosen) if cumulative else None
        ballots.append((chosen, points))
    return Instance(budget, costs, ballots, vote_type="cumulative" if cumulative else "approval")


def test_add1_brackets_equal_plain_steps() -> None:
    """The certified-bracket shortcut returns exactly what running every step returns."""
    rng = random.Random(20240607)
    for index in range(150):
        instance = random_instance(rng, cumulative=index % 3 == 0)
        for sat in ("cost", "cardinality", "points") if index % 3 == 0 else ("cost", "cardinality"):
            profile = Profile.build(instance, sat)
            data = prepare(instance, profile)
            for stop in (True, False):
                fast = add1(data, instance.budget, instance.costs, 1, stop_on_exhaustive=stop)
                assert fast.selected == plain_add1(data, instance, stop), (index, sat, stop)


def plain_add1(data: Any, instance: Instance, stop_on_exhaustive: bool) -> list[str]:
    if data.num_voters == 0:
        return []
    start = Fraction(instance.budget) / data.num_voters
    previous = list(data.preselected)
    k = 0
    while True:
        outcome = equal_shares(data, start + k)
        spent = instance.total_cost(outcome)
        if spent > instance.budget:
            return previous
        left = [instance.costs[p] for p in data.ids if p not in outcome]
        if not left or (stop_on_exhaustive and all(spent + cost > instance.budget for cost in left)):
            return outcome
        previous = outcome
        k += 1


def pabutools_instance(instance: Instance, pb: Any) -> tuple[Any, Any]:
    projects = {pid: pb.election.Project(pid, Fraction(cost)) for pid, cost in instance.costs.items()}
    pb_instance = pb.election.Instance(projects.values(), budget_limit=Fraction(instance.budget))
    if instance.vote_type == "cumulative":
        ballots = [
            pb.election.CumulativeBallot({projects[p]: Fraction(v) for p, v in zip(ids, points or (), strict=True)})
            for ids, points in instance.ballots
        ]
        profile = pb.election.CumulativeProfile(ballots, instance=pb_instance)
    else:
        ballots = [pb.election.ApprovalBallot(projects[p] for p in ids) for ids, _ in instance.ballots]
        profile = pb.election.ApprovalProfile(ballots, instance=pb_instance)
    return pb_instance, profile.as_multiprofile()


def names(allocation: Any) -> list[str]:
    return sorted(project.name for project in allocation)


def test_random_elections_against_pabutools() -> None:
    pb = pytest.importorskip("pabutools")
    from pabutools.election import (
        Additive_Cardinal_Sat,
        AdditiveSatisfaction,
        Cardinality_Sat,
        Cost_Sat,
    )
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    class PointsTimesCost(AdditiveSatisfaction):  # orders greedy by total points
        def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
            super().__init__(instance, profile, ballot, lambda i, pr, b, p, pre: b.get(p, 0) * p.cost)

    rng = random.Random(1234)
    checked = 0
    for index in range(200):
        cumulative = index % 2 == 1
        instance = random_instance(rng, cumulative)
        pb_instance, profile = pabutools_instance(instance, pb)
        sats = {"cost": Cost_Sat, "cardinality": Cardinality_Sat}
        if cumulative:
            sats["points"] = Additive_Cardinal_Sat
        for sat, sat_class in sats.items():
            greedy_class = PointsTimesCost if sat == "points" else sat_class
            label = (index, sat)
            expected = greedy_utilitarian_welfare(pb_instance, profile, sat_class=greedy_class)
            assert sorted(count(instance, "greedy", sat=sat).selected) == names(expected), label
            expected = method_of_equal_shares(pb_instance, profile, sat_class=sat_class)
            assert sorted(count(instance, "mes", sat=sat).selected) == names(expected), label
            expected = method_of_equal_shares(pb_instance, profile, sat_class=sat_class, voter_budget_increment=1)
            ours = count(instance, "mes-add1", sat=sat)
            assert sorted(ours.details["mes_selected"]) == names(expected), label
            completed = greedy_utilitarian_welfare(
                pb_instance, profile, sat_class=greedy_class, initial_budget_allocation=expected
            )
            assert sorted(ours.selected) == names(completed), label
            checked += 1
    assert checked >= 500
