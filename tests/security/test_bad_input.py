"""Bad input gets a 400 or a 404 with a message, never a server error (each case crashed before)."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from budget_participatif.models import Ballot
from tests.websockets import run, socket

pytestmark = pytest.mark.django_db

HUGE_ID = str(2**64)


@pytest.fixture
def report_ct(db):
    from signalements.models import Report

    return ContentType.objects.get_for_model(Report).pk


@pytest.fixture
def logged_in(client, resident):
    client.force_login(resident)
    return client


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/discussions/fil/{ct}/abc/commenter/", "post"),
        ("/discussions/fil/{ct}/" + HUGE_ID + "/commenter/", "post"),
        ("/discussions/fil/" + HUGE_ID + "/1/commenter/", "post"),
        ("/moderation/signaler/{ct}/abc/", "get"),
        ("/moderation/signaler/{ct}/" + HUGE_ID + "/", "get"),
        ("/api/v1/discussions/{ct}/abc/comments/", "get"),
        ("/api/v1/discussions/{ct}/" + HUGE_ID + "/comments/", "get"),
        ("/signalements/" + HUGE_ID + "/", "get"),
        ("/api/v1/areas/" + HUGE_ID + "/", "get"),
        ("/api/v1/comments/" + HUGE_ID + "/", "get"),
        ("/open311/v2/requests/" + HUGE_ID + ".json", "get"),
        ("/notifications/" + HUGE_ID + "/", "get"),
    ],
)
def test_ids_that_cannot_be_ids_are_not_found(logged_in, report_ct, path, method):
    response = getattr(logged_in, method)(path.format(ct=report_ct), {"body": "Bonjour"} if method == "post" else {})
    assert response.status_code == 404


def test_a_thread_socket_with_a_word_for_an_id_is_closed_as_not_found(report_ct, websocket_database):
    async def scenario():
        for path in (f"/ws/discussions/{report_ct}/abc/", f"/ws/discussions/{report_ct}/{HUGE_ID}/"):
            communicator = socket(path)
            await communicator.connect()
            assert (await communicator.receive_output(timeout=3))["code"] == 4404
            await communicator.disconnect()

    run(scenario)


def test_follow_with_an_id_past_64_bits_is_not_found(logged_in, report_ct):
    response = logged_in.post(
        reverse("follow-toggle"), {"content_type_id": report_ct, "object_pk": HUGE_ID, "action": "follow"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "start_date=2024-13-45T00:00:00Z",
        "end_date=2024-02-30T10:00:00Z",
        "service_request_id=" + HUGE_ID,
        "limit=" + HUGE_ID,
    ],
)
def test_open311_bad_filters_are_a_400_with_a_message(client, query):
    response = client.get(reverse("open311-requests", kwargs={"fmt": "json"}) + "?" + query)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()[0]["description"]


def test_feed_with_a_nan_radius_is_not_found(client, area_factory):
    area_factory()
    assert client.get(reverse("report-feed-rss"), {"lon": "4.82", "lat": "45.72", "radius": "nan"}).status_code == 404
    assert client.get(reverse("report-feed-rss"), {"area": HUGE_ID}).status_code == 404


@pytest.mark.parametrize("query", ['"', 'fontaine "', '" OR "', "*", "NEAR(", "a AND"])
def test_search_with_quotes_or_operators_answers(client, query):
    response = client.get("/recherche/", {"q": query})
    assert response.status_code == 200


@pytest.mark.parametrize("query", [{"area": HUGE_ID}, {"category": "x" * 300}, {"since": "2024-13-45"}])
def test_map_filters_out_of_range_are_a_400_or_nothing(client, query):
    response = client.get(reverse("api-report-list"), query)
    assert response.status_code in (200, 400)


def test_a_ballot_with_an_impossible_birth_year_is_refused(client, voter, make_budget):
    budget, projects = make_budget()
    client.force_login(voter)
    for year in (10**30, -5, 3000):
        response = client.put(
            reverse("api-budget-ballot", args=[budget.pk]),
            json.dumps({"choices": [{"project": projects[0].pk}], "birth_year": year}),
            content_type="application/json",
        )
        assert response.status_code == 400, (year, response.content)
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "next_url", ["http://[", "https://[::1", "http://evil.example/", "javascript:alert(1)", "//evil.example", "\x00x"]
)
def test_a_login_with_a_next_that_is_not_a_path(client, administrator, next_url):
    # Wagtail's admin login is the site's login (WAGTAILADMIN_LOGIN_URL): the same next reaches it.
    assert client.get("/admin/login/", {"next": next_url}).status_code == 200
    assert client.get("/compte/login/", {"next": next_url}).status_code == 200
    response = client.post(
        "/compte/login/", {"login": administrator.email, "password": "correct horse battery", "next": next_url}
    )
    assert response.status_code == 302 and response["Location"].startswith("/")
    assert not response["Location"].startswith("//")


@pytest.fixture
def voter(user_factory):
    return user_factory(roles=["resident"])


@pytest.fixture
def make_budget(budget_page_factory, budget_factory, project_factory):
    def make():
        page = budget_page_factory(phase="voting")
        budget = budget_factory(page=page)
        return budget, [project_factory(budget=budget, title="Projet", cost=20_000)]

    return make
