"""The one place where GeoJSON (RFC 7946) goes out: renderer, serializer field and pagination.

Geometries are stored in SRID 4326 and written with coordinates as longitude, latitude.
"""

import json

from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination, renderers, serializers
from rest_framework.response import Response

from .coordinates import geojson_geometry_clean

GEOJSON_MEDIA_TYPE = "application/geo+json"


class GeoJSONRenderer(renderers.JSONRenderer):
    media_type = GEOJSON_MEDIA_TYPE
    format = "geojson"


class GeoJSONAsJSONRenderer(renderers.JSONRenderer):
    """The same GeoJSON for clients that ask for plain application/json (or ?format=json)."""

    format = "json"


#: Renderers for every GeoJSON endpoint: geo+json first (the default), plain JSON on request.
GEOJSON_RENDERERS = [GeoJSONRenderer, GeoJSONAsJSONRenderer]


class GeometryField(serializers.Field):
    """Reads and writes a GEOS geometry as a GeoJSON geometry object."""

    def __init__(self, *, precision: int = 6, territory: bool = True, **kwargs):
        self.precision = precision
        self.territory = territory
        super().__init__(**kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        if value.srid and value.srid != 4326:
            value = value.transform(4326, clone=True)
        return json.loads(value.json) if self.precision is None else _rounded(json.loads(value.json), self.precision)

    def to_internal_value(self, data):
        # Every position is checked before GEOS sees it (civic.core.coordinates).
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                data = None
        try:
            geojson_geometry_clean(data, territory=self.territory)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        try:
            geometry = GEOSGeometry(json.dumps(data), srid=4326)
        except (ValueError, TypeError, GEOSException) as exc:
            raise serializers.ValidationError(f"Invalid GeoJSON geometry: {exc}") from exc
        if not geometry.valid:
            raise serializers.ValidationError(f"Invalid geometry: {geometry.valid_reason}")
        return geometry


def _rounded(obj, precision):
    if isinstance(obj, float):
        return round(obj, precision)
    if isinstance(obj, list):
        return [_rounded(item, precision) for item in obj]
    if isinstance(obj, dict):
        return {key: _rounded(item, precision) for key, item in obj.items()}
    return obj


class FeatureSerializer(serializers.Serializer):
    """Base for serializers that write one GeoJSON Feature per object.

    Subclasses declare ``geometry_field`` (the model attribute) and the fields that become
    ``properties``; ``id`` becomes the feature id.
    """

    geometry_field = "geometry"

    def to_representation(self, instance):
        properties = super().to_representation(instance)
        geometry = GeometryField().to_representation(getattr(instance, self.geometry_field))
        return {
            "type": "Feature",
            "id": properties.pop("id", instance.pk),
            "geometry": geometry,
            "properties": properties,
        }


def feature_collection(features, **members):
    return {"type": "FeatureCollection", "features": list(features), **members}


def point(longitude, latitude, *, precision: int | None = 6) -> dict:
    """A GeoJSON Point from a longitude and a latitude (in that order, RFC 7946)."""
    if precision is not None:
        longitude, latitude = round(longitude, precision), round(latitude, precision)
    return {"type": "Point", "coordinates": [longitude, latitude]}


def feature(feature_id, geometry: dict | None, properties: dict) -> dict:
    """One GeoJSON Feature; build the geometry with ``point`` or ``GeometryField``."""
    return {"type": "Feature", "id": feature_id, "geometry": geometry, "properties": properties}


def row_feature(row: dict, *, precision: int | None = None) -> dict:
    """A flat row with ``id``, ``longitude`` and ``latitude`` as a Feature; the other keys become its properties."""
    properties = {key: value for key, value in row.items() if key not in ("id", "longitude", "latitude")}
    return feature(row["id"], point(row["longitude"], row["latitude"], precision=precision), properties)


def feature_collection_json(features) -> str:
    """A whole FeatureCollection as JSON text (UTF-8, not ASCII-escaped)."""
    return json.dumps(feature_collection(features), ensure_ascii=False)


def feature_collection_stream(features):
    """A FeatureCollection written piece by piece, for a StreamingHttpResponse of any size."""
    yield '{"type":"FeatureCollection","features":['
    for index, item in enumerate(features):
        yield ("," if index else "") + json.dumps(item, ensure_ascii=False)
    yield "]}"


class FeatureCollectionPagination(pagination.PageNumberPagination):
    """Pages of features as a FeatureCollection, with OGC API style counts and links."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_paginated_response(self, data):
        links = [{"rel": "self", "href": self.request.build_absolute_uri(), "type": GEOJSON_MEDIA_TYPE}]
        if self.get_next_link():
            links.append({"rel": "next", "href": self.get_next_link(), "type": GEOJSON_MEDIA_TYPE})
        if self.get_previous_link():
            links.append({"rel": "prev", "href": self.get_previous_link(), "type": GEOJSON_MEDIA_TYPE})
        return Response(
            feature_collection(
                data,
                numberMatched=self.page.paginator.count,
                numberReturned=len(data),
                links=links,
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": schema,
                "numberMatched": {"type": "integer"},
                "numberReturned": {"type": "integer"},
                "links": {"type": "array", "items": {"type": "object"}},
            },
        }
