"""Writes: keep the pre-counted map cells equal to what the live query would count.

Every public report has a ``ReportMapEntry`` (its category, state, area, creation date and month, and
position) and adds 1 (and its coordinates), at each zoom level, to six ``ReportMapCell`` rows: its
category and area for all time and for its month, and "all categories, all areas" for all time and for
its year, quarter and month; below ``CATEGORY_PERIODS_BELOW_ZOOM``, to two more: its category and area for
its year and its quarter. ``map_cells_sync`` compares what a report should contribute now with its entry
and moves the difference, in the caller's transaction; it is idempotent, so calling it again (or for a
report that did not change) changes nothing. It runs on every save and delete of a report (signals below,
so that every service, the admin and the moderation are covered) and after a moderation decision;
``map_cells_rebuild`` (command ``rebuild_map_cells``) recomputes everything from the reports in a few SQL
statements per zoom level.

Only table names from the models' ``_meta`` and fixed column names are written into the SQL here; every
value is a parameter (or, for the cell sizes, a float this module computes).
"""

import math
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.db.models import IntegerField, Value
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone

from ..models import Report
from ..models.map_cells import (  # noqa: F401 (DENSE_ZOOMS, map_cell_zooms: read from here too)
    ALL_AREAS,
    ALL_CATEGORIES,
    ALL_MONTHS,
    CATEGORY_PERIODS_BELOW_ZOOM,
    DENSE_ZOOMS,
    NO_AREA,
    QUARTER_BASE,
    ReportMapCell,
    ReportMapEntry,
    cell_size,
    map_cell_zooms,
)

#: Fields of a report whose change can move it on the map or between the filters' counts.
MAP_FIELDS = frozenset(
    {"state", "moderation_state", "category", "category_id", "area", "area_id", "location", "longitude", "latitude"}
    | {"created_at"}
)
_ENTRY_FIELDS = ("category_id", "state", "area_id", "month", "created_at", "longitude", "latitude")


def month_of(moment: datetime) -> int:
    """Year × 100 + month of ``moment`` in the site's time zone, as the date filters read dates."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return local.year * 100 + local.month


def _wanted(report_ids: list[int]) -> dict[int, tuple]:
    """What each report should contribute now (public reports only), read from the database."""
    rows = Report.objects.public().filter(pk__in=report_ids).values_list("pk", *_ROW_FIELDS)
    return {
        pk: (category_id, state, area_id or NO_AREA, month_of(created_at), created_at, longitude, latitude)
        for pk, category_id, state, area_id, created_at, longitude, latitude in rows
    }


_ROW_FIELDS = ("category_id", "state", "area_id", "created_at", "longitude", "latitude")


def periods_of(month: int) -> tuple[int, int, int]:
    """The year, quarter and month keys of ``month`` (yyyymm) in ``ReportMapCell.month``."""
    year = month // 100
    return year * 100, year * 100 + QUARTER_BASE + (month % 100 - 1) // 3 + 1, month


def _add(deltas: dict, entry: tuple, sign: int) -> None:
    category_id, state, area_id, month, _created_at, longitude, latitude = entry
    year, quarter, month = periods_of(month)
    rows = [(ALL_MONTHS, category_id, area_id), (month, category_id, area_id)]
    rows += [(period, ALL_CATEGORIES, ALL_AREAS) for period in (ALL_MONTHS, year, quarter, month)]
    wide_rows = [*rows, (year, category_id, area_id), (quarter, category_id, area_id)]
    for zoom in map_cell_zooms():
        size = cell_size(zoom)
        cell_x, cell_y = math.floor(longitude / size), math.floor(latitude / size)
        for period, category, area in wide_rows if zoom < CATEGORY_PERIODS_BELOW_ZOOM else rows:
            key = (zoom, period, cell_y, cell_x, category, state, area)
            count, sum_lon, sum_lat = deltas.get(key, (0, 0.0, 0.0))
            deltas[key] = (count + sign, sum_lon + sign * longitude, sum_lat + sign * latitude)


def _apply(deltas: dict) -> None:
    """Add the deltas to the cells in one upsert (same SQL on SQLite and PostgreSQL), then drop emptied cells."""
    deltas = {key: value for key, value in deltas.items() if value[0] != 0}
    if not deltas:
        return
    table = connection.ops.quote_name(ReportMapCell._meta.db_table)
    key_columns = "zoom, month, cell_y, cell_x, category_id, state, area_id"
    for chunk in _chunks(list(deltas.items()), 400):
        values, params = [], []
        for key, (count, sum_lon, sum_lat) in chunk:
            values.append("(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
            params += [*key, count, sum_lon, sum_lat]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({key_columns}, count, sum_longitude, sum_latitude) VALUES {', '.join(values)} "  # noqa: S608
                f"ON CONFLICT ({key_columns}) DO UPDATE SET count = {table}.count + excluded.count, "
                f"sum_longitude = {table}.sum_longitude + excluded.sum_longitude, "
                f"sum_latitude = {table}.sum_latitude + excluded.sum_latitude",
                params,
            )
    emptied = [key for key, (count, _lon, _lat) in deltas.items() if count < 0]
    for chunk in _chunks(emptied, 100):
        condition = " OR ".join(
            "(zoom = %s AND month = %s AND cell_y = %s AND cell_x = %s AND category_id = %s AND state = %s "
            "AND area_id = %s)"
            for _key in chunk
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE count <= 0 AND ({condition})",  # noqa: S608
                [part for key in chunk for part in key],
            )


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def map_cells_sync(*, report_ids: Iterable[int]) -> int:
    """Make the map counts of these reports match what they are now (created, changed, hidden, deleted).

    Returns how many reports moved. Safe to call any number of times, in or out of a transaction.
    """
    report_ids = sorted({int(pk) for pk in report_ids if pk is not None})
    if not report_ids:
        return 0
    moved = 0
    with transaction.atomic():
        wanted = _wanted(report_ids)
        # Locked, so that two transactions syncing the same report cannot both move its count.
        recorded = {
            entry.report_id: entry
            for entry in ReportMapEntry.objects.select_for_update().filter(report_id__in=report_ids)
        }
        deltas: dict = {}
        creates, deletes = [], []
        for pk in report_ids:
            entry = recorded.get(pk)
            before = tuple(getattr(entry, field) for field in _ENTRY_FIELDS) if entry is not None else None
            after = wanted.get(pk)
            if before == after:
                continue
            moved += 1
            if before is not None:
                _add(deltas, before, -1)
                deletes.append(pk)
            if after is not None:
                _add(deltas, after, +1)
                creates.append(ReportMapEntry(report_id=pk, **dict(zip(_ENTRY_FIELDS, after, strict=True))))
        if deletes:
            ReportMapEntry.objects.filter(report_id__in=deletes).delete()
        if creates:
            ReportMapEntry.objects.bulk_create(creates)
        _apply(deltas)
    return moved


def map_cells_rebuild() -> dict[str, int]:
    """Recompute every entry and cell from the reports, in one transaction; returns the row counts.

    On PostgreSQL, outside a transaction (the management command), the two tables are vacuumed afterwards.
    """
    entries_table = connection.ops.quote_name(ReportMapEntry._meta.db_table)
    cells_table = connection.ops.quote_name(ReportMapCell._meta.db_table)
    tz = timezone.get_current_timezone()
    public = (
        Report.objects.public()
        .order_by()
        .annotate(
            map_month=ExtractYear("created_at", tzinfo=tz) * 100 + ExtractMonth("created_at", tzinfo=tz),
            map_area=Coalesce("area_id", Value(NO_AREA), output_field=IntegerField()),
        )
        .values_list("pk", "category_id", "state", "map_area", "map_month", "created_at", "longitude", "latitude")
    )
    select_sql, select_params = public.query.sql_with_params()
    columns = "report_id, category_id, state, area_id, month, created_at, longitude, latitude"
    year = "(month / 100 * 100)"  # integer division on both engines
    # "%%": the modulo operator, escaped because the statement has parameters.
    quarter = f"(month / 100 * 100 + {QUARTER_BASE} + (month %% 100 - 1) / 3 + 1)"
    # (period, category, area) of each grain, as SQL over the entries; the wide zooms' have years and quarters.
    grains = [(period, str(ALL_CATEGORIES), str(ALL_AREAS)) for period in (str(ALL_MONTHS), year, quarter, "month")]
    grains += [(str(ALL_MONTHS), "category_id", "area_id"), ("month", "category_id", "area_id")]
    wide_grains = [*grains, (year, "category_id", "area_id"), (quarter, "category_id", "area_id")]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {cells_table}")  # noqa: S608
        cursor.execute(f"DELETE FROM {entries_table}")  # noqa: S608
        # Written in the order they are read (entries by date, cells by zoom, category, period and row): a
        # viewport or a range of days then reads neighbouring pages, not one page per row.
        cursor.execute(
            f"INSERT INTO {entries_table} ({columns}) SELECT * FROM ({select_sql}) AS public ORDER BY 6",  # noqa: S608
            select_params,
        )
        for zoom in map_cell_zooms():
            # FLOOR(x / size) as in the live query and in _add(): the same IEEE division everywhere. The size is
            # written in the SQL (an exact binary fraction, repr() round-trips it) so that GROUP BY matches SELECT.
            size = f"CAST({cell_size(zoom)!r} AS DOUBLE PRECISION)"
            cell_x = f"CAST(FLOOR(longitude / {size}) AS INTEGER)"
            cell_y = f"CAST(FLOOR(latitude / {size}) AS INTEGER)"
            for period, category, area in wide_grains if zoom < CATEGORY_PERIODS_BELOW_ZOOM else grains:
                # Constants (all time, all categories, all areas) are not grouped by (PostgreSQL reads
                # GROUP BY 0 as a column position).
                group = [part for part in (period, cell_y, cell_x, category, "state", area) if not _constant(part)]
                cursor.execute(
                    f"INSERT INTO {cells_table} (zoom, month, cell_y, cell_x, category_id, state, area_id, "  # noqa: S608
                    f"count, sum_longitude, sum_latitude) "
                    f"SELECT %s, {period}, {cell_y}, {cell_x}, {category}, state, {area}, "
                    f"COUNT(*), SUM(longitude), SUM(latitude) FROM {entries_table} "
                    f"GROUP BY {', '.join(group)} ORDER BY 5, 2, 3, 4",
                    [zoom],
                )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # The old rows are dead but still in the indexes until a vacuum: every read would visit them.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {entries_table}")
            cursor.execute(f"VACUUM (ANALYZE) {cells_table}")
    return {"entries": ReportMapEntry.objects.count(), "cells": ReportMapCell.objects.count()}


def _constant(sql: str) -> bool:
    return sql.lstrip("-").isdigit()


# --- Receivers (connected in signalements.receivers): every save or delete keeps the counts exact -


def report_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    if raw:  # loaddata: rebuild_map_cells afterwards
        return
    if update_fields is not None and not (MAP_FIELDS & set(update_fields)):
        return
    map_cells_sync(report_ids=[instance.pk])


def report_deleted(sender, instance, **kwargs):
    map_cells_sync(report_ids=[instance.pk])


def report_moderated(sender, item, **kwargs):
    # Sent after the moderation's commit (a decision, a flag threshold, a block): its own transaction.
    map_cells_sync(report_ids=[item.pk])
