"""Pre-counted map clusters: on random reports, the counted cells give exactly the live computation's clusters
with every filter, and keep doing so as reports are created, change state, are hidden, moved or deleted."""

import io
import random
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic.moderation.models import ModerationState
from civic.moderation.services import moderation_decide
from signalements.models import Report, ReportMapCell, ReportMapEntry, ReportState
from signalements.models.map_cells import ALL_CATEGORIES, CATEGORY_PERIODS_BELOW_ZOOM
from signalements.selectors import (
    MAX_INDEX_DESCENTS,
    ReportFilters,
    cell_range,
    map_clusters,
    map_clusters_counted,
)
from signalements.services import report_mark_duplicate, report_update_create
from signalements.services.map_cells import map_cells_rebuild, map_cells_sync

pytestmark = pytest.mark.django_db

CITY = (4.80, 45.70, 4.85, 45.75)  # AreaFactory's default square
STATES = [ReportState.NEW, ReportState.IN_PROGRESS, ReportState.FIXED, ReportState.CLOSED, ReportState.UNCONFIRMED]


@pytest.fixture
def city(area_factory, territory):
    """The commune (``territory``) and two quartiers inside it."""
    west, east = area_factory(name="Ouest", parent=territory), area_factory(name="Est", parent=territory)
    return territory, west, east


@pytest.fixture
def make_report(report_factory):
    """A report created at ``created`` (the clock is set while it is saved)."""

    def make(*, created: datetime, **fields):
        with mock.patch.object(timezone, "now", lambda: created):
            return report_factory(reporter=None, **fields)

    return make


@pytest.fixture
def random_reports(make_report, category_factory, city, voirie):
    """120 reports with random places (some on cell edges), categories, areas, states and creation dates."""
    rng = random.Random(4)
    categories = [category_factory(code=f"cat-{index}", service=voirie) for index in range(3)]
    commune, west, east = city
    now = timezone.now()
    reports = []
    for index in range(120):
        if index % 10 == 0:  # exactly on a grid line of several zoom levels
            lon, lat = 4.8125, 45.703125
        else:
            lon, lat = rng.uniform(CITY[0], CITY[2]), rng.uniform(CITY[1], CITY[3])
        reports.append(
            make_report(
                created=now - timedelta(days=rng.randrange(0, 500), minutes=rng.randrange(1440)),
                category=rng.choice(categories),
                area=rng.choice([commune, west, east, None]),
                state=rng.choice(STATES),
                location=Point(lon, lat, srid=4326),
            )
        )
    return reports, categories, city


def filter_sets(categories, city):
    commune, west, _east = city
    today = timezone.localdate()
    return [
        {},
        {"category": categories[0].code},
        {"state": "open"},
        {"state": "closed"},
        {"state": "fixed"},
        {"area": str(commune.pk)},  # the commune and its quartiers
        {"area": str(west.pk)},
        {"since": (today - timedelta(days=45)).isoformat()},
        {"until": (today - timedelta(days=100)).isoformat()},
        {"since": (today - timedelta(days=400)).isoformat(), "until": (today - timedelta(days=20)).isoformat()},
        {"since": today.replace(day=1).isoformat()},  # a whole month from its first day
        {"since": (today - timedelta(days=3)).isoformat(), "until": today.isoformat()},  # inside one month
        {"category": categories[1].code, "state": "open", "area": str(west.pk), "since": "2025-01-15"},
        {"category": "no-such-category"},
        # A category or an area over whole years and quarters (their own rows at the wide zooms), to today.
        {"category": categories[0].code, "since": date(today.year - 1, 1, 1).isoformat()},
        {"area": str(west.pk), "since": date(today.year - 1, 2, 10).isoformat(), "until": today.isoformat()},
        {"category": categories[2].code, "state": "closed", "until": date(today.year - 1, 12, 31).isoformat()},
        {"area": str(commune.pk), "since": (today - timedelta(days=300)).isoformat(), "until": "2099-01-01"},
        {"category": categories[1].code, "until": (today - timedelta(days=1)).isoformat()},
        # Most of a month at either end (the month's row less the days outside it), then little of one.
        {"since": months_ago(10, day=3), "until": months_ago(4, day=26)},
        {"area": str(west.pk), "state": "open", "since": months_ago(7, day=2), "until": months_ago(6, day=27)},
        {"category": categories[0].code, "since": months_ago(9, day=25), "until": months_ago(2, day=4)},
        {"since": months_ago(5, day=3), "until": months_ago(5, day=26)},  # days cut off at both ends
    ]


def months_ago(months: int, *, day: int) -> str:
    """The ``day`` of the month ``months`` before this one, as a date filter reads it."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, day).isoformat()


def assert_counted_equals_live(
    filters_params, *, zooms=(10, 12, 13, 14, 15, 16), bboxes=(CITY, (4.81, 45.71, 4.83, 45.74))
):
    for params in filters_params:
        filters = ReportFilters.from_params(params)
        for zoom in zooms:
            for bbox in bboxes:
                counted = {cell["cell"]: cell for cell in map_clusters_counted(filters=filters, bbox=bbox, zoom=zoom)}
                live = {
                    cell["cell"]: cell
                    for cell in map_clusters(
                        filters.apply(Report.objects.public()), zoom=zoom, cells=cell_range(bbox, zoom)
                    )
                }
                assert counted.keys() == live.keys(), (params, zoom, bbox)
                for key, cell in live.items():
                    assert (counted[key]["count"], counted[key]["open"]) == (cell["count"], cell["open"]), (
                        params,
                        zoom,
                        key,
                    )
                    assert counted[key]["lon"] == pytest.approx(cell["lon"], abs=1e-9)
                    assert counted[key]["lat"] == pytest.approx(cell["lat"], abs=1e-9)


def cells_snapshot():
    return {
        (cell.zoom, cell.month, cell.cell_x, cell.cell_y, cell.category_id, cell.state, cell.area_id): cell.count
        for cell in ReportMapCell.objects.all()
    }


@pytest.mark.parametrize("descents", [MAX_INDEX_DESCENTS, 0], ids=["rows-listed", "rows-as-a-range"])
def test_counted_clusters_equal_the_live_ones_with_every_filter(random_reports, descents, monkeypatch):
    monkeypatch.setattr("signalements.selectors.MAX_INDEX_DESCENTS", descents)
    reports, categories, city = random_reports
    assert sum(cell["count"] for cell in map_clusters_counted(filters=ReportFilters(), bbox=CITY, zoom=12)) == (
        Report.objects.public().count()
    )

    assert_counted_equals_live(filter_sets(categories, city))


def test_categories_and_areas_have_years_and_quarters_at_the_wide_zooms_only(random_reports):
    def periods(zoom):
        kinds = set()
        for month in (
            ReportMapCell.objects.filter(zoom=zoom).exclude(category_id=ALL_CATEGORIES).values_list("month", flat=True)
        ):
            kinds.add(
                "all" if month == 0 else "year" if month % 100 == 0 else "quarter" if month % 100 > 12 else "month"
            )
        return kinds

    assert periods(CATEGORY_PERIODS_BELOW_ZOOM - 1) == {"all", "year", "quarter", "month"}
    assert periods(CATEGORY_PERIODS_BELOW_ZOOM) == {"all", "month"}
    incremental = cells_snapshot()
    map_cells_rebuild()
    assert cells_snapshot() == incremental


def test_a_category_over_whole_years_to_today_reads_the_cells_only(make_report, pothole, territory):
    """Years, quarters and months, this month included (no report is newer than the last one): no entry read."""
    this_year = timezone.localdate().year
    for created in (datetime(this_year - 2, 3, 5, 10, tzinfo=UTC), datetime(this_year - 1, 6, 1, 10, tzinfo=UTC)):
        make_report(created=created, category=pothole, area=territory)
    make_report(created=timezone.now(), category=pothole, area=territory, state=ReportState.FIXED)
    filters = ReportFilters(category=pothole.code, since=date(this_year - 3, 1, 1))

    with CaptureQueriesContext(connection) as queries:
        clusters = map_clusters_counted(filters=filters, bbox=CITY, zoom=CATEGORY_PERIODS_BELOW_ZOOM - 2)

    assert sum(cell["count"] for cell in clusters) == 3
    counting_entries = [
        query["sql"]
        for query in queries.captured_queries
        if "reportmapentry" in query["sql"] and "GROUP BY" in query["sql"]
    ]
    assert counting_entries == []
    cells_query = next(query["sql"] for query in queries.captured_queries if "reportmapcell" in query["sql"])
    assert f"{this_year - 1}00" in cells_query  # last year's row, not its twelve months


def test_most_of_a_month_is_its_row_less_the_days_outside(make_report, pothole, territory):
    month = date.fromisoformat(months_ago(3, day=1))
    for day in (1, 2, 10, 20, 27, 28):
        make_report(created=datetime(month.year, month.month, day, 10, tzinfo=UTC), category=pothole, area=territory)
    since, until = month.replace(day=3), month.replace(day=26)

    with CaptureQueriesContext(connection) as queries:
        clusters = map_clusters_counted(filters=ReportFilters(since=since, until=until), bbox=CITY, zoom=12)

    assert [cell["count"] for cell in clusters] == [2]
    cells_query = next(query["sql"] for query in queries.captured_queries if "reportmapcell" in query["sql"])
    assert f"{month.year}{month.month:02}" in cells_query
    assert_counted_equals_live([{"since": since.isoformat(), "until": until.isoformat(), "category": pothole.code}])


def test_counts_stay_exact_through_state_changes_hiding_moves_and_deletions(
    random_reports, agent_voirie, moderator, run
):
    reports, categories, city = random_reports
    published = [report for report in reports if report.is_public]
    rng = random.Random(7)

    for report in rng.sample(published, 8):  # staff change states, some to hidden
        state = rng.choice([ReportState.FIXED, ReportState.IN_PROGRESS, ReportState.HIDDEN, ReportState.CLOSED])
        report_update_create(report=report, author=agent_voirie, new_state=state, text="Done.")
    original, duplicate = [report for report in published if report.state == ReportState.NEW][:2]
    report_mark_duplicate(report=duplicate, original=original, by=agent_voirie)
    moved = published[0]
    moved.location = Point(4.849, 45.749, srid=4326)
    moved.category = categories[2]
    moved.save()
    hidden_by_moderation = Report.objects.public().exclude(pk=moved.pk).first()
    run(
        moderation_decide,
        moderator=moderator,
        item=hidden_by_moderation,
        action="hide",
        reason="Insulting.",
        expected_state=ModerationState.PUBLISHED,
    )
    Report.objects.get(pk=reports[1].pk).delete()
    Report.objects.filter(pk__in=[report.pk for report in reports[2:6]]).delete()

    assert not Report.objects.public().filter(pk=hidden_by_moderation.pk).exists()
    assert_counted_equals_live(filter_sets(categories, city))
    # What the rebuild computes from scratch is what the changes left.
    incremental = cells_snapshot()
    map_cells_rebuild()
    assert cells_snapshot() == incremental
    assert ReportMapEntry.objects.count() == Report.objects.public().count()


def test_a_report_published_by_confirmation_appears_and_deleting_it_removes_it(make_report, pothole, territory):
    report = make_report(created=timezone.now(), category=pothole, area=territory, state=ReportState.UNCONFIRMED)
    whole_city = {"filters": ReportFilters(), "bbox": CITY, "zoom": 12}
    assert map_clusters_counted(**whole_city) == []

    report.state = ReportState.NEW
    report.save(update_fields=["state", "updated_at"])
    assert [cell["count"] for cell in map_clusters_counted(**whole_city)] == [1]

    report.delete()
    assert map_clusters_counted(**whole_city) == []
    assert not ReportMapCell.objects.exists()  # emptied cells are dropped, not kept at 0


def test_sync_is_idempotent_and_repairs_a_change_made_behind_its_back(make_report, pothole, territory):
    report = make_report(created=timezone.now(), category=pothole, area=territory)
    before = cells_snapshot()
    assert map_cells_sync(report_ids=[report.pk]) == 0
    assert cells_snapshot() == before

    Report.objects.filter(pk=report.pk).update(state=ReportState.HIDDEN)  # no signal
    assert map_cells_sync(report_ids=[report.pk, report.pk]) == 1
    assert not ReportMapCell.objects.exists()


def test_rebuild_command_recounts_reports_inserted_without_signals(make_report, pothole, territory):
    report = make_report(created=timezone.now(), category=pothole, area=territory)
    ReportMapCell.objects.all().delete()
    ReportMapEntry.objects.all().delete()
    assert map_clusters_counted(filters=ReportFilters(), bbox=CITY, zoom=12) == []

    call_command("rebuild_map_cells", stdout=(output := io.StringIO()))

    assert "1 public reports counted" in output.getvalue()
    assert [cell["count"] for cell in map_clusters_counted(filters=ReportFilters(), bbox=CITY, zoom=12)] == [1]
    assert ReportMapEntry.objects.get().report_id == report.pk


def test_months_follow_the_local_calendar(make_report, pothole, territory):
    """23:30 UTC on 31 January is 1 February in Paris: the report counts in February, as the date filter says."""
    make_report(created=datetime(2026, 1, 31, 23, 30, tzinfo=UTC), category=pothole, area=territory)

    assert ReportMapEntry.objects.get().month == 202602
    february = ReportFilters(since=date(2026, 2, 1), until=date(2026, 2, 28))
    january = ReportFilters(since=date(2026, 1, 1), until=date(2026, 1, 31))
    assert [cell["count"] for cell in map_clusters_counted(filters=february, bbox=CITY, zoom=12)] == [1]
    assert map_clusters_counted(filters=january, bbox=CITY, zoom=12) == []
    map_cells_rebuild()
    assert ReportMapEntry.objects.get().month == 202602


def test_the_map_api_reads_a_few_counted_cells_whatever_the_number_of_reports(client, random_reports):
    reports, categories, city = random_reports
    url = "/api/v1/reports/?bbox=4.80,45.70,4.85,45.75&zoom=13&state=open&category=" + categories[0].code

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    features = response.json()["features"]
    expected = Report.objects.public().open().filter(category=categories[0]).count()
    assert sum(feature["properties"]["count"] for feature in features) == expected
    # The cells, the category and nothing else: no query over the reports themselves.
    assert not any('"signalements_report"' in query["sql"] for query in queries.captured_queries)
    assert len(queries.captured_queries) <= 3


def test_a_close_zoom_shows_clusters_when_the_view_holds_more_points_than_the_map_shows(
    client, make_report, pothole, category_factory, territory, monkeypatch
):
    monkeypatch.setattr("signalements.api.views.DENSE_POINTS", 5)
    streetlight = category_factory(code="streetlight", service=pothole.service)
    for index in range(6):
        make_report(
            created=timezone.now(),
            category=pothole if index else streetlight,
            area=territory,
            location=Point(4.8201 + index * 0.0001, 45.7201, srid=4326),
        )
    url = "/api/v1/reports/?bbox=4.815,45.715,4.825,45.725&zoom=16"

    crowded = client.get(url).json()
    fewer = client.get(url + "&category=pothole").json()

    assert crowded["clustered"] is True
    assert sum(feature["properties"]["count"] for feature in crowded["features"]) == 6
    assert fewer["clustered"] is False and len(fewer["features"]) == 5
    assert client.get(url.replace("zoom=16", "zoom=18")).json()["clustered"] is False  # the closest zooms: points


def test_a_close_zoom_with_nothing_counted_in_view_reads_no_report(client, make_report, pothole, territory):
    """The counts are exact: a filter that leaves nothing in view answers without the live points query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_report(created=timezone.now(), category=pothole, area=territory, location=Point(4.8201, 45.7201, srid=4326))
    url = "/api/v1/reports/?bbox=4.815,45.715,4.825,45.725&zoom=16"
    assert len(client.get(url).json()["features"]) == 1
    with CaptureQueriesContext(connection) as queries:
        empty = client.get(url + "&state=closed").json()
    assert empty["features"] == [] and empty["clustered"] is False and empty["truncated"] is False
    assert not any('FROM "signalements_report"' in query["sql"] for query in queries.captured_queries)
