"""Every coordinate that enters the platform is checked before GEOS sees it (civic.core.coordinates).

A position such as [1e308, 1] makes GEOS 3.11's WKT writer overflow its stack and kill the process,
so these tests never let such a geometry be built: ``geos_guard`` fails the test the moment a
point out of range reaches GEOS, and each entry point must refuse before that with a clear message.
"""

import json
import math
import re

import pytest
from django.contrib.gis import geos
from django.core.exceptions import ValidationError
from django.urls import reverse

from budget_participatif.models import Idea
from civic.core.coordinates import bbox_clean, coordinates_clean, geojson_geometry_clean, territory_bounds
from signalements.models import Open311Client, Report, ReportAlert

pytestmark = pytest.mark.django_db

HUGE = "1e308"
_HUGE_TEXT = re.compile(r"\d[eE]\+?\d{3}|Infinity|NaN|\binf\b|\bnan\b", re.IGNORECASE)


def _out_of_range(value) -> bool:
    return isinstance(value, (int, float)) and not (math.isfinite(value) and abs(value) <= 180)


@pytest.fixture
def geos_guard(monkeypatch):
    """Fail the test (instead of crashing the process) if an out-of-range position reaches GEOS."""
    real_point_init = geos.Point.__init__
    real_geometry_init = geos.GEOSGeometry.__init__

    def point_init(self, x=None, y=None, z=None, srid=None):
        values = list(x) if isinstance(x, (list, tuple)) else [x, y]
        if any(_out_of_range(value) for value in values):
            pytest.fail(f"GEOS was given the point {values}: the coordinate validator let it through")
        real_point_init(self, x, y, z, srid)

    def geometry_init(self, geo_input, srid=None):
        if isinstance(geo_input, str) and _HUGE_TEXT.search(geo_input):
            pytest.fail(f"GEOS was given {geo_input!r}: the coordinate validator let it through")
        real_geometry_init(self, geo_input, srid)

    monkeypatch.setattr(geos.Point, "__init__", point_init)
    monkeypatch.setattr(geos.GEOSGeometry, "__init__", geometry_init)


@pytest.fixture
def territory(area_factory):
    return area_factory(name="Les Tilleuls")  # lon 4.80-4.85, lat 45.70-45.75


# --- The validator ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("longitude", "latitude"),
    [(HUGE, "1"), ("1", HUGE), ("inf", "45"), ("nan", "45"), ("-inf", "45"), (1e308, 1), ("1" + "0" * 400, "45")],
)
def test_refuses_what_is_not_a_finite_position_in_range(longitude, latitude):
    with pytest.raises(ValidationError) as refusal:
        coordinates_clean(longitude, latitude)
    assert refusal.value.message_dict == {
        "location": ["The position is not valid: the latitude must be within ±90 and the longitude within ±180."]
    }


def test_refuses_a_place_outside_the_territory_with_the_field_named(territory):
    assert coordinates_clean("4.82", "45.72") == (4.82, 45.72)
    with pytest.raises(ValidationError) as refusal:
        coordinates_clean(-60, 10, field="position")
    assert refusal.value.message_dict == {
        "position": ["This place is outside the territory: choose a place in the commune."]
    }
    assert coordinates_clean(-60, 10, territory=False) == (-60.0, 10.0)


def test_the_territory_is_the_site_map_bounds_when_set(territory):
    from wagtail.models import Site

    from civic.cms.models import SiteIdentity

    assert territory_bounds() == pytest.approx((4.80, 45.70, 4.85, 45.75))
    identity = SiteIdentity.for_site(Site.objects.get(is_default_site=True))
    identity.map_bounds = "4.0,45.0,5.0,46.0"
    identity.save()
    assert territory_bounds() == (4.0, 45.0, 5.0, 46.0)
    assert coordinates_clean(4.1, 45.1) == (4.1, 45.1)


def test_without_any_area_every_position_on_earth_is_accepted():
    assert coordinates_clean(-179.5, -89.5) == (-179.5, -89.5)


def test_bbox_and_geojson_are_checked_position_by_position():
    assert bbox_clean("4.8,45.7,4.9,45.8") == (4.8, 45.7, 4.9, 45.8)
    for bad in ("1e308,1,2,3", "nan,1,2,3", "1,2,3", "5,1,4,2", "a,b,c,d"):
        with pytest.raises(ValidationError) as refusal:
            bbox_clean(bad)
        assert list(refusal.value.message_dict) == ["bbox"]
    for bad in (
        {"type": "Point", "coordinates": [1e308, 1]},
        {"type": "Point", "coordinates": [float("nan"), 1]},
        {"type": "Point", "coordinates": []},
        {"type": "Point", "coordinates": ["4.8", "45.7"]},
        {"type": "Polygon", "coordinates": [[[1e308, 1], [2, 2], [3, 1], [1e308, 1]]]},
        {"type": "GeometryCollection", "geometries": []},
        [4.8, 45.7],
        None,
    ):
        with pytest.raises(ValidationError):
            geojson_geometry_clean(bad, territory=False)
    point = {"type": "Point", "coordinates": [4.8, 45.7]}
    assert geojson_geometry_clean(point) is point


# --- Each entry point refuses before GEOS ---------------------------------------------------------


def test_idea_api_refuses_a_huge_coordinate(client, budget_page_factory, resident, territory, geos_guard):
    page = budget_page_factory(phase="ideas")
    client.force_login(resident)
    response = client.post(
        reverse("api-budget-idea-list", args=[page.pk]),
        json.dumps(
            {
                "title": "Des bancs",
                "description": "Des bancs à l'ombre pour les aînés du quartier.",
                "theme": "public_space",
                "location": {"type": "Point", "coordinates": [1e308, 1]},
            }
        ),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["location"]
    assert not Idea.objects.exists()


def test_idea_api_refuses_invalid_geojson_with_a_message(client, budget_page_factory, resident, territory):
    page = budget_page_factory(phase="ideas")
    client.force_login(resident)
    for location in ("not json", {"type": "Polygon", "coordinates": [[[4.81, 45.71], [4.82, 45.72]]]}, 12):
        response = client.post(
            reverse("api-budget-idea-list", args=[page.pk]),
            json.dumps(
                {
                    "title": "Des bancs",
                    "description": "Des bancs à l'ombre pour les aînés du quartier.",
                    "theme": "public_space",
                    "location": location,
                }
            ),
            content_type="application/json",
        )
        assert response.status_code == 400, location
        assert list(response.json()) == ["location"]


def test_idea_form_refuses_a_huge_coordinate(english_pages, budget_page_factory, resident, territory, geos_guard):
    page = budget_page_factory(phase="ideas")
    english_pages.force_login(resident)
    response = english_pages.post(
        reverse("idea-create", args=[page.pk]),
        {
            "title": "Un jardin partagé",
            "description": "Un jardin partagé derrière l'école des Tilleuls.",
            "theme": "nature",
            "latitude": "1",
            "longitude": HUGE,
        },
    )
    assert response.status_code == 400
    assert "The position is not valid" in response.content.decode()
    assert 'value="Un jardin partagé"' in response.content.decode()
    assert not Idea.objects.exists()


def test_report_form_refuses_a_huge_coordinate(english_pages, pothole_category, territory, geos_guard):
    response = english_pages.post(
        reverse("report-create"),
        {
            "category": pothole_category.code,
            "latitude": "1",
            "longitude": HUGE,
            "description": "Deep pothole near the school gate",
            "reporter_name": "Alex Martin",
            "reporter_email": "alex@example.org",
            "idempotency_key": "key-1",
        },
    )
    assert response.status_code == 400
    assert "The position is not valid" in response.content.decode()
    assert not Report.objects.exists()


def test_open311_refuses_a_huge_coordinate(client, pothole_category, territory, geos_guard):
    app = Open311Client.objects.create(name="App")
    response = client.post(
        reverse("open311-requests", kwargs={"fmt": "json"}),
        {
            "api_key": app.api_key,
            "service_code": pothole_category.code,
            "lat": "1",
            "long": HUGE,
            "email": "resident@example.org",
            "description": "Big hole",
        },
    )
    assert response.status_code == 400
    assert "location" in response.json()[0]["description"]
    assert not Report.objects.exists()


def test_alert_form_refuses_a_huge_coordinate(english_pages, territory, geos_guard):
    response = english_pages.post(
        reverse("report-alert-create"),
        {"email": "riverain@example.org", "where": "point", "latitude": "1", "longitude": HUGE, "radius": "500"},
    )
    assert response.status_code == 400
    assert not ReportAlert.objects.exists()


@pytest.mark.parametrize("query", [f"lon={HUGE}&lat=1", "lon=4.82&lat=45.72&radius=nan", "lon=nan&lat=45"])
def test_feed_refuses_a_bad_position_or_radius(client, territory, geos_guard, query):
    assert client.get(reverse("report-feed-rss") + "?" + query).status_code == 404


@pytest.mark.parametrize("bbox", [f"{HUGE},1,2,3", "nan,45,4.9,45.8", "-inf,45,4.9,45.8", "4,5,6"])
def test_map_api_refuses_a_bad_bbox(client, territory, geos_guard, bbox):
    response = client.get(reverse("api-report-list"), {"bbox": bbox, "zoom": "18"})
    assert response.status_code == 400
    assert list(response.json()) == ["bbox"]


def test_nearby_api_and_area_lookup_refuse_a_huge_coordinate(client, pothole_category, territory, geos_guard):
    nearby = client.get(reverse("api-report-nearby"), {"category": pothole_category.code, "lon": HUGE, "lat": "1"})
    assert nearby.status_code == 400 and list(nearby.json()) == ["location"]
    areas = client.get(reverse("api-area-list"), {"contains": f"{HUGE},1"})
    assert areas.status_code == 400 and list(areas.json()) == ["contains"]


@pytest.fixture
def pothole_category(category_factory, service_factory):
    return category_factory(name="Nid-de-poule", code="pothole", service=service_factory(code="voirie"))
