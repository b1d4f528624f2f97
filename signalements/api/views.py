"""Map data as GeoJSON: clusters of the whole grid cells in view at low zoom (pre-counted), points at high zoom."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.core.coordinates import bbox_clean
from civic.core.geojson import GEOJSON_RENDERERS, feature_collection
from civic.core.openapi import feature_collection_schema, feature_schema, geometry_schema

from .. import conf
from ..models import Category, Report
from ..models.map_cells import map_cell_zooms
from ..selectors import ReportFilters, map_clusters_counted, map_points, nearby_open_reports
from ..services import coordinates_clean
from .serializers import POINT_FIELDS, cluster_features, nearby_result, point_features

MAX_POINTS = 500  # newest first; the map says when a view holds more (the list has them all)
#: At the zooms just above the clusters' (16-17), more reports than this in the cells in view are shown as
#: clusters: hundreds of overlapping markers are unreadable, and slow to send and to draw on a phone.
DENSE_POINTS = 500


def _bbox(value: str | None):
    try:
        return bbox_clean(value)
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from None


def _zoom(value) -> int:
    try:
        return max(0, min(int(value), 22))
    except (TypeError, ValueError):
        return 22


_CLUSTER_PROPERTIES = {
    "type": "object",
    "title": "Cluster",
    "required": ["cluster", "count", "open"],
    "properties": {
        "cluster": {"type": "boolean", "enum": [True]},
        "count": {"type": "integer", "description": "Reports in this grid cell."},
        "open": {"type": "integer", "description": "Open reports among them."},
    },
}
_REPORT_PROPERTIES = {
    "type": "object",
    "title": "Report",
    "required": ["cluster", "category", "state", "open", "created_at", "url"],
    "properties": {
        "cluster": {"type": "boolean", "enum": [False]},
        "category": {"type": "string", "description": "Category code."},
        "category_name": {"type": "string"},
        "icon": {"type": "string"},
        "state": {"type": "string"},
        "state_label": {"type": "string"},
        "open": {"type": "boolean"},
        "created_at": {"type": "string", "format": "date-time"},
        "supporters": {"type": "integer"},
        "url": {"type": "string", "description": "The report's page."},
    },
}
MAP_SCHEMA = feature_collection_schema(
    feature_schema(
        {"oneOf": [_REPORT_PROPERTIES, _CLUSTER_PROPERTIES]},
        geometry=geometry_schema("Point"),
        id_schema={"oneOf": [{"type": "integer"}, {"type": "string", "description": "cluster-<zoom>-<cell>"}]},
    ),
    zoom={"type": "integer"},
    clustered={"type": "boolean", "description": "true: the features are clusters of a grid."},
    truncated={"type": "boolean", "description": f"true: more than {MAX_POINTS} reports in view, the newest sent."},
)


@extend_schema(
    responses={200: MAP_SCHEMA},
    parameters=[
        OpenApiParameter("bbox", OpenApiTypes.STR, description="west,south,east,north (degrees)."),
        OpenApiParameter(
            "zoom",
            OpenApiTypes.INT,
            description="Map zoom; below 16 the answer is clusters, and at 16-17 too when the view holds over 500 reports.",
        ),
        OpenApiParameter("category", OpenApiTypes.STR, description="Category code."),
        OpenApiParameter("state", OpenApiTypes.STR, description="open, closed, or a state."),
        OpenApiParameter("area", OpenApiTypes.INT, description="Area id."),
        OpenApiParameter("since", OpenApiTypes.DATE),
        OpenApiParameter("until", OpenApiTypes.DATE),
    ],
)
class ReportMapApi(APIView):
    """Public reports in a viewport, as a GeoJSON FeatureCollection (clusters with ``count`` at low zoom)."""

    renderer_classes = GEOJSON_RENDERERS
    permission_classes = [AllowAny]

    def get(self, request):
        bbox = _bbox(request.query_params.get("bbox"))
        zoom = _zoom(request.query_params.get("zoom"))
        filters = ReportFilters.from_params(request.query_params)
        clusters = None
        if zoom < conf.get("SIGNALEMENTS_CLUSTER_BELOW_ZOOM"):
            clusters = map_clusters_counted(filters=filters, bbox=bbox, zoom=zoom)
        elif zoom in map_cell_zooms():
            # Points, unless the cells in view hold more than the points a map can show: then clusters again.
            clusters = map_clusters_counted(filters=filters, bbox=bbox, zoom=zoom)
            in_view = sum(cell["count"] for cell in clusters)
            if in_view == 0:  # the counts are exact: no report to read (a filter outside this view)
                return Response(feature_collection([], zoom=zoom, clustered=False, truncated=False))
            if in_view <= DENSE_POINTS:
                clusters = None
        if clusters is not None:
            return Response(feature_collection(cluster_features(clusters, zoom=zoom), zoom=zoom, clustered=True))
        rows = list(
            map_points(filters.apply(Report.objects.public()), bbox=bbox).values(*POINT_FIELDS)[: MAX_POINTS + 1]
        )
        features = point_features(rows[:MAX_POINTS])
        return Response(feature_collection(features, zoom=zoom, clustered=False, truncated=len(rows) > MAX_POINTS))


@extend_schema(
    responses=OpenApiTypes.OBJECT,
    parameters=[
        OpenApiParameter("category", OpenApiTypes.STR, description="Category code."),
        OpenApiParameter("lon", OpenApiTypes.NUMBER),
        OpenApiParameter("lat", OpenApiTypes.NUMBER),
    ],
)
class ReportNearbyApi(APIView):
    """Open reports of a category near a point: offered while reporting, to avoid duplicates."""

    permission_classes = [AllowAny]

    def get(self, request):
        category = Category.objects.filter(code=request.query_params.get("category", ""), active=True).first()
        if category is None:
            raise ValidationError({"category": "Unknown category."})
        # A refusal is ValidationError({"location": ...}): a 400 under "location" (core exception handler).
        longitude, latitude = coordinates_clean(request.query_params.get("lon"), request.query_params.get("lat"))
        reports = nearby_open_reports(category=category, longitude=longitude, latitude=latitude)
        results = [nearby_result(report) for report in reports]
        return Response({"category": category.code, "radius": category.nearby_radius, "results": results})
