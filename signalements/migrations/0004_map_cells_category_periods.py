"""Map cells: the unique key (and the index the viewport query reads) starts with the category, and the
(category, area) grain gains year and quarter rows at the wide zooms.

The new rows are counted here, by the same full recount as ``rebuild_map_cells``, on a database that already
has reports (1,000,000 reports on PostgreSQL: 6 minutes on a shared 2-core machine at load 3-7). Not atomic,
so that the map's tables are not locked meanwhile: the new key's index is built before the old one is dropped
(the upserts of running workers always find one; they wait while it is built, about 15 s for 10 million rows,
readers do not), the recount is one transaction of its own (readers keep seeing the old counts until it
commits), and on PostgreSQL the tables are vacuumed after it. Workers still running the previous code do not
write the new rows: reports changed between this migration and their restart are counted again by
``rebuild_map_cells``.
"""

from django.db import migrations, models


def count_category_periods(apps, schema_editor):
    from signalements.services.map_cells import map_cells_rebuild

    if apps.get_model("signalements", "Report").objects.exists():
        map_cells_rebuild()


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("signalements", "0003_map_cells"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="reportmapcell",
            constraint=models.UniqueConstraint(
                fields=("zoom", "category_id", "month", "cell_y", "cell_x", "state", "area_id"),
                name="signalements_mapcell_category_key",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="reportmapcell",
            name="signalements_mapcell_key",
        ),
        migrations.RunPython(count_category_periods, migrations.RunPython.noop),
    ]
