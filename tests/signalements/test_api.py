"""The map API (GeoJSON, clusters at low zoom), open data exports without personal data, feeds."""

import json

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from signalements.models import Report, ReportState, ReportUpdate

pytestmark = pytest.mark.django_db


def grid(report_factory, category, count):
    for index in range(count):
        report_factory(
            category=category, location=Point(4.801 + (index % 10) * 0.004, 45.701 + (index // 10) * 0.0004, srid=4326)
        )


def test_points_at_high_zoom_as_geojson(client, report_factory, pothole):
    report = report_factory(category=pothole)
    report_factory(category=pothole, state=ReportState.UNCONFIRMED)

    response = client.get(reverse("api-report-list"), {"bbox": "4.8,45.7,4.85,45.75", "zoom": 18})

    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection" and not data["clustered"]
    assert [feature["id"] for feature in data["features"]] == [report.pk]
    assert data["features"][0]["geometry"] == {"type": "Point", "coordinates": [4.82, 45.72]}


def test_a_view_with_more_points_than_the_map_shows_gives_the_newest_and_says_so(
    client, report_factory, pothole, monkeypatch
):
    monkeypatch.setattr("signalements.api.views.MAX_POINTS", 3)
    grid(report_factory, pothole, 5)
    params = {"bbox": "4.8,45.7,4.85,45.75", "zoom": 18}

    data = client.get(reverse("api-report-list"), params).json()

    assert data["truncated"] is True and len(data["features"]) == 3
    oldest_shown = min(feature["properties"]["created_at"] for feature in data["features"])
    hidden = Report.objects.exclude(pk__in=[feature["id"] for feature in data["features"]])
    assert hidden.count() == 2
    assert all(report.created_at.isoformat() <= oldest_shown for report in hidden)
    monkeypatch.setattr("signalements.api.views.MAX_POINTS", 5)
    assert client.get(reverse("api-report-list"), params).json()["truncated"] is False


def test_clusters_at_low_zoom_count_every_report(client, report_factory, pothole):
    grid(report_factory, pothole, 30)

    data = client.get(reverse("api-report-list"), {"bbox": "4.7,45.6,4.9,45.8", "zoom": 10}).json()

    assert data["clustered"]
    assert sum(feature["properties"]["count"] for feature in data["features"]) == 30
    assert len(data["features"]) < 30


def test_filters_and_bbox(client, report_factory, pothole, category_factory):
    report_factory(category=pothole, state=ReportState.FIXED)
    report_factory(category=category_factory())
    report_factory(category=pothole, location=Point(4.849, 45.749, srid=4326))

    data = client.get(
        reverse("api-report-list"),
        {"bbox": "4.81,45.71,4.83,45.73", "zoom": 18, "category": "pothole", "state": "open"},
    ).json()

    assert data["features"] == []
    bad = client.get(reverse("api-report-list"), {"bbox": "4.9,45.7,4.8,45.75"})
    assert bad.status_code == 400


@pytest.mark.parametrize("zoom", [18, 10])
def test_query_count_does_not_grow_with_the_reports(client, report_factory, pothole, zoom):
    grid(report_factory, pothole, 10)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("api-report-list"), {"bbox": "4.7,45.6,4.9,45.8", "zoom": zoom})
    grid(report_factory, pothole, 90)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("api-report-list"), {"bbox": "4.7,45.6,4.9,45.8", "zoom": zoom})

    assert sum(f["properties"].get("count", 1) for f in response.json()["features"]) == 100
    assert len(large) == len(small)


def test_open_data_exports_have_no_personal_data(client, report_factory, pothole, user_factory):
    reporter = user_factory(email="secret.person@example.org", display_name="Secret Person")
    report = report_factory(category=pothole, reporter=reporter, reporter_phone="0612345678", description="Broken kerb")
    ReportUpdate.objects.create(report=report, text="Internal: call the contractor", internal=True)

    csv_text = b"".join(client.get(reverse("report-export-csv")).streaming_content).decode()
    geojson_response = client.get(reverse("report-export-geojson"))
    geojson = json.loads(b"".join(geojson_response.streaming_content))

    assert "Broken kerb" in csv_text
    assert geojson_response["Content-Type"] == "application/geo+json"
    assert geojson["features"][0]["properties"]["category"] == "pothole"
    for text in (csv_text, json.dumps(geojson)):
        for secret in ("secret.person", "Secret Person", "0612345678", "contractor"):
            assert secret not in text


def test_feeds_of_new_reports_and_of_updates(client, report_factory, pothole, territory, agent_voirie):
    near = report_factory(category=pothole, area=territory, description="Near the point")
    report_factory(category=pothole, location=Point(4.849, 45.749, srid=4326), description="Far from it")
    ReportUpdate.objects.create(report=near, text="Work planned next week", by_staff=True)
    ReportUpdate.objects.create(report=near, text="Secret note", internal=True)

    area_feed = client.get(reverse("report-feed-rss"), {"area": territory.pk}).content.decode()
    radius_feed = client.get(
        reverse("report-feed-atom"), {"lon": "4.82", "lat": "45.72", "radius": "200"}
    ).content.decode()
    updates = client.get(reverse("report-feed", args=[near.pk])).content.decode()

    assert "Near the point" in area_feed and "Far from it" not in area_feed
    assert "Near the point" in radius_feed and "Far from it" not in radius_feed and "<feed" in radius_feed
    assert "Work planned next week" in updates and "Secret note" not in updates
