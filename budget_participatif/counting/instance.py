"""The election data that the counting rules work on, and the satisfaction (utility) models.

An :class:`Instance` is independent of the file format: the Django app can build one from its own
models, :func:`Instance.from_election` builds one from a parsed Pabulib file.

Satisfaction models (the ``sat`` option of :func:`~budget_participatif.counting.rules.count`)
give the utility ``u(voter, project)`` of a project listed on a ballot (0 when not listed):

``cost``
    ``u = cost of the project`` for every project listed on the ballot (approval reading of any
    ballot: a cumulative or ordinal ballot approves every project it names).  pabutools' ``Cost_Sat``.
``cardinality``
    ``u = 1`` for every listed project.  pabutools' ``Cardinality_Sat``.
``points``
    ``u = points given`` (cumulative and scoring ballots; ``1`` per project on approval ballots).
    pabutools' ``Additive_Cardinal_Sat``.
``borda``
    ordinal ballots only: the project ranked first on a ballot gets ``m`` points, the next ``m-1``,
    and so on, where ``m`` is the ``max_length`` of the META section (or the longest ballot).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter

from budget_participatif.pabulib import Election, Number, parse_number

__all__ = ["SATISFACTIONS", "Ballot", "Instance", "Profile", "default_sat"]

SATISFACTIONS = ("cost", "cardinality", "points", "borda")
POINT_VOTE_TYPES = ("cumulative", "scoring")

Ballot = tuple[tuple[str, ...], tuple[Number, ...] | None]
"""``(project ids in ballot order, points parallel to the ids or None)``."""


@dataclass
class Instance:
    """A participatory-budgeting election reduced to what counting needs.

    ``ballots`` holds one entry per voter (voters with identical ballots may also be given once
    with a multiplicity through ``multiplicities``, which defaults to 1 for each ballot).
    """

    budget: Number
    costs: dict[str, Number]
    ballots: list[Ballot]
    vote_type: str = "approval"
    multiplicities: list[int] | None = None
    max_length: int | None = None
    meta: dict[str, str] = field(default_factory=dict)
    validated: bool = False
    """True when every ballot is known to name existing projects at most once (parsed files)."""

    def __post_init__(self) -> None:
        self.vote_type = self.vote_type.strip().lower()
        if self.budget < 0:
            raise ValueError("the budget is negative")
        for project_id, cost in self.costs.items():
            if cost < 0:
                raise ValueError(f"project {project_id!r} has a negative cost")
        if self.multiplicities is not None and len(self.multiplicities) != len(self.ballots):
            raise ValueError("multiplicities and ballots differ in length")

    @classmethod
    def from_election(cls, election: Election) -> Instance:
        """Build an instance from a parsed Pabulib file.

        A freshly parsed file gives its distinct ballots with their multiplicities (no per-voter
        work); an election whose ``votes`` were read or built by hand gives one ballot per vote.
        """
        tally = election.ballot_tally
        multiplicities: list[int] | None = None
        if tally is not None:
            ballots: list[Ballot] = list(tally)
            multiplicities = list(tally.values())
        else:
            ballots = [
                (tuple(vote.vote), tuple(vote.points) if vote.points is not None else None) for vote in election.votes
            ]
        max_length: int | None = None
        raw_max = election.meta.get("max_length")
        if raw_max is not None:
            try:
                max_length = int(parse_number(raw_max))
            except ValueError:
                max_length = None
        return cls(
            budget=election.budget,
            costs={pid: project.cost for pid, project in election.projects.items()},
            ballots=ballots,
            vote_type=election.vote_type,
            multiplicities=multiplicities,
            max_length=max_length,
            meta=dict(election.meta),
            validated=True,
        )

    @property
    def num_voters(self) -> int:
        if self.multiplicities is None:
            return len(self.ballots)
        return sum(self.multiplicities)

    def total_cost(self, projects: Iterable[str]) -> Number:
        return sum((self.costs[p] for p in projects), 0)


def default_sat(vote_type: str) -> str:
    """``points`` for cumulative and scoring ballots, ``cost`` otherwise."""
    return "points" if vote_type in POINT_VOTE_TYPES else "cost"


@dataclass
class Profile:
    """Distinct ballots with their multiplicities, read under one satisfaction model.

    ``groups[g]`` holds the project ids named on the ``g``-th distinct ballot;
    ``utilities[g]`` the utility of each of them (parallel tuple), or ``None`` for every group
    when the utility depends on the project only (``cost``: its cost, ``cardinality``: 1);
    ``weights[g]`` is the number of voters who cast it.  Ballots equal under ``sat`` are merged.
    A project named with utility 0 stays listed (pabutools' ``project in ballot``).
    """

    groups: list[tuple[str, ...]]
    utilities: list[tuple[Number, ...]] | None
    weights: list[int]
    num_voters: int
    sat: str

    def project_utility(self, instance: Instance, project_id: str) -> Number:
        """Utility of ``project_id`` for its supporters when it does not depend on the voter."""
        return instance.costs[project_id] if self.sat == "cost" else 1

    @classmethod
    def build(cls, instance: Instance, sat: str) -> Profile:
        if sat not in SATISFACTIONS:
            raise ValueError(f"unknown satisfaction {sat!r}; expected one of {', '.join(SATISFACTIONS)}")
        if sat == "borda" and instance.vote_type != "ordinal":
            raise ValueError("the borda satisfaction needs ordinal ballots")
        known_ids = instance.costs.keys()
        uniform = sat in ("cost", "cardinality")
        borda_top = 0
        if sat == "borda":
            longest = max(map(len, map(itemgetter(0), instance.ballots)), default=0)
            borda_top = max(instance.max_length or longest, longest)
        # Count identical raw ballots first (C speed), then canonicalise the distinct ones.
        raw: Counter[Ballot]
        if instance.multiplicities is None:
            raw = Counter(map(itemgetter(0), instance.ballots)) if uniform else Counter(instance.ballots)
        else:
            keys = list(map(itemgetter(0), instance.ballots)) if uniform else instance.ballots
            raw = Counter(dict(zip(keys, instance.multiplicities, strict=True)))
            if len(raw) != len(keys) or min(instance.multiplicities, default=1) <= 0:
                raw = Counter()
                for key, weight in zip(keys, instance.multiplicities, strict=True):
                    if weight > 0:
                        raw[key] += weight
        counter: Counter[tuple] = Counter()
        if uniform:
            # Fast path: for utilities that depend on the project only, the order of a ballot
            # does not matter and merging is just an optimisation, so the raw ballots are the
            # groups (ballots listing the same projects in another order stay apart).
            if not instance.validated:
                names_used = set(chain.from_iterable(raw))
                if not names_used <= known_ids:
                    raise ValueError(f"a ballot names unknown project {min(names_used - known_ids)!r}")
                if any(len(set(ids)) != len(ids) for ids in raw if len(ids) > 1):
                    raise ValueError("a ballot names the same project twice")
            weights = list(raw.values())
            return cls(list(raw), None, weights, sum(weights), sat)  # type: ignore[arg-type]
        for (ids, points), weight in raw.items():  # type: ignore[misc]
            names = set(ids)
            if len(names) != len(ids):
                raise ValueError("a ballot names the same project twice")
            if not names <= known_ids:
                raise ValueError(f"a ballot names unknown project {min(names - known_ids)!r}")
            if sat == "borda":
                key: tuple = tuple(sorted(zip(ids, range(borda_top, borda_top - len(ids), -1), strict=True)))
            elif points is None:
                key = tuple((p, 1) for p in sorted(ids))
            else:
                if len(points) != len(ids):
                    raise ValueError("a ballot has not as many points as projects")
                if any(value < 0 for value in points):
                    raise ValueError("negative points cannot be used as utilities")
                key = tuple(sorted(zip(ids, points, strict=True)))
            counter[key] += weight
        weights = list(counter.values())
        if uniform:
            return cls(list(counter), None, weights, sum(weights), sat)
        groups = [tuple(p for p, _ in key) for key in counter]
        utilities = [tuple(u for _, u in key) for key in counter]
        return cls(groups, utilities, weights, sum(weights), sat)
