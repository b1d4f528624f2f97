"""Recompute the pre-counted map cells of the reports map from the reports themselves."""

import time

from django.core.management.base import BaseCommand

from signalements.services.map_cells import map_cells_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the map's per-cell report counts from the reports (after a bulk import, a restore, "
        "or to check them). Safe to run at any time: it works in one transaction."
    )

    def handle(self, *args, **options):
        start = time.perf_counter()
        counts = map_cells_rebuild()
        self.stdout.write(
            f"{counts['entries']} public reports counted in {counts['cells']} map cells "
            f"({time.perf_counter() - start:.1f} s)."
        )
