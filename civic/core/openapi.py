"""OpenAPI schema: the public schema describes our API (not Wagtail's internal admin API), and
GeoJSON answers as what they are: FeatureCollections of Features (RFC 7946), each with its
``type``, ``id``, ``geometry`` and ``properties`` (the serializer's fields)."""

import inspect

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.extensions import OpenApiSerializerExtension

PUBLIC_PREFIXES = ("/api/", "/open311/")

POSITION = {
    "type": "array",
    "items": {"type": "number"},
    "minItems": 2,
    "maxItems": 3,
    "description": "longitude, latitude (WGS84)",
}
_LINE = {"type": "array", "items": POSITION, "minItems": 2}
_RING = {"type": "array", "items": POSITION, "minItems": 4}
COORDINATES = {
    "Point": POSITION,
    "MultiPoint": {"type": "array", "items": POSITION},
    "LineString": _LINE,
    "MultiLineString": {"type": "array", "items": _LINE},
    "Polygon": {"type": "array", "items": _RING},
    "MultiPolygon": {"type": "array", "items": {"type": "array", "items": _RING}},
}
# GeoDjango's geometry types (OGR names, upper case) by their GeoJSON name.
_BY_GEODJANGO_NAME = {name.upper(): name for name in COORDINATES}


def public_endpoints_only(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_PREFIXES)]


def geometry_schema(geometry_type: str | None = None, *, nullable: bool = False) -> dict:
    """A GeoJSON geometry of ``geometry_type`` ("Point", "MultiPolygon", ...), or of any type."""
    types = [geometry_type] if geometry_type in COORDINATES else list(COORDINATES)
    variants = [
        {
            "type": "object",
            "required": ["type", "coordinates"],
            "properties": {"type": {"type": "string", "enum": [name]}, "coordinates": COORDINATES[name]},
        }
        for name in types
    ]
    schema = variants[0] if len(variants) == 1 else {"oneOf": variants}
    return {**schema, "nullable": True} if nullable else schema


def feature_schema(properties: dict, *, geometry: dict, id_schema: dict | None = None, description: str = "") -> dict:
    """A GeoJSON Feature whose ``properties`` follow ``properties`` (an object schema)."""
    schema = {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": id_schema or {"type": "integer"},
            "geometry": geometry,
            "properties": properties,
        },
    }
    return {"description": description, **schema} if description else schema


def feature_collection_schema(feature: dict, **members: dict) -> dict:
    """A GeoJSON FeatureCollection of ``feature``, with extra foreign ``members`` (counts, links...)."""
    return {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": feature},
            **members,
        },
    }


def _geometry_type_of(serializer) -> str | None:
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None:
        return None
    try:
        field = model._meta.get_field(serializer.geometry_field)
    except FieldDoesNotExist:  # a geometry computed by a property: any type
        return None
    return _BY_GEODJANGO_NAME.get(getattr(field, "geom_type", "").upper())


class FeatureSerializerExtension(OpenApiSerializerExtension):
    """Every ``civic.core.geojson.FeatureSerializer`` answers a Feature: its fields are the
    Feature's ``properties`` (but ``id``, which is the Feature's own), its ``geometry_field`` the
    geometry, of the model field's type when there is one."""

    target_class = "civic.core.geojson.FeatureSerializer"
    match_subclasses = True

    def get_name(self, auto_schema, direction):
        return None  # the serializer's own component name

    def map_serializer(self, auto_schema, direction):
        from .geojson import FeatureSerializer

        flat = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "request":
            return flat  # what clients send is not a Feature
        fields = dict(flat.get("properties", {}))
        id_schema = fields.pop("id", {"type": "integer"})
        geometry_field = self.target.geometry_field
        fields.pop(geometry_field, None)
        required = [name for name in flat.get("required", []) if name not in ("id", geometry_field)]
        properties = {"type": "object", "properties": fields}
        if required:
            properties["required"] = required
        description = flat.get("description", "")
        if description == inspect.getdoc(FeatureSerializer):
            description = ""  # the base class's docstring, inherited: says nothing of this Feature
        return feature_schema(
            properties,
            geometry=geometry_schema(_geometry_type_of(self.target), nullable=True),
            id_schema={key: value for key, value in id_schema.items() if key != "readOnly"},
            description=description,
        )
