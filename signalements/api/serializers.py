"""What the reports API writes: map clusters and points as GeoJSON Features (``civic.core.geojson``),
and the open reports near a point offered while reporting.

Plain functions over ``values()`` rows rather than DRF serializers: a map view sends up to 500
points, and building each from a dict is several times cheaper than a serializer per instance.
"""

from django.urls import reverse

from civic.core.geojson import feature, point

from ..models import ReportState

STATE_LABELS = dict(ReportState.choices)
OPEN_STATES = ("new", "acknowledged", "investigating", "planned", "in_progress")

#: The columns ``point_features`` reads.
POINT_FIELDS = (
    "pk",
    "longitude",
    "latitude",
    "state",
    "created_at",
    "category__code",
    "category__name",
    "category__icon",
    "supporter_count",
)


def cluster_features(clusters, *, zoom: int) -> list[dict]:
    return [
        feature(
            f"cluster-{zoom}-{cell['cell']}",
            point(cell["lon"], cell["lat"]),
            {"cluster": True, "count": cell["count"], "open": cell["open"]},
        )
        for cell in clusters
    ]


def point_features(rows) -> list[dict]:
    # Once per request, not per point: reverse() and gettext cost more than the rest of a feature.
    labels = {state: str(label) for state, label in STATE_LABELS.items()}
    sentinel = 987654321
    url = reverse("report-detail", args=[sentinel]).replace(str(sentinel), "{}")
    return [
        feature(
            row["pk"],
            point(row["longitude"], row["latitude"]),
            {
                "cluster": False,
                "category": row["category__code"],
                "category_name": row["category__name"],
                "icon": row["category__icon"],
                "state": row["state"],
                "state_label": labels.get(row["state"], row["state"]),
                "open": row["state"] in OPEN_STATES,
                "created_at": row["created_at"].isoformat(),
                "supporters": row["supporter_count"],
                "url": url.format(row["pk"]),
            },
        )
        for row in rows
    ]


def nearby_result(report) -> dict:
    photos = list(report.photos.all())
    return {
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
