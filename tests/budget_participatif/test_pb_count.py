"""``manage.py pb_count``: what an operator sees when counting a Pabulib file from the shell."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

#: expected.json keys (pabutools' outcomes) for each rule, by vote type.
EXPECTED_KEYS = {
    "approval": {"greedy": "greedy_cost_sat", "mes": "mes_cost_sat", "mes-add1": "mes_cost_sat_add1_greedy"},
    "cumulative": {
        "greedy": "greedy_points",
        "mes": "mes_additive_cardinal_sat",
        "mes-add1": "mes_additive_cardinal_sat_add1_greedy_points",
    },
}
FILES = [
    ("Netherlands_Assen_2024.pb", "approval"),
    ("Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb", "approval"),
    ("Poland_Czestochowa_2020_Grabowka.pb", "cumulative"),
]


def run(*args) -> str:
    out = StringIO()
    call_command("pb_count", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def pabulib():
    """The shared Pabulib files (beside the repository, or where PABULIB_DATA says)."""
    path = Path(os.environ.get("PABULIB_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data" / "pabulib")
    if not path.is_dir():
        pytest.skip("the shared Pabulib files are not available")
    return path


@pytest.mark.parametrize("rule", ["greedy", "mes", "mes-add1"])
@pytest.mark.parametrize(("name", "vote_type"), FILES)
def test_selected_ids_match_pabutools(pabulib, name, vote_type, rule):
    expected = json.loads((pabulib / "expected.json").read_text())[name][EXPECTED_KEYS[vote_type][rule]]
    lines = run(str(pabulib / name), "--rule", rule).split()
    assert sorted(lines) == sorted(expected)


def test_json_output_gives_selected_and_cost(pabulib):
    result = json.loads(run(str(pabulib / "Netherlands_Assen_2024.pb"), "--rule", "greedy", "--json"))
    assert sorted(result["selected"]) == ["11", "13", "14", "2", "3", "8", "9"]
    assert isinstance(result["cost"], int)
    assert 0 < result["cost"] <= 100000


def test_wieliczka_variant_without_exhaustive_stop_is_offered(pabulib):
    plain = run(str(pabulib / "Netherlands_Assen_2024.pb"), "--rule", "mes-add1", "--no-stop-on-exhaustive")
    assert plain.split()  # counts and prints ids


def test_malformed_file_is_refused_with_the_line_at_fault(tmp_path):
    bad = tmp_path / "bad.pb"
    bad.write_text(
        "META\nkey;value\nbudget;1000\nvote_type;approval\nnum_projects;2\nnum_votes;1\n"
        "PROJECTS\nproject_id;cost\n1;500\n2;not-a-number\nVOTES\nvoter_id;vote\nv1;1\n"
    )
    with pytest.raises(CommandError, match="line 10"):
        run(str(bad), "--rule", "greedy")


def test_missing_file_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="missing.pb"):
        run(str(tmp_path / "missing.pb"))


# ----------------------------------------------------------------------------------------------
# python -m budget_participatif.counting: the same command without Django
# ----------------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
SMALL = (
    "META\nkey;value\nbudget;1000\nvote_type;approval\n"
    "PROJECTS\nproject_id;cost\n1;600\n2;500\n3;400\n"
    "VOTES\nvoter_id;vote\nv1;1\nv2;1,3\nv3;2\n"
)


def standalone(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "budget_participatif.counting", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"},
        check=False,
    )


def test_standalone_command_prints_what_pb_count_prints(tmp_path):
    path = tmp_path / "small.pb"
    path.write_text(SMALL)
    for rule in ("greedy", "mes", "mes-add1"):
        for extra in ((), ("--json",)):
            done = standalone(str(path), "--rule", rule, *extra)
            assert done.returncode == 0, done.stderr
            assert done.stdout == run(str(path), "--rule", rule, *extra)
    assert json.loads(standalone(str(path), "--json").stdout) == {"selected": ["1", "3"], "cost": 1000}


def test_standalone_command_imports_no_django(tmp_path):
    code = (
        "import sys; from budget_participatif.counting import cli; "
        "cli.main(sys.argv[1:]); print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    path = tmp_path / "small.pb"
    path.write_text(SMALL)
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), "--rule", "mes"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"


BAD_FILES = [
    ("duplicate project", "PROJECTS\nproject_id;cost\n1;600\n1;500\nVOTES\nvoter_id;vote\n", 8, "duplicate project_id"),
    ("unknown project", "PROJECTS\nproject_id;cost\n1;600\nVOTES\nvoter_id;vote\nv1;4\n", 10, "unknown project '4'"),
    ("zero cost", "PROJECTS\nproject_id;cost\n1;0\nVOTES\nvoter_id;vote\n", 7, "is zero"),
    ("negative cost", "PROJECTS\nproject_id;cost\n1;-5\nVOTES\nvoter_id;vote\n", 7, "negative"),
    (
        "vote over the limit",
        "PROJECTS\nproject_id;cost\n1;600\n2;500\nVOTES\nvoter_id;vote\nv1;1,2\n",
        11,
        "more than the limit of 1 (max_length)",
    ),
]


@pytest.mark.parametrize(("body", "line", "words"), [case[1:] for case in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_bad_files_exit_2_with_the_line_on_stderr(tmp_path, capsys, body, line, words):
    from budget_participatif.counting import cli

    path = tmp_path / "bad.pb"
    path.write_text("META\nkey;value\nbudget;1000\nvote_type;approval\n" + body)
    if "max_length" in words:
        path.write_text("META\nkey;value\nbudget;1000\nvote_type;approval\nmax_length;1\n" + body)
        line += 1
    assert cli.main([str(path), "--rule", "mes"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"bad.pb: line {line}: " in captured.err and words in captured.err
    with pytest.raises(CommandError, match=f"line {line}: ") as info:
        run(str(path), "--rule", "mes")
    assert info.value.returncode == 2


def test_zero_budget_and_non_utf8_exit_2(tmp_path):
    zero = tmp_path / "zero.pb"
    zero.write_text(
        "META\nkey;value\nbudget;0\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n"
    )
    done = standalone(str(zero))
    assert done.returncode == 2 and "zero.pb: line 3: META budget is zero" in done.stderr and done.stdout == ""
    latin = tmp_path / "latin.pb"
    latin.write_bytes(SMALL.replace("v3;2", "v3;2\nv4;3").encode() + "v5;1;\xe9\n".encode("latin-1"))
    done = standalone(str(latin))
    assert done.returncode == 2 and "latin.pb: line 16: not UTF-8 text" in done.stderr


def test_missing_file_exits_2(tmp_path):
    done = standalone(str(tmp_path / "nowhere.pb"))
    assert done.returncode == 2 and "nowhere.pb" in done.stderr
