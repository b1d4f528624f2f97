"""Counting a budget with each rule, comparing, publishing; Pabulib export and import."""

import pytest

from budget_participatif.counting import count
from budget_participatif.models import Ballot, BallotChoice, BallotType, CountResult, Project
from budget_participatif.pabulib import parse, parse_file, write
from budget_participatif.services import (
    budget_count,
    budget_export_pabulib,
    budget_import_pabulib,
    results_publish,
)
from civic.moderation.exceptions import NotAllowed

pytestmark = pytest.mark.django_db


def cast(budget, ballots, user_factory):
    for choices in ballots:
        ballot = Ballot.objects.create(budget=budget, voter=user_factory())
        BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, project=p, value=v) for p, v in choices)


@pytest.fixture
def counted(make_budget, user_factory):
    # budget 100 000: A 60k (3 votes), B 50k (2 votes), C 40k (2 votes)
    budget, (a, b, c) = make_budget(phase="results", costs=(60_000, 50_000, 40_000), amount=100_000)
    cast(budget, [[(a, 1)], [(a, 1)], [(a, 1), (c, 1)], [(b, 1), (c, 1)], [(b, 1)]], user_factory)
    return budget, (a, b, c)


def test_greedy_takes_the_most_voted_that_fit(counted, agent):
    budget, (a, b, c) = counted
    result = budget_count(budget=budget, rule="greedy", user=agent)
    assert result.selected == [a.pk, c.pk]
    assert (result.cost, result.ballots_counted) == (100_000, 5)


def test_each_rule_is_stored_for_comparison(counted, agent):
    budget, _projects = counted
    for rule in ("greedy", "mes", "mes-add1"):
        budget_count(budget=budget, rule=rule, user=agent)
    budget_count(budget=budget, rule="greedy", user=agent)  # counting again replaces
    assert sorted(CountResult.objects.filter(budget=budget).values_list("rule", flat=True)) == [
        "greedy",
        "mes",
        "mes-add1",
    ]


def test_counting_refused_while_the_vote_is_open(make_budget, agent):
    budget, _projects = make_budget(phase="voting")
    with pytest.raises(NotAllowed):
        budget_count(budget=budget, rule="greedy", user=agent)


def test_cumulative_budget_counts_points(make_budget, user_factory, agent):
    budget, (a, b) = make_budget(
        phase="results", ballot_type=BallotType.CUMULATIVE, costs=(60_000, 50_000), amount=100_000
    )
    cast(budget, [[(a, 1), (b, 9)], [(a, 2), (b, 3)], [(a, 4)]], user_factory)
    assert budget_count(budget=budget, rule="greedy", user=agent).selected == [b.pk]


def test_publishing_marks_the_selected_projects(counted, administrator, agent):
    budget, (a, b, c) = counted
    with pytest.raises(NotAllowed):
        results_publish(budget=budget, rule="greedy", user=agent)
    results_publish(budget=budget, rule="mes", user=administrator)
    budget.refresh_from_db()
    assert budget.results_published and budget.published_rule == "mes"
    assert set(Project.objects.filter(selected=True).values_list("pk", flat=True)) == set(
        CountResult.objects.get(budget=budget, rule="mes").selected
    )


def test_export_is_anonymised_and_counts_the_same(counted, agent):
    budget, _projects = counted
    text = budget_export_pabulib(budget=budget)
    election = parse(text)
    assert election.meta["num_votes"] == "5"
    assert {vote.voter_id for vote in election.votes} == {"1", "2", "3", "4", "5"}
    assert "@" not in text
    expected = budget_count(budget=budget, rule="mes", user=agent).selected
    assert sorted(count(election, "mes").selected) == sorted(str(pk) for pk in expected)


def test_import_then_export_gives_the_same_election(budget_page_factory, shared_data):
    page = budget_page_factory(phase="results")
    path = shared_data / "pabulib" / "Poland_Czestochowa_2020_Grabowka.pb"
    original = parse_file(path)
    budget = budget_import_pabulib(page=page, text=path.read_text(encoding="utf-8-sig"))
    assert budget.ballot_type == BallotType.CUMULATIVE and budget.ballots.count() == len(original.votes)
    again = parse(budget_export_pabulib(budget=budget))
    assert {pid: p.cost for pid, p in again.projects.items()} == {pid: p.cost for pid, p in original.projects.items()}
    assert {pid: p.name for pid, p in again.projects.items()} == {pid: p.name for pid, p in original.projects.items()}

    def ballots(election):  # the order of projects inside a cumulative ballot carries no meaning
        return sorted(tuple(sorted(zip(v.vote, v.points, strict=True))) for v in election.votes)

    assert ballots(again) == ballots(original)
    for rule in ("greedy", "mes", "mes-add1"):
        assert sorted(count(again, rule).selected) == sorted(count(original, rule).selected)


def test_round_trip_keeps_names_with_semicolons_and_quotes(make_budget, user_factory, budget_page_factory):
    budget, (a, b, _c) = make_budget(phase="results", costs=(10, 20, 30))
    a.title = 'Jardin "partagé"; rue des Lilas'
    a.save()
    cast(budget, [[(a, 1), (b, 1)]], user_factory)
    exported = budget_export_pabulib(budget=budget)
    imported = budget_import_pabulib(page=budget_page_factory(phase="results"), text=exported)
    assert imported.projects.get(code=str(a.pk)).title == 'Jardin "partagé"; rue des Lilas'
    assert parse(budget_export_pabulib(budget=imported)).projects == parse(exported).projects
    assert write(parse(exported)) == exported


def test_malformed_import_is_refused_with_the_line(budget_page_factory):
    from django.core.exceptions import ValidationError

    page = budget_page_factory(phase="results")
    bad = (
        "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;abc\nVOTES\nvoter_id;vote\n1;1\n"
    )
    with pytest.raises(ValidationError, match="line 7"):
        budget_import_pabulib(page=page, text=bad)
    assert not page.budgets.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;0\nVOTES\nvoter_id;vote\n",
            "line 7: cost of project '1' is zero",
        ),
        (
            "META\nkey;value\nbudget;100\nvote_type;approval\nmax_length;1\nPROJECTS\nproject_id;cost\n1;50\n2;50\n"
            "VOTES\nvoter_id;vote\nv1;1,2\n",
            "line 12: vote of 'v1' names 2 projects, more than the limit of 1 (max_length)",
        ),
        (
            "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n1;50;Caf\xe9\n".encode(
                "latin-1"
            ),
            "line 7: not UTF-8 text",
        ),
        (
            "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\n1;6\nVOTES\nvoter_id;vote\n",
            "line 8: duplicate project_id '1'",
        ),
        (
            "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv1;2\n",
            "line 10: vote of 'v1' names unknown project '2'",
        ),
        (
            "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;-5\nVOTES\nvoter_id;vote\n",
            "line 7: cost of project '1' is negative",
        ),
        (
            "META\nkey;value\nbudget;0\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n",
            "line 3: META budget is zero",
        ),
    ],
    ids=["zero cost", "over the limit", "not UTF-8", "duplicate id", "unknown project", "negative cost", "zero budget"],
)
def test_import_shows_the_library_message_with_its_line(budget_page_factory, data, message):
    from django.core.exceptions import ValidationError

    page = budget_page_factory(phase="results")
    with pytest.raises(ValidationError) as info:
        budget_import_pabulib(page=page, text=data)
    assert message in " ".join(info.value.messages)
    assert not page.budgets.exists()
