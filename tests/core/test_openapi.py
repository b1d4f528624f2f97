"""The OpenAPI schema describes GeoJSON answers as GeoJSON: every operation that answers
application/geo+json gives a FeatureCollection of Features or a Feature, each with its type,
geometry (coordinates) and properties (the fields a client reads)."""

import json

import pytest

pytestmark = pytest.mark.django_db

GEOJSON = "application/geo+json"
# The properties a client of each geo+json operation relies on.
EXPECTED = {
    ("get", "/api/v1/areas/"): ("FeatureCollection", {"name", "kind", "code", "parent"}, "MultiPolygon"),
    ("get", "/api/v1/areas/{id}/"): ("Feature", {"name", "kind", "code", "parent"}, "MultiPolygon"),
    ("get", "/api/v1/reports/"): ("FeatureCollection", {"cluster", "count", "category", "state", "url"}, "Point"),
    ("get", "/api/v1/budget/campaigns/{page_id}/ideas/"): ("FeatureCollection", {"title", "status", "theme"}, "Point"),
    ("post", "/api/v1/budget/campaigns/{page_id}/ideas/"): ("Feature", {"title", "status", "review"}, "Point"),
    ("get", "/api/v1/budget/ideas/{id}/"): ("Feature", {"title", "status", "review", "photos"}, "Point"),
    ("get", "/api/v1/budget/projects/"): ("FeatureCollection", {"title", "cost", "budget"}, "Point"),
    ("get", "/api/v1/budget/projects/{id}/"): ("Feature", {"title", "cost", "milestones"}, "Point"),
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def type_of(schema, node) -> list:
    return resolve(schema, resolve(schema, node)["properties"]["type"])["enum"]


def property_names(schema, properties) -> set[str]:
    properties = resolve(schema, properties)
    names = set(properties.get("properties", {}))
    for variant in properties.get("oneOf", []):  # the reports map: reports or clusters
        names |= set(resolve(schema, variant)["properties"])
    return names


def geometry_types(schema, geometry) -> set[str]:
    geometry = resolve(schema, geometry)
    variants = geometry.get("oneOf", [geometry])
    types = set()
    for variant in variants:
        variant = resolve(schema, variant)
        assert variant["required"] == ["type", "coordinates"]
        assert variant["properties"]["coordinates"]["type"] == "array"
        types |= set(type_of(schema, variant))
    return types


def assert_feature(schema, feature, fields: set[str], geometry: str, where: str):
    feature = resolve(schema, feature)
    assert type_of(schema, feature) == ["Feature"], where
    assert set(feature["required"]) == {"type", "geometry", "properties"}, where
    members = feature["properties"]
    assert "id" in members, where
    names = property_names(schema, members["properties"])
    assert fields <= names, f"{where}: properties lack {fields - names}"
    assert "id" not in names and "type" not in names, f"{where}: id and type are the Feature's own members"
    assert geometry_types(schema, members["geometry"]) == {geometry}, where


def geojson_operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if GEOJSON in content and status.startswith("2"):
                    yield (method, path), content[GEOJSON]["schema"]


def test_every_geojson_operation_is_described_as_features(schema):
    operations = dict(geojson_operations(schema))
    assert set(operations) == set(EXPECTED), "a geo+json operation appeared or went: describe it in EXPECTED"
    for key, answer in operations.items():
        kind, fields, geometry = EXPECTED[key]
        where = " ".join(key)
        answer = resolve(schema, answer)
        assert type_of(schema, answer) == [kind], where
        if kind == "FeatureCollection":
            assert set(answer["required"]) >= {"type", "features"}, where
            features = answer["properties"]["features"]
            assert features["type"] == "array", where
            assert_feature(schema, features["items"], fields, geometry, where)
        else:
            assert_feature(schema, answer, fields, geometry, where)


def test_what_clients_send_stays_a_plain_object(schema):
    """Proposing an idea takes plain fields (its location a GeoJSON geometry), not a Feature."""
    body = schema["paths"]["/api/v1/budget/campaigns/{page_id}/ideas/"]["post"]["requestBody"]["content"]
    request = resolve(schema, next(iter(body.values()))["schema"])
    assert "title" in request["properties"] and "geometry" not in request.get("required", [])
