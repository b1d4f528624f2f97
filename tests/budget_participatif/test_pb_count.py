"""``manage.py pb_count``: what an operator sees when counting a Pabulib file from the shell."""

import json
import os
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
