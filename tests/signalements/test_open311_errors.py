"""Open311 answers every error in the format asked for, with the spec's error body, on every path; and an
idempotency key is kept whole (two keys sharing a long prefix are two requests)."""

import json
from xml.etree import ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from signalements.models import Open311Client, Report

pytestmark = pytest.mark.django_db

BASE = "/open311/v2/"


@pytest.fixture
def client_app(db):
    return Open311Client.objects.create(name="Dans ma rue mobile")


def json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert isinstance(body, list) and len(body) == 1
    assert set(body[0]) == {"code", "description"} and body[0]["code"] == status and body[0]["description"]
    return body[0]["description"]


def xml_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == "errors" and [child.tag for child in root] == ["error"]
    assert root.find("error/code").text == str(status) and root.find("error/description").text
    return root.find("error/description").text


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("requests/abc", 404, "No service request with the id abc"),
        ("requests/99999", 404, "No service request with the id 99999"),
        ("services/nothing", 404, "No service with the code nothing"),
        ("services/not.a.code", 404, "No service"),
        ("tokens/unknown-token", 404, "No service request with the token"),
        ("nowhere", 404, "Nothing at nowhere"),
        ("requests/12/comments", 404, "No service request"),
    ],
)
def test_unknown_things_are_a_404_in_the_format_asked_for(client, pothole, path, status, text):
    assert text in json_error(client.get(f"{BASE}{path}.json"), status)
    assert text in xml_error(client.get(f"{BASE}{path}.xml"), status)


@pytest.mark.parametrize("path", ["requests.csv", "services.html", "requests/12.txt", "discovery.yaml"])
def test_an_unknown_format_is_a_400_in_json(client, path):
    assert "end the path with .json or .xml" in json_error(client.get(BASE + path), 400)


@pytest.mark.parametrize("path", ["", "requests", "services/pothole"])
def test_a_path_without_a_format_is_a_404_in_json(client, path):
    assert ".json or .xml" in json_error(client.get(BASE + path), 404)


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "services"), ("delete", "requests"), ("put", "requests/1"), ("post", "discovery"), ("post", "tokens/x")],
)
def test_a_method_not_allowed_is_a_405_in_the_format_asked_for(method, path, pothole):
    client = Client(enforce_csrf_checks=True)  # as an application calls it: no CSRF token

    assert "is not allowed here" in json_error(getattr(client, method)(f"{BASE}{path}.json"), 405)
    response = getattr(client, method)(f"{BASE}{path}.xml")
    assert "is not allowed here" in xml_error(response, 405)
    assert response["Allow"].startswith("GET")


def test_validation_errors_are_in_the_format_asked_for(client, client_app, pothole, territory):
    response = client.post(
        reverse("open311-requests", kwargs={"fmt": "xml"}),
        {"api_key": client_app.api_key, "service_code": "pothole", "lat": "95", "long": "4.82"},
    )

    assert "latitude" in xml_error(response, 400)
    assert not Report.objects.exists()


def test_a_server_error_is_a_500_in_the_format_asked_for(client, pothole, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("signalements.open311.views._service", broken)

    assert "try again later" in json_error(client.get(f"{BASE}services.json"), 500)
    assert "try again later" in xml_error(client.get(f"{BASE}services.xml"), 500)


def post_data(client_app, **changes):
    data = {
        "api_key": client_app.api_key,
        "service_code": "pothole",
        "lat": "45.72",
        "long": "4.82",
        "email": "resident@example.org",
        "first_name": "Lou",
        "description": "Big hole",
        "attribute[size]": "small",
    }
    return {**data, **changes}


def test_two_keys_sharing_a_long_prefix_are_two_requests(client, client_app, pothole, territory):
    prefix = "k" * 64
    url = reverse("open311-requests", kwargs={"fmt": "json"})

    first = client.post(url, post_data(client_app, description="First hole"), HTTP_IDEMPOTENCY_KEY=prefix + "-one")
    second = client.post(url, post_data(client_app, description="Second hole"), HTTP_IDEMPOTENCY_KEY=prefix + "-two")
    again = client.post(url, post_data(client_app, description="First hole"), HTTP_IDEMPOTENCY_KEY=prefix + "-one")

    assert first.status_code == second.status_code == 201
    assert first.json()[0]["token"] != second.json()[0]["token"]
    assert again.json()[0]["token"] == first.json()[0]["token"]
    assert sorted(Report.objects.values_list("description", flat=True)) == ["First hole", "Second hole"]
    for response in (first, second):
        token = response.json()[0]["token"]
        assert client.get(reverse("open311-token", kwargs={"fmt": "json", "token": token})).status_code == 200


def test_the_same_key_from_two_applications_is_two_requests(client, client_app, pothole, territory):
    other_app = Open311Client.objects.create(name="Another app")
    url = reverse("open311-requests", kwargs={"fmt": "json"})

    client.post(url, post_data(client_app), HTTP_IDEMPOTENCY_KEY="same")
    client.post(url, post_data(other_app), HTTP_IDEMPOTENCY_KEY="same")

    assert Report.objects.count() == 2
