"""The areas API (GeoJSON, RFC 7946), the OpenAPI schema and docs, and token authentication."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from civic.territory.models import AreaKind
from tests.factories import square

pytestmark = pytest.mark.django_db

GEOJSON = "application/geo+json"


@pytest.fixture
def lyon(area_factory):
    """A commune with two neighbourhoods; the first neighbourhood covers the point (4.835, 45.764)."""
    commune = area_factory(name="Lyon", kind=AreaKind.COMMUNE, code="69123", geometry=square(4.77, 45.70, 0.15))
    presquile = area_factory(name="Presqu'île", parent=commune, code="Q1", geometry=square(4.83, 45.76, 0.01))
    croix_rousse = area_factory(name="Croix-Rousse", parent=commune, code="Q2", geometry=square(4.82, 45.77, 0.01))
    return commune, presquile, croix_rousse


def test_list_is_a_geojson_feature_collection(client, lyon):
    commune, presquile, _croix_rousse = lyon

    response = client.get("/api/v1/areas/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(GEOJSON)
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection"
    assert body["numberMatched"] == 3
    assert body["numberReturned"] == 3
    assert [link["rel"] for link in body["links"]] == ["self"]
    # Communes first (depth 0), then neighbourhoods by name.
    assert [feature["properties"]["name"] for feature in body["features"]] == ["Lyon", "Croix-Rousse", "Presqu'île"]
    feature = next(item for item in body["features"] if item["id"] == presquile.pk)
    assert feature["type"] == "Feature"
    assert feature["properties"] == {"name": "Presqu'île", "kind": "quartier", "code": "Q1", "parent": commune.pk}
    assert feature["geometry"]["type"] == "MultiPolygon"


def test_coordinates_are_longitude_then_latitude(client, area_factory):
    area = area_factory(geometry=square(4.80, 45.70, 0.05))

    feature = client.get(f"/api/v1/areas/{area.pk}/").json()

    ring = feature["geometry"]["coordinates"][0][0]
    longitudes = {point[0] for point in ring}
    latitudes = {point[1] for point in ring}
    assert longitudes == {4.80, 4.85}
    assert latitudes == {45.70, 45.75}


def test_detail_is_a_single_feature(client, lyon):
    commune, _presquile, _croix_rousse = lyon

    response = client.get(f"/api/v1/areas/{commune.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(GEOJSON)
    body = json.loads(response.content)
    assert body["type"] == "Feature"
    assert body["id"] == commune.pk
    assert body["properties"] == {"name": "Lyon", "kind": "commune", "code": "69123", "parent": None}
    assert body["geometry"]["type"] == "MultiPolygon"


def test_detail_of_an_unknown_area_is_404(client):
    assert client.get("/api/v1/areas/999999/").status_code == 404


def test_pagination_with_page_size(client, area_factory):
    area_factory.create_batch(5)

    first = client.get("/api/v1/areas/", {"page_size": 2}).json()

    assert first["numberMatched"] == 5
    assert first["numberReturned"] == 2
    assert len(first["features"]) == 2
    links = {link["rel"]: link for link in first["links"]}
    assert set(links) == {"self", "next"}
    assert links["next"]["type"] == GEOJSON

    second = client.get(links["next"]["href"]).json()
    assert second["numberReturned"] == 2
    assert {link["rel"] for link in second["links"]} == {"self", "next", "prev"}

    last = client.get("/api/v1/areas/", {"page_size": 2, "page": 3}).json()
    assert last["numberReturned"] == 1
    seen = [feature["id"] for page in (first, second, last) for feature in page["features"]]
    assert len(set(seen)) == 5


def test_filter_by_kind(client, lyon):
    body = client.get("/api/v1/areas/", {"kind": "quartier"}).json()

    assert body["numberMatched"] == 2
    assert {feature["properties"]["kind"] for feature in body["features"]} == {"quartier"}


def test_filter_by_contains_lists_the_areas_around_a_point_smallest_first(client, lyon):
    body = client.get("/api/v1/areas/", {"contains": "4.835,45.764"}).json()

    assert [feature["properties"]["name"] for feature in body["features"]] == ["Presqu'île", "Lyon"]


def test_filter_by_contains_outside_every_area_is_empty(client, lyon):
    body = client.get("/api/v1/areas/", {"contains": "-20,45"}).json()

    assert body["numberMatched"] == 0
    assert body["features"] == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "longitude,latitude"),
        ("4.835", "longitude,latitude"),
        ("4.8,45.7,12", "longitude,latitude"),
        ("200,45", "±180"),
        ("4.8,95", "±90"),
    ],
)
def test_a_bad_contains_point_is_a_clear_400(client, lyon, value, message):
    response = client.get("/api/v1/areas/", {"contains": value})

    assert response.status_code == 400
    assert message in json.loads(response.content)["contains"]


def test_list_query_count_does_not_grow_with_the_number_of_areas(client, area_factory):
    parent = area_factory(kind=AreaKind.COMMUNE)

    area_factory.create_batch(3, parent=parent)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/areas/").json()["numberReturned"] == 4

    area_factory.create_batch(27, parent=parent)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/areas/").json()["numberReturned"] == 31

    assert len(many) == len(few)
    assert len(many) <= 3


# --- OpenAPI ----------------------------------------------------------------------------------


def test_openapi_schema_lists_the_areas_paths(client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/v1/areas/" in response.content
    assert b"openapi:" in response.content  # YAML by default


def test_openapi_schema_as_json(client):
    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "civic API"
    assert "/api/v1/areas/" in schema["paths"]
    assert "/api/v1/areas/{id}/" in schema["paths"]
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/areas/"]["get"]["parameters"]}
    assert {"kind", "contains", "page", "page_size"} <= parameters


def test_api_docs_use_only_local_static_files(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    referenced = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert referenced, "the docs page loads no script or style at all"
    for url in referenced:
        assert not urlsplit(url).netloc, f"{url} would be downloaded from another host"
    assert not re.search(r"https?://(?!testserver)", html.replace("http://www.w3.org/", "")), "absolute URL in docs"
    # Swagger UI's settings (the schema's URL) come as a script of their own: no inline script.
    assert "/api/schema/" in client.get("/api/docs/", {"script": ""}).content.decode()
    scripts = [url for url in referenced if url.endswith(".js")]
    assert scripts
    for url in scripts:
        asset = client.get(url)
        assert asset.status_code == 200, url


# --- Token authentication ---------------------------------------------------------------------


def test_token_authentication_gives_a_person_their_notifications(client, resident, user_factory, notification_factory):
    mine = notification_factory(recipient=resident, title="Votre signalement a été pris en charge")
    notification_factory(recipient=user_factory(), title="Someone else's")
    token = Token.objects.create(user=resident)

    response = client.get("/api/v1/notifications/", headers={"Authorization": f"Token {token.key}"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [(item["id"], item["title"], item["read"]) for item in results] == [(mine.pk, mine.title, False)]


def test_a_wrong_token_is_refused(client, resident):
    Token.objects.create(user=resident)

    response = client.get("/api/v1/notifications/", headers={"Authorization": "Token not-a-real-token"})

    assert response.status_code in (401, 403)


def test_notifications_api_refuses_anonymous_people(client):
    response = client.get("/api/v1/notifications/")

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_areas_api_is_read_only_for_anonymous_people(client, lyon):
    commune, _presquile, _croix_rousse = lyon

    assert client.post("/api/v1/areas/", {}, content_type="application/json").status_code in (401, 403, 405)
    assert client.delete(f"/api/v1/areas/{commune.pk}/").status_code in (401, 403, 405)
