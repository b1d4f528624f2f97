"""The voting desk and the voting codes in the Wagtail admin (budget_participatif/backoffice/desk.py)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budget_participatif.models import Ballot, BallotChannel, BallotType, VotingCode
from budget_participatif.services import ballot_submit, paper_ballot_enter, voting_codes_generate

from .conftest import approve

pytestmark = pytest.mark.django_db


def desk_url(budget):
    return reverse("bp_desk:budget", args=[budget.pk])


def codes_url(page, suffix=""):
    return reverse(f"bp_desk:codes{suffix}", args=[page.pk])


@pytest.fixture
def desk(english_pages, agent):
    english_pages.force_login(agent)
    return english_pages


def enter(client, budget, *, email="", code="", projects=(), **fields):
    data = {"step": "enter", "email": email, "voting_code": code, "channel": "paper", **fields}
    if budget.ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK):
        data["project"] = [str(project.pk) for project in projects]
    return client.post(desk_url(budget), data)


# --- Who may open the screens --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_only_agents_and_administrators_open_the_desk_and_codes(client, user_factory, make_budget, role):
    budget, _projects = make_budget()
    client.force_login(user_factory(roles=[role]))
    for url in (
        reverse("bp_desk:index"),
        desk_url(budget),
        codes_url(budget.page),
        codes_url(budget.page, "_generate"),
    ):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(codes_url(budget.page, "_generate"), {"count": 3}).status_code in (302, 403)
    assert not VotingCode.objects.exists()


@pytest.mark.parametrize("role", ["agent", "administrator"])
def test_staff_see_every_campaign_with_its_budgets_and_codes(client, user_factory, make_budget, role):
    budget, _projects = make_budget(name="Budget du quartier Nord")
    voting_codes_generate(page=budget.page, count=4)
    client.force_login(user_factory(roles=[role]))
    response = client.get(reverse("bp_desk:index"))
    assert response.status_code == 200
    assert budget.page.title in response.text and "Budget du quartier Nord" in response.text
    assert desk_url(budget) in response.text and codes_url(budget.page) in response.text
    assert client.get(desk_url(budget)).status_code == 200


def test_the_index_costs_the_same_queries_for_many_budgets(desk, make_budget, budget_factory):
    budget, _projects = make_budget()
    desk.get(reverse("bp_desk:index"))
    with CaptureQueriesContext(connection) as few:
        desk.get(reverse("bp_desk:index"))
    for _ in range(5):
        budget_factory(page=budget.page)
    make_budget()
    with CaptureQueriesContext(connection) as many:
        assert desk.get(reverse("bp_desk:index")).status_code == 200
    assert len(many) == len(few)


# --- Identify the voter --------------------------------------------------------------------------


def test_an_unknown_email_is_refused_and_kept(desk, make_budget):
    budget, _projects = make_budget()
    response = desk.post(desk_url(budget), {"step": "identify", "email": "nobody@example.org"})
    assert response.status_code == 400
    assert "No account uses this email address" in response.text
    assert 'value="nobody@example.org"' in response.text


def test_the_voter_must_be_identified(desk, make_budget):
    budget, _projects = make_budget()
    response = desk.post(desk_url(budget), {"step": "identify", "email": "", "voting_code": ""})
    assert response.status_code == 400
    assert "Identify the voter" in response.text


def test_identifying_a_voter_shows_the_ballot_of_the_budget(desk, make_budget, voter):
    budget, projects = make_budget()
    response = desk.post(desk_url(budget), {"step": "identify", "email": voter.email.upper()})
    assert response.status_code == 200
    assert "No ballot of this person in this budget yet." in response.text
    assert voter.email in response.text
    for project in projects:
        assert f'id="choice-{project.pk}"' in response.text
    assert 'name="correct"' not in response.text


# --- Enter a ballot ------------------------------------------------------------------------------


def test_agent_enters_a_paper_ballot_and_the_channel_is_recorded(desk, agent, make_budget, voter):
    budget, projects = make_budget()
    response = enter(desk, budget, email=voter.email, projects=projects[:2])
    assert response.status_code == 302 and response.url == desk_url(budget)
    ballot = Ballot.objects.get(budget=budget, voter=voter)
    assert ballot.channel == BallotChannel.PAPER and ballot.entered_by == agent
    assert sorted(ballot.choices.values_list("project_id", flat=True)) == sorted(p.pk for p in projects[:2])
    page = desk.get(response.url)
    assert "is recorded (Paper)" in page.text


def test_an_assisted_vote_is_recorded_as_assisted(desk, make_budget, voter):
    budget, projects = make_budget()
    enter(desk, budget, email=voter.email, projects=projects[:1], channel="assisted")
    assert Ballot.objects.get(budget=budget, voter=voter).channel == BallotChannel.ASSISTED


def test_a_ballot_breaking_the_rules_is_refused_with_the_online_message_and_kept(desk, make_budget, voter):
    budget, projects = make_budget(max_choices=2)
    response = enter(desk, budget, email=voter.email, projects=projects[:3])
    assert response.status_code == 400
    assert "Choose at most 2 projects (you chose 3)." in response.text
    for project in projects[:3]:
        assert f'value="{project.pk}" id="choice-{project.pk}" checked' in response.text
    assert f'value="{project.pk}" id="choice-{projects[3].pk}" checked' not in response.text
    assert f'value="{voter.email}"' in response.text
    assert not Ballot.objects.exists()


def test_knapsack_overspend_keeps_the_choices(desk, make_budget, voter):
    budget, projects = make_budget(ballot_type=BallotType.KNAPSACK, amount=60_000)
    response = enter(desk, budget, email=voter.email, projects=projects[2:])
    assert response.status_code == 400
    assert "more than the budget of" in response.text
    assert not Ballot.objects.exists()


def test_cumulative_points_are_kept_after_an_error(desk, make_budget, voter):
    budget, projects = make_budget(ballot_type=BallotType.CUMULATIVE, points_total=10, max_choices=None)
    data = {"step": "enter", "email": voter.email, "channel": "paper"}
    data[f"points-{projects[0].pk}"] = "8"
    data[f"points-{projects[1].pk}"] = "7"
    response = desk.post(desk_url(budget), data)
    assert response.status_code == 400
    assert "You gave 15 points; you have 10 to share." in response.text
    assert f'name="points-{projects[0].pk}" id="choice-{projects[0].pk}" value="8"' in response.text
    data[f"points-{projects[1].pk}"] = "2"
    assert desk.post(desk_url(budget), data).status_code == 302
    ballot = Ballot.objects.get(voter=voter)
    assert dict(ballot.choices.values_list("project_id", "value")) == {projects[0].pk: 8, projects[1].pk: 2}


def test_a_minimum_age_asks_for_the_birth_year(desk, make_budget, budget_page_factory, voter):
    budget, projects = make_budget(page=budget_page_factory(minimum_age=16))
    response = enter(desk, budget, email=voter.email, projects=projects[:1])
    assert response.status_code == 400
    assert 'name="birth_year"' in response.text and "This field is required." in response.text
    assert enter(desk, budget, email=voter.email, projects=projects[:1], birth_year="2000").status_code == 302
    assert Ballot.objects.get(voter=voter).declared_birth_year == 2000


# --- Duplicates and corrections ------------------------------------------------------------------


def test_a_person_who_voted_online_is_refused_naming_the_channel(desk, make_budget, voter):
    budget, projects = make_budget()
    ballot_submit(budget=budget, voter=voter, selections=approve(projects[0]))
    response = desk.post(desk_url(budget), {"step": "identify", "email": voter.email})
    assert "already voted in this budget (channel: Online" in response.text
    assert 'name="project"' not in response.text
    # Posting the ballot anyway (another tab, a stale page) is refused the same way.
    response = enter(desk, budget, email=voter.email, projects=projects[1:2])
    assert response.status_code == 400
    assert "channel: Online" in response.text
    ballot = Ballot.objects.get(voter=voter)
    assert ballot.channel == BallotChannel.ONLINE
    assert list(ballot.choices.values_list("project_id", flat=True)) == [projects[0].pk]


def test_a_paper_ballot_cannot_then_be_entered_as_assisted(desk, agent, make_budget, voter):
    budget, projects = make_budget()
    paper_ballot_enter(budget=budget, agent=agent, voter=voter, selections=approve(projects[0]))
    response = enter(desk, budget, email=voter.email, projects=projects[1:2], channel="assisted", correct="on")
    assert response.status_code == 400
    assert Ballot.objects.get(voter=voter).channel == BallotChannel.PAPER


def test_correcting_a_paper_ballot_needs_an_explicit_confirmation(desk, agent, make_budget, voter):
    budget, projects = make_budget()
    paper_ballot_enter(budget=budget, agent=agent, voter=voter, selections=approve(projects[0]))
    shown = desk.post(desk_url(budget), {"step": "identify", "email": voter.email})
    assert "A ballot of this person is already recorded (channel: Paper" in shown.text
    assert f'value="{projects[0].pk}" id="choice-{projects[0].pk}" checked' in shown.text
    assert 'name="correct"' in shown.text

    refused = enter(desk, budget, email=voter.email, projects=projects[1:2])
    assert refused.status_code == 400
    assert "Tick “correct” to replace it." in refused.text
    assert f'value="{projects[1].pk}" id="choice-{projects[1].pk}" checked' in refused.text
    assert list(Ballot.objects.get(voter=voter).choices.values_list("project_id", flat=True)) == [projects[0].pk]

    done = enter(desk, budget, email=voter.email, projects=projects[1:2], correct="on")
    assert done.status_code == 302
    assert "is corrected (Paper)" in desk.get(done.url).text
    assert list(Ballot.objects.get(voter=voter).choices.values_list("project_id", flat=True)) == [projects[1].pk]


def test_the_desk_is_closed_outside_the_vote(desk, make_budget, voter):
    budget, projects = make_budget(phase="results")
    page = desk.get(desk_url(budget))
    assert "The vote is not open" in page.text and 'name="email"' not in page.text
    assert enter(desk, budget, email=voter.email, projects=projects[:1]).status_code == 403
    assert not Ballot.objects.exists()


# --- Voting codes at the desk --------------------------------------------------------------------


def test_a_voter_identified_by_code_votes_once(desk, make_budget, budget_page_factory):
    page = budget_page_factory(use_voting_codes=True)
    budget, projects = make_budget(page=page)
    code = voting_codes_generate(page=page, count=2, batch="Nord")[0]
    assert desk.post(desk_url(budget), {"step": "identify", "voting_code": "WRONG-CODE-0000"}).status_code == 400
    shown = desk.post(desk_url(budget), {"step": "identify", "voting_code": code.lower()})
    assert shown.status_code == 200 and "Nord" in shown.text
    assert enter(desk, budget, code=code.lower(), projects=projects[:1]).status_code == 302
    ballot = Ballot.objects.get(budget=budget)
    assert ballot.voting_code.code_hash == VotingCode.hash(code) and ballot.voter is None
    assert page.voting_codes.filter(first_used_at__isnull=False).count() == 1
    again = desk.post(desk_url(budget), {"step": "identify", "voting_code": code})
    assert "A ballot of this person is already recorded (channel: Paper" in again.text


def test_a_campaign_with_codes_asks_for_the_code(desk, make_budget, budget_page_factory, voter):
    budget, _projects = make_budget(page=budget_page_factory(use_voting_codes=True))
    response = desk.post(desk_url(budget), {"step": "identify", "email": voter.email})
    assert response.status_code == 400 and "This field is required." in response.text


# --- Generate, download once, import -------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_generated_codes_are_downloaded_once_and_stored_hashed(desk, make_budget, area_factory):
    budget, projects = make_budget()
    north = area_factory(name="Nord")
    response = desk.post(codes_url(budget.page, "_generate"), {"count": 25, "area": north.pk, "batch": "Lettres Nord"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    header, *rows = read_csv(response)
    assert header[:3] == ["Code", "Batch", "District"]
    assert len(rows) == 25 and len({row[0] for row in rows}) == 25
    assert all(row[1] == "Lettres Nord" and row[2] == "Nord" for row in rows)
    stored = set(VotingCode.objects.filter(page=budget.page).values_list("code_hash", flat=True))
    assert stored == {VotingCode.hash(row[0]) for row in rows}
    assert not any(row[0] in value for value in stored for row in rows)

    # A code from the file votes; the summary counts issued and used codes per batch.
    ballot_submit(budget=budget, voting_code=rows[0][0], selections=approve(projects[0]))
    summary = desk.get(codes_url(budget.page))
    assert "Lettres Nord" in summary.text and "25 codes generated" in summary.text
    row = summary.text.split("Lettres Nord</th>")[1].split("</tr>")[0]
    assert '<td class="num">25</td>' in row and '<td class="num">1</td>' in row


def test_a_batch_label_is_not_reused(desk, make_budget):
    budget, _projects = make_budget()
    voting_codes_generate(page=budget.page, count=2, batch="Lettres")
    response = desk.post(codes_url(budget.page, "_generate"), {"count": 3, "batch": "Lettres"})
    assert response.status_code == 400 and "already has codes" in response.text
    assert VotingCode.objects.count() == 2


def test_generation_refuses_a_bad_count(desk, make_budget):
    budget, _projects = make_budget()
    for count in ("0", "100001", "many"):
        response = desk.post(codes_url(budget.page, "_generate"), {"count": count})
        assert response.status_code == 400, count
        assert f'value="{count}"' in response.text
    assert not VotingCode.objects.exists()


def test_a_pasted_list_is_imported(desk, make_budget):
    budget, _projects = make_budget()
    response = desk.post(
        codes_url(budget.page, "_import"), {"text": "code\nabcd-efgh-jk23\n\nMNPQ RSTU 2345\n", "batch": "Imprimeur"}
    )
    assert response.status_code == 302 and response.url == codes_url(budget.page)
    assert "2 codes imported." in desk.get(response.url).text
    assert set(VotingCode.objects.values_list("code_hash", flat=True)) == {
        VotingCode.hash("ABCDEFGHJK23"),
        VotingCode.hash("MNPQRSTU2345"),
    }
    assert set(VotingCode.objects.values_list("batch", flat=True)) == {"Imprimeur"}


def test_bad_lines_are_named_and_nothing_is_imported(desk, make_budget):
    budget, _projects = make_budget()
    known = voting_codes_generate(page=budget.page, count=1)[0]
    text = f"GOOD-CODE-2345\nAB12\nGOOD-CODE-2345\nBAD=CODE*9999\n{known}\nFINE-CODE-6789"
    response = desk.post(codes_url(budget.page, "_import"), {"text": text})
    assert response.status_code == 400
    assert "Line 2: “AB12” is too short" in response.text
    assert "Line 3: the same code as line 1." in response.text
    assert "Line 4: “BAD=CODE*9999” holds characters" in response.text
    assert "Nothing was imported" in response.text
    assert "GOOD-CODE-2345\nAB12" in response.text  # the pasted list is kept as typed
    assert VotingCode.objects.count() == 1
    # Once the format is right, a code already registered is still named by its line.
    response = desk.post(codes_url(budget.page, "_import"), {"text": f"GOOD-CODE-2345\n{known}"})
    assert "Line 2: this code is already registered." in response.text
    assert VotingCode.objects.count() == 1


def test_a_csv_file_is_imported_from_its_first_column(desk, make_budget, area_factory):
    budget, _projects = make_budget()
    south = area_factory(name="Sud")
    upload = SimpleUploadedFile("codes.csv", "\ufeffcode;nom\nAAAA-BBBB-CCCC;Dupont\nDDDD-EEEE-FFFF;Durand\n".encode())
    response = desk.post(codes_url(budget.page, "_import"), {"file": upload, "area": south.pk, "batch": "Sud"})
    assert response.status_code == 302
    assert VotingCode.objects.filter(area=south, batch="Sud").count() == 2


def test_an_unreadable_or_missing_list_is_explained(desk, make_budget):
    budget, _projects = make_budget()
    upload = SimpleUploadedFile("codes.csv", "AAAA-BBBB-CCCÉ\n".encode("latin-1"))
    response = desk.post(codes_url(budget.page, "_import"), {"file": upload})
    assert response.status_code == 400 and "not UTF-8 text" in response.text
    response = desk.post(codes_url(budget.page, "_import"), {"text": "  "})
    assert response.status_code == 400 and "Choose a file or paste the codes." in response.text
    assert not VotingCode.objects.exists()
