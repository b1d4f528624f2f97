"""Parser and writer for Pabulib ``.pb`` participatory-budgeting files.

A ``.pb`` file is a ``;``-separated CSV document with three sections, always in this order::

    META
    key;value
    budget;100000
    vote_type;approval
    ...
    PROJECTS
    project_id;cost;name;...
    1;2500;Benches;...
    VOTES
    voter_id;vote;...
    v1;1,3;...

Fields are quoted the way the ``csv`` module quotes them (a field containing ``;``, ``"`` or a line
break is wrapped in double quotes, inner quotes are doubled).  :func:`parse` accepts a leading
byte-order mark, CRLF/LF/CR line ends, blank lines, case-insensitive section names and decimal
costs written with a point or a comma (``1500.50``, ``1500,50``).  Every problem is reported as a
:class:`PabulibError` naming the 1-based physical line at fault.

:func:`write` produces a file that :func:`parse` reads back to an equal :class:`Election`.

This module is pure Python (standard library only) and does not import Django.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain, repeat
from pathlib import Path
from typing import Any, TextIO

__all__ = [
    "Election",
    "Number",
    "PabulibError",
    "Project",
    "Vote",
    "format_number",
    "parse",
    "parse_file",
    "parse_number",
    "write",
]

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


class _Rows:
    """``(first physical line, fields)`` for every CSV record of ``lines[start:]``, skipping blank ones.

    The reader is lenient like pabutools' (a stray quote inside a field is kept as text), but a
    quoted field that is never closed (an odd number of ``"`` in a multi-line record) is an error
    instead of silently swallowing the rest of the file.  ``position`` is the last line read.
    """

    def __init__(self, lines: list[str], start: int = 0) -> None:
        self.lines = lines
        self.position = start
        self.reader = csv.reader(iter(lines[start:]), delimiter=";")
        self.start = start

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> tuple[int, list[str]]:
        while True:
            try:
                row = next(self.reader)
            except csv.Error as exc:  # pragma: no cover - the lenient dialect rarely complains
                raise PabulibError(self.position + 1, f"malformed CSV: {exc}") from exc
            first = self.position + 1
            self.position = self.start + self.reader.line_num
            if self.position > first and "".join(self.lines[first - 1 : self.position]).count('"') % 2:
                raise PabulibError(first, "unterminated quoted field")
            if row and any(cell.strip() for cell in row):
                return first, row


def _number(text: str, line: int, what: str, *, allow_negative: bool = False) -> Number:
    try:
        value = parse_number(text)
    except ValueError:
        raise PabulibError(line, f"{what} is not a number: {text.strip()!r}") from None
    if value < 0 and not allow_negative:
        raise PabulibError(line, f"{what} is negative: {text.strip()!r}")
    return value


def _header(rows: _Rows, section: str, section_line: int) -> tuple[int, list[str]]:
    try:
        line, header = next(rows)
    except StopIteration:
        raise PabulibError(section_line, f"section {section.upper()} has no header row") from None
    columns = [cell.strip() for cell in header]
    if columns and columns[0].lower() in SECTIONS:
        raise PabulibError(line, f"section {section.upper()} has no header row")
    if any(not column for column in columns):
        raise PabulibError(line, f"empty column name in the {section.upper()} header")
    duplicates = sorted({column for column in columns if columns.count(column) > 1})
    if duplicates:
        raise PabulibError(line, f"duplicate column {duplicates[0]!r} in the {section.upper()} header")
    return line, columns


def _require_columns(columns: list[str], required: Iterable[str], section: str, line: int) -> None:
    for name in required:
        if name not in columns:
            raise PabulibError(line, f"the {section.upper()} header has no {name!r} column")


def _check_width(row: list[str], columns: list[str], section: str, line: int) -> None:
    if len(row) != len(columns):
        raise PabulibError(
            line,
            f"wrong number of columns in {section.upper()}: expected {len(columns)}, found {len(row)}",
        )


def _decode(data: bytes) -> str:
    """UTF-8 text (a leading byte-order mark is dropped); a wrong byte is reported with its line."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start]
        line = prefix.count(b"\n") + 1 if b"\n" in prefix else prefix.count(b"\r") + 1
        raise PabulibError(
            line,
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read; save the file with the UTF-8 encoding",
        ) from None


def parse(source: str | bytes | TextIO) -> Election:
    """Parse a Pabulib file given as text, bytes (UTF-8) or a text stream."""
    if isinstance(source, bytes):
        text = _decode(source)
    elif isinstance(source, str):
        text = source
    else:
        text = source.read()
    text = text.removeprefix("\ufeff")
    lines = io.StringIO(text, newline="").readlines()

    meta: dict[str, str] = {}
    projects: dict[str, Project] = {}
    project_columns: list[str] = []
    vote_columns: list[str] = []
    seen: dict[str, int] = {}
    meta_lines: dict[str, int] = {}
    section = ""
    columns: list[str] = []
    header_line = 0
    meta_line = 0
    vote_type = "approval"
    last_line = 0
    pending: _PendingVotes | None = None

    rows = _Rows(lines)
    for line, row in rows:
        last_line = line
        first = row[0].strip()
        if (len(row) == 1 or all(not cell.strip() for cell in row[1:])) and first.lower() in SECTIONS:
            name = first.lower()
            if name in seen:
                raise PabulibError(line, f"section {name.upper()} appears twice")
            expected = SECTIONS[len(seen)]
            if name != expected:
                raise PabulibError(line, f"section {name.upper()} found where {expected.upper()} was expected")
            seen[name] = line
            section = name
            header_line, columns = _header(rows, name, line)
            last_line = header_line
            if name == "meta":
                meta_line = line
            elif name == "projects":
                vote_type = _check_meta(meta, meta_lines, meta_line, line)
                _require_columns(columns, ("project_id", "cost"), name, header_line)
                project_columns = columns
            else:
                _require_columns(columns, ("voter_id", "vote"), name, header_line)
                if vote_type in ("cumulative", "scoring") and "points" not in columns:
                    raise PabulibError(header_line, f"{vote_type} votes need a 'points' column")
                vote_columns = columns
                limits = _limits(meta, meta_lines)
                pending = _read_votes(lines, rows.position, columns, projects, vote_type, limits)
                break
            continue
        if not section:
            raise PabulibError(line, "data before the META section")
        if section == "meta":
            if len(row) < 2 or any(cell.strip() for cell in row[2:]):
                raise PabulibError(line, f"META rows have 2 fields (key;value), found {len(row)}")
            key = first
            if not key:
                raise PabulibError(line, "empty META key")
            if key in meta:
                raise PabulibError(line, f"duplicate META key {key!r}")
            meta[key] = row[1]
            meta_lines[key] = line
        else:
            _check_width(row, columns, section, line)
            values = dict(zip(columns, row, strict=True))
            project_id = values.pop("project_id").strip()
            if not project_id:
                raise PabulibError(line, "empty project_id")
            if project_id in projects:
                raise PabulibError(line, f"duplicate project_id {project_id!r}")
            if "," in project_id:
                raise PabulibError(line, f"project_id {project_id!r} contains a comma")
            cost = _number(values.pop("cost"), line, f"cost of project {project_id!r}")
            if cost == 0:
                raise PabulibError(line, f"cost of project {project_id!r} is zero: every project must cost something")
            projects[project_id] = Project(project_id, cost, values, line)

    for name in SECTIONS:
        if name not in seen:
            raise PabulibError(max(last_line, 1), f"missing section {name.upper()}")
    election = Election(meta, projects, None, project_columns, vote_columns)
    election._pending = pending
    return election


def _check_meta(meta: dict[str, str], meta_lines: dict[str, int], meta_line: int, projects_line: int) -> str:
    for key in ("budget", "vote_type"):
        if key not in meta:
            raise PabulibError(projects_line, f"META (line {meta_line}) has no {key!r} entry")
    try:
        budget = parse_number(meta["budget"])
    except ValueError:
        raise PabulibError(meta_lines["budget"], f"META budget is not a number: {meta['budget'].strip()!r}") from None
    if budget < 0:
        raise PabulibError(meta_lines["budget"], "META budget is negative")
    if budget == 0:
        raise PabulibError(meta_lines["budget"], "META budget is zero: there is nothing to share")
    vote_type = meta["vote_type"].strip().lower()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(meta_lines["vote_type"], f"unknown vote_type {meta['vote_type'].strip()!r}")
    return vote_type


#: META entries that limit what one ballot may hold.
LIMITS = ("max_length", "max_sum_cost", "max_sum_points", "max_points")


def _limits(meta: dict[str, str], meta_lines: dict[str, int]) -> dict[str, Number]:
    limits: dict[str, Number] = {}
    for key in LIMITS:
        if key in meta and meta[key].strip():
            limits[key] = _number(meta[key], meta_lines[key], f"META {key}")
    return limits


def _split_ids(text: str) -> list[str]:
    text = text.strip()
    if not text or text.lower() == "none":
        return []
    return [part.strip() for part in text.split(",")]


class _VoteProblem(Exception):
    """A ballot that breaks a rule; ``message(voter_id)`` says which."""

    def __init__(self, message: Callable[[str], str]) -> None:
        self.message = message


def _check_ballot(
    vote_text: str,
    points_text: str | None,
    projects: dict[str, Project],
    vote_type: str,
    limits: dict[str, Number],
) -> tuple[tuple[str, ...], tuple[Number, ...] | None]:
    """The project ids and points of one ballot's text, checked; :class:`_VoteProblem` otherwise."""
    ids = _split_ids(vote_text)
    if not projects.keys() >= set(ids):
        unknown = next(p for p in ids if p not in projects)
        raise _VoteProblem(lambda voter: f"vote of {voter!r} names unknown project {unknown!r}")
    if len(set(ids)) != len(ids):
        twice = next(p for i, p in enumerate(ids) if p in ids[:i])
        raise _VoteProblem(lambda voter: f"vote of {voter!r} names project {twice!r} twice")
    if vote_type == "choose-1" and len(ids) > 1:
        raise _VoteProblem(lambda voter: f"choose-1 vote of {voter!r} names {len(ids)} projects")
    limit = limits.get("max_length")
    if limit is not None and len(ids) > limit:
        raise _VoteProblem(
            lambda voter: f"vote of {voter!r} names {len(ids)} projects, more than the limit of {limit} (max_length)"
        )
    limit = limits.get("max_sum_cost")
    if limit is not None:
        total = sum(projects[p].cost for p in ids)
        if total > limit:
            raise _VoteProblem(
                lambda voter: (
                    f"vote of {voter!r} costs {format_number(total)}, more than the limit of "
                    f"{format_number(limit)} (max_sum_cost)"
                )
            )
    if points_text is None:
        return tuple(ids), None
    stripped = points_text.strip()
    parts = [] if not stripped or stripped.lower() == "none" else stripped.split(",")
    points: list[Number] = []
    for part in parts:
        try:
            value = parse_number(part)
        except ValueError:
            shown = part.strip()
            raise _VoteProblem(lambda voter, shown=shown: f"points of {voter!r} is not a number: {shown!r}") from None
        if value < 0 and vote_type != "scoring":
            shown = part.strip()
            raise _VoteProblem(lambda voter, shown=shown: f"points of {voter!r} is negative: {shown!r}")
        points.append(value)
    if len(points) != len(ids):
        raise _VoteProblem(lambda voter: f"vote of {voter!r} lists {len(ids)} projects but {len(points)} points")
    limit = limits.get("max_points")
    if limit is not None and points and max(points) > limit:
        raise _VoteProblem(
            lambda voter: (
                f"vote of {voter!r} gives {format_number(max(points))} points to one project, more than "
                f"the limit of {format_number(limit)} (max_points)"
            )
        )
    limit = limits.get("max_sum_points")
    if limit is not None and sum(points) > limit:
        raise _VoteProblem(
            lambda voter: (
                f"vote of {voter!r} gives {format_number(sum(points))} points, more than the limit of "
                f"{format_number(limit)} (max_sum_points)"
            )
        )
    return tuple(ids), tuple(points)


class _PendingVotes:
    """The checked VOTES rows of a parsed file, turned into :class:`Vote` objects only on demand."""

    def __init__(
        self,
        rows: list[list[str]],
        columns: list[str],
        voter_ids: list[str],
        keys: list,
        ballots: dict,
        tally: Counter,
        lines: list[int] | None,
        start: int,
    ) -> None:
        self.lines = lines  # physical line of each row, or None: start + 1 + index
        self.start = start
        self.rows = rows
        self.columns = columns
        self.voter_ids = voter_ids
        self.keys = keys
        self.ballots = ballots
        self.counts = tally
        self.size = len(rows)

    def tally(self) -> dict[tuple[tuple[str, ...], tuple[Number, ...] | None], int]:
        distinct = list(map(self.ballots.__getitem__, self.counts))
        result = dict(zip(distinct, self.counts.values(), strict=True))
        if len(result) != len(distinct):  # texts that read the same ("1,2" and "1, 2")
            result = {}
            for ballot, weight in zip(distinct, self.counts.values(), strict=True):
                result[ballot] = result.get(ballot, 0) + weight
        return result

    def materialise(self) -> list[Vote]:
        others = [
            (name, index) for index, name in enumerate(self.columns) if name not in ("voter_id", "vote", "points")
        ]
        ballots = self.ballots
        votes = []
        lines = self.lines if self.lines is not None else range(self.start + 1, self.start + 1 + len(self.rows))
        for row, voter_id, key, line in zip(self.rows, self.voter_ids, self.keys, lines, strict=True):
            ids, points = ballots[key]
            votes.append(
                Vote(
                    voter_id,
                    list(ids),
                    list(points) if points is not None else None,
                    {name: row[index] for name, index in others},
                    line,
                )
            )
        return votes


def _read_votes(
    lines: list[str],
    start: int,
    columns: list[str],
    projects: dict[str, Project],
    vote_type: str,
    limits: dict[str, Number],
) -> _PendingVotes:
    """Check every VOTES row (``lines[start:]``); work per distinct ballot, not per voter.

    Without any ``"`` in the section (the usual case), a row is one physical line split on ``;``.
    """
    width = len(columns)
    rest = lines[start:]
    numbers: list[int] | None = None  # physical line of each row, when not start + 1 + index
    if any('"' in line for line in rest):
        numbered = list(_Rows(lines, start))
        numbers = [line for line, _row in numbered]
        rows = [row for _line, row in numbered]
    else:
        rows = [line.rstrip("\r\n").split(";") for line in rest]
        odd = [index for index, row in enumerate(rows) if len(row) != width]
        if odd:
            blank = {index for index in odd if not any(cell.strip() for cell in rows[index])}
            if blank:
                numbers = [start + 1 + index for index in range(len(rows)) if index not in blank]
                rows = [row for index, row in enumerate(rows) if index not in blank]

    def line_of(index: int) -> int:
        return numbers[index] if numbers is not None else start + 1 + index

    voter_column, vote_column = columns.index("voter_id"), columns.index("vote")
    points_column = columns.index("points") if "points" in columns else None
    for index, row in enumerate(rows):
        if len(row) != width:
            first = row[0].strip().lower()
            if first in SECTIONS and not any(cell.strip() for cell in row[1:]):
                raise PabulibError(line_of(index), f"section {first.upper()} appears twice")
            _check_width(row, columns, "votes", line_of(index))
    voter_ids = [row[voter_column].strip() for row in rows]
    distinct = set(voter_ids)
    if "" in distinct or len(distinct) != len(voter_ids) or _names_a_section(distinct):
        _voter_id_problem(rows, voter_ids, line_of)
    vote_texts = [row[vote_column] for row in rows]
    keys = (
        vote_texts
        if points_column is None
        else list(zip(vote_texts, [row[points_column] for row in rows], strict=True))
    )
    tally = Counter(keys)

    def check(key: Any) -> tuple[tuple[str, ...], tuple[Number, ...] | None]:
        vote_text, points_text = (key, None) if points_column is None else key
        try:
            return _check_ballot(vote_text, points_text, projects, vote_type, limits)
        except _VoteProblem as problem:
            index = keys.index(key)
            raise PabulibError(line_of(index), problem.message(voter_ids[index])) from None

    if points_column is not None or "max_sum_cost" in limits:
        ballots = {key: check(key) for key in tally}
    else:
        ballots = _approval_ballots(list(tally), projects, vote_type, limits, check)
    return _PendingVotes(rows, columns, voter_ids, keys, ballots, tally, numbers, start)


def _approval_ballots(
    texts: list[str],
    projects: dict[str, Project],
    vote_type: str,
    limits: dict[str, Number],
    check: Callable[[str], tuple[tuple[str, ...], None]],
) -> dict[str, tuple[tuple[str, ...], None]]:
    """``{vote text: (ids, None)}`` for distinct ballots without points, checked in bulk.

    Ballots naming only known ids (no spaces, no ``none``) are checked together with set and list
    operations; the others, and any that break a rule, go through :func:`_check_ballot`, which
    reads them leniently or raises the message for the first row at fault.
    """
    id_lists = [text.split(",") for text in texts]
    known = projects.keys()
    odd = set(chain.from_iterable(id_lists)) - known
    if odd:
        for index, ids in enumerate(id_lists):
            if not odd.isdisjoint(ids):
                id_lists[index] = list(check(texts[index])[0])
    lengths = list(map(len, id_lists))
    if lengths != list(map(len, map(set, id_lists))):
        check(next(t for t, ids in zip(texts, id_lists, strict=True) if len(set(ids)) != len(ids)))
    most = max(lengths, default=0)
    limit = limits.get("max_length")
    if (limit is not None and most > limit) or (vote_type == "choose-1" and most > 1):
        check(next(t for t, ids in zip(texts, id_lists, strict=True) if len(ids) == most))
    return dict(zip(texts, zip(map(tuple, id_lists), repeat(None)), strict=False))


def _names_a_section(voter_ids: set[str]) -> bool:
    joined = ";".join(voter_ids).lower()
    return any(name in joined for name in SECTIONS) and any(v.lower() in SECTIONS for v in voter_ids)


def _voter_id_problem(rows: list[list[str]], voter_ids: list[str], line_of: Callable[[int], int]) -> None:
    seen: set[str] = set()
    for index, voter_id in enumerate(voter_ids):
        if voter_id.lower() in SECTIONS and not any(cell.strip() for cell in rows[index][1:]):
            raise PabulibError(line_of(index), f"section {voter_id.upper()} appears twice")
        if not voter_id:
            raise PabulibError(line_of(index), "empty voter_id")
        if voter_id in seen:
            raise PabulibError(line_of(index), f"duplicate voter_id {voter_id!r}")
        seen.add(voter_id)


def parse_file(path: str | Path) -> Election:
    """Parse the ``.pb`` file at ``path`` (UTF-8, with or without BOM)."""
    with open(path, "rb") as stream:
        return parse(stream.read())


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def write(election: Election) -> str:
    """Serialise ``election`` in the Pabulib format (``\\n`` line ends, minimal CSV quoting)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in election.meta.items():
        writer.writerow([key, value])

    project_columns = list(election.project_columns)
    for project in election.projects.values():
        for column in project.fields:
            if column not in project_columns:
                project_columns.append(column)
    writer.writerow(["PROJECTS"])
    writer.writerow(project_columns)
    for project_id, project in election.projects.items():
        cells = []
        for column in project_columns:
            if column == "project_id":
                cells.append(project_id)
            elif column == "cost":
                cells.append(format_number(project.cost))
            else:
                cells.append(project.fields.get(column, ""))
        writer.writerow(cells)

    vote_columns = list(election.vote_columns)
    if any(vote.points is not None for vote in election.votes) and "points" not in vote_columns:
        vote_columns.insert(vote_columns.index("vote") + 1, "points")
    for vote in election.votes:
        for column in vote.fields:
            if column not in vote_columns:
                vote_columns.append(column)
    writer.writerow(["VOTES"])
    writer.writerow(vote_columns)
    for vote in election.votes:
        cells = []
        for column in vote_columns:
            if column == "voter_id":
                cells.append(vote.voter_id)
            elif column == "vote":
                cells.append(",".join(vote.vote))
            elif column == "points":
                cells.append(",".join(format_number(p) for p in vote.points or []))
            else:
                cells.append(vote.fields.get(column, ""))
        writer.writerow(cells)
    return buffer.getvalue()
