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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TextIO

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


@dataclass
class Election:
    """A whole ``.pb`` file."""

    meta: dict[str, str]
    projects: dict[str, Project]
    votes: list[Vote]
    project_columns: list[str] = field(default_factory=lambda: ["project_id", "cost"])
    vote_columns: list[str] = field(default_factory=lambda: ["voter_id", "vote"])

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


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(first physical line, fields)`` for every CSV record, skipping blank lines.

    The reader is lenient like pabutools' (a stray quote inside a field is kept as text), but a
    quoted field that is never closed (an odd number of ``"`` in a multi-line record) is an error
    instead of silently swallowing the rest of the file.
    """
    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(iter(lines), delimiter=";")
    previous_end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # pragma: no cover - the lenient dialect rarely complains
            raise PabulibError(previous_end + 1, f"malformed CSV: {exc}") from exc
        start = previous_end + 1
        previous_end = reader.line_num
        if previous_end > start and "".join(lines[start - 1 : previous_end]).count('"') % 2:
            raise PabulibError(start, "unterminated quoted field")
        if not row or all(not cell.strip() for cell in row):
            continue
        yield start, row


def _number(text: str, line: int, what: str, *, allow_negative: bool = False) -> Number:
    try:
        value = parse_number(text)
    except ValueError:
        raise PabulibError(line, f"{what} is not a number: {text.strip()!r}") from None
    if value < 0 and not allow_negative:
        raise PabulibError(line, f"{what} is negative: {text.strip()!r}")
    return value


def _header(rows: Iterator[tuple[int, list[str]]], section: str, section_line: int) -> tuple[int, list[str]]:
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


def parse(source: str | bytes | TextIO) -> Election:
    """Parse a Pabulib file given as text, bytes (UTF-8) or a text stream."""
    if isinstance(source, bytes):
        try:
            text = source.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PabulibError(0, f"not UTF-8: {exc}") from None
    elif isinstance(source, str):
        text = source
    else:
        text = source.read()
    text = text.removeprefix("\ufeff")

    meta: dict[str, str] = {}
    projects: dict[str, Project] = {}
    votes: list[Vote] = []
    project_columns: list[str] = []
    vote_columns: list[str] = []
    seen: dict[str, int] = {}
    meta_lines: dict[str, int] = {}
    voter_ids: set[str] = set()
    section = ""
    columns: list[str] = []
    header_line = 0
    meta_line = 0
    vote_type = "approval"
    last_line = 0

    rows = _rows(text)
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
        elif section == "projects":
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
            projects[project_id] = Project(project_id, cost, values, line)
        else:
            votes.append(_parse_vote(row, columns, line, projects, vote_type, voter_ids))

    for name in SECTIONS:
        if name not in seen:
            raise PabulibError(max(last_line, 1), f"missing section {name.upper()}")
    return Election(meta, projects, votes, project_columns, vote_columns)


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
    vote_type = meta["vote_type"].strip().lower()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(meta_lines["vote_type"], f"unknown vote_type {meta['vote_type'].strip()!r}")
    return vote_type


def _split_ids(text: str) -> list[str]:
    text = text.strip()
    if not text or text.lower() == "none":
        return []
    return [part.strip() for part in text.split(",")]


def _parse_vote(
    row: list[str],
    columns: list[str],
    line: int,
    projects: dict[str, Project],
    vote_type: str,
    voter_ids: set[str],
) -> Vote:
    _check_width(row, columns, "votes", line)
    values = dict(zip(columns, row, strict=True))
    voter_id = values.pop("voter_id").strip()
    if not voter_id:
        raise PabulibError(line, "empty voter_id")
    if voter_id in voter_ids:
        raise PabulibError(line, f"duplicate voter_id {voter_id!r}")
    voter_ids.add(voter_id)
    vote = _split_ids(values.pop("vote"))
    chosen: set[str] = set()
    for project_id in vote:
        if project_id not in projects:
            raise PabulibError(line, f"vote of {voter_id!r} names unknown project {project_id!r}")
        if project_id in chosen:
            raise PabulibError(line, f"vote of {voter_id!r} names project {project_id!r} twice")
        chosen.add(project_id)
    if vote_type == "choose-1" and len(vote) > 1:
        raise PabulibError(line, f"choose-1 vote of {voter_id!r} names {len(vote)} projects")
    points: list[Number] | None = None
    if "points" in values:
        raw_points = values.pop("points")
        parts = [] if not raw_points.strip() or raw_points.strip().lower() == "none" else raw_points.split(",")
        points = [
            _number(part, line, f"points of {voter_id!r}", allow_negative=vote_type == "scoring") for part in parts
        ]
        if len(points) != len(vote):
            raise PabulibError(line, f"vote of {voter_id!r} lists {len(vote)} projects but {len(points)} points")
    return Vote(voter_id, vote, points, values, line)


def parse_file(path: str | Path) -> Election:
    """Parse the ``.pb`` file at ``path`` (UTF-8, with or without BOM)."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
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
