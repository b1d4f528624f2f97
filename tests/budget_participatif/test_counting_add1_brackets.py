"""add1's certified brackets, retried from the same step and chained from a bracket's top, on elections
large enough for many brackets (20–120 voters): the same selection as running every step."""

import random

from budget_participatif.counting import Instance, Profile
from budget_participatif.counting.add1 import add1
from budget_participatif.counting.mes import prepare

from .test_counting import plain_add1


def test_chained_brackets_equal_plain_steps() -> None:
    rng = random.Random(7)
    for index in range(60):
        ids = [str(j) for j in range(rng.randint(4, 12))]
        costs = {project_id: rng.randint(50, 400) for project_id in ids}
        ballots = [
            (tuple(rng.sample(ids, rng.randint(1, min(5, len(ids))))), None) for _ in range(rng.randint(20, 120))
        ]
        instance = Instance(rng.randint(400, 1500), costs, ballots)
        for sat in ("cost", "cardinality"):
            data = prepare(instance, Profile.build(instance, sat))
            for stop in (True, False):
                fast = add1(data, instance.budget, instance.costs, 1, stop_on_exhaustive=stop)
                assert fast.selected == plain_add1(data, instance, stop), (index, sat, stop)
