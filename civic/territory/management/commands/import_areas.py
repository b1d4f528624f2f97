from django.core.management.base import BaseCommand, CommandError

from civic.territory.models import Area, AreaKind
from civic.territory.services import AreaImportError, areas_import


class Command(BaseCommand):
    help = (
        "Import areas (communes, districts, neighbourhoods) from a GeoJSON FeatureCollection. "
        "All or nothing: when a feature is at fault, nothing is imported and the feature is named."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a GeoJSON FeatureCollection of Polygons or MultiPolygons.")
        parser.add_argument(
            "--name-property", default="name", help="Feature property holding the name (default: name)."
        )
        parser.add_argument(
            "--code-property",
            default="code",
            help="Feature property holding the official code (default: code); '' for none.",
        )
        parser.add_argument(
            "--kind", default=AreaKind.COMMUNE, choices=AreaKind.values, help="Kind of the imported areas."
        )
        parser.add_argument("--parent", default=None, help="Code of the parent area (e.g. the intercommunality).")
        parser.add_argument("--no-repair", action="store_true", help="Reject invalid rings instead of repairing them.")

    def handle(self, *args, **options):
        parent = None
        if options["parent"]:
            parent = Area.objects.filter(code=options["parent"]).first()
            if parent is None:
                raise CommandError(f"No area has the code {options['parent']!r}; import the parent first.")
        try:
            result = areas_import(
                source=options["file"],
                name_property=options["name_property"],
                code_property=options["code_property"] or None,
                kind=options["kind"],
                parent=parent,
                repair=not options["no_repair"],
            )
        except AreaImportError as exc:
            raise CommandError("Nothing was imported:\n  " + "\n  ".join(exc.errors)) from exc
        for line in result.repaired:
            self.stdout.write(self.style.WARNING(f"repaired {line}"))
        self.stdout.write(self.style.SUCCESS(f"{len(result.created)} areas created, {len(result.updated)} updated."))
