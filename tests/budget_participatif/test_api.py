"""The budget API under /api/v1/budget/: what a third-party app or the site's JavaScript sees and sends."""

import html
import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token

from budget_participatif.models import Ballot, BallotType, Idea, IdeaPhoto, IdeaStatus, Milestone, Verdict
from budget_participatif.services import ballot_submit, idea_review, results_publish, voting_codes_generate
from civic.moderation.models import ModerationState
from civic.notifications.models import Follow

from .conftest import approve

pytestmark = pytest.mark.django_db

GEOJSON = "application/geo+json"


def body(response):
    return json.loads(response.content)


def put_ballot(client, budget, payload, **extra):
    return client.put(
        reverse("api-budget-ballot", args=[budget.pk]), json.dumps(payload), content_type="application/json", **extra
    )


def choices(*projects):
    return {"choices": [{"project": project.pk} for project in projects]}


# --- Campaigns and budgets -----------------------------------------------------------------------


def test_campaigns_list_phases_and_budgets_with_their_ballot_rules(client, make_budget):
    budget, projects = make_budget(ballot_type=BallotType.KNAPSACK, min_share_percent=30, max_choices=None)
    response = client.get(reverse("api-budget-campaign-list"))

    assert response.status_code == 200
    [campaign] = body(response)["results"]
    assert campaign["id"] == budget.page_id and campaign["phase"] == "voting"
    assert [phase["key"] for phase in campaign["phases"]] == ["ideas", "review", "voting", "results", "follow_up"]
    assert [phase["key"] for phase in campaign["phases"] if phase["current"]] == ["voting"]
    [listed] = campaign["budgets"]
    assert listed["amount"] == 100_000 and listed["project_count"] == len(projects) and listed["voting_open"]
    assert listed["ballot_rules"] == {
        "min_choices": 1,
        "max_spend": 100_000,
        "min_spend": 30_000,
        "min_share_percent": 30,
    }
    assert listed["links"]["results"] is None


def test_drafts_and_restricted_campaigns_stay_out_of_the_api(client, make_budget, budget_page_factory):
    from wagtail.models import PageViewRestriction

    shown, _projects = make_budget()
    draft, _projects = make_budget(page=budget_page_factory(live=False))
    private, _projects = make_budget()
    PageViewRestriction.objects.create(page=private.page, restriction_type=PageViewRestriction.LOGIN)

    listed = [campaign["id"] for campaign in body(client.get(reverse("api-budget-campaign-list")))["results"]]
    assert listed == [shown.page_id]
    for hidden in (draft, private):
        assert client.get(reverse("api-budget-campaign-detail", args=[hidden.page_id])).status_code == 404
        assert client.get(reverse("api-budget-detail", args=[hidden.pk])).status_code == 404
        assert client.get(reverse("api-budget-idea-list", args=[hidden.page_id])).status_code == 404
    projects = body(client.get(reverse("api-budget-project-list")))
    assert {feature["properties"]["budget"] for feature in projects["features"]} == {shown.pk}


def test_budget_detail_gives_the_rules_of_each_ballot_type(client, make_budget):
    cumulative, _projects = make_budget(ballot_type=BallotType.CUMULATIVE, points_total=12, points_cap=5)
    ranked, _projects = make_budget(ballot_type=BallotType.RANKED, rank_k=4, page=cumulative.page)

    data = body(client.get(reverse("api-budget-detail", args=[cumulative.pk])))
    assert data["ballot_type"] == "cumulative" and data["campaign"] == cumulative.page_id
    assert data["ballot_rules"] == {"min_choices": 1, "points_total": 12, "points_cap": 5}
    assert data["links"]["ballot"].endswith(reverse("api-budget-ballot", args=[cumulative.pk]))
    assert body(client.get(reverse("api-budget-detail", args=[ranked.pk])))["ballot_rules"] == {
        "min_choices": 1,
        "rank_k": 4,
    }


# --- Ideas ---------------------------------------------------------------------------------------


@pytest.fixture
def ideas_page(budget_page_factory):
    return budget_page_factory(phase="ideas")


def test_ideas_are_a_geojson_collection_filtered_by_area_theme_and_status(
    client, ideas_page, idea_factory, area_factory
):
    from django.contrib.gis.geos import Point

    district = area_factory(name="Les Tilleuls")
    placed = idea_factory(page=ideas_page, area=district, theme="sport", location=Point(4.81, 45.71, srid=4326))
    idea_factory(page=ideas_page, theme="nature", status=IdeaStatus.FEASIBLE)
    url = reverse("api-budget-idea-list", args=[ideas_page.pk])

    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith(GEOJSON)
    data = body(response)
    assert data["type"] == "FeatureCollection" and data["numberMatched"] == 2
    feature = next(feature for feature in data["features"] if feature["id"] == placed.pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.81, 45.71]}
    assert feature["properties"]["area_name"] == "Les Tilleuls" and feature["properties"]["author"]
    assert "email" not in json.dumps(feature) and placed.author.email not in response.content.decode()

    assert [f["id"] for f in body(client.get(url, {"area": district.pk}))["features"]] == [placed.pk]
    assert [f["id"] for f in body(client.get(url, {"theme": "sport"}))["features"]] == [placed.pk]
    assert [f["properties"]["status"] for f in body(client.get(url, {"status": "feasible"}))["features"]] == [
        "feasible"
    ]
    assert body(client.get(url, {"page_size": 1, "page": 2}))["numberReturned"] == 1


def test_bad_filters_say_what_to_send(english_pages, ideas_page):
    url = reverse("api-budget-idea-list", args=[ideas_page.pk])
    response = english_pages.get(url, {"theme": "potholes"})
    assert response.status_code == 400
    assert "nature" in body(response)["theme"]
    assert english_pages.get(url, {"area": "north"}).status_code == 400
    response = english_pages.get(reverse("api-budget-project-list"), {"selected": "maybe"})
    assert body(response) == {"selected": "Use true or false."}


def test_ideas_awaiting_moderation_are_seen_only_by_their_author(client, ideas_page, idea_factory, resident):
    idea_factory(page=ideas_page)
    mine = idea_factory(page=ideas_page, author=resident, moderation_state=ModerationState.PENDING)
    hidden = idea_factory(page=ideas_page, moderation_state=ModerationState.HIDDEN)
    url = reverse("api-budget-idea-list", args=[ideas_page.pk])

    assert body(client.get(url))["numberMatched"] == 1
    assert client.get(reverse("api-budget-idea-detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("api-budget-idea-detail", args=[hidden.pk])).status_code == 404

    client.force_login(resident)
    ids = [feature["id"] for feature in body(client.get(url))["features"]]
    assert mine.pk in ids and hidden.pk not in ids and len(ids) == 2
    detail = body(client.get(reverse("api-budget-idea-detail", args=[mine.pk])))
    assert detail["properties"]["published"] is False


def test_idea_list_costs_the_same_queries_for_many_ideas(client, ideas_page, idea_factory, area_factory):
    url = reverse("api-budget-idea-list", args=[ideas_page.pk])
    idea_factory.create_batch(3, page=ideas_page, area=area_factory())
    with CaptureQueriesContext(connection) as few:
        assert body(client.get(url))["numberReturned"] == 3
    idea_factory.create_batch(27, page=ideas_page, area=area_factory())
    with CaptureQueriesContext(connection) as many:
        assert body(client.get(url))["numberReturned"] == 30
    assert len(many) == len(few)


def test_idea_detail_shows_the_decided_review_with_its_public_reason(client, idea_factory, agent):
    idea = idea_factory()
    url = reverse("api-budget-idea-detail", args=[idea.pk])
    assert body(client.get(url))["properties"]["review"] is None
    idea_review(idea=idea, agent=agent, verdict=Verdict.NOT_FEASIBLE, public_reason="Terrain du département.")

    review = body(client.get(url))["properties"]["review"]
    assert review["verdict"] == "not_feasible" and review["public_reason"] == "Terrain du département."
    assert "agent" not in review and agent.display_name not in json.dumps(review)


def test_resident_proposes_an_idea_placed_on_the_map(client, ideas_page, area_factory, resident):
    district = area_factory(name="Les Tilleuls")
    lon, lat = district.geometry.centroid.coords
    client.force_login(resident)
    response = client.post(
        reverse("api-budget-idea-list", args=[ideas_page.pk]),
        json.dumps(
            {
                "title": "Des bancs au parc",
                "description": "Des bancs à l'ombre pour les aînés du quartier.",
                "theme": "public_space",
                "location": {"type": "Point", "coordinates": [lon, lat]},
                "cost_guess": 8000,
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    feature = body(response)
    idea = Idea.objects.get()
    assert feature["id"] == idea.pk and feature["properties"]["area"] == district.pk
    assert response["Location"].endswith(idea.get_absolute_url())
    assert idea.author == resident and idea.cost_guess == 8000
    assert Follow.objects.filter(user=resident, object_pk=str(idea.pk)).exists()


def test_idea_with_a_photo_sent_as_multipart(client, ideas_page, resident):
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(picture, "JPEG")
    picture.seek(0)
    picture.name = "banc.jpg"
    client.force_login(resident)
    response = client.post(
        reverse("api-budget-idea-list", args=[ideas_page.pk]),
        {
            "title": "Un banc",
            "description": "Un banc devant la bibliothèque municipale.",
            "theme": "public_space",
            "photo": picture,
        },
    )
    assert response.status_code == 201, response.content
    assert IdeaPhoto.objects.filter(idea__title="Un banc").count() == 1
    assert body(response)["properties"]["photos"][0]["url"].startswith("http://testserver/")


def test_bad_idea_is_refused_field_by_field_with_the_form_messages(english_pages, ideas_page, area_factory, resident):
    area_factory()
    english_pages.force_login(resident)
    url = reverse("api-budget-idea-list", args=[ideas_page.pk])
    short = english_pages.post(
        url, {"title": "Bancs", "description": "Trop court", "theme": "nature"}, content_type="application/json"
    )
    assert short.status_code == 400
    assert body(short) == {"description": ["Describe your idea in a few sentences (at least 20 characters)."]}

    far = english_pages.post(
        url,
        {
            "title": "Loin",
            "description": "Une idée très loin d'ici, ailleurs.",
            "theme": "nature",
            "location": {"type": "Point", "coordinates": [-60.0, 10.0]},
        },
        content_type="application/json",
    )
    assert body(far) == {"location": ["This place is outside the territory: choose a place in the commune."]}

    line = english_pages.post(
        url,
        {
            "title": "Une ligne",
            "description": "Une piste cyclable le long du canal.",
            "theme": "mobility",
            "location": {"type": "LineString", "coordinates": [[4.8, 45.7], [4.81, 45.71]]},
            "cost_guess": -5,
        },
        content_type="application/json",
    )
    assert line.status_code == 400 and set(body(line)) == {"location", "cost_guess"}
    assert not Idea.objects.exists()


def test_ideas_are_proposed_only_when_logged_in_during_the_ideas_phase(
    english_pages, budget_page_factory, resident, user_block_factory, user_factory
):
    payload = {"title": "Arbres", "description": "Planter des arbres rue Victor Hugo.", "theme": "nature"}
    ideas_page = budget_page_factory(phase="ideas")
    url = reverse("api-budget-idea-list", args=[ideas_page.pk])
    assert english_pages.post(url, payload, content_type="application/json").status_code == 403

    english_pages.force_login(resident)
    late = budget_page_factory(phase="voting")
    response = english_pages.post(
        reverse("api-budget-idea-list", args=[late.pk]), payload, content_type="application/json"
    )
    assert response.status_code == 403
    assert body(response)["detail"] == "Ideas can only be proposed while the ideas phase is open."

    blocked = user_factory()
    user_block_factory(user=blocked)
    english_pages.force_login(blocked)
    response = english_pages.post(url, payload, content_type="application/json")
    assert response.status_code == 403 and "blocked" in body(response)["detail"]
    assert not Idea.objects.exists()


def test_idea_in_a_premoderated_campaign_waits_for_a_moderator(client, budget_page_factory, resident):
    page = budget_page_factory(phase="ideas", premoderation=True)
    client.force_login(resident)
    url = reverse("api-budget-idea-list", args=[page.pk])
    payload = {"title": "Arbres", "description": "Planter des arbres rue Victor Hugo.", "theme": "nature"}
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201 and body(response)["properties"]["published"] is False
    client.logout()
    assert body(client.get(url))["numberMatched"] == 0


def test_campaign_list_costs_the_same_queries_for_many_budgets(client, make_budget, budget_factory):
    budget, _projects = make_budget()
    url = reverse("api-budget-campaign-list")
    client.get(url)  # Wagtail caches the site's root paths on the first request
    with CaptureQueriesContext(connection) as few:
        assert len(body(client.get(url))["results"][0]["budgets"]) == 1
    budget_factory.create_batch(5, page=budget.page)
    make_budget()
    with CaptureQueriesContext(connection) as many:
        assert sum(len(campaign["budgets"]) for campaign in body(client.get(url))["results"]) == 7
    assert len(many) == len(few)


# --- Projects ------------------------------------------------------------------------------------


def test_projects_filtered_by_budget_ballot_and_implementation(client, make_budget, project_factory):
    budget, (first, *_rest) = make_budget(costs=(20_000, 30_000))
    other, _projects = make_budget(costs=(10_000,))
    draft = project_factory(budget=budget, on_ballot=False, implementation_status="studies")
    url = reverse("api-budget-project-list")

    response = client.get(url, {"budget": budget.pk})
    assert response.status_code == 200 and response["Content-Type"].startswith(GEOJSON)
    assert body(response)["numberMatched"] == 3
    feature = next(f for f in body(response)["features"] if f["id"] == first.pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [4.82, 45.72]}
    assert feature["properties"]["budget_name"] == budget.name and feature["properties"]["cost"] == 20_000
    assert draft.pk not in [
        f["id"] for f in body(client.get(url, {"budget": budget.pk, "on_ballot": "true"}))["features"]
    ]
    assert [f["id"] for f in body(client.get(url, {"implementation_status": "studies"}))["features"]] == [draft.pk]
    assert body(client.get(url, {"campaign": other.page_id}))["numberMatched"] == 1


def test_selected_means_nothing_before_the_results_are_published(client, make_budget, administrator, voter):
    budget, (a, b, c, d) = make_budget(costs=(20_000, 30_000, 50_000, 70_000))
    # An imported Pabulib file may already flag projects selected: not public before publication.
    d.selected = True
    d.save()
    ballot_submit(budget=budget, voter=voter, selections=approve(a, b))
    url = reverse("api-budget-project-list")
    assert body(client.get(url, {"selected": "true"}))["numberMatched"] == 0
    assert body(client.get(reverse("api-budget-project-detail", args=[d.pk])))["properties"]["selected"] is False

    budget.page.voting_closes = timezone.now() - timezone.timedelta(minutes=1)
    budget.page.follow_up_from = None
    budget.page.save()
    results_publish(budget=budget, rule="greedy", user=administrator)
    selected = [f["id"] for f in body(client.get(url, {"selected": "true"}))["features"]]
    assert a.pk in selected and b.pk in selected and d.pk not in selected
    assert d.pk in [f["id"] for f in body(client.get(url, {"selected": "false"}))["features"]]


def test_project_list_costs_the_same_queries_for_many_projects(client, make_budget, project_factory):
    budget, _projects = make_budget(costs=(1, 2, 3))
    url = reverse("api-budget-project-list")
    with CaptureQueriesContext(connection) as few:
        assert body(client.get(url))["numberReturned"] == 3
    project_factory.create_batch(27, budget=make_budget(costs=())[0])
    with CaptureQueriesContext(connection) as many:
        assert body(client.get(url))["numberReturned"] == 30
    assert len(many) == len(few)


def test_project_detail_credits_published_ideas_and_lists_milestones(client, make_budget, idea_factory):
    budget, (project, *_rest) = make_budget()
    credited = idea_factory(page=budget.page, project=project)
    idea_factory(page=budget.page, project=project, moderation_state=ModerationState.REJECTED)
    Milestone.objects.create(project=project, date=timezone.localdate(), title="Études lancées")

    data = body(client.get(reverse("api-budget-project-detail", args=[project.pk])))["properties"]
    assert [idea["id"] for idea in data["ideas"]] == [credited.pk]
    assert data["ideas"][0]["author"] == credited.author.display_name
    assert [milestone["title"] for milestone in data["milestones"]] == ["Études lancées"]


# --- Ballots -------------------------------------------------------------------------------------


@pytest.fixture
def knapsack(make_budget):
    return make_budget(
        ballot_type=BallotType.KNAPSACK, amount=100_000, costs=(60_000, 50_000, 30_000), max_choices=None
    )


def test_resident_votes_then_changes_and_reads_their_ballot(client, knapsack, voter):
    budget, (a, b, c) = knapsack
    client.force_login(voter)
    url = reverse("api-budget-ballot", args=[budget.pk])
    assert client.get(url).status_code == 404

    created = put_ballot(client, budget, choices(a, c))
    assert created.status_code == 201, created.content
    assert sorted(choice["project"] for choice in body(created)["choices"]) == sorted([a.pk, c.pk])

    replaced = put_ballot(client, budget, choices(b, c))
    assert replaced.status_code == 200
    assert Ballot.objects.count() == 1
    mine = body(client.get(url))
    assert sorted(choice["project"] for choice in mine["choices"]) == sorted([b.pk, c.pk])
    assert mine["channel"] == "online" and "voter" not in mine


def test_ballot_is_only_ever_ones_own(client, knapsack, voter, user_factory):
    budget, (a, _b, _c) = knapsack
    ballot_submit(budget=budget, voter=user_factory(), selections=approve(a))
    url = reverse("api-budget-ballot", args=[budget.pk])
    assert client.get(url).status_code == 403
    assert put_ballot(client, budget, choices(a)).status_code == 403
    client.force_login(voter)
    assert client.get(url).status_code == 404


def test_refused_ballot_has_the_web_forms_messages_under_choices(english_pages, knapsack, voter):
    budget, (a, b, _c) = knapsack
    english_pages.force_login(voter)
    response = put_ballot(english_pages, budget, choices(a, b))

    assert response.status_code == 400
    [message] = body(response)["choices"]
    assert "more than the budget" in message
    page = english_pages.post(reverse("budget-ballot", args=[budget.pk]), {"project": [a.pk, b.pk]})
    assert page.status_code == 400 and message in html.unescape(page.content.decode())

    unknown = put_ballot(
        english_pages, budget, {"choices": [{"project": 999_999}, {"project": a.pk}, {"project": a.pk}]}
    )
    assert body(unknown) == {"choices": ["Project 999999 is not on this ballot.", f"You chose “{a.title}” twice."]}
    assert not Ballot.objects.exists()


def test_malformed_ballot_is_refused_before_the_service(client, knapsack, voter):
    budget, _projects = knapsack
    client.force_login(voter)
    response = put_ballot(client, budget, {"choices": [{"project": "first"}]})
    assert response.status_code == 400 and list(body(response)["choices"]["0"]) == ["project"]
    assert put_ballot(client, budget, {"choices": "all"}).status_code == 400
    assert not Ballot.objects.exists()


def test_eligibility_refusals_name_the_field_to_fix(english_pages, make_budget, budget_page_factory, voter):
    budget, projects = make_budget(page=budget_page_factory(minimum_age=16, use_voting_codes=True))
    code = voting_codes_generate(page=budget.page, count=1)[0]
    english_pages.force_login(voter)
    this_year = timezone.localdate().year

    response = put_ballot(english_pages, budget, choices(projects[0]))
    assert body(response) == {"voting_code": ["Enter the voting code of your letter."]}
    response = put_ballot(english_pages, budget, {**choices(projects[0]), "voting_code": "AAAA-BBBB-CCCC"})
    assert list(body(response)) == ["voting_code"]
    response = put_ballot(english_pages, budget, {**choices(projects[0]), "voting_code": code})
    assert body(response) == {"birth_year": ["Give your year of birth: this vote has a minimum age."]}
    response = put_ballot(
        english_pages, budget, {**choices(projects[0]), "voting_code": code, "birth_year": this_year - 10}
    )
    assert response.status_code == 403 and body(response)["detail"] == "This vote is open from the age of 16."
    response = put_ballot(
        english_pages, budget, {**choices(projects[0]), "voting_code": code, "birth_year": this_year - 30}
    )
    assert response.status_code == 201
    assert body(response)["declared_birth_year"] == this_year - 30


def test_no_ballot_outside_the_vote_nor_from_a_blocked_account(
    english_pages, make_budget, voter, user_factory, user_block_factory
):
    closed, (project, *_rest) = make_budget(phase="results")
    english_pages.force_login(voter)
    response = put_ballot(english_pages, closed, choices(project))
    assert response.status_code == 403 and "ballots are no longer accepted" in body(response)["detail"]

    open_budget, (project, *_rest) = make_budget()
    english_pages.force_login(user_factory(verified=False))
    response = put_ballot(english_pages, open_budget, choices(project))
    assert response.status_code == 403 and body(response)["detail"] == "Confirm your email address before voting."

    blocked = user_factory()
    user_block_factory(user=blocked)
    english_pages.force_login(blocked)
    response = put_ballot(english_pages, open_budget, choices(project))
    assert response.status_code == 403 and "blocked" in body(response)["detail"]
    assert not Ballot.objects.exists()


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(knapsack, voter):
    budget, (a, _b, c) = knapsack
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(voter)
    assert put_ballot(browser, budget, choices(a)).status_code == 403
    assert not Ballot.objects.exists()

    browser.get(reverse("budget-ballot", args=[budget.pk]))  # the ballot page sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    assert put_ballot(browser, budget, choices(a), HTTP_X_CSRFTOKEN=token).status_code == 201

    app = Client(enforce_csrf_checks=True)
    key = Token.objects.create(user=voter).key
    response = put_ballot(app, budget, choices(c), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert list(Ballot.objects.get().choices.values_list("project_id", flat=True)) == [c.pk]


# --- Results -------------------------------------------------------------------------------------


def test_results_only_once_published_and_without_voters(client, make_budget, administrator, user_factory):
    budget, (a, b, c, d) = make_budget(costs=(20_000, 30_000, 50_000, 70_000))
    voters = user_factory.create_batch(3)
    for voter, picks in zip(voters, [(a, b), (a, c), (a,)], strict=True):
        ballot_submit(budget=budget, voter=voter, selections=approve(*picks))
    page = budget.page
    page.voting_closes = timezone.now() - timezone.timedelta(minutes=1)
    page.follow_up_from = None
    page.save()
    url = reverse("api-budget-results", args=[budget.pk])

    assert client.get(url).status_code == 404
    client.force_login(administrator)
    assert client.get(url).status_code == 404  # staff preview the results on the site, not here

    results_publish(budget=budget, rule="greedy", user=administrator)
    response = client.get(url)
    assert response.status_code == 200
    data = body(response)
    assert data["rule"] == "greedy" and data["ballot_count"] == 3 and data["score_label"] == "votes"
    assert [(p["id"], p["score"]) for p in data["projects"]][:3] == [(a.pk, 3), (b.pk, 1), (c.pk, 1)]
    assert {p["id"] for p in data["projects"] if p["selected"]} == {a.pk, b.pk, c.pk}
    assert data["selected_cost"] == 100_000 and data["selected_percent"] == 100.0
    text = response.content.decode()
    assert not any(voter.email in text or voter.display_name in text for voter in voters)
    assert "voter" not in text
    budget_data = body(client.get(reverse("api-budget-detail", args=[budget.pk])))
    assert budget_data["links"]["results"].endswith(url)


# --- OpenAPI -------------------------------------------------------------------------------------


def test_schema_describes_the_budget_api_without_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    ours = ("budget_participatif", "Budget", "Campaign", "Idea", "Project", "Ballot", "Results")
    problems = [
        msg for msg in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache] if any(n in msg for n in ours)
    ]
    assert problems == []
    assert "/api/v1/budget/campaigns/{page_id}/ideas/" in schema["paths"]
    assert "put" in schema["paths"]["/api/v1/budget/budgets/{id}/ballot/"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/budget/projects/"]["get"]["parameters"]}
    assert {"budget", "campaign", "on_ballot", "selected", "implementation_status", "page"} <= parameters
