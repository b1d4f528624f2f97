"""Tests of the Pabulib ``.pb`` parser and writer (pure Python, no database)."""

from __future__ import annotations

import io
import os
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pytest

from budget_participatif.pabulib import (
    Election,
    PabulibError,
    Project,
    Vote,
    format_number,
    parse,
    parse_file,
    parse_number,
    write,
)

#: The shared Pabulib files (beside the repository; PABULIB_DATA points elsewhere, e.g. from a worktree).
DATA = Path(os.environ.get("PABULIB_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data" / "pabulib")
FILES = sorted(path.name for path in DATA.glob("*.pb")) if DATA.is_dir() else []

HEADER = "META\nkey;value\nbudget;1000\nvote_type;approval\n"
PROJECTS = "PROJECTS\nproject_id;cost;name\n1;400;Benches\n2;500;Trees\n3;300;Lights\n"


@lru_cache(maxsize=2)
def parsed(name: str) -> Election:
    return parse_file(DATA / name)


def error_of(text: str) -> PabulibError:
    with pytest.raises(PabulibError) as info:
        parse(text)
    return info.value


# ----------------------------------------------------------------------------------------------
# Well-formed input
# ----------------------------------------------------------------------------------------------


def test_parse_minimal_approval() -> None:
    election = parse(HEADER + PROJECTS + "VOTES\nvoter_id;vote;age\nv1;1,3;34\nv2;2;\n")
    assert election.budget == 1000
    assert election.vote_type == "approval"
    assert list(election.projects) == ["1", "2", "3"]
    assert election.projects["1"] == Project("1", 400, {"name": "Benches"})
    assert election.votes == [Vote("v1", ["1", "3"], None, {"age": "34"}), Vote("v2", ["2"], None, {"age": ""})]
    assert election.project_columns == ["project_id", "cost", "name"]
    assert election.vote_columns == ["voter_id", "vote", "age"]


def test_parse_keeps_vote_order_and_points() -> None:
    text = (
        "META\nkey;value\nbudget;1000\nvote_type;cumulative\n"
        + PROJECTS
        + "VOTES\nvoter_id;vote;points\nv1;3,1;7,3\nv2;2;10\n"
    )
    election = parse(text)
    assert election.votes[0].vote == ["3", "1"]
    assert election.votes[0].points == [7, 3]
    assert election.votes[1].points == [10]


def test_quirks_bom_crlf_blank_lines_case_decimal_comma() -> None:
    text = (
        "\ufeffmeta\r\nkey;value\r\nbudget;1000,5\r\n\r\nvote_type;Approval\r\n\r\n"
        "Projects\r\nproject_id;cost;name\r\n1; 400.25 ;x\r\n2;500,5;y\r\n"
        "\r\nvotes\r\nvoter_id;vote\r\nv1; 1 , 2 \r\n\r\n"
    )
    election = parse(text)
    assert election.budget == Fraction(2001, 2)
    assert election.projects["1"].cost == Fraction(1601, 4)
    assert election.projects["2"].cost == Fraction(1001, 2)
    assert election.votes[0].vote == ["1", "2"]


def test_parse_accepts_bytes_and_streams() -> None:
    text = HEADER + PROJECTS + "VOTES\nvoter_id;vote\nv1;1\n"
    assert parse(text.encode("utf-8-sig")) == parse(text) == parse(io.StringIO(text))


def test_integral_decimal_cost_is_an_int() -> None:
    election = parse(HEADER + "PROJECTS\nproject_id;cost\n1;100000.0\nVOTES\nvoter_id;vote\nv;1\n")
    cost = election.projects["1"].cost
    assert cost == 100000 and isinstance(cost, int)


def test_stray_quotes_are_kept_like_pabutools() -> None:
    # Poland_Czestochowa_2020_Grabowka.pb has such a name: "Odkupmy" i my - ...
    election = parse(HEADER + 'PROJECTS\nproject_id;cost;name\n1;10;"Odkupmy" i my\nVOTES\nvoter_id;vote\nv;1\n')
    assert election.projects["1"].name == "Odkupmy i my"


def test_empty_vote_and_none() -> None:
    election = parse(HEADER + PROJECTS + "VOTES\nvoter_id;vote\nv1;\nv2;none\n")
    assert [vote.vote for vote in election.votes] == [[], []]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("12.50", Fraction(25, 2)), ("12,5", Fraction(25, 2)), (" 7 ", 7), ("-3", -3), ("0.0", 0)],
)
def test_parse_number(text: str, expected: Fraction) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "1e5", "1 000", "1.000.000", "abc", "nan", "1/2"])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_format_number() -> None:
    assert format_number(12) == "12"
    assert format_number(Fraction(25, 2)) == "12.5"
    assert format_number(Fraction(-1, 8)) == "-0.125"
    assert format_number(Fraction(10, 1)) == "10"
    with pytest.raises(ValueError):
        format_number(Fraction(1, 3))


# ----------------------------------------------------------------------------------------------
# Writing and round trips
# ----------------------------------------------------------------------------------------------


def tricky_election() -> Election:
    return Election(
        meta={"description": 'A "quoted"; description', "budget": "1000", "vote_type": "cumulative"},
        projects={
            "p1": Project("p1", 400, {"name": 'Benches; "big" ones', "category": "a,b"}),
            "p2": Project("p2", Fraction(1001, 2), {"name": "Line one\nline two", "category": ""}),
            "p10": Project("p10", 1, {"name": " spaced ", "category": "x"}),
        },
        votes=[
            Vote("v;1", ["p10", "p1"], [3, 7], {"comment": 'He said "yes"; twice'}),
            Vote("v2", [], [], {"comment": ""}),
            Vote("v3", ["p2"], [Fraction(5, 2)], {"comment": "multi\r\nline"}),
        ],
        project_columns=["project_id", "cost", "name", "category"],
        vote_columns=["voter_id", "vote", "points", "comment"],
    )


def test_round_trip_with_separators_quotes_and_newlines() -> None:
    election = tricky_election()
    text = write(election)
    assert parse(text) == election
    assert write(parse(text)) == text
    assert '"Benches; ""big"" ones"' in text


def test_write_adds_columns_found_in_fields() -> None:
    election = Election(
        meta={"budget": "10", "vote_type": "approval"},
        projects={"a": Project("a", 5, {"name": "A"})},
        votes=[Vote("v", ["a"], None, {"age": "30"})],
    )
    back = parse(write(election))
    assert back.projects["a"].name == "A"
    assert back.votes[0].fields == {"age": "30"}


@pytest.mark.skipif(not FILES, reason="shared Pabulib files are not available")
@pytest.mark.parametrize("name", FILES)
def test_real_files_parse_and_round_trip(name: str) -> None:
    election = parsed(name)
    if "num_projects" in election.meta:
        assert len(election.projects) == int(election.meta["num_projects"])
    if "num_votes" in election.meta:
        assert len(election.votes) == int(election.meta["num_votes"])
    for vote in election.votes[:50]:
        assert all(project_id in election.projects for project_id in vote.vote)
    if (DATA / name).stat().st_size < 400_000:
        assert parse(write(election)) == election


# ----------------------------------------------------------------------------------------------
# Errors: each names the 1-based line at fault
# ----------------------------------------------------------------------------------------------

ERROR_CASES = [
    # (description, text, line, words expected in the message)
    ("data before META", "budget;1000\n" + HEADER, 1, "before the META"),
    ("no META header row", "META\n", 1, "no header row"),
    ("missing budget", "META\nkey;value\nvote_type;approval\n" + PROJECTS, 4, "'budget'"),
    (
        "non-numeric budget",
        "META\nkey;value\nvote_type;approval\nbudget;lots\n" + PROJECTS,
        4,
        "budget is not a number",
    ),
    ("unknown vote type", "META\nkey;value\nbudget;1\nvote_type;magic\n" + PROJECTS, 4, "vote_type"),
    ("META row with three fields", "META\nkey;value\nbudget;1;2\n", 3, "2 fields"),
    ("duplicate META key", "META\nkey;value\nbudget;1\nbudget;2\n", 4, "duplicate META key"),
    ("missing cost column", HEADER + "PROJECTS\nproject_id;name\n", 6, "'cost'"),
    ("non-numeric cost", HEADER + "PROJECTS\nproject_id;cost\n1;10\n2;ten\n", 8, "not a number"),
    ("negative cost", HEADER + "PROJECTS\nproject_id;cost\n1;-10\n", 7, "negative"),
    ("thousands separator", HEADER + "PROJECTS\nproject_id;cost\n1;1 000\n", 7, "not a number"),
    ("project row too short", HEADER + "PROJECTS\nproject_id;cost;name\n1;10;a\n2;20\n", 8, "expected 3, found 2"),
    ("duplicate project", HEADER + "PROJECTS\nproject_id;cost\n1;10\n1;20\n", 8, "duplicate project_id"),
    ("missing PROJECTS", HEADER + "VOTES\nvoter_id;vote\n", 5, "PROJECTS was expected"),
    ("missing VOTES", HEADER + PROJECTS, 9, "missing section VOTES"),
    ("VOTES twice", HEADER + PROJECTS + "VOTES\nvoter_id;vote\nVOTES\nvoter_id;vote\n", 12, "twice"),
    ("missing vote column", HEADER + PROJECTS + "VOTES\nvoter_id;points\n", 11, "'vote'"),
    ("unknown project in vote", HEADER + PROJECTS + "VOTES\nvoter_id;vote\nv1;1\nv2;1,7\n", 13, "unknown project '7'"),
    ("project twice in vote", HEADER + PROJECTS + "VOTES\nvoter_id;vote\nv1;1,1\n", 12, "twice"),
    ("vote row too long", HEADER + PROJECTS + "VOTES\nvoter_id;vote\nv1;1;x\n", 12, "expected 2, found 3"),
    ("duplicate voter", HEADER + PROJECTS + "VOTES\nvoter_id;vote\nv1;1\nv1;2\n", 13, "duplicate voter_id"),
    (
        "choose-1 with two projects",
        "META\nkey;value\nbudget;1\nvote_type;choose-1\n" + PROJECTS + "VOTES\nvoter_id;vote\nv1;1,2\n",
        12,
        "choose-1",
    ),
    (
        "cumulative without points column",
        "META\nkey;value\nbudget;1\nvote_type;cumulative\n" + PROJECTS + "VOTES\nvoter_id;vote\n",
        11,
        "points",
    ),
    (
        "points count mismatch",
        "META\nkey;value\nbudget;1\nvote_type;cumulative\n" + PROJECTS + "VOTES\nvoter_id;vote;points\nv1;1,2;3\n",
        12,
        "2 projects but 1 points",
    ),
    (
        "non-numeric points",
        "META\nkey;value\nbudget;1\nvote_type;cumulative\n" + PROJECTS + "VOTES\nvoter_id;vote;points\nv1;1;x\n",
        12,
        "not a number",
    ),
    ("zero cost", HEADER + "PROJECTS\nproject_id;cost\n1;10\n2;0\n", 8, "cost of project '2' is zero"),
    ("zero budget", "META\nkey;value\nvote_type;approval\nbudget;0\n" + PROJECTS, 4, "META budget is zero"),
    (
        "more projects than max_length",
        HEADER + "max_length;2\n" + PROJECTS + "VOTES\nvoter_id;vote\nv1;1,2\nv2;1,2,3\n",
        14,
        "vote of 'v2' names 3 projects, more than the limit of 2 (max_length)",
    ),
    (
        "ballot over max_sum_cost",
        HEADER + "max_sum_cost;800\n" + PROJECTS + "VOTES\nvoter_id;vote\nv1;1,3\nv2;2,3,1\n",
        14,
        "vote of 'v2' costs 1200, more than the limit of 800 (max_sum_cost)",
    ),
    (
        "points over max_sum_points",
        "META\nkey;value\nbudget;1000\nvote_type;cumulative\nmax_sum_points;10\n"
        + PROJECTS
        + "VOTES\nvoter_id;vote;points\nv1;1,2;5,5\nv2;1,2;6,5\n",
        14,
        "vote of 'v2' gives 11 points, more than the limit of 10 (max_sum_points)",
    ),
    (
        "points over max_points",
        "META\nkey;value\nbudget;1000\nvote_type;cumulative\nmax_points;4\n"
        + PROJECTS
        + "VOTES\nvoter_id;vote;points\nv1;1;5\n",
        13,
        "gives 5 points to one project, more than the limit of 4 (max_points)",
    ),
    (
        "unknown project, same ballot as an earlier voter",
        HEADER + PROJECTS + "VOTES\nvoter_id;vote;age\nv1;1;3\nv2;1, 9;4\nv3;1, 9;5\n",
        13,
        "vote of 'v2' names unknown project '9'",
    ),
    (
        "section header inside VOTES",
        HEADER + PROJECTS + "VOTES\nvoter_id;vote\nv1;1\nVOTES;\n",
        13,
        "section VOTES appears twice",
    ),
    (
        "unterminated quote",
        HEADER + 'PROJECTS\nproject_id;cost;name\n1;10;"never closed\n2;20;b\nVOTES\nvoter_id;vote\n',
        7,
        "unterminated",
    ),
]


@pytest.mark.parametrize(("text", "line", "words"), [case[1:] for case in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_errors_give_the_line(text: str, line: int, words: str) -> None:
    error = error_of(text)
    assert error.line == line, str(error)
    assert words in str(error)
    assert str(error).startswith(f"line {line}: ")


def test_error_line_counts_physical_lines_of_multiline_fields() -> None:
    text = HEADER + 'PROJECTS\nproject_id;cost;name\n1;10;"two\nlines"\n2;x;b\nVOTES\nvoter_id;vote\n'
    assert error_of(text).line == 9


def test_error_line_with_crlf_and_bom() -> None:
    text = "\ufeff" + (HEADER + PROJECTS + "VOTES\nvoter_id;vote\nv1;9\n").replace("\n", "\r\n")
    assert error_of(text).line == 12


def test_empty_input() -> None:
    error = error_of("")
    assert "missing section META" in str(error)


def test_non_utf8_bytes_give_the_line() -> None:
    data = (HEADER + "PROJECTS\nproject_id;cost;name\n1;400;Caf\xe9\n").encode("latin-1")
    with pytest.raises(PabulibError) as info:
        parse(data)
    assert info.value.line == 7
    assert "not UTF-8 text: byte 0xe9" in str(info.value) and str(info.value).startswith("line 7: ")


def test_non_utf8_file_gives_the_line(tmp_path) -> None:
    path = tmp_path / "latin1.pb"
    path.write_bytes((HEADER + PROJECTS + "VOTES\nvoter_id;vote;city\nv1;1;Besan\xe7on\n").encode("latin-1"))
    with pytest.raises(PabulibError, match="^line 12: not UTF-8"):
        parse_file(path)


def test_votes_are_built_on_demand_and_the_tally_matches_them() -> None:
    text = HEADER + PROJECTS + "VOTES\nvoter_id;vote\nv1;1,3\nv2;2\nv3;1,3\nv4; 1 ,3\n"
    election = parse(text)
    assert election.num_votes == 4
    assert election.ballot_tally == {(("1", "3"), None): 3, (("2",), None): 1}
    assert [vote.vote for vote in election.votes] == [["1", "3"], ["2"], ["1", "3"], ["1", "3"]]
    assert [vote.line for vote in election.votes] == [12, 13, 14, 15]
    assert [vote.line for vote in parse(text.replace("v2;2\n", "\nv2;2\n")).votes] == [12, 14, 15, 16]
    quoted = parse(text.replace("v2;2", 'v2;"2"')).votes  # a quote in VOTES: the csv reader path
    assert [(vote.vote, vote.line) for vote in quoted][:2] == [(["1", "3"], 12), (["2"], 13)]
    assert election.ballot_tally is None  # the votes may now be changed: counting reads them


def test_blank_lines_inside_votes_keep_line_numbers() -> None:
    text = HEADER + PROJECTS + "VOTES\nvoter_id;vote\nv1;1\n\n;\nv2;7\n"
    assert error_of(text).line == 14
