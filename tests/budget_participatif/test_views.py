"""The pages as a browser without JavaScript sees them: plain GETs and form POSTs."""

import pytest
from django.urls import reverse

from budget_participatif.models import Ballot, BallotType

pytestmark = pytest.mark.django_db


@pytest.fixture
def knapsack(make_budget):
    return make_budget(
        ballot_type=BallotType.KNAPSACK, amount=100_000, costs=(60_000, 50_000, 30_000), max_choices=None
    )


def test_campaign_page_shows_phases_and_budgets(client, knapsack):
    budget, _projects = knapsack
    response = client.get(budget.page.url)
    assert response.status_code == 200
    text = response.content.decode()
    assert budget.name in text and 'aria-current="step"' in text
    assert reverse("budget-ballot", args=[budget.pk]) in text


def test_ballot_page_lists_projects_with_costs_and_meter_config(client, knapsack, voter):
    budget, projects = knapsack
    client.force_login(voter)
    response = client.get(reverse("budget-ballot", args=[budget.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert all(project.title in text for project in projects)
    assert 'id="ballot-config"' in text and "ballot.js" in text


def test_vote_without_javascript_is_recorded(english_pages, client, knapsack, voter):
    budget, (a, _b, c) = knapsack
    client.force_login(voter)
    response = client.post(reverse("budget-ballot", args=[budget.pk]), {"project": [a.pk, c.pk]}, follow=True)
    assert response.redirect_chain[-1] == (reverse("budget-ballot", args=[budget.pk]), 302)
    assert "Your ballot is recorded" in response.content.decode()
    assert sorted(Ballot.objects.get(voter=voter).choices.values_list("project_id", flat=True)) == sorted([a.pk, c.pk])


def test_over_budget_ballot_is_refused_with_the_message_and_the_choices_kept(client, knapsack, voter):
    budget, (a, b, _c) = knapsack
    client.force_login(voter)
    client.cookies["civic_language"] = "en"
    response = client.post(reverse("budget-ballot", args=[budget.pk]), {"project": [a.pk, b.pk]})
    text = response.content.decode()
    assert response.status_code == 400
    assert "more than the budget" in text
    assert f'value="{a.pk}" id="choice-{a.pk}" checked' in text
    assert not Ballot.objects.exists()


def test_anonymous_post_is_refused(client, knapsack):
    budget, (a, _b, _c) = knapsack
    response = client.post(reverse("budget-ballot", args=[budget.pk]), {"project": [a.pk]})
    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_csrf_is_required(knapsack, voter):
    from django.test import Client

    budget, (a, _b, _c) = knapsack
    client = Client(enforce_csrf_checks=True)
    client.force_login(voter)
    assert client.post(reverse("budget-ballot", args=[budget.pk]), {"project": [a.pk]}).status_code == 403


def test_idea_form_keeps_what_was_typed_on_error(client, budget_page_factory, resident):
    page = budget_page_factory(phase="ideas")
    client.force_login(resident)
    response = client.post(
        reverse("idea-create", args=[page.pk]),
        {"title": "Un jardin partagé", "description": "court", "theme": "nature"},
    )
    assert response.status_code == 400
    assert 'value="Un jardin partagé"' in response.content.decode()


def test_idea_submitted_then_shown(client, budget_page_factory, resident):
    page = budget_page_factory(phase="ideas")
    client.force_login(resident)
    response = client.post(
        reverse("idea-create", args=[page.pk]),
        {
            "title": "Un jardin partagé",
            "description": "Un jardin partagé derrière l'école des Tilleuls.",
            "theme": "nature",
        },
    )
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "Un jardin partagé" in detail.content.decode()
    assert client.get(reverse("idea-list", args=[page.pk])).status_code == 200


def test_results_hidden_until_published(client, make_budget, administrator):
    from budget_participatif.services import results_publish

    budget, _projects = make_budget(phase="results")
    url = reverse("budget-results", args=[budget.pk])
    assert client.get(url).status_code == 404
    results_publish(budget=budget, rule="greedy", user=administrator)
    response = client.get(url)
    assert response.status_code == 200 and 'class="bar"' in response.content.decode()


def test_follow_up_and_project_pages(client, project_factory, budget_page_factory, budget_factory):
    page = budget_page_factory(phase="follow_up")
    project = project_factory(
        budget=budget_factory(page=page), selected=True, implementation_status="works", progress=40
    )
    response = client.get(reverse("budget-follow-up", args=[page.pk]))
    assert response.status_code == 200 and project.title in response.content.decode()
    assert client.get(reverse("project-detail", args=[project.pk])).status_code == 200


def test_changes_to_the_campaign_and_projects_apply_to_the_next_ballot(english_pages, client, knapsack, voter):
    """The budget, its campaign and its projects are cached for votes; saving any of them drops it."""
    from datetime import timedelta

    from django.utils import timezone

    budget, (a, b, c) = knapsack
    client.force_login(voter)
    url = reverse("budget-ballot", args=[budget.pk])
    assert client.post(url, {"project": [c.pk]}).status_code == 302  # cached from here on

    c.cost = 120_000  # more than the whole budget: the next ballot must see it
    c.save()
    response = client.post(url, {"project": [c.pk]})
    assert response.status_code == 400 and "more than the budget" in response.content.decode()

    a.on_ballot = False
    a.save()
    response = client.post(url, {"project": [a.pk]})
    assert response.status_code == 400 and "is not on this ballot" in response.content.decode()

    page = budget.page
    page.voting_closes = timezone.now() - timedelta(minutes=1)
    page.save()
    response = client.post(url, {"project": [b.pk]})
    assert response.status_code == 403 and "The vote closed" in response.content.decode()
    assert list(Ballot.objects.get(voter=voter).choices.values_list("project_id", flat=True)) == [c.pk]


def test_unknown_budget_answers_404(client, voter):
    client.force_login(voter)
    assert client.post(reverse("budget-ballot", args=[999_999]), {"project": ["1"]}).status_code == 404


def _ballot_form(text: str) -> str:
    start = text.index('<form method="post" class="ballot"')
    return text[start : text.index("</form>", start)]


def test_a_paper_voter_is_told_before_the_form_and_gets_no_active_box(english_pages, client, knapsack, voter, agent):
    from budget_participatif.services import paper_ballot_enter

    budget, (a, _b, _c) = knapsack
    paper_ballot_enter(budget=budget, agent=agent, voter=voter, selections=[(a.pk, 1)])
    client.force_login(voter)
    text = client.get(reverse("budget-ballot", args=[budget.pk])).content.decode()
    assert "You cannot vote online in this budget." in text
    assert "You voted on paper on" in text and "cannot be changed online" in text
    assert "You can change your ballot" not in text
    assert text.index("You voted on paper") < text.index('<form method="post" class="ballot"')
    form = _ballot_form(text)
    assert '<fieldset disabled aria-describedby="ballot-refusal">' in form
    assert 'type="submit"' not in form


def test_another_districts_budget_says_why_before_the_form(
    english_pages, client, make_budget, budget_page_factory, area_factory, user_factory
):
    from budget_participatif.models import VoteScope

    page = budget_page_factory(vote_scope=VoteScope.HOME_AND_CITY)
    north, south = area_factory(name="Nord"), area_factory(name="Sud")
    budget, _projects = make_budget(page=page, area=north)
    client.force_login(user_factory(home_area=south))
    text = client.get(reverse("budget-ballot", args=[budget.pk])).content.decode()
    assert "This budget is for the residents of Nord" in text
    form = _ballot_form(text)
    assert "<fieldset disabled" in form and 'type="submit"' not in form


def test_a_resident_of_the_district_gets_the_active_ballot(
    english_pages, client, make_budget, budget_page_factory, area_factory, user_factory
):
    from budget_participatif.models import VoteScope

    page = budget_page_factory(vote_scope=VoteScope.HOME_AND_CITY)
    north = area_factory(name="Nord")
    budget, _projects = make_budget(page=page, area=north)
    client.force_login(user_factory(home_area=north))
    text = client.get(reverse("budget-ballot", args=[budget.pk])).content.decode()
    assert "You cannot vote online" not in text
    form = _ballot_form(text)
    assert "<fieldset disabled" not in form and 'type="submit"' in form
