"""Pre-counted map clusters: what each public report adds to the map, and the per-cell counts it sums into.

``ReportMapEntry`` records, for every public report, the filter dimensions and the position it is
counted under; ``ReportMapCell`` holds the sums per zoom level, grid cell, state and period, in two
grains: every (category, area) pair for all time and per month (and per year and quarter at the zooms
below ``CATEGORY_PERIODS_BELOW_ZOOM``), and "every category, every area" (``ALL_CATEGORIES``/``ALL_AREAS``)
for all time and per year, quarter and month, so that a map with no category or area filter reads one row
per state and cell. ``signalements.services.map_cells`` keeps both in step with the reports inside the
transaction that changes them; ``rebuild_map_cells`` recomputes them from scratch.

``month`` encodes the period: 0 all time, ``yyyy00`` a year, ``yyyy91``-``yyyy94`` a quarter, ``yyyymm`` a month.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .. import conf

#: Zoom levels above the clusters' that have counted cells too: the map API answers with clusters there
#: when the viewport holds more reports than it shows as points.
DENSE_ZOOMS = 2


def map_cell_zooms() -> range:
    """The zoom levels with pre-counted cells: every zoom the map API answers with clusters, and DENSE_ZOOMS more."""
    return range(0, conf.get("SIGNALEMENTS_CLUSTER_BELOW_ZOOM") + DENSE_ZOOMS)


def cell_size(zoom: int) -> float:
    """Width of a cluster cell in degrees at ``zoom``: about 64 screen pixels (powers of two nest exactly).

    The one definition of the grid: the cells counted here (services.map_cells) and the cells read
    (selectors) must be the same."""
    return 360.0 / (2 ** max(0, min(zoom, 22))) / 4


#: ``ReportMapCell.month`` of the rows that count every month together.
ALL_MONTHS = 0
#: ``area_id`` of a report outside any area (the unique key cannot hold NULLs).
NO_AREA = 0
#: ``category_id`` and ``area_id`` of the rows that count every category and every area together.
ALL_CATEGORIES = 0
ALL_AREAS = -1
#: ``month`` of a quarter's rows is year × 100 + QUARTER_BASE + quarter (1-4).
QUARTER_BASE = 90
#: The (category, area) grain has year and quarter rows at the zooms below this one only. Their cells are
#: large: a year row sums many month rows there. Closer, a cell's (category, state, area) rarely holds more
#: than one report a quarter, so those rows would add half the table (5 million rows for 1,000,000 reports)
#: and save almost no reading.
CATEGORY_PERIODS_BELOW_ZOOM = 15


class ReportMapEntry(models.Model):
    """What one public report contributes to the map counts (no row: the report is not counted)."""

    # A plain number, not a foreign key: the entry outlives its report until the counts are corrected.
    report_id = models.BigIntegerField(_("report"), primary_key=True)
    category_id = models.BigIntegerField(_("category"))
    state = models.CharField(_("state"), max_length=20)
    area_id = models.BigIntegerField(_("area"), default=NO_AREA)
    month = models.PositiveIntegerField(_("month"), help_text=_("Year × 100 + month of creation, local time."))
    created_at = models.DateTimeField(_("created"), db_index=True)
    longitude = models.FloatField(_("longitude"))
    latitude = models.FloatField(_("latitude"))

    class Meta:
        verbose_name = _("map entry of a report")
        verbose_name_plural = _("map entries of reports")

    def __str__(self):
        return f"#{self.report_id} {self.state}"


class ReportMapCell(models.Model):
    """The public reports of one grid cell at one zoom level that share a state, a period and a category and
    area (or all of them)."""

    zoom = models.PositiveSmallIntegerField(_("zoom"))
    month = models.PositiveIntegerField(
        _("period"), help_text=_("0: all time; year × 100 + 1-12: a month, + 91-94: a quarter, + 0: the year.")
    )
    cell_x = models.IntegerField(_("cell column"))
    cell_y = models.IntegerField(_("cell row"))
    category_id = models.BigIntegerField(_("category"))
    state = models.CharField(_("state"), max_length=20)
    area_id = models.BigIntegerField(_("area"), default=NO_AREA)  # ALL_AREAS (-1) in the rows of every area
    count = models.IntegerField(_("reports"), default=0)
    sum_longitude = models.FloatField(_("sum of the longitudes"), default=0.0)
    sum_latitude = models.FloatField(_("sum of the latitudes"), default=0.0)

    class Meta:
        verbose_name = _("map cell")
        verbose_name_plural = _("map cells")
        constraints = [
            # Its index serves the viewport query: zoom, category (ALL_CATEGORIES without a category filter; every
            # category with an area filter alone), the periods and the rows of cells in view by equality (lists),
            # then the columns in view as one range: it reads little beyond the rows the answer sums.
            models.UniqueConstraint(
                fields=["zoom", "category_id", "month", "cell_y", "cell_x", "state", "area_id"],
                name="signalements_mapcell_category_key",
            )
        ]

    def __str__(self):
        return f"z{self.zoom} {self.cell_x}:{self.cell_y} ({self.count})"
