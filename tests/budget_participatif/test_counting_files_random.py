"""Random elections written as ``.pb`` files: our parser and counting against pabutools' parser and rules.

The ballots repeat (a few distinct ones cast by many voters, some listing projects in another
order), so the parser's tally of distinct ballots and the counting from that tally are
exercised, and an ``age`` column with varying values keeps the rows distinct.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from budget_participatif.counting import count
from budget_participatif.pabulib import parse


def random_file(rng: random.Random, cumulative: bool) -> str:
    ids = rng.sample(["1", "2", "10", "11", "3", "B", "b", "20"], rng.randint(2, 7))
    costs = {project_id: rng.choice([5, 10, 10, 15, 20, 25, 30, 40]) for project_id in ids}
    distinct = []
    for _ in range(rng.randint(1, 5)):
        chosen = rng.sample(ids, rng.randint(1, len(ids)))
        points = [rng.randint(1, 5) for _ in chosen] if cumulative else None
        distinct.append((chosen, points))
    lines = [
        "META",
        "key;value",
        f"budget;{rng.randint(20, 80)}",
        f"vote_type;{'cumulative' if cumulative else 'approval'}",
        "PROJECTS",
        "project_id;cost;name",
        *(f"{project_id};{cost};Project {project_id}" for project_id, cost in costs.items()),
        "VOTES",
        "voter_id;vote;points;age" if cumulative else "voter_id;vote;age",
    ]
    for voter in range(rng.randint(1, 30)):
        chosen, points = rng.choice(distinct)
        if not cumulative and rng.random() < 0.2:
            chosen = list(reversed(chosen))  # the same ballot written in another order
        cells = [f"v{voter}", ",".join(chosen)]
        if points is not None:
            cells.append(",".join(map(str, points)))
        cells.append(str(rng.randint(18, 90)))
        lines.append(";".join(cells))
    return "\n".join(lines) + "\n"


def test_random_files_against_pabutools(tmp_path) -> None:
    pytest.importorskip("pabutools")
    from pabutools.election import AdditiveSatisfaction, Cost_Sat, parse_pabulib
    from pabutools.election.satisfaction import Additive_Cardinal_Sat
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    class PointsTimesCost(AdditiveSatisfaction):
        def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
            super().__init__(instance, profile, ballot, lambda i, pr, b, p, pre: b.get(p, 0) * p.cost)

    rng = random.Random(14)
    path = tmp_path / "random.pb"
    for index in range(120):
        cumulative = index % 3 == 0
        text = random_file(rng, cumulative)
        path.write_text(text)
        instance, profile = parse_pabulib(str(path))
        election = parse(text)
        mes_sat = Additive_Cardinal_Sat if cumulative else Cost_Sat
        greedy_sat = PointsTimesCost if cumulative else Cost_Sat
        expected_greedy = sorted(p.name for p in greedy_utilitarian_welfare(instance, profile, sat_class=greedy_sat))
        expected_mes = sorted(p.name for p in method_of_equal_shares(instance, profile, sat_class=mes_sat))
        assert sorted(count(election, "greedy").selected) == expected_greedy, (index, text)
        assert sorted(count(election, "mes").selected) == expected_mes, (index, text)
        # The same file counted from its Vote objects (the tally is dropped once they are read).
        assert len(election.votes) == sum(1 for line in text.splitlines() if line[:1] == "v" and line[1].isdigit())
        assert sorted(count(election, "mes").selected) == expected_mes, (index, text)
