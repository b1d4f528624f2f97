"""The Pabulib election as Python objects: projects, votes, exact numbers, and the error every
problem is reported with (see the package's docstring for the format)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .reader import _PendingVotes

Number = int | Fraction
"""Exact numbers: costs, budgets and points are integers, or fractions when written with decimals."""

SECTIONS = ("meta", "projects", "votes")
VOTE_TYPES = ("approval", "choose-1", "cumulative", "scoring", "ordinal")
_NUMBER_RE = re.compile(r"[+-]?(\d+)(?:[.,](\d+))?")


class PabulibError(ValueError):
    """A malformed Pabulib file.  ``line`` is the 1-based physical line at fault (0 if unknown)."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.reason = message
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Project:
    """One row of the PROJECTS section.

    ``cost`` is parsed exactly; ``fields`` keeps every other column (``name``, ``votes``,
    ``category``, ...) as the text found in the file, in column order.
    """

    project_id: str
    cost: Number
    fields: dict[str, str] = field(default_factory=dict)
    line: int = field(default=0, compare=False, repr=False)  # where it was read (0: not read from a file)

    @property
    def name(self) -> str:
        return self.fields.get("name", "")


@dataclass
class Vote:
    """One row of the VOTES section.

    ``vote`` lists the project ids in the order of the file (the ranking, for ordinal votes);
    ``points`` is parallel to ``vote`` when the file has a ``points`` column; ``fields`` keeps the
    other columns (``age``, ``sex``, ...) as text.
    """

    voter_id: str
    vote: list[str]
    points: list[Number] | None = None
    fields: dict[str, str] = field(default_factory=dict)
    line: int = field(default=0, compare=False, repr=False)  # where it was read (0: not read from a file)


class Election:
    """A whole ``.pb`` file.

    ``votes`` is built on first access: a parsed file keeps its VOTES rows and a tally of the
    distinct ballots (``ballot_tally``), which is all counting needs (see
    :meth:`budget_participatif.counting.Instance.from_election`).  Reading ``votes`` drops the
    tally, since the list may then be changed: counting reads the votes instead.
    """

    def __init__(
        self,
        meta: dict[str, str],
        projects: dict[str, Project],
        votes: list[Vote] | None = None,
        project_columns: list[str] | None = None,
        vote_columns: list[str] | None = None,
    ) -> None:
        self.meta = meta
        self.projects = projects
        self._votes = votes if votes is not None else []
        self._pending: _PendingVotes | None = None
        self.project_columns = project_columns if project_columns is not None else ["project_id", "cost"]
        self.vote_columns = vote_columns if vote_columns is not None else ["voter_id", "vote"]

    @property
    def votes(self) -> list[Vote]:
        if self._pending is not None:
            self._votes = self._pending.materialise()
            self._pending = None
        return self._votes

    @votes.setter
    def votes(self, value: list[Vote]) -> None:
        self._votes = value
        self._pending = None

    @property
    def ballot_tally(self) -> dict[tuple[tuple[str, ...], tuple[Number, ...] | None], int] | None:
        """``{(project ids, points or None): number of voters}`` while ``votes`` was never read."""
        return self._pending.tally() if self._pending is not None else None

    @property
    def num_votes(self) -> int:
        return self._pending.size if self._pending is not None else len(self._votes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Election):
            return NotImplemented
        return (self.meta, self.projects, self.votes, self.project_columns, self.vote_columns) == (
            other.meta,
            other.projects,
            other.votes,
            other.project_columns,
            other.vote_columns,
        )

    def __repr__(self) -> str:
        return f"Election(meta={self.meta!r}, projects=<{len(self.projects)} projects>, votes=<{self.num_votes} votes>)"

    @property
    def budget(self) -> Number:
        return parse_number(self.meta["budget"])

    @property
    def vote_type(self) -> str:
        return self.meta.get("vote_type", "approval").strip().lower()


def parse_number(text: str) -> Number:
    """Parse ``12``, ``12.50`` or ``12,50`` exactly (an ``int`` when integral).

    Raises ``ValueError`` for anything else (thousands separators, exponents, ``nan``...).
    """
    text = text.strip()
    match = _NUMBER_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a number: {text!r}")
    integer, decimals = match.group(1), match.group(2)
    sign = -1 if text.startswith("-") else 1
    if not decimals:
        return sign * int(integer)
    value = sign * Fraction(int(integer + decimals), 10 ** len(decimals))
    return value.numerator if value.denominator == 1 else value


def format_number(value: Number) -> str:
    """Inverse of :func:`parse_number`: integers as such, fractions as exact decimals."""
    if isinstance(value, bool):
        raise TypeError("booleans are not numbers here")
    if isinstance(value, int):
        return str(value)
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        raise ValueError(f"{value} has no finite decimal expansion")
    digits = max(twos, fives)
    scaled = abs(value) * 10**digits
    text = str(scaled.numerator).rjust(digits + 1, "0")
    sign = "-" if value < 0 else ""
    return f"{sign}{text[:-digits]}.{text[-digits:]}"


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------
