"""Places in words: a report's page shows a small map with its pin and, in text, the address typed, the
nearest street (reverse geocoder, off by default) and the area; alerts name their area and street, not
raw coordinates. The address service is mocked: no network in tests."""

import html
import re
from unittest import mock

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Site

from signalements.models import Report, ReportAlert, ReportSettings
from signalements.services.alerts import alert_subscribe

from .conftest import INSIDE
from .test_web import form_data

pytestmark = pytest.mark.django_db

BAN_ANSWER = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [4.82, 45.72]},
            "properties": {
                "label": "12 Rue de la Gare 69003 Lyon",
                "name": "12 Rue de la Gare",
                "housenumber": "12",
                "street": "Rue de la Gare",
                "type": "housenumber",
            },
        }
    ],
}


def visible_text(response) -> str:
    """The page's text as a person reads it: no tags, scripts or repeated spaces."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", content))).strip()


@pytest.fixture
def commune_and_quartier(area_factory):
    commune = area_factory(name="Ville-sur-Loire", kind="commune")
    return area_factory(name="Les Tilleuls", parent=commune)


@pytest.fixture
def geocoder_on():
    site = Site.objects.get(is_default_site=True)
    settings = ReportSettings.for_site(site)
    settings.reverse_geocoding = True
    settings.reverse_geocoding_url = "https://adresse.example.org/reverse/"
    settings.save()
    return settings


def ban_response(payload=BAN_ANSWER, status=200):
    response = mock.Mock(status_code=status)
    response.json.return_value = payload
    response.raise_for_status.side_effect = None if status < 400 else requests.HTTPError(f"{status}")
    return response


def test_the_report_page_names_its_place_and_draws_its_pin(
    english_pages, client, report_factory, pothole, commune_and_quartier
):
    report = report_factory(category=pothole, address="In front of the bakery")

    response = client.get(report.get_absolute_url())

    text = visible_text(response)
    assert "Where Address given by the reporter In front of the bakery" in text
    assert "Area Les Tilleuls, Ville-sur-Loire" in text
    assert f"GPS position {report.latitude:.5f}, {report.longitude:.5f}" in text
    assert "Nearest address" not in text  # the geocoder is off: nothing invented
    content = response.content.decode()
    assert 'id="report-place-map"' in content and 'data-lat="45.720000"' in content and 'data-lon="4.820000"' in content
    assert 'id="map-config"' in content and "leaflet/leaflet.js" in content


def test_the_report_page_in_french_reads_as_a_place(client, report_factory, pothole, commune_and_quartier):
    report = report_factory(category=pothole, address="Devant la boulangerie", street="12 Rue de la Gare")

    text = visible_text(client.get(report.get_absolute_url()))

    assert "Adresse indiquée par la personne qui signale Devant la boulangerie" in text
    assert "Adresse la plus proche 12 Rue de la Gare" in text
    assert "Zone Les Tilleuls, Ville-sur-Loire" in text


def test_the_geocoder_is_off_by_default_and_never_called(client, pothole, territory, resident):
    client.force_login(resident)
    with mock.patch("signalements.services.geocoding.requests.get") as get:
        response = client.post(reverse("report-create"), form_data(pothole))

    assert response.status_code == 302
    get.assert_not_called()
    assert Report.objects.get().street == ""
    assert ReportSettings.for_site(Site.objects.get(is_default_site=True)).reverse_geocoding is False


def test_when_switched_on_the_geocoder_fills_the_street_shown_on_the_page(
    english_pages, client, pothole, territory, resident, geocoder_on, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    with (
        mock.patch("signalements.services.geocoding.requests.get", return_value=ban_response()) as get,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("report-create"), form_data(pothole))

    report = Report.objects.get()
    assert report.street == "12 Rue de la Gare"
    (url,), options = get.call_args
    assert url == "https://adresse.example.org/reverse/"
    assert options["params"]["lon"] == f"{INSIDE[0]:.6f}" and options["params"]["lat"] == f"{INSIDE[1]:.6f}"
    assert options["timeout"] and max(options["timeout"]) <= 5
    assert "Nearest address 12 Rue de la Gare" in visible_text(client.get(response.url))


@pytest.mark.parametrize(
    "failure",
    [
        requests.Timeout("too slow"),
        requests.ConnectionError("no network"),
        ban_response(status=503),
        ban_response(payload={"features": []}),
        ban_response(payload=["not", "geojson"]),
    ],
    ids=["timeout", "no-network", "server-error", "nothing-found", "bad-answer"],
)
def test_a_failing_geocoder_never_stops_the_report(
    client, pothole, territory, resident, geocoder_on, django_capture_on_commit_callbacks, failure
):
    client.force_login(resident)
    patch = {"side_effect": failure} if isinstance(failure, Exception) else {"return_value": failure}
    with (
        mock.patch("signalements.services.geocoding.requests.get", **patch),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("report-create"), form_data(pothole))

    assert response.status_code == 302
    assert Report.objects.get().street == ""


def test_alerts_are_listed_by_area_and_street_not_coordinates(
    english_pages, client, resident, commune_and_quartier, geocoder_on, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    with (
        mock.patch("signalements.services.geocoding.requests.get", return_value=ban_response()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        alert_subscribe(user=resident, longitude=INSIDE[0], latitude=INSIDE[1], radius=500)
    with (
        mock.patch("signalements.services.geocoding.requests.get", side_effect=requests.Timeout("slow")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        alert_subscribe(user=resident, longitude=4.83, latitude=45.73, radius=300)
    alert_subscribe(user=resident, area=commune_and_quartier.parent)

    text = visible_text(client.get(reverse("report-alert-list")))

    assert "within 500 m of 12 Rue de la Gare (Les Tilleuls)" in text
    assert "within 300 m of a point in Les Tilleuls" in text
    assert "in Ville-sur-Loire" in text
    assert "45.72000" not in text and "4.82000" not in text


def test_alerts_in_french_name_the_area(client, resident, commune_and_quartier):
    client.force_login(resident)
    alert_subscribe(user=resident, longitude=INSIDE[0], latitude=INSIDE[1], radius=500)

    text = visible_text(client.get(reverse("report-alert-list")))

    assert "dans un rayon de 500 m autour d’un point de la zone Les Tilleuls" in text
    assert ReportAlert.objects.get().centre_area == commune_and_quartier


def test_naming_the_places_costs_no_query_per_alert(client, resident, commune_and_quartier):
    client.force_login(resident)

    def queries_of_the_list() -> int:
        for _warm in range(2):  # the site's and its settings' caches fill over the first two pages
            client.get(reverse("report-alert-list"))
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse("report-alert-list"))
        assert response.status_code == 200
        return len(context)

    alert_subscribe(user=resident, longitude=INSIDE[0], latitude=INSIDE[1], radius=100)
    one = queries_of_the_list()
    for radius in range(200, 1100, 100):
        alert_subscribe(user=resident, longitude=INSIDE[0], latitude=INSIDE[1], radius=radius)

    assert queries_of_the_list() == one
    text = visible_text(client.get(reverse("report-alert-list")))
    assert text.count("autour d’un point de la zone Les Tilleuls") >= 10


def test_staff_switch_the_geocoder_on_and_set_its_url_in_the_admin(client, administrator):
    client.force_login(administrator)
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["signalements", "reportsettings", site.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert 'name="reverse_geocoding"' in page.content.decode()
    assert "https://api-adresse.data.gouv.fr/reverse/" in page.content.decode()

    response = client.post(
        url, {"reverse_geocoding": "on", "reverse_geocoding_url": "https://adresse.example.org/reverse/"}
    )

    assert response.status_code == 302
    settings = ReportSettings.for_site(site)
    assert settings.reverse_geocoding and settings.reverse_geocoding_url == "https://adresse.example.org/reverse/"
