"""Open311 GeoReport v2: responses validate against the published JSON schemas; errors in the spec's format."""

import json
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse

from signalements.models import Open311Client, Report, ReportState, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def validate(shared_data):
    jsonschema = pytest.importorskip("jsonschema")
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    folder = shared_data / "open311-schemas"
    if not folder.is_dir():
        pytest.skip("the Open311 schemas are not available")
    schemas = {path.name: json.loads(path.read_text()) for path in folder.glob("*.json") if path.name != "swagger.json"}
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT7)) for name, schema in schemas.items()
    )

    def check(name, data):
        jsonschema.Draft7Validator(
            schemas[name], registry=registry, format_checker=jsonschema.FormatChecker()
        ).validate(data)

    return check


@pytest.fixture
def client_app(db):
    return Open311Client.objects.create(name="Dans ma rue mobile")


def url(name, fmt="json", **kwargs):
    return reverse(name, kwargs={"fmt": fmt, **kwargs})


def test_services_and_definition(client, pothole, validate):
    services = client.get(url("open311-services")).json()
    validate("services.json", services)
    assert services[0]["service_code"] == "pothole" and services[0]["metadata"] is True

    definition = client.get(url("open311-service", code="pothole")).json()
    validate("service-definition.json", definition)
    assert definition["attributes"][0]["values"] == [
        {"key": "small", "name": "Smaller than a plate"},
        {"key": "large", "name": "Larger than a plate"},
    ]
    missing = client.get(url("open311-service", code="nothing"))
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_get_requests_with_filters(client, report_factory, pothole, validate):
    open_report = report_factory(category=pothole)
    closed = report_factory(category=pothole, state=ReportState.FIXED)
    report_factory(category=pothole, state=ReportState.UNCONFIRMED)

    everything = client.get(url("open311-requests")).json()
    validate("requests.json", everything)
    assert {item["service_request_id"] for item in everything} == {str(open_report.pk), str(closed.pk)}
    only_closed = client.get(url("open311-requests"), {"status": "closed"}).json()
    assert [item["service_request_id"] for item in only_closed] == [str(closed.pk)]
    by_id = client.get(url("open311-requests"), {"service_request_id": str(open_report.pk)}).json()
    assert by_id[0]["status"] == "open"
    old = client.get(url("open311-requests"), {"end_date": "2000-01-31T00:00:00Z"}).json()
    assert old == []
    one = client.get(url("open311-request", pk=open_report.pk)).json()
    validate("requests.json", one)
    assert client.get(url("open311-request", pk=99999)).status_code == 404


def test_xml_format(client, report_factory, pothole):
    report_factory(category=pothole)

    response = client.get(url("open311-requests", fmt="xml"))

    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == "service_requests" and root.find("request/service_code").text == "pothole"
    error = ET.fromstring(client.get(url("open311-service", fmt="xml", code="nothing")).content)  # noqa: S314
    assert error.tag == "errors" and error.find("error/code").text == "404"


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
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_post_creates_an_unconfirmed_report_with_a_token(client, client_app, pothole, territory, mailoutbox):
    response = client.post(url("open311-requests"), post_data(client_app), HTTP_IDEMPOTENCY_KEY="abc")
    again = client.post(url("open311-requests"), post_data(client_app), HTTP_IDEMPOTENCY_KEY="abc")

    assert response.status_code == 201
    [created] = response.json()
    report = Report.objects.get()
    assert again.json()[0]["token"] == created["token"]
    assert report.source == Source.OPEN311 and report.state == ReportState.UNCONFIRMED
    assert report.extra_answers == {"size": "small"}
    token = client.get(url("open311-token", token=created["token"])).json()
    assert token == [{"service_request_id": None, "token": created["token"]}]
    report.state = ReportState.NEW
    report.save()
    assert client.get(url("open311-token", token=created["token"])).json()[0]["service_request_id"] == str(report.pk)


@pytest.mark.parametrize(
    ("changes", "status", "text"),
    [
        ({"api_key": "wrong"}, 403, "api_key"),
        ({"service_code": "nothing"}, 404, "No service"),
        ({"lat": "95"}, 400, "within ±90"),
        ({"lat": "47.32", "long": "1.45"}, 400, "outside our territory"),
        ({"attribute[size]": None}, 400, "Size of the pothole"),
        ({"lat": None}, 400, "lat and long are required"),
    ],
)
def test_post_errors(english_pages, client, client_app, pothole, territory, changes, status, text):
    response = client.post(url("open311-requests"), post_data(client_app, **changes))

    assert response.status_code == status
    [error] = response.json()
    assert error["code"] == status and text in error["description"]
    assert not Report.objects.exists()
