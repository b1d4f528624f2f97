"""Reads on reports: routing, nearby reports, map clusters, filtered lists, timelines."""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Count, F, FloatField, Prefetch, Q, Sum
from django.db.models.functions import Cast, Floor
from django.utils import timezone

from civic.core.geo import bbox_around, distance_m
from civic.core.ids import int_id
from civic.moderation.models import ModerationState
from civic.territory.models import Area

from .models import (
    CLOSED_STATES,
    OPEN_STATES,
    Category,
    Report,
    ReportPhoto,
    ReportsPortalPage,
    ReportState,
    Service,
    ServiceRoute,
)
from .models.map_cells import (
    ALL_AREAS,
    ALL_CATEGORIES,
    ALL_MONTHS,
    CATEGORY_PERIODS_BELOW_ZOOM,
    QUARTER_BASE,
    cell_size,
    map_cell_zooms,
)


def portal_page() -> ReportsPortalPage | None:
    """The live reports portal page (the space every report belongs to), if there is one."""
    return ReportsPortalPage.objects.live().first()


def service_for(*, category: Category, area) -> Service:
    """The service that deals with a report of ``category`` in ``area``: a route for the area (or the
    smallest of its parents) if one matches, else the category's service."""
    area_ids = (
        list(Area.objects.ancestors_of(area, include_self=True).values_list("pk", flat=True))
        if area is not None
        else []
    )
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
            return int_id(value) if value not in (None, "") else None

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

    def area_ids(self) -> list[int]:
        """The filter's area and the areas it contains, at any depth."""
        return list(Area.objects.descendants_of(self.area, include_self=True).values_list("pk", flat=True))

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
            # The numbers, not a join with an OR across it: the database can then use the index of area_id.
            reports = reports.filter(area_id__in=self.area_ids())
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


#: Most (rows of cells × periods × categories) listed in a viewport query: each is one descent of the cells'
#: index (a few microseconds); beyond, the rows in view are read as one range, whole.
MAX_INDEX_DESCENTS = 2000


def cell_range(bbox: tuple[float, float, float, float], zoom: int) -> tuple[int, int, int, int]:
    """The columns and rows (first and last, inclusive) of the zoom's grid cells the viewport touches."""
    size = cell_size(zoom)
    west, south, east, north = bbox
    return (math.floor(west / size), math.floor(south / size), math.floor(east / size), math.floor(north / size))


def _cell_annotations(zoom: int) -> dict:
    size = cell_size(zoom)
    return {
        "cell_x": Floor(Cast(F("longitude"), FloatField()) / size),
        "cell_y": Floor(Cast(F("latitude"), FloatField()) / size),
    }


def map_clusters(reports, *, zoom: int, cells: tuple[int, int, int, int] | None = None) -> list[dict]:
    """Counts per grid cell computed live by the database over ``reports``: FLOOR(coordinate / cell) on both
    SQL engines. With ``cells`` (from ``cell_range``), only the reports of those whole cells."""
    reports = reports.order_by()
    if cells is not None:
        size = cell_size(zoom)
        x0, y0, x1, y1 = cells
        # The B-tree range first (a little wider than the cells), then the exact cell numbers.
        reports = reports.in_bbox(x0 * size - size, y0 * size - size, (x1 + 2) * size, (y1 + 2) * size)
    rows = reports.annotate(**_cell_annotations(zoom))
    if cells is not None:
        rows = rows.filter(cell_x__gte=x0, cell_x__lte=x1, cell_y__gte=y0, cell_y__lte=y1)
    rows = rows.values("cell_x", "cell_y").annotate(
        count=Count("pk"),
        sum_lon=Sum("longitude"),
        sum_lat=Sum("latitude"),
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
    )
    return [
        {
            "lon": row["sum_lon"] / row["count"],
            "lat": row["sum_lat"] / row["count"],
            "count": row["count"],
            "open": row["open"],
            "cell": f"{int(row['cell_x'])}:{int(row['cell_y'])}",
        }
        for row in rows
    ]


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_day(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _periods(since: date, until: date, *, coarse: bool) -> tuple[list[int], list[tuple[date, date]]]:
    """The ``ReportMapCell.month`` keys of the whole months from ``since`` to ``until`` (with ``coarse``, whole
    years and quarters as one key each), and the days left over at either end, counted from the entries."""
    first = since if since.day == 1 else _next_month(since)
    end = _next_month(until)  # the day after the last whole month, if ``until`` ends its month
    if until + timedelta(days=1) != end:
        end = until.replace(day=1)
    if first >= end:
        return [], [(since, until)]
    keys, index, stop = [], _month_index(first), _month_index(end)
    while index < stop:
        year, month = divmod(index, 12)
        if coarse and month == 0 and index + 12 <= stop:
            keys.append(year * 100)
            index += 12
        elif coarse and month % 3 == 0 and index + 3 <= stop:
            keys.append(year * 100 + QUARTER_BASE + month // 3 + 1)
            index += 3
        else:
            keys.append(year * 100 + month + 1)
            index += 1
    leftovers = []
    if first != since:
        leftovers.append((since, first - timedelta(days=1)))
    if end <= until:
        leftovers.append((end, until))
    return keys, leftovers


def _entry_clusters(*, rows, zoom: int, cells, since: date, until: date) -> list[tuple]:
    """(cell_x, cell_y, count, open, sum_lon, sum_lat) of the entries created from ``since`` to ``until``."""
    size = cell_size(zoom)
    x0, y0, x1, y1 = cells
    start = timezone.make_aware(datetime.combine(since, time.min))
    stop = timezone.make_aware(datetime.combine(until, time.max))
    return list(
        rows.filter(
            created_at__gte=start,
            created_at__lte=stop,
            longitude__gte=x0 * size - size,
            longitude__lte=(x1 + 2) * size,
            latitude__gte=y0 * size - size,
            latitude__lte=(y1 + 2) * size,
        )
        .annotate(**_cell_annotations(zoom))
        .filter(cell_x__gte=x0, cell_x__lte=x1, cell_y__gte=y0, cell_y__lte=y1)
        .order_by()
        .values_list("cell_x", "cell_y")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(state__in=OPEN_STATES)),
            sum_lon=Sum("longitude"),
            sum_lat=Sum("latitude"),
        )
    )


def map_clusters_counted(*, filters: ReportFilters, bbox, zoom: int) -> list[dict]:
    """The clusters of the public reports matching ``filters`` in the cells the viewport touches, read from the
    pre-counted cells (``ReportMapCell``): a few thousand rows at most whatever the number of reports in view.

    The same counts as ``map_clusters(filters.apply(Report.objects.public()), zoom=, cells=)``. Category, state
    and area are dimensions of the cells. Dates: whole years, quarters and months from the cells (months only
    with a category or area filter at the zooms from ``CATEGORY_PERIODS_BELOW_ZOOM``), the days left over at
    either end from the entries (``ReportMapEntry``, indexed by date). A ``service`` filter (not a dimension)
    is counted live.
    """
    from .models import ReportMapCell, ReportMapEntry

    bbox = bbox or (-180.0, -90.0, 180.0, 90.0)
    cells = cell_range(bbox, zoom)
    if filters.service or zoom not in map_cell_zooms():
        return map_clusters(filters.apply(Report.objects.public()), zoom=zoom, cells=cells)
    x0, y0, x1, y1 = cells
    rows = ReportMapCell.objects.filter(zoom=zoom, cell_x__gte=x0, cell_x__lte=x1)
    entries = ReportMapEntry.objects.all()
    # The cells' key starts with the category: the rows of every category without a filter, of each one with
    # an area filter alone.
    category_ids = [ALL_CATEGORIES]
    if filters.category:
        category_ids = list(Category.objects.filter(code=filters.category).values_list("pk", flat=True))
        entries = entries.filter(category_id__in=category_ids)
    elif filters.area:
        category_ids = list(Category.objects.order_by().values_list("pk", flat=True))
    rows = rows.filter(category_id__in=category_ids)
    if filters.area:
        area_ids = filters.area_ids()
        rows, entries = rows.filter(area_id__in=area_ids), entries.filter(area_id__in=area_ids)
    elif not filters.category:
        rows = rows.filter(area_id=ALL_AREAS)
    states = None
    if filters.state == "open":
        states = OPEN_STATES
    elif filters.state == "closed":
        states = CLOSED_STATES
    elif filters.state:
        states = [filters.state]
    if states is not None:
        rows, entries = rows.filter(state__in=states), entries.filter(state__in=states)
    keys, added_days, removed_days = [ALL_MONTHS], [], []
    if filters.since or filters.until:
        keys, added_days, removed_days = _period_keys(
            filters, coarse=category_ids == [ALL_CATEGORIES] or zoom < CATEGORY_PERIODS_BELOW_ZOOM
        )
        if keys is None:
            return []
    rows = rows.filter(month__in=keys) if keys else rows.none()
    if (y1 - y0 + 1) * len(keys) * len(category_ids) <= MAX_INDEX_DESCENTS:
        # Each row of cells by equality: the index then reads only the columns in view of each.
        rows = rows.filter(cell_y__in=list(range(y0, y1 + 1)))
    else:
        rows = rows.filter(cell_y__gte=y0, cell_y__lte=y1)
    totals: dict[tuple[int, int], list] = {}
    counted = list(
        rows.order_by()
        .values_list("cell_x", "cell_y")
        .annotate(
            total=Sum("count"),
            open=Sum("count", filter=Q(state__in=OPEN_STATES), default=0),
            sum_lon=Sum("sum_longitude"),
            sum_lat=Sum("sum_latitude"),
        )
    )
    for since, until in added_days:
        counted += _entry_clusters(rows=entries, zoom=zoom, cells=cells, since=since, until=until)
    for since, until in removed_days:
        counted += [
            (cell_x, cell_y, -total, -open_count, -sum_lon, -sum_lat)
            for cell_x, cell_y, total, open_count, sum_lon, sum_lat in _entry_clusters(
                rows=entries, zoom=zoom, cells=cells, since=since, until=until
            )
        ]
    for cell_x, cell_y, total, open_count, sum_lon, sum_lat in counted:
        key = (int(cell_x), int(cell_y))
        sums = totals.setdefault(key, [0, 0, 0.0, 0.0])
        sums[0] += total
        sums[1] += open_count
        sums[2] += sum_lon
        sums[3] += sum_lat
    return [
        {"lon": sum_lon / total, "lat": sum_lat / total, "count": total, "open": open_count, "cell": f"{x}:{y}"}
        for (x, y), (total, open_count, sum_lon, sum_lat) in totals.items()
        if total > 0
    ]


def _period_keys(filters: ReportFilters, *, coarse: bool) -> tuple[list[int] | None, list, list]:
    """The cells' period keys of the filters' dates, clamped to the first and last entries (``None``: no entry
    between), and the days to add from the entries and those to take away (from a month read whole)."""
    from .models import ReportMapEntry

    # Clamped: "since 2001" reads a few years, not every month since 2001. Two queries: SQLite reads MIN() or
    # MAX() straight from the index, not both at once.
    first = ReportMapEntry.objects.order_by("created_at").values_list("created_at", flat=True).first()
    last = ReportMapEntry.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if first is None:
        return None, [], []
    first_day, last_day = timezone.localdate(first), timezone.localdate(last)
    since = max(filters.since or date.min, first_day)
    until = min(filters.until or date.max, last_day)
    if since > until:
        return None, [], []
    # No entry is older than the first one: its month counts whole from its first day. Nor newer than the last
    # one, and a report created meanwhile is of today: when the filter takes today in, the last one's month
    # counts whole to its last day (this month is read from the cells, not the entries, in the usual map).
    if since == first_day:
        since = since.replace(day=1)
    if until == last_day and (filters.until is None or filters.until >= timezone.localdate()):
        until = _next_month(until) - timedelta(days=1)
    keys, leftovers = _periods(since, until, coarse=coarse)
    added, removed, today = [], [], timezone.localdate()
    for start, end in leftovers:
        month_end = _next_month(start) - timedelta(days=1)
        outside = [(start.replace(day=1), start - timedelta(days=1)), (end + timedelta(days=1), month_end)]
        outside = [(day_from, day_to) for day_from, day_to in outside if day_from <= day_to]
        # More than half a month: the month's row less the days outside, read from fewer entries. Only before
        # today: a report created between the two reads would be taken away without having been counted.
        if (
            end <= month_end
            and sum((day_to - day_from).days + 1 for day_from, day_to in outside) < (end - start).days + 1
            and month_end < today
        ):
            keys.append(start.year * 100 + start.month)
            removed += outside
        else:
            added.append((start, end))
    return keys, added, removed


def map_points(reports, *, bbox):
    """The reports of a viewport, newest first. On PostGIS the box goes through the spatial (GiST) index of
    ``location``, which narrows both axes at once; elsewhere through the (latitude, longitude) B-tree."""
    if bbox:
        if connection.vendor == "postgresql":
            box = Polygon.from_bbox(bbox)
            box.srid = 4326
            reports = reports.filter(location__bboverlaps=box)
        reports = reports.in_bbox(*bbox)
    return reports.order_by("-created_at")


def report_timeline(report: Report, *, staff: bool, user=None):
    """The updates a viewer sees: internal notes for staff only, updates awaiting moderation for their author."""
    updates = report.updates.select_related("author").prefetch_related("photos")
    if not staff:
        visible = Q(internal=False, moderation_state=ModerationState.PUBLISHED)
        if user is not None and user.is_authenticated:
            visible |= Q(internal=False, author=user)
        updates = updates.filter(visible)
    return updates
