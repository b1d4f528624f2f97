"""Map data as GeoJSON: clusters counted by the database at low zoom, points at high zoom."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from civic.core.geojson import GEOJSON_RENDERERS, feature_collection

from .. import conf
from ..models import Category, Report, ReportState
from ..selectors import ReportFilters, map_clusters, nearby_open_reports
from ..services import coordinates_clean

MAX_POINTS = 2000
STATE_LABELS = dict(ReportState.choices)


def _bbox(value: str | None):
    if not value:
        return None
    try:
        west, south, east, north = (float(part) for part in value.split(","))
    except ValueError:
        raise ValidationError({"bbox": "Give west,south,east,north in degrees."}) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValidationError({"bbox": "Give west,south,east,north within ±180 and ±90, west < east, south < north."})
    return west, south, east, north


def _zoom(value) -> int:
    try:
        return max(0, min(int(value), 22))
    except (TypeError, ValueError):
        return 22


@extend_schema(
    responses=OpenApiTypes.OBJECT,
    parameters=[
        OpenApiParameter("bbox", OpenApiTypes.STR, description="west,south,east,north (degrees)."),
        OpenApiParameter("zoom", OpenApiTypes.INT, description="Map zoom; below 16 the answer is clusters."),
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
        reports = ReportFilters.from_params(request.query_params).apply(Report.objects.public())
        if bbox:
            reports = reports.in_bbox(*bbox)
        if zoom < conf.get("SIGNALEMENTS_CLUSTER_BELOW_ZOOM"):
            features = [
                {
                    "type": "Feature",
                    "id": f"cluster-{zoom}-{cell['cell']}",
                    "geometry": {"type": "Point", "coordinates": [round(cell["lon"], 6), round(cell["lat"], 6)]},
                    "properties": {"cluster": True, "count": cell["count"], "open": cell["open"]},
                }
                for cell in map_clusters(reports, zoom=zoom)
            ]
            return Response(feature_collection(features, zoom=zoom, clustered=True))
        rows = reports.order_by("-created_at").values(
            "pk",
            "longitude",
            "latitude",
            "state",
            "created_at",
            "category__code",
            "category__name",
            "category__icon",
            "supporter_count",
        )[: MAX_POINTS + 1]
        rows = list(rows)
        features = [
            {
                "type": "Feature",
                "id": row["pk"],
                "geometry": {"type": "Point", "coordinates": [round(row["longitude"], 6), round(row["latitude"], 6)]},
                "properties": {
                    "cluster": False,
                    "category": row["category__code"],
                    "category_name": row["category__name"],
                    "icon": row["category__icon"],
                    "state": row["state"],
                    "state_label": str(STATE_LABELS.get(row["state"], row["state"])),
                    "open": row["state"] in ("new", "acknowledged", "investigating", "planned", "in_progress"),
                    "created_at": row["created_at"].isoformat(),
                    "supporters": row["supporter_count"],
                    "url": reverse("report-detail", args=[row["pk"]]),
                },
            }
            for row in rows[:MAX_POINTS]
        ]
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
        try:
            longitude, latitude = coordinates_clean(request.query_params.get("lon"), request.query_params.get("lat"))
        except Exception as error:
            raise ValidationError({"location": list(getattr(error, "messages", [str(error)]))}) from None
        reports = nearby_open_reports(category=category, longitude=longitude, latitude=latitude)
        results = []
        for report in reports:
            photos = list(report.photos.all())
            results.append(
                {
                    "id": report.pk,
                    "url": report.get_absolute_url(),
                    "support_url": reverse("report-support", args=[report.pk]),
                    "description": report.description[:200],
                    "state": report.state,
                    "state_label": report.get_state_display(),
                    "distance": round(report.distance),
                    "supporters": report.supporter_count,
                    "thumbnail": photos[0].thumbnail.url if photos else None,
                }
            )
        return Response({"category": category.code, "radius": category.nearby_radius, "results": results})
