from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

from civic.core.coordinates import coordinates_clean
from civic.core.geojson import GEOJSON_RENDERERS, FeatureCollectionPagination, FeatureSerializer

from .models import Area


class AreaFeatureSerializer(FeatureSerializer, serializers.ModelSerializer):
    parent = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Area
        fields = ["id", "name", "kind", "code", "parent"]


def _point_from(value: str) -> Point:
    parts = value.split(",")
    try:
        longitude, latitude = (float(part) for part in parts)
    except ValueError as exc:
        raise ValidationError({"contains": "Give a point as longitude,latitude, e.g. 4.835,45.764."}) from exc
    try:  # a point outside the territory is in no area: only the range is checked
        longitude, latitude = coordinates_clean(longitude, latitude, territory=False)
    except DjangoValidationError:
        raise ValidationError({"contains": "Longitude must be within ±180 and latitude within ±90."}) from None
    return Point(longitude, latitude, srid=4326)


@extend_schema(
    parameters=[
        OpenApiParameter("kind", OpenApiTypes.STR, description="Only areas of this kind (commune, quartier, ...)."),
        OpenApiParameter(
            "contains", OpenApiTypes.STR, description="Only areas containing this point: longitude,latitude."
        ),
    ]
)
class AreaListApi(generics.ListAPIView):
    """Areas of the territory as a GeoJSON FeatureCollection (application/geo+json)."""

    serializer_class = AreaFeatureSerializer
    renderer_classes = GEOJSON_RENDERERS
    pagination_class = FeatureCollectionPagination

    def get_queryset(self):
        areas = Area.objects.all().order_by("depth", "name")
        if kind := self.request.query_params.get("kind"):
            areas = areas.filter(kind=kind)
        if contains := self.request.query_params.get("contains"):
            areas = areas.containing(_point_from(contains))
        return areas


class AreaDetailApi(generics.RetrieveAPIView):
    """One area as a GeoJSON Feature."""

    serializer_class = AreaFeatureSerializer
    renderer_classes = GEOJSON_RENDERERS
    queryset = Area.objects.all()
