"""Why each project won or lost: computed at counting time, stored with the count, told to voters.

The instance used throughout, worked out by hand
-------------------------------------------------

Budget 600 €, six voters (so, with Equal Shares, a share of 600 / 6 = 100 € each).
Projects: A 200 €, B 150 €, C 90 €, D 500 €.  Ballots (approval)::

    v1, v2: A, D        v3, v4: A        v5: A, B        v6: B, C

Equal Shares (utility = cost: the price of a project is what each supporter pays per euro of it):

* start: D's supporters (v1, v2) hold 200 € for a cost of 500 €: D is out from the start, 300 €
  short, i.e. 3 more supporters with a full share of 100 €.  A (5 supporters, 500 €), B (v5, v6:
  200 €) and C (v6: 100 €) are affordable.
* round 1: A costs each of its 5 supporters 200 / 5 = 40 € (price 40 / 200 = 0.2 per euro);
  B would cost 75 € each (0.5), C 90 € (1.0).  A is bought; v1..v5 keep 60 €.
* round 2: B: v5 has only 60 € < 75 €, so v5 pays all 60 € and v6 pays the remaining 90 €
  (price 90 / 150 = 0.6 < C's 1.0).  B is bought; v6 keeps 10 €.
* C's only supporter v6 now holds 10 € for a cost of 90 €: C is overtaken in round 2 by B,
  80 € short, i.e. 1 more supporter.  Nothing is affordable any more: MES selects A, B (350 €).

Greedy (by number of approvals: A 5, B 2, D 2, C 1; B before D by id): A fits (600 € left),
B fits (400 € left), D does not (250 € left < 500 €), C fits (250 € left).
"""

import pytest
from django.urls import reverse

from budget_participatif.counting import Instance, count
from budget_participatif.models import Ballot, BallotChoice, CountResult
from budget_participatif.services import budget_count, results_publish

BALLOTS = [("A", "D"), ("A", "D"), ("A",), ("A",), ("A", "B"), ("B", "C")]
COSTS = {"A": 200, "B": 150, "C": 90, "D": 500}


def instance() -> Instance:
    return Instance(budget=600, costs=COSTS, ballots=[(ids, None) for ids in BALLOTS])


def test_engine_explains_equal_shares_by_hand():
    outcome = count(instance(), "mes", explain=True)
    assert outcome.selected == ["A", "B"]
    explanation = outcome.details["explanation"]
    assert explanation["share"] == 100 and explanation["rounds"] == ["A", "B"]
    projects = explanation["projects"]
    assert projects["A"] == {"status": "selected", "stage": "mes", "round": 1, "supporters": 5, "shares": [[5, 40.0]]}
    assert projects["B"]["round"] == 2 and projects["B"]["shares"] == [[1, 90.0], [1, 60.0]]
    assert projects["C"] == {
        "status": "rejected",
        "stage": "mes",
        "round": 2,
        "by": "B",
        "supporters": 1,
        "left": 10.0,
        "missing": 80.0,
        "more_supporters": 1,
    }
    assert projects["D"]["round"] == 0 and projects["D"]["by"] is None
    assert (projects["D"]["left"], projects["D"]["missing"], projects["D"]["more_supporters"]) == (200.0, 300.0, 3)


def test_engine_explains_greedy_by_hand():
    outcome = count(instance(), "greedy", explain=True)
    assert outcome.selected == ["A", "B", "C"]
    projects = outcome.details["explanation"]["projects"]
    assert [(p, projects[p]["status"], projects[p]["left"]) for p in ("A", "B", "D", "C")] == [
        ("A", "selected", 600.0),
        ("B", "selected", 400.0),
        ("D", "rejected", 250.0),
        ("C", "selected", 250.0),
    ]


def test_explanation_is_only_computed_on_request():
    assert "explanation" not in count(instance(), "mes").details


def test_add1_explains_the_raised_share_and_the_completion():
    outcome = count(instance(), "mes-add1", explain=True)
    explanation = outcome.details["explanation"]
    assert explanation["initial_share"] == 100
    for project_id in outcome.selected:
        assert explanation["projects"][project_id]["status"] == "selected"
    for project_id in set(COSTS) - set(outcome.selected):
        assert explanation["projects"][project_id]["status"] == "rejected"


@pytest.fixture
def hand_budget(make_budget, user_factory):
    budget, projects = make_budget(phase="results", costs=(200, 150, 90, 500), amount=600)
    by_code = {}
    for project, code in zip(projects, "ABCD", strict=True):
        project.code, project.title = code, f"Projet {code}"
        project.save()
        by_code[code] = project
    for ids in BALLOTS:
        ballot = Ballot.objects.create(budget=budget, voter=user_factory())
        BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, project=by_code[code]) for code in ids)
    return budget, by_code


@pytest.mark.django_db
def test_the_explanation_is_stored_with_the_count(hand_budget, agent):
    budget, by_code = hand_budget
    result = budget_count(budget=budget, rule="mes", user=agent)
    stored = CountResult.objects.get(pk=result.pk).details["explanation"]
    assert stored["rounds"] == [by_code["A"].pk, by_code["B"].pk]
    assert stored["projects"][str(by_code["C"].pk)]["by"] == by_code["B"].pk


@pytest.mark.django_db
def test_public_results_page_tells_voters_why_in_french(client, hand_budget, administrator):
    budget, _by_code = hand_budget
    results_publish(budget=budget, rule="mes", user=administrator)
    CountResult.objects.filter(budget=budget, rule="mes").update(selected=[])  # proves the page does not recount
    text = " ".join(client.get(reverse("budget-results", args=[budget.pk])).content.decode().split())
    assert "Pourquoi chaque projet a été retenu ou non" in text
    assert "le budget est partagé à parts égales entre les 6 votants : 100 € chacun" in text
    assert "Retenu au tour 1 : son coût a été partagé entre 5 soutiens, 40 € chacun." in text
    assert "Retenu au tour 2 : son coût a été partagé entre 2 soutiens" in text
    assert "1 a payé 90 €, 1 a payé 60 €" in text
    assert (
        "Non retenu : dépassé au tour 2 par « Projet B ». Après ce tour, son unique soutien n’avait plus que 10 € "
        "pour un coût de 90 € : il manquait 80 €. Il aurait fallu au moins 1 soutien de plus." in text
    )
    assert (
        "Non retenu : dès le départ, ses 2 soutiens ne disposaient ensemble que de 200 € (100 € chacun) pour un "
        "coût de 500 € : il manquait 300 €. Il aurait fallu au moins 3 soutiens de plus." in text
    )


@pytest.mark.django_db
def test_public_results_page_explains_greedy(client, hand_budget, administrator):
    budget, _by_code = hand_budget
    results_publish(budget=budget, rule="greedy", user=administrator)
    text = " ".join(client.get(reverse("budget-results", args=[budget.pk])).content.decode().split())
    assert "Non retenu : quand son tour est venu, il ne restait que 250 € du budget, moins que son coût." in text
    assert "Retenu : quand son tour est venu, il restait 400 € du budget, assez pour son coût." in text


@pytest.mark.django_db
def test_staff_see_the_same_explanation_when_comparing_rules(client, hand_budget, agent):
    budget, _by_code = hand_budget
    client.force_login(agent)
    url = f"/admin/budget-participatif/ballots/{budget.pk}/results/"
    assert client.post(url, {"action": "count"}).status_code == 302
    text = " ".join(client.get(url).content.decode().split())
    assert "Pourquoi chaque projet a été retenu ou non avec « Méthode des parts égales »" in text
    assert "Non retenu : dépassé au tour 2 par « Projet B »." in text
    assert "il ne restait que 250 € du budget, moins que son coût." in text


def _shared_files() -> list:
    import os
    from pathlib import Path

    folder = Path(os.environ.get("PABULIB_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data" / "pabulib")
    return sorted(p for p in folder.glob("*.pb") if p.stat().st_size < 3_000_000) if folder.is_dir() else []


@pytest.mark.skipif(not _shared_files(), reason="the shared Pabulib files are not available")
def test_explanations_of_real_files_add_up():
    """On every shared file: a selected project's shares add up to its cost, a rejected one lacked money."""
    from budget_participatif.pabulib import parse_file

    for path in _shared_files():
        election = parse_file(path)
        small = path.stat().st_size < 600_000  # add1 takes seconds on the large files (Budapest: 17 s)
        for rule in ("mes", "greedy", "mes-add1") if small else ("mes", "greedy"):
            outcome = count(election, rule, explain=True)
            projects = outcome.details["explanation"]["projects"]
            assert set(projects) == set(election.projects), (path.name, rule)
            for project_id, entry in projects.items():
                cost = float(election.projects[project_id].cost)
                assert (entry["status"] == "selected") == (project_id in outcome.selected), (path.name, project_id)
                if entry["stage"] == "mes" and entry["status"] == "selected":
                    paid = sum(n * amount for n, amount in entry["shares"])
                    assert abs(paid - cost) <= 0.01 * sum(n for n, _ in entry["shares"]) + 0.01, (path.name, project_id)
                elif entry["stage"] == "mes":
                    assert entry["missing"] > 0 or entry["supporters"] == 0, (path.name, project_id, entry)
                elif entry["status"] == "rejected":
                    assert entry["left"] < cost, (path.name, project_id, entry)


@pytest.mark.django_db
def test_public_results_page_explains_add1(client, hand_budget, administrator):
    """MES + add1 on the same instance: the share is raised from 100 € to 165 €, where A (40 € each),
    B (75 € each) and C (90 €) are bought for 440 €; D's supporters hold 2 x 165 = 330 € for 500 €
    (170 € short, 2 more supporters) and the 160 € left are not enough for it: the outcome is
    exhaustive and add1 stops there."""
    budget, _by_code = hand_budget
    results_publish(budget=budget, rule="mes-add1", user=administrator)
    text = " ".join(client.get(reverse("budget-results", args=[budget.pk])).content.decode().split())
    assert "chaque part a été portée à 165 €" in text
    assert "Retenu au tour 2 : son coût a été partagé entre 2 soutiens, 75 € chacun." in text
    assert (
        "ses 2 soutiens ne disposaient ensemble que de 330 € (165 € chacun) pour un coût de 500 € : il manquait "
        "170 €. Il aurait fallu au moins 2 soutiens de plus. L’argent restant après les tours, 160 €, est ensuite "
        "allé aux projets les plus soutenus qui tenaient dans le budget : il ne suffisait pas pour celui-ci." in text
    )


@pytest.mark.django_db
def test_a_project_added_by_the_completion_says_so(hand_budget):
    """A project that add1's greedy completion adds is explained with the budget left at its turn."""
    from budget_participatif.selectors import count_explanations

    budget, by_code = hand_budget
    entry = {"status": "selected", "stage": "greedy", "left": 160.0, "cost": 90.0}
    result = CountResult(
        budget=budget,
        rule="mes-add1",
        ballots_counted=6,
        details={
            "explanation": {
                "rule": "mes-add1",
                "share": 100.0,
                "initial_share": 100.0,
                "projects": {str(by_code["C"].pk): entry},
            }
        },
    )
    from django.utils import translation

    with translation.override("fr"):
        text = count_explanations(budget=budget, result=result)["projects"][by_code["C"].pk]
    assert text == (
        "Retenu avec l’argent restant après les tours des parts égales : quand son tour est venu, il restait "
        "160 € du budget, assez pour son coût."
    )
