"""Reading a ``.pb`` file into an :class:`~budget_participatif.pabulib.model.Election`, every problem
named with its 1-based physical line."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import chain, repeat
from pathlib import Path
from typing import Any, TextIO

from .model import SECTIONS, VOTE_TYPES, Election, Number, PabulibError, Project, Vote, format_number, parse_number


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
