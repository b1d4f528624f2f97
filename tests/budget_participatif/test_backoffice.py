"""The participatory budget's staff screens in the Wagtail admin: review, merge, ballot, compare, publish."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budget_participatif.models import (
    Ballot,
    BallotChoice,
    BallotType,
    CountResult,
    Idea,
    IdeaReview,
    IdeaStatus,
    Project,
    Verdict,
)
from civic.notifications.models import Follow, Notification

pytestmark = pytest.mark.django_db

QUEUE = "/admin/budget-participatif/review/"
BALLOTS = "/admin/budget-participatif/ballots/"


def review_url(idea):
    return f"{QUEUE}{idea.pk}/"


def reviewed(idea, *, agent, cost, verdict=Verdict.FEASIBLE):
    IdeaReview.objects.create(idea=idea, agent=agent, verdict=verdict, cost_estimate=cost, public_reason="Étudié.")
    Idea.objects.filter(pk=idea.pk).update(status=verdict)
    idea.refresh_from_db()
    return idea


@pytest.fixture
def campaign(budget_page_factory):
    return budget_page_factory(phase="review")


@pytest.fixture
def city_budget(budget_factory, campaign):
    return budget_factory(page=campaign, name="Budget de la ville", amount=100_000)


# --- Who may open the screens ---------------------------------------------------------------------


def test_residents_and_moderators_are_refused_everywhere(client, resident, moderator, idea_factory, city_budget):
    idea = idea_factory(page=city_budget.page)
    paths = [QUEUE, review_url(idea), BALLOTS, f"{BALLOTS}{city_budget.pk}/", f"{BALLOTS}{city_budget.pk}/results/"]
    for person in (resident, moderator):
        client.force_login(person)
        for path in paths:
            assert client.get(path).status_code in (302, 403), (person, path)
        assert client.post(review_url(idea), {"verdict": "feasible"}).status_code in (302, 403)
    assert not IdeaReview.objects.exists()


def test_agents_reach_every_screen_and_see_the_menu(client, agent, idea_factory, city_budget):
    idea = idea_factory(page=city_budget.page)
    client.force_login(agent)
    for path in (
        QUEUE,
        review_url(idea),
        BALLOTS,
        f"{BALLOTS}{city_budget.pk}/",
        f"{BALLOTS}{city_budget.pk}/results/",
    ):
        assert client.get(path).status_code == 200, path
    home = client.get("/admin/").content.decode()
    assert QUEUE in home and BALLOTS in home


# --- Review ---------------------------------------------------------------------------------------


def test_an_agent_marks_an_idea_feasible_and_the_author_is_told(client, agent, idea_factory, campaign):
    idea = idea_factory(page=campaign)
    client.force_login(agent)
    response = client.post(
        review_url(idea),
        {
            "service": "Espaces verts",
            "agent": agent.pk,
            "verdict": "feasible",
            "public_reason": "Le terrain appartient à la commune.",
            "cost_estimate": "42000",
        },
    )
    assert response.status_code == 302
    review = IdeaReview.objects.get(idea=idea)
    assert (review.verdict, review.cost_estimate, review.service, review.agent) == (
        "feasible",
        42000,
        "Espaces verts",
        agent,
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.FEASIBLE
    told = Notification.objects.get(recipient=idea.author, kind="budget.idea_review")
    assert told.body == "Le terrain appartient à la commune."


def test_a_refusal_without_a_reason_is_shown_on_the_form_and_keeps_the_input(
    english_pages, agent, idea_factory, campaign
):
    idea = idea_factory(page=campaign)
    english_pages.force_login(agent)
    response = english_pages.post(
        review_url(idea),
        {"service": "Service des sports", "agent": agent.pk, "verdict": "not_feasible", "cost_estimate": "900000"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tell the author why the idea is not feasible." in page
    assert 'value="Service des sports"' in page and 'value="900000"' in page
    assert re.search(r'value="not_feasible"[^>]*checked', page), "the verdict stays ticked"
    assert not IdeaReview.objects.exists()
    assert not Notification.objects.filter(kind="budget.idea_review").exists()


def test_a_feasible_idea_needs_a_cost_estimate(english_pages, agent, idea_factory, campaign):
    idea = idea_factory(page=campaign)
    english_pages.force_login(agent)
    response = english_pages.post(
        review_url(idea), {"agent": agent.pk, "verdict": "feasible", "public_reason": "Faisable."}
    )
    assert response.status_code == 400
    assert "A feasible idea needs a cost estimate." in response.content.decode()
    assert "Faisable." in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_assigning_to_another_agent_puts_it_in_their_queue(client, agent, user_factory, idea_factory, campaign):
    colleague = user_factory(roles=["agent"], display_name="Inès Voirie")
    mine, other = idea_factory(page=campaign, title="Mon idée"), idea_factory(page=campaign, title="Autre idée")
    client.force_login(agent)
    response = client.post(review_url(mine), {"service": "Voirie", "agent": colleague.pk, "verdict": "pending"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == IdeaStatus.IN_REVIEW
    assert mine.review.agent == colleague and mine.review.decided_at is None
    assert not Notification.objects.filter(recipient=mine.author, kind="budget.idea_review").exists()

    client.force_login(colleague)
    page = client.get(QUEUE, {"mine": "on"}).content.decode()
    assert "Mon idée" in page and "Autre idée" not in page
    assert other.title in client.get(QUEUE).content.decode(), "waiting for a verdict, by default"


def test_a_resident_cannot_be_put_in_charge(client, agent, resident, idea_factory, campaign):
    idea = idea_factory(page=campaign)
    client.force_login(agent)
    response = client.post(review_url(idea), {"agent": resident.pk, "verdict": "pending"})
    assert response.status_code == 400
    assert not IdeaReview.objects.exists()


def test_the_queue_costs_the_same_queries_for_3_or_30_ideas(client, agent, idea_factory, campaign):
    client.force_login(agent)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(QUEUE, {"status": ""}).status_code == 200
        return len(captured)

    for index in range(3):
        reviewed(idea_factory(page=campaign), agent=agent, cost=1000 + index)
    few = queries()
    for index in range(27):
        idea = idea_factory(page=campaign)
        if index % 2:
            reviewed(idea, agent=agent, cost=2000 + index)
    assert queries() == few


# --- Merge and ballot -----------------------------------------------------------------------------


def test_merging_ideas_makes_one_project_crediting_every_author(client, agent, idea_factory, city_budget):
    campaign = city_budget.page
    first = reviewed(idea_factory(page=campaign, title="Bancs au port"), agent=agent, cost=12_000)
    second = reviewed(idea_factory(page=campaign, title="Ombre sur le quai"), agent=agent, cost=8_000)
    client.force_login(agent)
    form = client.get(f"{QUEUE}merge/", {"idea": [first.pk, second.pk]})
    assert form.status_code == 302 and f"merge/{campaign.pk}/" in form.url
    page = client.get(form.url).content.decode()
    assert "Bancs au port" in page and "checked" in page

    response = client.post(
        f"{QUEUE}merge/{campaign.pk}/",
        {
            "ideas": [first.pk, second.pk],
            "budget": city_budget.pk,
            "title": "Un quai pour se reposer",
            "on_ballot": "on",
        },
    )
    assert response.status_code == 302 and response.url == f"{BALLOTS}{city_budget.pk}/"
    project = Project.objects.get(title="Un quai pour se reposer")
    assert (project.budget, project.cost, project.on_ballot) == (city_budget, 20_000, True)
    assert set(project.authors()) == {first.author, second.author}
    for idea in (first, second):
        idea.refresh_from_db()
        assert idea.project == project and idea.status == IdeaStatus.ON_BALLOT
        assert Notification.objects.filter(recipient=idea.author, kind="budget.project_created").exists()
        assert Follow.objects.filter(user=idea.author, object_pk=str(project.pk)).exists()


def test_merging_from_a_ballot_screen_preselects_its_budget(client, agent, idea_factory, budget_factory, city_budget):
    district = budget_factory(page=city_budget.page, name="Quartier des Tilleuls")
    idea = reviewed(idea_factory(page=city_budget.page), agent=agent, cost=1_000)
    client.force_login(agent)
    start = client.get(f"{QUEUE}merge/", {"idea": idea.pk, "budget": district.pk})
    assert start.status_code == 302
    page = client.get(start.url).content.decode()
    assert f'<option value="{district.pk}" selected>' in page


def test_a_merge_refused_keeps_the_form_and_creates_nothing(english_pages, agent, idea_factory, city_budget):
    campaign = city_budget.page
    estimated = reviewed(idea_factory(page=campaign), agent=agent, cost=5_000)
    unestimated = idea_factory(page=campaign)
    refused = reviewed(idea_factory(page=campaign), agent=agent, cost=None, verdict=Verdict.NOT_FEASIBLE)
    english_pages.force_login(agent)
    url = f"{QUEUE}merge/{campaign.pk}/"
    data = {"ideas": [estimated.pk, unestimated.pk], "budget": city_budget.pk, "title": "Projet commun"}
    response = english_pages.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "review every idea with a cost estimate first" in page
    assert 'value="Projet commun"' in page

    response = english_pages.post(url, {**data, "ideas": [estimated.pk, refused.pk]})
    assert response.status_code == 400
    assert "can no longer be merged" in response.content.decode()

    response = english_pages.post(url, {**data, "cost": "150000"})
    assert "costs more than the whole budget" in response.content.decode()
    assert not Project.objects.exists()


def test_ideas_of_two_campaigns_cannot_be_merged(english_pages, agent, idea_factory, budget_page_factory):
    one, other = idea_factory(), idea_factory(page=budget_page_factory(phase="review"))
    english_pages.force_login(agent)
    response = english_pages.get(f"{QUEUE}merge/", {"idea": [one.pk, other.pk]}, follow=True)
    assert "These ideas belong to different campaigns" in response.content.decode()


def test_a_feasible_idea_goes_on_the_ballot_from_its_review(client, agent, idea_factory, city_budget):
    idea = reviewed(idea_factory(page=city_budget.page, title="Fontaine"), agent=agent, cost=9_000)
    client.force_login(agent)
    page = client.get(review_url(idea)).content.decode()
    assert f"{QUEUE}{idea.pk}/ballot/" in page, "the review offers to put it on a ballot"
    response = client.post(f"{QUEUE}{idea.pk}/ballot/", {"budget": city_budget.pk})
    assert response.status_code == 302
    project = Project.objects.get(budget=city_budget)
    assert (project.title, project.cost, project.on_ballot) == ("Fontaine", 9_000, True)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ON_BALLOT


def test_the_ballot_screen_puts_waiting_ideas_on_and_saves_costs(
    english_pages, agent, idea_factory, project_factory, city_budget
):
    kept = project_factory(budget=city_budget, title="Bancs", cost=10_000)
    dropped = project_factory(budget=city_budget, title="Fresque", cost=15_000)
    credited = reviewed(idea_factory(page=city_budget.page), agent=agent, cost=15_000)
    Idea.objects.filter(pk=credited.pk).update(project=dropped, status=IdeaStatus.ON_BALLOT)
    waiting = reviewed(idea_factory(page=city_budget.page, title="Nichoirs"), agent=agent, cost=4_000)
    english_pages.force_login(agent)
    url = f"{BALLOTS}{city_budget.pk}/"
    page = english_pages.get(url).content.decode()
    assert "Nichoirs" in page and "2 projects costing 25,000 €" in page

    response = english_pages.post(f"{url}ideas/", {"idea": waiting.pk, "next": url})
    assert response.status_code == 302 and response.url == url
    assert Project.objects.get(budget=city_budget, title="Nichoirs").cost == 4_000

    response = english_pages.post(
        url,
        {
            f"on_ballot_{kept.pk}": "on",
            f"cost_{kept.pk}": "11000",
            f"cost_{dropped.pk}": "15000",
            f"on_ballot_{Project.objects.get(title='Nichoirs').pk}": "on",
            f"cost_{Project.objects.get(title='Nichoirs').pk}": "4000",
        },
    )
    assert response.status_code == 302
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert (kept.on_ballot, kept.cost, dropped.on_ballot) == (True, 11_000, False)
    credited.refresh_from_db()
    assert credited.status == IdeaStatus.FEASIBLE, "the idea follows its project off the ballot"


def test_a_cost_above_the_budget_is_refused_and_nothing_changes(english_pages, agent, project_factory, city_budget):
    project = project_factory(budget=city_budget, title="Piscine", cost=50_000)
    english_pages.force_login(agent)
    url = f"{BALLOTS}{city_budget.pk}/"
    response = english_pages.post(url, {f"on_ballot_{project.pk}": "on", f"cost_{project.pk}": "250000"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "“Piscine” costs more than the whole budget (100,000 €)." in page
    assert 'value="250000"' in page
    project.refresh_from_db()
    assert project.cost == 50_000


def test_the_ballot_is_frozen_once_the_vote_opens(english_pages, agent, idea_factory, make_budget):
    budget, projects = make_budget(costs=(10_000, 20_000))
    waiting = reviewed(idea_factory(page=budget.page), agent=agent, cost=3_000)
    english_pages.force_login(agent)
    url = f"{BALLOTS}{budget.pk}/"
    page = english_pages.get(url).content.decode()
    assert "the ballot no longer changes" in page
    assert f'name="cost_{projects[0].pk}"' not in page
    response = english_pages.post(url, {f"cost_{projects[0].pk}": "1", f"cost_{projects[1].pk}": "1"})
    assert response.status_code == 400
    assert "can no longer change" in response.content.decode()
    response = english_pages.post(f"{url}ideas/", {"idea": waiting.pk}, follow=True)
    assert "can no longer change" in response.content.decode()
    assert sorted(p.cost for p in Project.objects.filter(budget=budget)) == [10_000, 20_000]


# --- Compare and publish --------------------------------------------------------------------------


@pytest.fixture
def closed_budget(make_budget, user_factory):
    """Greedy and MES disagree: A (the whole budget) has 3 votes, B and C (half each) 3 votes together."""
    budget, (a, b, c) = make_budget(phase="results", costs=(100_000, 50_000, 50_000), ballot_type=BallotType.APPROVAL)
    for project, code in ((a, "A"), (b, "B"), (c, "C")):
        project.code, project.title = code, f"Projet {code}"
        project.save()
    for index in range(6):
        ballot = Ballot.objects.create(budget=budget, voter=user_factory())
        chosen = [a] if index < 3 else [b, c]
        BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, project=p) for p in chosen)
    return budget, (a, b, c)


def test_counting_waits_for_the_vote_to_close(english_pages, agent, make_budget):
    budget, _projects = make_budget()
    english_pages.force_login(agent)
    url = f"{BALLOTS}{budget.pk}/results/"
    assert "the ballots can be counted after that" in english_pages.get(url).content.decode()
    response = english_pages.post(url, {"action": "count"}, follow=True)
    assert "the ballots can be counted after that" in response.content.decode()
    assert not CountResult.objects.exists()


def test_staff_compare_the_three_rules_side_by_side(english_pages, agent, closed_budget):
    budget, (a, b, c) = closed_budget
    english_pages.force_login(agent)
    url = f"{BALLOTS}{budget.pk}/results/"
    assert english_pages.post(url, {"action": "count"}).status_code == 302
    results = {result.rule: result for result in CountResult.objects.filter(budget=budget)}
    assert set(results) == {"greedy", "mes", "mes-add1"}
    assert results["greedy"].selected == [a.pk]
    assert results["mes"].selected == [b.pk]
    page = english_pages.get(url).content.decode()
    assert "1 project, 100,000 € (100.0 % of the budget)" in page
    assert "1 project, 50,000 € (50.0 % of the budget)" in page
    matrix = page.split('id="matrix-caption"')[1]
    row_a = matrix.split("Projet A")[1].split("</tr>")[0]
    cost, votes, greedy, mes, mes_add1 = re.findall(r"<td[^>]*>(.*?)</td>", row_a, re.S)
    assert "100,000 €" in cost and votes.strip() == "3"
    assert "✓ 1" in greedy and "✓" not in mes
    assert ("✓" in mes_add1) == (a.pk in results["mes-add1"].selected)
    assert "Only an administrator publishes the results." in page


def test_only_administrators_publish(english_pages, agent, closed_budget):
    budget, _projects = closed_budget
    english_pages.force_login(agent)
    response = english_pages.post(
        f"{BALLOTS}{budget.pk}/results/", {"action": "publish", "rule": "mes", "confirm": "on"}, follow=True
    )
    assert "Only an administrator publishes the results." in response.content.decode()
    budget.refresh_from_db()
    assert not budget.results_published


def test_publishing_before_the_close_is_refused(english_pages, administrator, make_budget):
    budget, _projects = make_budget()
    english_pages.force_login(administrator)
    response = english_pages.post(
        f"{BALLOTS}{budget.pk}/results/", {"action": "publish", "rule": "greedy", "confirm": "on"}, follow=True
    )
    assert "the results can be published after that" in response.content.decode()
    budget.refresh_from_db()
    assert not budget.results_published


def test_an_administrator_publishes_the_chosen_rule(english_pages, administrator, closed_budget, user_factory):
    budget, (a, b, c) = closed_budget
    follower = user_factory()
    Follow.objects.create(user=follower, content_type_id=_content_type(b), object_pk=str(b.pk))
    english_pages.force_login(administrator)
    url = f"{BALLOTS}{budget.pk}/results/"
    response = english_pages.post(url, {"action": "publish", "rule": "mes"})
    assert response.status_code == 400
    assert "Tick the box to confirm the publication." in response.content.decode()
    budget.refresh_from_db()
    assert not budget.results_published

    response = english_pages.post(url, {"action": "publish", "rule": "mes", "confirm": "on"}, follow=True)
    assert "Results published with “Method of Equal Shares”: 1 project(s) selected for 50,000 €." in (
        response.content.decode()
    )
    budget.refresh_from_db()
    assert budget.published_rule == "mes" and budget.results_published
    assert list(Project.objects.filter(budget=budget, selected=True)) == [b]
    assert Notification.objects.filter(recipient=follower, kind="budget.results").exists()
    assert english_pages.get(f"/budget-participatif/budgets/{budget.pk}/resultats/").status_code == 200


def _content_type(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk
