"""Reads on reports: routing, nearby reports, map clusters, filtered lists, timelines."""

import math
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Avg, Count, F, FloatField, Prefetch, Q
from django.db.models.functions import Cast, Floor
from django.utils import timezone

from civic.moderation.models import ModerationState

from .models import (
    OPEN_STATES,
    Category,
    Report,
    ReportPhoto,
    ReportsPortalPage,
    ReportState,
    Service,
    ServiceRoute,
)

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = 111_320.0


def portal_page() -> ReportsPortalPage | None:
    """The live reports portal page (the space every report belongs to), if there is one."""
    return ReportsPortalPage.objects.live().first()


def service_for(*, category: Category, area) -> Service:
    """The service that deals with a report of ``category`` in ``area``: a route for the area (or the
    smallest of its parents) if one matches, else the category's service."""
    area_ids, current = [], area
    while current is not None and len(area_ids) < 10:
        area_ids.append(current.pk)
        current = current.parent
    if area_ids:
        routes = {
            route.area_id: route
            for route in ServiceRoute.objects.filter(category=category, area_id__in=area_ids).select_related("service")
        }
        for area_id in area_ids:
            if area_id in routes:
                return routes[area_id].service
    return category.service


def categories_grouped() -> list[tuple[str, list[Category]]]:
    """Active categories by group, with their questions, for the report form."""
    groups: dict[str, list[Category]] = {}
    for category in Category.objects.filter(active=True).prefetch_related("questions"):
        groups.setdefault(category.group, []).append(category)
    return list(groups.items())


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bbox_around(longitude: float, latitude: float, radius_m: float) -> tuple[float, float, float, float]:
    dlat = radius_m / METRES_PER_DEGREE
    dlon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    return (longitude - dlon, latitude - dlat, longitude + dlon, latitude + dlat)


def nearby_open_reports(
    *, category: Category, longitude: float, latitude: float, radius_m: float | None = None, limit: int = 5
):
    """Open public reports of ``category`` within its radius, nearest first, each with ``distance``.

    An indexed bounding box on the stored coordinates first, then the exact distance on the few
    candidates: the same on SpatiaLite and PostGIS.
    """
    radius_m = radius_m if radius_m is not None else category.nearby_radius
    candidates = (
        Report.objects.public()
        .open()
        .filter(category=category)
        .in_bbox(*bbox_around(longitude, latitude, radius_m))
        .select_related("category")
        .prefetch_related(Prefetch("photos", queryset=ReportPhoto.objects.filter(update__isnull=True)))[:200]
    )
    found = []
    for report in candidates:
        report.distance = distance_m(longitude, latitude, report.longitude, report.latitude)
        if report.distance <= radius_m:
            found.append(report)
    found.sort(key=lambda report: report.distance)
    return found[:limit]


# --- Lists and filters ------------------------------------------------------------------------


@dataclass
class ReportFilters:
    category: str = ""
    state: str = ""  # "open", "closed" or a state
    area: int | None = None
    since: date | None = None
    until: date | None = None
    service: int | None = None

    @classmethod
    def from_params(cls, params) -> "ReportFilters":
        def as_int(value):
            try:
                return int(value)
            except (TypeError, ValueError):
                return None

        def as_date(value):
            try:
                return date.fromisoformat(value) if value else None
            except ValueError:
                return None

        state = params.get("state", "")
        if state not in ("open", "closed", *ReportState.values):
            state = ""
        return cls(
            category=(params.get("category") or "").strip()[:60],
            state=state,
            area=as_int(params.get("area")),
            since=as_date(params.get("since")),
            until=as_date(params.get("until")),
            service=as_int(params.get("service")),
        )

    def apply(self, reports):
        if self.category:
            reports = reports.filter(category__code=self.category)
        if self.state == "open":
            reports = reports.open()
        elif self.state == "closed":
            reports = reports.closed()
        elif self.state:
            reports = reports.filter(state=self.state)
        if self.area:
            reports = reports.filter(area_id=self.area) | reports.filter(area__parent_id=self.area)
        if self.since:
            reports = reports.filter(created_at__gte=timezone.make_aware(datetime.combine(self.since, time.min)))
        if self.until:
            reports = reports.filter(created_at__lte=timezone.make_aware(datetime.combine(self.until, time.max)))
        if self.service:
            reports = reports.filter(service_id=self.service)
        return reports


def reports_public_list(*, filters: ReportFilters):
    return filters.apply(Report.objects.public()).select_related("category", "area")


def reports_of_user(user):
    return Report.objects.filter(reporter=user).select_related("category", "area").order_by("-created_at")


# --- Map ---------------------------------------------------------------------------------------


def cell_size(zoom: int) -> float:
    """Width of a cluster cell in degrees at ``zoom``: about 64 screen pixels."""
    return 360.0 / (2 ** max(0, min(zoom, 22))) / 4


def map_clusters(reports, *, zoom: int) -> list[dict]:
    """Counts per grid cell, aggregated by the database: FLOOR(coordinate / cell) on both SQL engines."""
    size = cell_size(zoom)
    rows = (
        reports.order_by()
        .annotate(
            cell_x=Floor(Cast(F("longitude"), FloatField()) / size),
            cell_y=Floor(Cast(F("latitude"), FloatField()) / size),
        )
        .values("cell_x", "cell_y")
        .annotate(
            count=Count("pk"),
            lon=Avg("longitude"),
            lat=Avg("latitude"),
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        )
    )
    return [
        {
            "lon": row["lon"],
            "lat": row["lat"],
            "count": row["count"],
            "open": row["open"],
            "cell": f"{int(row['cell_x'])}:{int(row['cell_y'])}",
        }
        for row in rows
    ]


def report_timeline(report: Report, *, staff: bool, user=None):
    """The updates a viewer sees: internal notes for staff only, updates awaiting moderation for their author."""
    updates = report.updates.select_related("author").prefetch_related("photos")
    if not staff:
        visible = Q(internal=False, moderation_state=ModerationState.PUBLISHED)
        if user is not None and user.is_authenticated:
            visible |= Q(internal=False, author=user)
        updates = updates.filter(visible)
    return updates
