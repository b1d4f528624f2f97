"""The certified float engine of MES (``counting.fastmes``) against the exact engine.

The float engine must either give exactly the selection sequence of the exact engine or refuse
(``Ambiguous``) so that the exact engine decides; these tests check both halves: it agrees on
hundreds of random elections and budgets, it does answer (instead of always refusing), it
decides exact ties by the project id, and it refuses where floats cannot decide.
"""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from budget_participatif.counting import Instance, Profile, count
from budget_participatif.counting.add1 import add1
from budget_participatif.counting.fastmes import Ambiguous, FloatRun
from budget_participatif.counting.mes import MesData, _Run, equal_shares, prepare

IDS = ["1", "2", "3", "9", "10", "11", "20", "a", "B", "b", "c", "d", "e", "f", "g", "h"]


def random_election(rng: random.Random, cumulative: bool) -> Instance:
    ids = rng.sample(IDS, rng.randint(3, len(IDS)))
    costs = {p: rng.choice([100, 150, 200, 250, 300, 500, 800, 1_000, 1_200, 2_000]) for p in ids}
    popular = rng.sample(ids, max(1, len(ids) // 3))
    ballots = []
    for _ in range(rng.randint(5, 120)):
        size = rng.randint(1, min(5, len(ids)))
        chosen = set(rng.sample(popular, min(len(popular), rng.randint(0, 2))))
        chosen.update(rng.sample(ids, size))
        votes = tuple(sorted(chosen))
        points = tuple(rng.randint(1, 6) for _ in votes) if cumulative else None
        ballots.append((votes, points))
    budget = rng.randint(800, 6_000)
    return Instance(budget, costs, ballots, vote_type="cumulative" if cumulative else "approval")


def exact_mes(data: MesData, per_voter: Fraction) -> list[str]:
    return [data.ids[q] for q in _Run(data, per_voter).solve()]


def float_mes(data: MesData, per_voter: Fraction) -> list[str] | None:
    try:
        return [data.ids[q] for q in FloatRun(data, per_voter).solve()]
    except Ambiguous:
        return None


def test_float_engine_equals_exact_engine_on_random_elections() -> None:
    rng = random.Random(5)
    answered = refused = 0
    for index in range(120):
        cumulative = index % 3 == 0
        instance = random_election(rng, cumulative)
        for sat in ("cost", "cardinality", "points") if cumulative else ("cost", "cardinality"):
            data = prepare(instance, Profile.build(instance, sat))
            assert data.fast is not None
            start = Fraction(instance.budget) / data.num_voters
            for extra in (0, 1, 7, Fraction(1, 3), start / 2, start * 3):
                per_voter = start + extra
                expected = exact_mes(data, per_voter)
                got = float_mes(data, per_voter)
                if got is None:
                    refused += 1
                else:
                    answered += 1
                    assert got == expected, (index, sat, extra)
                assert equal_shares(data, per_voter) == data.preselected + expected
    # The float engine decides nearly everything itself: small integer elections are full of
    # exact ties (same number of supporters), which it must decide exactly too.
    assert answered > 20 * refused, (answered, refused)


def test_repeated_ballots_take_the_weighted_path() -> None:
    # Projects whose ballots repeat a lot keep one entry per distinct ballot with its weight;
    # the others one entry per voter: both layouts must give the exact sequence.
    rng = random.Random(11)
    layouts = set()
    refused = 0
    for _ in range(40):
        ids = rng.sample(IDS, 8)
        costs = {p: rng.choice([300, 500, 800, 1_300]) for p in ids}
        common = [tuple(sorted(rng.sample(ids, rng.randint(1, 3)))) for _ in range(4)]
        ballots = [(rng.choice(common), None) for _ in range(rng.randint(20, 200))]
        ballots += [(tuple(sorted(rng.sample(ids, rng.randint(1, 4)))), None) for _ in range(rng.randint(0, 30))]
        instance = Instance(rng.randint(1_000, 5_000), costs, ballots)
        data = prepare(instance, Profile.build(instance, "cost"))
        assert data.fast is not None
        layouts.update(weights is None for weights in data.fast.weights)
        start = Fraction(instance.budget) / data.num_voters
        for extra in (0, 3, start):
            got = float_mes(data, start + extra)
            refused += got is None
            assert got is None or got == exact_mes(data, start + extra)
    assert layouts == {True, False}
    assert refused < 6, refused  # of 120 runs


def tie_instance() -> Instance:
    """Twelve voters with 10 each.  ``y`` (voters 1-6, price 1/6) is bought first, then ``z``
    (voters 1, 7, 8): voter 1, left with 4, pays all of it; then ``a`` (voters 1, 9, 10) and
    ``b`` (voters 1, 11, 12) both have two supporters with money, each able to pay half of the
    cost: the same price 1/2, exactly, with a supporter at exactly 0."""
    ballots = [("y", "z", "a", "b"), ("y",), ("y",), ("y",), ("y",), ("y",)]
    ballots += [("z",), ("z",), ("a",), ("a",), ("b",), ("b",)]
    costs = {"y": 36, "z": 14, "a": 16, "b": 16}
    return Instance(120, costs, [(ids, None) for ids in ballots])


def test_exact_ties_are_decided_by_the_smaller_id() -> None:
    instance = tie_instance()
    data = prepare(instance, Profile.build(instance, "cost"))
    run = FloatRun(data, Fraction(10))
    for expected in ("y", "z"):
        best = run.winner()
        assert best is not None and data.ids[best[0]] == expected
        run.select(best[0])
    # Third round: a and b are tied at exactly 1/2; the float intervals overlap, and the tie is
    # decided exactly ("a" < "b"), without falling back to the exact engine.
    third = run.winner()
    assert third is not None and data.ids[third[0]] == "a"
    assert run.exact_price(data.ids.index("a")) == Fraction(1, 2)
    assert run.exact_price(data.ids.index("b")) == Fraction(1, 2)
    assert float_mes(data, Fraction(10)) == exact_mes(data, Fraction(10)) == ["y", "z", "a", "b"]


def test_first_round_ties_between_equally_supported_projects() -> None:
    # Under the cost satisfaction a project everyone can pay for has the price 1 / supporters:
    # "10", "3" and "9" all have two supporters; "10" sorts first as a string.
    instance = Instance(
        90,
        {"9": 16, "10": 40, "3": 30},
        [(("9", "10"), None), (("9", "10", "3"), None), (("3",), None)],
    )
    data = prepare(instance, Profile.build(instance, "cost"))
    assert float_mes(data, Fraction(30)) == exact_mes(data, Fraction(30)) == ["10", "9", "3"]


def test_undecidable_affordability_falls_back_to_the_exact_engine() -> None:
    # The three supporters of "x" hold exactly its cost: floats cannot tell "affordable" from
    # "not quite", the float engine refuses and the exact engine decides (it is affordable).
    instance = Instance(30, {"x": 30, "y": 25}, [(("x",), None), (("x", "y"), None), (("x",), None)])
    data = prepare(instance, Profile.build(instance, "cost"))
    with pytest.raises(Ambiguous):
        FloatRun(data, Fraction(10)).solve()
    assert equal_shares(data, Fraction(10)) == ["x"]
    assert count(instance, "mes").selected == ["x"]


def test_numbers_too_large_for_floats_use_the_exact_engine() -> None:
    big = 2**60
    instance = Instance(3 * big, {"x": 2 * big, "y": big}, [(("x",), None), (("x", "y"), None), (("y",), None)])
    data = prepare(instance, Profile.build(instance, "cost"))
    assert data.fast is None
    assert count(instance, "mes").selected == exact_mes(data, Fraction(big))


def exact_plain_add1(data: MesData, instance: Instance, step: Fraction, stop_on_exhaustive: bool) -> list[str]:
    """add1 as defined: one exact MES run per step, no shortcut."""
    start = Fraction(instance.budget) / data.num_voters
    previous = list(data.preselected)
    k = 0
    while True:
        outcome = data.preselected + exact_mes(data, start + k * step)
        spent = instance.total_cost(outcome)
        if spent > instance.budget:
            return previous
        left = [instance.costs[p] for p in data.ids if p not in outcome]
        if not left or (stop_on_exhaustive and all(spent + cost > instance.budget for cost in left)):
            return outcome
        previous = outcome
        k += 1


def test_add1_with_the_float_engine_equals_exact_step_by_step() -> None:
    rng = random.Random(77)
    for index in range(60):
        cumulative = index % 4 == 0
        instance = random_election(rng, cumulative)
        sat = "points" if cumulative else "cost"
        data = prepare(instance, Profile.build(instance, sat))
        start = Fraction(instance.budget) / data.num_voters
        # Small steps make the certified brackets skip many steps; large ones make few steps.
        for step in (start / 50, Fraction(1), start / 5):
            for stop in (True, False):
                result = add1(data, instance.budget, instance.costs, step, stop_on_exhaustive=stop)
                assert result.selected == exact_plain_add1(data, instance, step, stop), (index, step, stop)
