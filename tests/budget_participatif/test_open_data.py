"""Budget transparency: the anonymised Pabulib file and the CSV of every published budget, for
everyone; Pabulib import and export for staff (back office and management commands)."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from budget_participatif.models import Ballot, Budget, Project
from budget_participatif.pabulib import parse
from budget_participatif.services import ballot_submit

from .conftest import approve

pytestmark = pytest.mark.django_db

CUMULATIVE_WITH_HALF_POINTS = """META
key;value
description;Quartier test
num_projects;2
num_votes;2
budget;1000
vote_type;cumulative
PROJECTS
project_id;cost;name
1;400;Bancs
2;500;Arbres
VOTES
voter_id;vote;points
1;1,2;3,2
2;1,2;2.5,1
"""


@pytest.fixture
def published(make_budget, voter, user_factory):
    budget, projects = make_budget(phase="voting")
    ballot_submit(budget=budget, voter=voter, selections=approve(projects[0], projects[1]))
    ballot_submit(budget=budget, voter=user_factory(roles=["resident"]), selections=approve(projects[0]))
    Project.objects.filter(pk=projects[0].pk).update(title='=HYPERLINK("http://evil")', selected=True)
    Budget.objects.filter(pk=budget.pk).update(results_published_at=timezone.now(), published_rule="greedy")
    budget.refresh_from_db()
    return budget, projects


def test_the_results_page_offers_the_pabulib_file_and_the_csv(english_pages, client, published):
    budget, _projects = published
    text = client.get(reverse("budget-results", args=[budget.pk])).content.decode()
    assert reverse("budget-pabulib", args=[budget.pk]) in text
    assert reverse("budget-results-csv", args=[budget.pk]) in text
    assert "Anonymised ballots (Pabulib .pb file)" in text
    response = client.get(reverse("budget-pabulib", args=[budget.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    election = parse(response.content)
    assert len(election.votes) == 2 and election.budget == budget.amount
    assert [vote.voter_id for vote in election.votes] == ["1", "2"]  # renumbered, no account data


def test_the_csv_neutralises_spreadsheet_formulas(client, published):
    budget, projects = published
    response = client.get(reverse("budget-results-csv", args=[budget.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = {row["project"] for row in rows}
    assert '\'=HYPERLINK("http://evil")' in titles
    first = next(row for row in rows if row["project_id"] == str(projects[0].pk))
    assert (first["score"], first["selected"], first["ballots"]) == ("2", "1", "2")
    assert first["pabulib_file"].endswith(reverse("budget-pabulib", args=[budget.pk]))


def test_open_data_lists_published_budgets_only(client, published, make_budget):
    budget, _projects = published
    hidden, _ = make_budget(phase="results", name="Pas encore publié")
    page = client.get(reverse("budget-open-data")).content.decode()
    assert reverse("budget-pabulib", args=[budget.pk]) in page
    assert reverse("budget-pabulib", args=[hidden.pk]) not in page
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("budget-open-data-csv")).content.decode("utf-8-sig"))))
    assert {row["budget_id"] for row in rows} == {str(budget.pk)}
    assert client.get(reverse("budget-pabulib", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("budget-results-csv", args=[hidden.pk])).status_code == 404


def test_a_refused_import_changes_nothing_and_names_the_line(budget_page_factory):
    from django.core.exceptions import ValidationError

    from budget_participatif.services import budget_import_pabulib

    page = budget_page_factory(phase="results")
    before = (Budget.objects.count(), Project.objects.count(), Ballot.objects.count())
    with pytest.raises(ValidationError, match="Line 15: The points of voter 2 must be whole numbers"):
        budget_import_pabulib(page=page, text=CUMULATIVE_WITH_HALF_POINTS)
    assert (Budget.objects.count(), Project.objects.count(), Ballot.objects.count()) == before


def test_commands_export_and_import_and_refuse_with_the_line(tmp_path, published, budget_page_factory):
    budget, _projects = published
    out = tmp_path / "budget.pb"
    call_command("pabulib_export", str(budget.pk), "--output", str(out), stderr=io.StringIO())
    assert len(parse(out.read_text(encoding="utf-8")).votes) == 2
    page = budget_page_factory(phase="results")
    stdout = io.StringIO()
    call_command("pabulib_import", str(out), "--campaign", str(page.pk), "--name", "Copie", stdout=stdout)
    copy = Budget.objects.get(page=page, name="Copie")
    assert copy.ballots.count() == 2 and "2 ballots imported" in stdout.getvalue()
    bad = tmp_path / "bad.pb"
    bad.write_text(CUMULATIVE_WITH_HALF_POINTS, encoding="utf-8")
    before = (Budget.objects.count(), Ballot.objects.count())
    with pytest.raises(CommandError, match="Line 15.*Nothing was imported"):
        call_command("pabulib_import", str(bad), "--campaign", str(page.pk))
    assert (Budget.objects.count(), Ballot.objects.count()) == before


def test_staff_import_and_export_in_the_back_office(english_pages, client, agent, published, budget_page_factory):
    from django.core.files.uploadedfile import SimpleUploadedFile

    budget, _projects = published
    client.force_login(agent)
    exported = client.get(reverse("bp_ballots:pabulib-export", args=[budget.pk]))
    assert exported.status_code == 200 and len(parse(exported.content).votes) == 2
    page = budget_page_factory(phase="results")
    url = reverse("bp_ballots:pabulib-import")
    before = Budget.objects.count()
    bad = client.post(
        url,
        {"campaign": page.pk, "file": SimpleUploadedFile("bad.pb", CUMULATIVE_WITH_HALF_POINTS.encode())},
    )
    assert bad.status_code == 400 and Budget.objects.count() == before
    assert "Line 15: The points of voter 2 must be whole numbers" in bad.content.decode()
    good = client.post(
        url, {"campaign": page.pk, "name": "Importé", "file": SimpleUploadedFile("ok.pb", exported.content)}
    )
    imported = Budget.objects.get(page=page, name="Importé")
    assert good.status_code == 302 and good["Location"] == reverse("bp_ballots:ballot", args=[imported.pk])
    assert imported.ballots.count() == 2


def test_residents_cannot_use_the_staff_pabulib_screens(client, voter, published):
    budget, _projects = published
    client.force_login(voter)
    assert client.get(reverse("bp_ballots:pabulib-export", args=[budget.pk])).status_code in (302, 403)
    assert client.get(reverse("bp_ballots:pabulib-import")).status_code in (302, 403)


def test_the_open_data_csv_costs_the_same_queries_for_one_budget_or_several(client, published, make_budget, voter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("budget-open-data-csv")).status_code == 200
        return len(captured)

    one = queries()
    for index in range(3):
        budget, projects = make_budget(name=f"Budget {index}")
        ballot_submit(budget=budget, voter=voter, selections=approve(projects[0]))
        Budget.objects.filter(pk=budget.pk).update(results_published_at=timezone.now())
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("budget-open-data-csv")).content.decode("utf-8-sig"))))
    assert len({row["budget_id"] for row in rows}) == 4
    assert queries() == one
